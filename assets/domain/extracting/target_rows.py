"""`targets` table rows: targets of every measure and goal, with offsets into the document's text and, where the
text names no year, the year inferred from the plan's period or goal section."""

import pandas as pd

from assets.catalog.schema import TABLES
from assets.domain.extracting.due_years import inferred_due_year
from assets.domain.extracting.target_extraction import extract_targets
from assets.domain.frames import records

TARGET_KINDS = ("measure", "goal")
CLASSIFICATION_COLUMNS = ("indicator_code", "metric_code")  # added by the indicators stage


def target_columns() -> list[str]:
    """The columns this stage fills (the indicators stage adds the classification)."""
    return [c for c in TABLES["targets"].column_names if c not in CLASSIFICATION_COLUMNS]


def target_rows(measures: pd.DataFrame, document_texts: pd.DataFrame) -> pd.DataFrame:
    """Targets of the provisions in `measures`; `document_texts` holds each document's doc_id, text and title."""
    columns = target_columns()
    if measures.empty:
        return pd.DataFrame(columns=columns)
    texts = dict(zip(document_texts["doc_id"], document_texts["text"]))
    titles = dict(zip(document_texts["doc_id"], document_texts["title"]))
    provisions = list(records(measures, ("measure_id", "doc_id", "kind", "text", "char_start")))
    inferred = {
        doc_id: inferred_due_year(titles[doc_id], [m.text for m in provisions if m.doc_id == doc_id and m.kind == "goal"])
        for doc_id in texts
    }
    rows = []
    for m in provisions:
        if m.kind not in TARGET_KINDS:
            continue
        doc_text = texts[m.doc_id]
        year_inferred, inferred_from = inferred[m.doc_id]
        for k, t in enumerate(extract_targets(m.text), start=1):
            start = _offset_in_document(doc_text, m.char_start, m.text, t.start, t.text)
            rows.append(
                {
                    "target_id": f"{m.measure_id}-t{k:02d}",
                    "measure_id": m.measure_id,
                    "value": t.value,
                    "value_max": t.value_max,
                    "unit": t.unit,
                    "comparator": t.comparator,
                    "baseline": t.baseline,
                    "year": t.year,
                    "metric": t.metric,
                    "scope": t.scope,
                    "text": t.text,
                    "year_inferred": year_inferred if t.year is None else None,
                    "year_inferred_from": inferred_from if t.year is None and year_inferred is not None else None,
                    "doc_id": m.doc_id,
                    "char_start": start,
                    "char_end": start + len(t.text),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def _offset_in_document(doc_text: str, measure_start: int, measure_text: str, local: int, span: str) -> int:
    """Where `span` (found at `local` in the measure's text) stands in the document's text."""
    guess = measure_start + local
    if doc_text[guess : guess + len(span)] == span:
        return guess
    found = doc_text.find(span, measure_start)  # the measure's text skipped an own-line annotation
    if found < 0:
        raise ValueError(f"target span {span!r} not found in the document text")
    return found
