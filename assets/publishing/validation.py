"""The great-expectations run that checks a build's tables against the suites of `suites.py`, and its report."""

import datetime as dt
import logging
import math
import os
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.catalog.schema import TABLES
from assets.domain.frames import rows_at
from assets.engine.row_memo import RowMemo, is_row_wise
from assets.publishing.derived_checks import check_frames
from assets.publishing.suites import CRITICAL, MAX_ROWS_PER_DOCUMENT, WARNING, check_names
from assets.publishing.warehouse import hashed_rows


def parameters(frames: dict[str, pd.DataFrame]) -> dict:
    """Values the suites refer to with `$PARAMETER`: row counts and bounds."""
    params = {f"{name}__rows": len(frames[name]) for name in TABLES}
    documents = max(1, len(frames["documents"]))
    for name, limit in MAX_ROWS_PER_DOCUMENT.items():
        params[f"{name}__max_rows"] = limit * documents
    return params


@dataclass
class CheckResult:
    table: str
    check: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    observed: object
    examples: list = field(default_factory=list)
    description: str = ""
    files: list[str] = field(default_factory=list)  # source files of the rows a row-wise check rejected (the first few)


@dataclass
class ValidationReport:
    results: list[CheckResult]
    created: str
    rows_checked: int = 0  # rows great-expectations ran the row-wise expectations on
    rows_remembered: int = 0  # rows whose row-wise verdicts came from the memo of an earlier validation

    @property
    def passed(self) -> bool:
        """True when no critical expectation failed (warnings do not block)."""
        return all(r.success for r in self.results if r.severity == CRITICAL)

    def to_json(self) -> dict:
        return {
            "created": self.created,
            "passed": self.passed,
            "critical_failures": sum(1 for r in self.results if not r.success and r.severity == CRITICAL),
            "warnings": sum(1 for r in self.results if not r.success and r.severity == WARNING),
            "rows_checked": self.rows_checked,
            "rows_remembered": self.rows_remembered,
            "results": [_jsonable(r.__dict__) for r in self.results],
        }


# Expectation types that read only the table's column names: run with the table-wide ones, no column values prepared.
NAMES_ONLY = frozenset(
    {
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_match_ordered_list",
        "expect_table_column_count_to_equal",
        "expect_column_to_exist",
    }
)
# Uniqueness expectations, checked on the rows whose key could repeat (`_repeated_keys`).
UNIQUENESS = frozenset({"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"})


def validate(
    frames: dict[str, pd.DataFrame], suites: dict[str, dict], memo: RowMemo | None = None, hashes: dict[str, np.ndarray] | None = None
) -> ValidationReport:
    """Run every suite on its table with great-expectations (in memory: an ephemeral context).

    Table-wide expectations (columns, row counts, uniqueness) read the whole table. Row-wise ones read only the rows
    `memo` has no verdict on (all rows without a memo); the verdicts on the others come from it, and the report is
    the same as if every row had been checked. The memo gathers this validation's verdicts (`RowMemo.save`).
    `hashes`: each table's row hashes (`hashed_rows`), computed here when not given."""
    gx = import_engine()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    skip_batch_hashing()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("tables")
    memo = memo if memo is not None else RowMemo()
    hashes = hashes if hashes is not None else {name: hashed_rows(_arrow_table(frame)) for name, frame in frames.items()}
    checked = check_frames(frames, memo, hashes)
    params = parameters(frames)
    severity = {check: level for check, level, _ in check_names(suites)}
    documents = frames["documents"]
    source_files = dict(zip(documents["doc_id"].tolist(), documents["source_file"].tolist())) if len(documents) else {}

    def run(name: str, expectations: list[dict], frame: pd.DataFrame, result_format: str) -> list:
        suite = gx.ExpectationSuite(name=name, expectations=[dict(e) for e in expectations])
        if len(suite.expectations) != len(expectations):
            raise ValueError(
                f"expectations/{name.split(':')[0]}.json: {len(expectations) - len(suite.expectations)} "
                "expectation(s) were not understood by great-expectations (misspelled type or arguments?)"
            )
        suite = context.suites.add(suite)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        return definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            result_format={"result_format": result_format, "partial_unexpected_count": 5},
        ).results

    results: list[CheckResult] = []
    checked_rows = remembered_rows = 0
    for name, spec in suites.items():
        frame = checked.pop(name)  # each checked table is released once its suite has run
        derived = [c for c in frame.columns if c not in frames[name].columns]
        table_results, checked_now, remembered = _validate_table(
            name, spec["expectations"], frame, derived, hashes[name], memo, run, severity, source_files
        )
        results += table_results
        checked_rows, remembered_rows = checked_rows + checked_now, remembered_rows + remembered
    order = {check: i for i, check in enumerate(severity)}
    results.sort(key=lambda r: order[r.check])
    return ValidationReport(results, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), checked_rows, remembered_rows)


