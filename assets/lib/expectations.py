"""Expectation suites for every published table, built from `schema.py` plus per-table rules, and the
great-expectations run that checks a build's tables against them.

Suites live as JSON in `expectations/` (written by `python -m pipelines.expectations`); a test keeps
them equal to what this module generates, so the schema, the checks and the data dictionary cannot
drift apart. Each expectation carries `meta.check` (a stable name, the Dagster check name) and
`meta.description`; `severity` is `critical` (blocks publication) or `warning` (recorded only).
"""
import datetime as dt
import json
import logging
import math
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .quantities import UNITS
from .schema import TABLES
from .unit_classes import UNIT_TYPES, functions

SUITE_DIR = Path(__file__).resolve().parents[2] / "expectations"
CRITICAL, WARNING = "critical", "warning"
KINDS = ["measure", "safeguard", "goal", "principle"]
ROLES = ["lead", "cooperating", "responsible"]
COMPARATORS = ["<=", ">=", "=", "~", "range"]
STAGES = ["inventory", "manifest", "decode", "normalize", "outline"]
WARNING_STAGES = ["outline", "responsibility", "manifest", "deduplicate"]
GROWTH_OR_REDUCTION = r"增长|增幅|增速|提高|提升|降低|下降|减少|压减|压缩|缩减|精简|缩短"
# A character that is not whitespace, as Python's `\S` means it (str.isspace: also U+3000 and the other Unicode spaces),
# written as a class of literal characters: pandas runs `\S` through Python's re one string at a time (pyarrow's RE2
# differs on whitespace), a class of literals in RE2 over the whole column (3.7 s → 0.8 s at 10,000 plans).
NOT_BLANK = "[^" + "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) + "]"
DERIVED_COLUMNS = {"documents": ["check_duplicate_of_in_documents"], "measures": ["check_span", "check_numbering"], "targets": ["check_share", "check_range", "check_span"],
                   "measure_clusters": ["check_cluster_member"], "measure_indicators": ["check_one_primary"]}
MAX_ROWS_PER_DOCUMENT = {"measures": 2000, "units": 1000, "measure_units": 20000, "targets": 2000, "parse_warnings": 2000,
                         "measure_clusters": 2000, "measure_indicators": 2000 * 19}


def fk_check_column(column: str, ref_table: str) -> str:
    """The derived column that says whether `column` names an existing row of `ref_table` (null stays null).
    Membership is computed in pandas: handing great-expectations the key set as a value_set costs it minutes
    at scale (it copies its arguments many times per expectation)."""
    return f"check_{column}_in_{ref_table}"


def derived_columns(name: str) -> list[str]:
    return DERIVED_COLUMNS.get(name, []) + [fk_check_column(c, t) for c, t, _ in TABLES[name].foreign_keys]


def _e(check: str, type_: str, description: str, severity: str = CRITICAL, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs, "meta": {"check": check, "description": description}, "severity": severity}


def expected_suites() -> dict[str, dict]:
    """The suite of every published table, as JSON-ready dicts (deterministic: no generated ids)."""
    return {name: {"name": name, "expectations": _table_expectations(name)} for name in TABLES}


def _table_expectations(name: str) -> list[dict]:
    table = TABLES[name]
    out = [_e(f"{name}__columns", "expect_table_columns_to_match_set", f"{name} has exactly the documented columns",
              column_set=table.column_names + derived_columns(name), exact_match=True)]
    for column in table.columns:
        if not column.nullable:
            out.append(_e(f"{name}__{column.name}__not_null", "expect_column_values_to_not_be_null",
                          f"{name}.{column.name} is never missing", column=column.name))
            if column.type == pa.string():
                out.append(_e(f"{name}__{column.name}__not_blank", "expect_column_values_to_match_regex",
                              f"{name}.{column.name} is never an empty string", column=column.name, regex=NOT_BLANK))
    if len(table.primary_key) == 1:
        out.append(_e(f"{name}__{table.primary_key[0]}__unique", "expect_column_values_to_be_unique",
                      f"{name}.{table.primary_key[0]} identifies a row", column=table.primary_key[0]))
    elif table.primary_key:
        out.append(_e(f"{name}__primary_key__unique", "expect_compound_columns_to_be_unique",
                      f"({', '.join(table.primary_key)}) identifies a row of {name}", column_list=list(table.primary_key)))
    for column, ref_table, ref_column in table.foreign_keys:
        out.append(_e(f"{name}__{column}__in_{ref_table}", "expect_column_values_to_be_in_set",
                      f"every {name}.{column} exists in {ref_table}.{ref_column}", column=fk_check_column(column, ref_table),
                      value_set=[True]))
    if name != "documents":
        limit = MAX_ROWS_PER_DOCUMENT.get(name)
        if limit:
            out.append(_e(f"{name}__row_count", "expect_table_row_count_to_be_between",
                          f"{name} has at most {limit} rows per published document", severity=CRITICAL,
                          min_value=0, max_value={"$PARAMETER": f"{name}__max_rows"}))
    return out + RULES.get(name, lambda: [])()


