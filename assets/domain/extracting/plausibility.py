"""Values that cannot be right (an issue date before 1990, a share of 150%, a target due in 1800): each is left out of
the published tables with a parse warning naming its file, so one implausible value flags its own document instead of
failing a critical expectation for the whole corpus. The bounds are those the expectations check (publishing/suites.py)."""

import datetime as dt

import pandas as pd

from assets.catalog.vocabularies import GROWTH_OR_REDUCTION

EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2099, 12, 31)  # documents__issue_date__plausible
FIRST_YEAR, LAST_YEAR = 1990, 2100  # targets__year__plausible
STAGE = "plausibility"


def plausible_date(value: dt.date) -> bool:
    return EARLIEST <= value <= LATEST


def implausible_date_reason(value: dt.date, column: str = "issue_date") -> str:
    return f"{column} {value.isoformat()} is implausible (not between {EARLIEST.year} and {LATEST.year})"


def screened_documents(documents: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """`documents` with implausible issue dates emptied, and a warning for each."""
    if not len(documents) or "issue_date" not in documents:
        return documents, []
    dates = documents["issue_date"].tolist()
    bad = [i for i, d in enumerate(dates) if isinstance(d, dt.date) and not plausible_date(d)]
    if not bad:
        return documents, []
    warnings = [_warning(documents.iloc[i], f"{implausible_date_reason(dates[i])}; published empty") for i in bad]
    for i in bad:
        dates[i] = None
    return documents.assign(issue_date=pd.Series(dates, index=documents.index, dtype=object)), warnings


def screened_targets(targets: pd.DataFrame, source_files: dict[str, str]) -> tuple[pd.DataFrame, list[dict]]:
    """`targets` without the rows whose values cannot be right, and a warning naming each left out (its file, id, text
    and why)."""
    if not len(targets):
        return targets, []
    value, value_max = targets["value"].astype(float), targets["value_max"].astype(float)
    year = targets["year"].astype(float)
    share = targets["unit"].eq("%").fillna(False) & ~targets["metric"].fillna("").str.contains(GROWTH_OR_REDUCTION)
    has_max = value_max.notna()
    reasons = {
        "a share (%) outside 0–100 that is not a growth or reduction": share & ((value < 0) | (value > 100)),
        "a negative value": value < 0,
        f"a year outside {FIRST_YEAR}–{LAST_YEAR}": year.notna() & ((year < FIRST_YEAR) | (year > LAST_YEAR)),
        "a range whose upper bound is not above its lower one (or a bound without a range)": (
            has_max != targets["comparator"].eq("range").fillna(False)
        )
        | (has_max & ~(value_max > value)),
    }
    bad = pd.Series(False, index=targets.index)
    why = pd.Series("", index=targets.index, dtype=object)
    for reason, mask in reasons.items():
        mask = mask.fillna(False).astype(bool)
        why[mask & ~bad] = reason
        bad |= mask
    if not bad.any():
        return targets, []
    warnings = []
    for row, reason in zip(targets[bad].itertuples(index=False), why[bad].tolist()):
        shown = f"{row.value:g}{row.unit or ''}" if pd.notna(row.value) else ""
        warnings.append(
            {
                "source_file": source_files.get(row.doc_id, row.doc_id),
                "doc_id": row.doc_id,
                "stage": STAGE,
                "message": f'target {row.target_id} ({shown}, "{str(row.text)[:60]}") left out: {reason}',
            }
        )
    return targets[~bad].reset_index(drop=True), warnings


def _warning(document, message: str) -> dict:
    return {"source_file": document["source_file"], "doc_id": document["doc_id"], "stage": STAGE, "message": message}
