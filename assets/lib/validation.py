"""The great-expectations run that checks a build's tables against the suites of `expectations.py`, and its report."""
import datetime as dt
import logging
import math
import os
import threading
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .derived_checks import check_frames
from .expectations import CRITICAL, MAX_ROWS_PER_DOCUMENT, WARNING, check_names
from .schema import TABLES


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


@dataclass
class ValidationReport:
    results: list[CheckResult]
    created: str

    @property
    def passed(self) -> bool:
        """True when no critical expectation failed (warnings do not block)."""
        return all(r.success for r in self.results if r.severity == CRITICAL)

    def to_json(self) -> dict:
        return {"created": self.created, "passed": self.passed,
                "critical_failures": sum(1 for r in self.results if not r.success and r.severity == CRITICAL),
                "warnings": sum(1 for r in self.results if not r.success and r.severity == WARNING),
                "results": [_jsonable(r.__dict__) for r in self.results]}


def validate(frames: dict[str, pd.DataFrame], suites: dict[str, dict]) -> ValidationReport:
    """Run every suite on its table with great-expectations (in memory: an ephemeral context)."""
    gx = import_engine()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    skip_batch_hashing()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("tables")
    checked = check_frames(frames)
    params = parameters(frames)
    results: list[CheckResult] = []
    for name, spec in suites.items():
        suite = gx.ExpectationSuite(name=name, expectations=[dict(e) for e in spec["expectations"]])
        if len(suite.expectations) != len(spec["expectations"]):
            raise ValueError(f"expectations/{name}.json: {len(spec['expectations']) - len(suite.expectations)} expectation(s) "
                             "were not understood by great-expectations (misspelled type or arguments?)")
        suite = context.suites.add(suite)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        frame = _for_validation(checked.pop(name))  # each checked table is released once its suite has run
        outcome = definition.run(batch_parameters={"dataframe": frame}, expectation_parameters=params,
                                 result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})
        by_check = {e["meta"]["check"]: e for e in spec["expectations"]}
        for r in outcome.results:
            meta = r.expectation_config.meta
            result = r.result or {}
            results.append(CheckResult(
                table=name, check=meta["check"], expectation=r.expectation_config.type,
                column=r.expectation_config.kwargs.get("column"), severity=by_check[meta["check"]].get("severity", CRITICAL),
                success=bool(r.success), unexpected_count=result.get("unexpected_count"),
                observed=result.get("observed_value"), examples=list(result.get("partial_unexpected_list") or [])[:5],
                description=meta.get("description", "")))
    order = {check: i for i, (check, _, _) in enumerate(check_names(suites))}
    results.sort(key=lambda r: order[r.check])
    return ValidationReport(results, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def import_engine():
    """great_expectations, imported only when validating: its first import takes seconds and ~260 MB."""
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
    over pandas' row hashes, kept only as a "batch marker" in the result): 3 s, a fifth of validating 10,000 plans. Our tables
    carry their own SHA-256 fingerprint, so the threshold is set to 0. Raises if an upgrade renamed the setting."""
    from great_expectations.execution_engine import pandas_execution_engine

    if not hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        raise RuntimeError("great_expectations.execution_engine.pandas_execution_engine.HASH_THRESHOLD is gone: "
                           "see how this great-expectations version decides to hash batches")
    pandas_execution_engine.HASH_THRESHOLD = 0


def _for_validation(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists become strings and dates ISO strings, so every expectation type can read every column; Arrow-backed
    columns one chunk each."""
    out = frame.copy(deep=False)
    for column in out.columns:
        if isinstance(out[column].dtype, pd.ArrowDtype) and pa.types.is_list(out[column].dtype.pyarrow_dtype):
            lists = pa.array(out[column].array).cast(pa.list_(pa.large_string()))
            joined = pc.binary_join(lists, pa.scalar(" › ", pa.large_string()))
            out[column] = pd.Series(joined.to_numpy(zero_copy_only=False), index=out.index, dtype=object)
            continue
        arrow = pa.array(out[column].array) if hasattr(out[column].array, "__arrow_array__") else None
        if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
            # one chunk (a copy): great-expectations filters each column for every expectation, 4x slower over a few
            # chunks (the documents' texts come as slices of the normalize stage's snapshot)
            out[column] = pd.Series(pd.array(arrow.combine_chunks(), dtype=out[column].dtype), index=out.index)
        present = out[column].notna().to_numpy()
        first = int(present.argmax()) if present.any() else None  # the first value, found without a loop in Python,
        sample = out[column].iloc[first:first + 1].tolist()[0] if first is not None else None  # as iterating gives it
        if isinstance(sample, (list, tuple)) or hasattr(sample, "tolist") and not isinstance(sample, (str, int, float)):
            out[column] = out[column].map(lambda v: None if v is None else " › ".join(map(str, list(v))))
        elif isinstance(sample, dt.date):
            out[column] = out[column].map(lambda v: None if v is None or v != v else v.isoformat())
    return out


def _jsonable(value):
    if isinstance(value, float) and math.isnan(value):
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