def _documents() -> list[dict]:
    return [
        _e("documents__sha256__hex", "expect_column_values_to_match_regex", "sha256 is 64 lowercase hex digits",
           column="sha256", regex=r"^[0-9a-f]{64}$"),
        _e("documents__duplicate_of__in_documents", "expect_column_values_to_be_in_set", "duplicate_of names a published document",
           column="check_duplicate_of_in_documents", value_set=[True]),
        _e("documents__measure_count__at_least_one", "expect_column_values_to_be_between",
           "a document with no provision of kind measure is flagged", severity=WARNING, column="measure_count", min_value=1),
        _e("documents__issue_date__plausible", "expect_column_values_to_match_regex", "issue_date lies between 1990 and 2099",
           column="issue_date", regex=r"^(?:199\d|20\d\d)-\d\d-\d\d$"),
        _e("documents__script__known", "expect_column_values_to_be_in_set", "script is simplified or traditional",
           column="script", value_set=["simplified", "traditional"]),
        _e("documents__admin_level__known", "expect_column_values_to_be_in_set", "admin_level is province, prefecture or county",
           severity=WARNING, column="admin_level", value_set=["province", "prefecture", "county"]),
        _e("documents__row_count", "expect_table_row_count_to_be_between", "every document with text is published",
           min_value={"$PARAMETER": "document_texts__rows"}, max_value={"$PARAMETER": "document_texts__rows"}),
    ]


def _measures() -> list[dict]:
    return [
        _e("measures__kind__lowercase_word", "expect_column_values_to_match_regex", "kind is one lower-case word",
           column="kind", regex=r"^[a-z_]+$"),
        _e("measures__kind__usual", "expect_column_values_to_be_in_set", f"kind is one of {', '.join(KINDS)}",
           severity=WARNING, column="kind", value_set=KINDS),
        _e("measures__number__non_negative", "expect_column_values_to_be_between", "number is 0 or more", column="number", min_value=0),
        _e("measures__seq__positive", "expect_column_values_to_be_between", "seq counts from 1", column="seq", min_value=1),
        _e("measures__check_span__inside_text", "expect_column_values_to_be_in_set",
           "char_start/char_end lie inside the document text and text equals that span (or skips own-line annotations)",
           column="check_span", value_set=[True]),
        _e("measures__check_numbering__consecutive", "expect_column_values_to_be_in_set",
           "numbers follow one another within a document and part (gaps and repeats are warnings)", severity=WARNING,
           column="check_numbering", value_set=[True]),
        _e("measures__row_count_min", "expect_table_row_count_to_be_between", "each published document has a provision",
           min_value={"$PARAMETER": "documents__rows"}),
    ]


def _units() -> list[dict]:
    return [
        _e("units__unit_type__known", "expect_column_values_to_be_in_set", "unit_type is a known type", column="unit_type",
           value_set=[kind for kind, _ in UNIT_TYPES] + ["government_department"]),
        _e("units__function__known", "expect_column_values_to_be_in_set", "function is a code of unit_functions.csv",
           column="function", value_set=[row["function"] for row in functions()]),
        _e("units__function__classified", "expect_column_values_to_not_be_null", "every unit has a function (else extend the alias table)",
           severity=WARNING, column="function"),
    ]


def _measure_units() -> list[dict]:
    return [
        _e("measure_units__role__known", "expect_column_values_to_be_in_set", f"role is one of {', '.join(ROLES)}",
           column="role", value_set=ROLES),
        _e("measure_units__source__known", "expect_column_values_to_be_in_set", "source is measure or section",
           column="source", value_set=["measure", "section"]),
    ]


def _targets() -> list[dict]:
    return [
        _e("targets__comparator__known", "expect_column_values_to_be_in_set", f"comparator is one of {' '.join(COMPARATORS)}",
           column="comparator", value_set=COMPARATORS),
        _e("targets__unit__known", "expect_column_values_to_be_in_set", "unit is a normalized unit",
           column="unit", value_set=sorted({unit for unit, _ in UNITS.values()})),
        _e("targets__year__plausible", "expect_column_values_to_be_between", "year lies between 1990 and 2100",
           column="year", min_value=1990, max_value=2100),
        _e("targets__value__non_negative", "expect_column_values_to_be_between", "values and counts are 0 or more",
           column="value", min_value=0),
        _e("targets__check_share__percent", "expect_column_values_to_be_between",
           "a % target lies within 0–100 unless its metric is a growth or reduction", column="check_share", min_value=0, max_value=100),
        _e("targets__check_range__ordered", "expect_column_values_to_be_in_set",
           "a range has value_max > value, and only a range has value_max", column="check_range", value_set=[True]),
        _e("targets__check_span__matches_text", "expect_column_values_to_be_in_set",
           "text equals the document text at char_start:char_end", column="check_span", value_set=[True]),
    ]