def _validate_table(
    name: str,
    expectations: list[dict],
    frame: pd.DataFrame,
    derived: list[str],
    hashes: np.ndarray,
    memo: RowMemo,
    run,
    severity: dict[str, str],
    source_files: dict[str, str] | None = None,
) -> tuple[list[CheckResult], int, int]:
    """One table's results, and how many rows the row-wise expectations ran on and how many verdicts the memo gave.
    `run(name, expectations, frame, result_format)` runs great-expectations; `derived`: the `check_*` columns."""
    row_wise = [e for e in expectations if is_row_wise(e)]
    on_names = [e for e in expectations if e["type"] in NAMES_ONLY]
    on_repeats = [e for e in expectations if _on_repeated_keys(e)]
    whole = [e for e in expectations if not is_row_wise(e) and e["type"] not in NAMES_ONLY and not _on_repeated_keys(e)]
    results = []
    for e in on_repeats:
        key = e["kwargs"].get("column_list") or [e["kwargs"]["column"]]
        rows = _as_pandas_strings(_for_validation(rows_at(frame[key], np.flatnonzero(_repeated_keys(frame[key])))))
        results += [_check_result(name, r, severity) for r in run(f"{name}:{e['meta']['check']}", [e], rows, "SUMMARY")]
    if whole or on_names:  # the columns `whole` reads prepared for validation; the others are there for their names
        read = _as_pandas_strings(_for_validation(frame[[c for c in frame.columns if c in _columns_read(whole)]]))
        table = frame.copy(deep=False)
        for column in read.columns:
            table[column] = read[column]
        results += [_check_result(name, r, severity) for r in run(f"{name}:table", whole + on_names, table, "SUMMARY")]
    keys = hashed_rows(_arrow_table(frame[derived]), hashes) if row_wise else np.zeros(len(frame), np.uint64)
    unseen = memo.unseen(name, keys) if row_wise else np.zeros(len(frame), bool)
    new_rows = np.flatnonzero(unseen)
    prepared = _for_validation(rows_at(frame, new_rows))  # the new rows
    failed = {}  # check → great-expectations' full result, for the expectations some new row fails
    if row_wise and len(new_rows):  # whether each passes first (fewer metrics), then the rows of those that fail
        passed = {r.expectation_config.meta["check"]: r.success for r in run(f"{name}:rows", row_wise, prepared, "BOOLEAN_ONLY")}
        failing = [e for e in row_wise if not passed[e["meta"]["check"]]]
        failed = {r.expectation_config.meta["check"]: r for r in run(f"{name}:failed", failing, prepared, "COMPLETE")} if failing else {}
    complete = all("unexpected_index_list" in (r.result or {}) for r in failed.values())
    if row_wise and complete:  # a verdict on every new row: they join the memo
        memo.mark_seen(name, keys)
    for e in row_wise:
        check, r = e["meta"]["check"], failed.get(e["meta"]["check"])
        if r is not None and not complete:  # an expectation that raised: reported as great-expectations gave it
            results.append(_check_result(name, r, severity))
            continue
        failures = {} if r is None else _failures(prepared, e["kwargs"]["column"], r.result["unexpected_index_list"], keys[new_rows])
        rejected: list[int] = []
        count, examples = memo.verdicts(check, keys, unseen, failures, rejected)
        results.append(
            CheckResult(
                table=name,
                check=check,
                expectation=e["type"],
                column=e["kwargs"].get("column"),
                severity=severity[check],
                success=count == 0,
                unexpected_count=count,
                observed=None,
                examples=examples,
                description=e["meta"]["description"],
                files=_files_of(frame, rejected, source_files or {}),
            )
        )
    return results, len(new_rows), len(keys) - len(new_rows) if row_wise else 0


MAX_FILES = 10  # source files named per failing check


def _files_of(frame: pd.DataFrame, positions: list[int], source_files: dict[str, str]) -> list[str]:
    """The source files of the rows at `positions` (the first MAX_FILES, in table order): by the row's `source_file`,
    else its `doc_id`, else the document its `measure_id` or `target_id` starts with."""
    files: list[str] = []
    column = next((c for c in ("source_file", "doc_id", "measure_id", "target_id") if c in frame.columns), None)
    if column is None:
        return files
    for value in frame[column].iloc[positions].tolist():
        if not isinstance(value, str):
            continue
        name = value if column == "source_file" else source_files.get(value if column == "doc_id" else value.split("-", 1)[0])
        if name and name not in files:
            files.append(name)
            if len(files) == MAX_FILES:
                break
    return files


def _on_repeated_keys(expectation: dict) -> bool:
    """A uniqueness expectation with no options (no `mostly`, row condition or rows to ignore)."""
    return expectation["type"] in UNIQUENESS and not set(expectation["kwargs"]) - {"column", "column_list"}


def _repeated_keys(keys: pd.DataFrame) -> np.ndarray:
    """Which rows have a key (these columns, nulls included) whose 64-bit hash occurs more than once. The other rows
    cannot be duplicates, so great-expectations gives a uniqueness expectation the same verdict, count and examples
    (in table order) on these rows as on the whole table, which is slow for the largest key columns."""
    return pd.Series(hashed_rows(_arrow_table(keys)), copy=False).duplicated(keep=False).to_numpy()