def _measure_clusters() -> list[dict]:
    return [
        _e("measure_clusters__similarity__unit_interval", "expect_column_values_to_be_between", "similarity lies in 0..1",
           column="similarity", min_value=0, max_value=1),
        _e("measure_clusters__measure_id__all_measures", "expect_table_row_count_to_be_between", "every measure is in a cluster",
           min_value={"$PARAMETER": "measures__rows"}, max_value={"$PARAMETER": "measures__rows"}),
        _e("measure_clusters__cluster_id__in_measures", "expect_column_values_to_be_in_set",
           "every cluster is named after one of its members", column="check_cluster_member", value_set=[True]),
    ]


def _measure_indicators() -> list[dict]:
    return [
        _e("measure_indicators__measure_id__all_measures", "expect_column_unique_value_count_to_be_between",
           "every provision has at least one indicator (other when none matched)",
           column="measure_id", min_value={"$PARAMETER": "measures__rows"}, max_value={"$PARAMETER": "measures__rows"}),
        _e("measure_indicators__is_primary__one_per_measure", "expect_column_values_to_be_in_set",
           "each provision has exactly one primary indicator", column="check_one_primary", value_set=[True]),
        _e("measure_indicators__score__non_negative", "expect_column_values_to_be_between", "scores are 0 or more",
           column="score", min_value=0),
    ]


def _quarantine() -> list[dict]:
    return [_e("quarantine__stage__known", "expect_column_values_to_be_in_set", f"stage is one of {', '.join(STAGES)}",
               column="stage", value_set=STAGES)]


def _parse_warnings() -> list[dict]:
    return [_e("parse_warnings__stage__known", "expect_column_values_to_be_in_set", "stage is a known stage",
               column="stage", value_set=WARNING_STAGES)]


RULES = {"measure_clusters": _measure_clusters, "measure_indicators": _measure_indicators, "documents": _documents, "measures": _measures, "units": _units, "measure_units": _measure_units,
         "targets": _targets, "quarantine": _quarantine, "parse_warnings": _parse_warnings}


# ---------------------------------------------------------------------------------------------- loading


def load_suites(folder: Path = SUITE_DIR) -> dict[str, dict]:
    """The committed suites; raise if a table's suite is missing or unreadable."""
    suites = {}
    for name in TABLES:
        path = folder / f"{name}.json"
        if not path.exists():
            raise FileNotFoundError(f"no expectation suite {path} for table {name}; run `python -m pipelines.expectations`")
        suites[name] = json.loads(path.read_text(encoding="utf-8"))
    return suites