def _failures(prepared: pd.DataFrame, column: str, rejected: list[int], keys: np.ndarray) -> dict[int, object]:
    """Row hash → the value great-expectations reports for each row it rejected (the column's value, null as None):
    taken from the frame it checked, as its `unexpected_list` stops at 200 values."""
    values = prepared[column].iloc[rejected].tolist() if rejected else []
    return {int(keys[i]): _jsonable(v) for i, v in zip(rejected, values)}


def _is_null(value) -> bool:
    return value is None or value is pd.NA or isinstance(value, float) and math.isnan(value)


def _check_result(table: str, r, severity: dict[str, str]) -> CheckResult:
    """A great-expectations result as a CheckResult."""
    config, result = r.expectation_config, r.result or {}
    return CheckResult(
        table=table,
        check=config.meta["check"],
        expectation=config.type,
        column=config.kwargs.get("column"),
        severity=severity[config.meta["check"]],
        success=bool(r.success),
        unexpected_count=result.get("unexpected_count"),
        observed=result.get("observed_value"),
        examples=[_jsonable(v) for v in (result.get("partial_unexpected_list") or [])[:5]],
        description=config.meta.get("description", ""),
    )


def _as_pandas_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed string columns as pandas' Arrow-backed StringDtype: uniqueness checks call `duplicated()`, several
    times faster on it than on pd.ArrowDtype (the strings are not copied)."""
    out = frame.copy(deep=False)
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)):
            out[column] = out[column].astype(pd.StringDtype("pyarrow"))
    return out


def _columns_read(expectations: list[dict]) -> set[str]:
    """The columns these expectations read values of."""
    out = set()
    for e in expectations:
        kwargs = e.get("kwargs", {})
        out.update(c for key in ("column", "column_A", "column_B") if (c := kwargs.get(key)))
        out.update(kwargs.get("column_list", []))
    return out


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def import_engine():
    """great_expectations, imported only when validating: its first import is slow and large."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations

    return great_expectations


def preload_engine() -> threading.Thread:
    """Start importing great_expectations in a background thread: a build that runs its steps in one process gets
    the seconds of that import done while the step that assembles the tables runs (a validation that starts sooner
    waits for the import to finish). Started only after the last stage that forks workers: forking while another
    thread holds the import lock can leave the child deadlocked."""
    thread = threading.Thread(target=import_engine, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


def skip_batch_hashing() -> None:
    """great-expectations hashes every DataFrame it validates smaller than its pandas engine's HASH_THRESHOLD (an md5
    over pandas' row hashes, kept only as a "batch marker" in the result), a large share of validating. Our tables
    carry their own SHA-256 fingerprint, so the threshold is set to 0. Raises if an upgrade renamed the setting."""
    from great_expectations.execution_engine import pandas_execution_engine

    if not hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        raise RuntimeError(
            "great_expectations.execution_engine.pandas_execution_engine.HASH_THRESHOLD is gone: "
            "see how this great-expectations version decides to hash batches"
        )
    pandas_execution_engine.HASH_THRESHOLD = 0


def _for_validation(frame: pd.DataFrame, columns: set[str] | None = None) -> pd.DataFrame:
    """Lists become strings and dates ISO strings, so every expectation type can read every column; Arrow-backed
    columns one chunk each. Only `columns` when given (the others are not read)."""
    out = frame.copy(deep=False)
    for column in out.columns if columns is None else [c for c in out.columns if c in columns]:
        if isinstance(out[column].dtype, pd.ArrowDtype) and pa.types.is_list(out[column].dtype.pyarrow_dtype):
            lists = pa.array(out[column].array).cast(pa.list_(pa.large_string()))
            joined = pc.binary_join(lists, pa.scalar(" › ", pa.large_string()))
            out[column] = pd.Series(joined.to_numpy(zero_copy_only=False), index=out.index, dtype=object)
            continue
        arrow = pa.array(out[column].array) if hasattr(out[column].array, "__arrow_array__") else None
        if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
            # one chunk (a copy): great-expectations filters each column for every expectation, slower over a few
            # chunks (the documents' texts come as slices of the normalize stage's snapshot)
            out[column] = pd.Series(pd.array(arrow.combine_chunks(), dtype=out[column].dtype), index=out.index)
        present = out[column].notna().to_numpy()
        first = int(present.argmax()) if present.any() else None  # the first value, found without a loop in Python,
        sample = out[column].iloc[first : first + 1].tolist()[0] if first is not None else None  # as iterating gives it
        if isinstance(sample, (list, tuple)) or hasattr(sample, "tolist") and not isinstance(sample, (str, int, float)):
            out[column] = out[column].map(lambda v: None if v is None else " › ".join(map(str, list(v))))
        elif isinstance(sample, dt.date):
            out[column] = out[column].map(lambda v: None if v is None or v != v else v.isoformat())
    return out


def _jsonable(value):
    """`value` as JSON can hold it: nulls (NaN, pandas' NA) as None, other scalars it has no type for as strings."""
    if _is_null(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, float):
        return value
    return str(value)