def write_suites(folder: Path = SUITE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, suite in expected_suites().items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(suite, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def check_names(suites: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(check name, severity, description) of every expectation, in suite order."""
    return [(e["meta"]["check"], e.get("severity", CRITICAL), e["meta"]["description"])
            for suite in suites.values() for e in suite["expectations"]]


# ---------------------------------------------------------------------------------------------- validating


def check_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table with the derived `check_*` columns its suite looks at (computed here, in plain pandas)."""
    # Shallow copies: under pandas' copy-on-write, added columns never reach the caller's frames, and no data is copied.
    out = {name: frame.copy(deep=False) for name, frame in frames.items()}
    for name, table in TABLES.items():
        for column, ref_table, ref_column in table.foreign_keys:
            out[name][fk_check_column(column, ref_table)] = _exists(out[name][column], frames[ref_table][ref_column])
    out["documents"]["check_duplicate_of_in_documents"] = _exists(out["documents"]["duplicate_of"], frames["documents"]["doc_id"])
    texts = frames["document_texts"]
    measures = out["measures"]
    if len(measures):
        measures["check_span"] = _spans_ok(measures, texts, strict=False)
        measures["check_numbering"] = _numbering_ok(measures)
    else:
        measures["check_span"], measures["check_numbering"] = pd.Series(dtype=bool), pd.Series(dtype=bool)
    clusters = out["measure_clusters"]
    clusters["check_cluster_member"] = _named_after_member(clusters) if len(clusters) else pd.Series(dtype=bool)
    tags = out["measure_indicators"]
    primaries = tags.groupby("measure_id")["is_primary"].transform("sum") if len(tags) else pd.Series(dtype=int)
    tags["check_one_primary"] = primaries.eq(1) if len(tags) else pd.Series(dtype=bool)
    targets = out["targets"]
    if len(targets):
        share = targets["unit"].eq("%") & ~targets["metric"].fillna("").str.contains(GROWTH_OR_REDUCTION)
        targets["check_share"] = targets["value"].where(share)
        has_max = targets["value_max"].notna()
        targets["check_range"] = (has_max == targets["comparator"].eq("range")) & (~has_max | (targets["value_max"] > targets["value"]))
        targets["check_span"] = _spans_ok(targets, texts, strict=True)
    else:
        for column in ("check_share", "check_range", "check_span"):
            targets[column] = pd.Series(dtype=object)
    return out


def _exists(values: pd.Series, keys: pd.Series) -> pd.Series:
    """True where the value is one of `keys`, None where it is null: a set lookup in Arrow (Series.isin on Arrow-backed
    strings converts every key to a Python scalar)."""
    arrow, key_set = _arrow(values), _arrow(keys)
    if arrow.type != key_set.type:  # cast only when the two differ (a cast copies every string)
        arrow, key_set = arrow.cast(pa.large_string()), key_set.cast(pa.large_string())
    found = pc.if_else(pc.is_valid(arrow), pc.is_in(arrow, value_set=_one_array(key_set).drop_null(), skip_nulls=True),
                       pa.scalar(None, pa.bool_()))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of keys in Arrow (taken over where pandas already holds it in Arrow); nulls stay null."""
    array = values.array
    if hasattr(array, "__arrow_array__"):
        return pa.array(array)
    return pa.array(values.to_numpy(dtype=object, na_value=None), from_pandas=True, type=pa.large_string())


def _one_array(arrow: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A lookup set as one array (Arrow's is_in and index_in take no chunked value set)."""
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def _named_after_member(clusters: pd.DataFrame) -> pd.Series:
    """True where a row's cluster_id, less its first two characters (`c-`), is the measure_id of a row of the same
    cluster (a cluster is named after its representative): looked up in Arrow, not a Python set of 477,000 pairs."""
    cluster, member = _arrow(clusters["cluster_id"]), _arrow(clusters["measure_id"])
    named = pc.utf8_slice_codeunits(cluster, 2)
    at = pc.index_in(named.cast(member.type), value_set=_one_array(member))
    same = pc.equal(pc.take(cluster, at), cluster)
    return pd.Series(pc.fill_null(same, False).to_numpy(zero_copy_only=False), index=clusters.index, dtype=bool)


def _spans_ok(rows: pd.DataFrame, texts: pd.DataFrame, strict: bool) -> list[bool]:
    """`_span_ok` of each row against its document's text. A text becomes a Python string when the rows reach its
    document and is dropped when they leave it (rows come grouped by document): all texts at once as Python strings
    were the build's memory peak at 10,000 plans (about 600 MB for a second)."""
    row_of = dict(zip(texts["doc_id"].tolist(), range(len(texts)))) if len(texts) else {}
    strings = texts["text"].dtype == object  # Python strings already: taken as they are
    column = texts["text"].to_numpy() if strings else pa.array(texts["text"].array) if len(texts) else None
    out, current, text = [], object(), None
    for doc_id, start, end, value in zip(*(rows[c].tolist() for c in ("doc_id", "char_start", "char_end", "text"))):
        if doc_id != current:
            current, at = doc_id, row_of.get(doc_id)
            text = None if at is None else column[at] if strings else column[at].as_py()
        out.append(_span_ok(text, start, end, value, strict))
    return out


def _span_ok(text: str | None, start, end, value: str, strict: bool) -> bool:
    """text equals the document at its offsets; for measures, each of its lines stands there in order
    (own-line annotations and a removed repeated sentence are skipped)."""
    if text is None or not (0 <= start <= end <= len(text)):
        return False
    if text[start:end] == value:
        return True
    if strict:
        return False
    position, span = 0, text[start:end]
    for piece in (p for line in value.split("\n") for p in re.findall(r"[^。！？；]+[。！？；]?", line)):
        found = span.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _numbering_ok(measures: pd.DataFrame) -> pd.Series:
    """True where a provision's number follows the previous one of the same document and kind, starts again at 1, or
    is the first of them."""
    previous = measures.groupby(["doc_id", "kind"], sort=False, dropna=False)["number"].shift()
    number = measures["number"]
    return (previous.isna() | number.eq(previous + 1) | number.eq(1)).astype(bool)


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
