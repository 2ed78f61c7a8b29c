"""Expectation suites for every published table, built from `schema.py` plus per-table rules.

Suites live as JSON in `expectations/` (written by `python -m pipelines.expectations`); a test keeps
them equal to what this module generates, so the schema, the checks and the data dictionary cannot
drift apart. Each expectation carries `meta.check` (a stable name, the Dagster check name) and
`meta.description`; `severity` is `critical` (blocks publication) or `warning` (recorded only).
The derived `check_*` columns some expectations read are computed in `derived_checks.py`; `validation.py` runs
the suites with great-expectations.
"""

import json
from pathlib import Path

import pyarrow as pa

from assets.catalog import vocabularies
from assets.catalog.body_classes import UNIT_TYPES, functions
from assets.catalog.doc_types import DOC_TYPES
from assets.catalog.gazetteer import LEVELS as DIVISION_LEVELS
from assets.catalog.schema import TABLES
from assets.domain.extracting.keywords import KEYWORDS_PER_MEASURE
from assets.domain.extracting.quantities import UNITS

SUITE_DIR = Path(__file__).resolve().parents[2] / "expectations"
CRITICAL, WARNING = "critical", "warning"
LEVELS = list(DIVISION_LEVELS)
KINDS, ROLES, COMPARATORS = list(vocabularies.KINDS), list(vocabularies.ROLES), list(vocabularies.COMPARATORS)
STAGES, WARNING_STAGES = list(vocabularies.QUARANTINE_STAGES), list(vocabularies.WARNING_STAGES)
# A character that is not whitespace, as Python's `\S` means it (str.isspace: also U+3000 and the other Unicode spaces),
# written as a class of literal characters: pandas runs `\S` through Python's re one string at a time (pyarrow's RE2
# differs on whitespace), a class of literals in RE2 over the whole column.
NOT_BLANK = "[^" + "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) + "]"
DERIVED_COLUMNS = {
    "documents": ["check_duplicate_of_in_documents", "check_not_own_duplicate"],
    "measures": ["check_span", "check_numbering", "check_not_own_duplicate"],
    "targets": ["check_share", "check_range", "check_span"],
    "measure_clusters": ["check_cluster_member"],
    "measure_indicators": ["check_one_primary"],
}
MAX_ROWS_PER_DOCUMENT = {
    "measures": 2000,
    "units": 1000,
    "measure_units": 20000,
    "targets": 2000,
    "parse_warnings": 2000,
    "measure_clusters": 2000,
    "measure_indicators": 2000 * 19,
    "measure_tokens": 2000 * 1000,
    "measure_keywords": 2000 * KEYWORDS_PER_MEASURE,
}


def fk_check_column(column: str, ref_table: str) -> str:
    """The derived column that says whether `column` names an existing row of `ref_table` (null stays null).
    Membership is computed in pandas: handing great-expectations the key set as a value_set is very slow
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
    out = [
        _e(
            f"{name}__columns",
            "expect_table_columns_to_match_set",
            f"{name} has exactly the documented columns",
            column_set=table.column_names + derived_columns(name),
            exact_match=True,
        )
    ]
    for column in table.columns:
        if not column.nullable:
            out.append(
                _e(
                    f"{name}__{column.name}__not_null",
                    "expect_column_values_to_not_be_null",
                    f"{name}.{column.name} is never missing",
                    column=column.name,
                )
            )
            if column.type == pa.string() and not column.may_be_empty:
                out.append(
                    _e(
                        f"{name}__{column.name}__not_blank",
                        "expect_column_values_to_match_regex",
                        f"{name}.{column.name} is never an empty string",
                        column=column.name,
                        regex=NOT_BLANK,
                    )
                )
    if len(table.primary_key) == 1:
        out.append(
            _e(
                f"{name}__{table.primary_key[0]}__unique",
                "expect_column_values_to_be_unique",
                f"{name}.{table.primary_key[0]} identifies a row",
                column=table.primary_key[0],
            )
        )
    elif table.primary_key:
        out.append(
            _e(
                f"{name}__primary_key__unique",
                "expect_compound_columns_to_be_unique",
                f"({', '.join(table.primary_key)}) identifies a row of {name}",
                column_list=list(table.primary_key),
            )
        )
    for column, ref_table, ref_column in table.foreign_keys:
        out.append(
            _e(
                f"{name}__{column}__in_{ref_table}",
                "expect_column_values_to_be_in_set",
                f"every {name}.{column} exists in {ref_table}.{ref_column}",
                column=fk_check_column(column, ref_table),
                value_set=[True],
            )
        )
    if name != "documents":
        limit = MAX_ROWS_PER_DOCUMENT.get(name)
        if limit:
            out.append(
                _e(
                    f"{name}__row_count",
                    "expect_table_row_count_to_be_between",
                    f"{name} has at most {limit} rows per published document",
                    severity=CRITICAL,
                    min_value=0,
                    max_value={"$PARAMETER": f"{name}__max_rows"},
                )
            )
    return out + RULES.get(name, lambda: [])()


def _documents() -> list[dict]:
    return [
        _e(
            "documents__sha256__hex",
            "expect_column_values_to_match_regex",
            "sha256 is 64 lowercase hex digits",
            column="sha256",
            regex=r"^[0-9a-f]{64}$",
        ),
        _e(
            "documents__duplicate_of__in_documents",
            "expect_column_values_to_be_in_set",
            "duplicate_of names a published document",
            column="check_duplicate_of_in_documents",
            value_set=[True],
        ),
        _e(
            "documents__duplicate_of__not_itself",
            "expect_column_values_to_be_in_set",
            "no document is a copy of itself",
            column="check_not_own_duplicate",
            value_set=[True],
        ),
        _e(
            "documents__measure_count__at_least_one",
            "expect_column_values_to_be_between",
            "a document with no provision of kind measure is flagged",
            severity=WARNING,
            column="measure_count",
            min_value=1,
        ),
        _e(
            "documents__issue_date__plausible",
            "expect_column_values_to_match_regex",
            "issue_date lies between 1990 and 2099",
            column="issue_date",
            regex=r"^(?:199\d|20\d\d)-\d\d-\d\d$",
        ),
        _e(
            "documents__script__known",
            "expect_column_values_to_be_in_set",
            "script is simplified or traditional",
            column="script",
            value_set=["simplified", "traditional"],
        ),
        _e(
            "documents__admin_level__known",
            "expect_column_values_to_be_in_set",
            "admin_level is province, prefecture or county",
            severity=WARNING,
            column="admin_level",
            value_set=LEVELS,
        ),
        _e(
            "documents__region_code__six_digits",
            "expect_column_values_to_match_regex",
            "region_code is six digits (GB/T 2260)",
            column="region_code",
            regex=r"^\d{6}$",
        ),
        _e(
            "documents__region__placed",
            "expect_column_values_to_not_be_null",
            "a document whose text does not say where it was issued is flagged (see parse_warnings)",
            severity=WARNING,
            column="region_code",
        ),
        _e(
            "documents__doc_type__known",
            "expect_column_values_to_be_in_set",
            f"doc_type is one of {', '.join(DOC_TYPES)}",
            severity=WARNING,
            column="doc_type",
            value_set=DOC_TYPES,
        ),
        _e(
            "documents__row_count",
            "expect_table_row_count_to_be_between",
            "every document with text is published",
            min_value={"$PARAMETER": "document_texts__rows"},
            max_value={"$PARAMETER": "document_texts__rows"},
        ),
    ]


def _measures() -> list[dict]:
    return [
        _e(
            "measures__kind__lowercase_word",
            "expect_column_values_to_match_regex",
            "kind is one lower-case word",
            column="kind",
            regex=r"^[a-z_]+$",
        ),
        _e(
            "measures__kind__usual",
            "expect_column_values_to_be_in_set",
            f"kind is one of {', '.join(KINDS)}",
            severity=WARNING,
            column="kind",
            value_set=KINDS,
        ),
        _e("measures__number__non_negative", "expect_column_values_to_be_between", "number is 0 or more", column="number", min_value=0),
        _e("measures__seq__positive", "expect_column_values_to_be_between", "seq counts from 1", column="seq", min_value=1),
        _e(
            "measures__check_span__inside_text",
            "expect_column_values_to_be_in_set",
            "char_start/char_end lie inside the document text and text equals that span (or skips own-line annotations)",
            column="check_span",
            value_set=[True],
        ),
        _e(
            "measures__check_numbering__consecutive",
            "expect_column_values_to_be_in_set",
            "numbers follow one another within a document and part (gaps and repeats are warnings)",
            severity=WARNING,
            column="check_numbering",
            value_set=[True],
        ),
        _e(
            "measures__duplicate_of__not_itself",
            "expect_column_values_to_be_in_set",
            "no provision is a copy of itself",
            column="check_not_own_duplicate",
            value_set=[True],
        ),
        _e(
            "measures__row_count_min",
            "expect_table_row_count_to_be_between",
            "each published document has a provision",
            min_value={"$PARAMETER": "documents__rows"},
        ),
    ]


def _units() -> list[dict]:
    return [
        _e(
            "units__unit_type__known",
            "expect_column_values_to_be_in_set",
            "unit_type is a known type",
            column="unit_type",
            value_set=[kind for kind, _ in UNIT_TYPES] + ["government_department"],
        ),
        _e(
            "units__function__known",
            "expect_column_values_to_be_in_set",
            "function is a code of unit_functions.csv",
            column="function",
            value_set=[row["function"] for row in functions()],
        ),
        _e(
            "units__function__classified",
            "expect_column_values_to_not_be_null",
            "every unit has a function (else extend the alias table)",
            severity=WARNING,
            column="function",
        ),
    ]


def _measure_units() -> list[dict]:
    return [
        _e(
            "measure_units__role__known",
            "expect_column_values_to_be_in_set",
            f"role is one of {', '.join(ROLES)}",
            column="role",
            value_set=ROLES,
        ),
        _e(
            "measure_units__source__known",
            "expect_column_values_to_be_in_set",
            "source is measure or section",
            column="source",
            value_set=["measure", "section"],
        ),
    ]


def _targets() -> list[dict]:
    return [
        _e(
            "targets__comparator__known",
            "expect_column_values_to_be_in_set",
            f"comparator is one of {' '.join(COMPARATORS)}",
            column="comparator",
            value_set=COMPARATORS,
        ),
        _e(
            "targets__unit__known",
            "expect_column_values_to_be_in_set",
            "unit is a normalized unit",
            column="unit",
            value_set=sorted({unit for unit, _ in UNITS.values()}),
        ),
        _e(
            "targets__year__plausible",
            "expect_column_values_to_be_between",
            "year lies between 1990 and 2100",
            column="year",
            min_value=1990,
            max_value=2100,
        ),
        _e(
            "targets__value__non_negative",
            "expect_column_values_to_be_between",
            "values and counts are 0 or more",
            column="value",
            min_value=0,
        ),
        _e(
            "targets__check_share__percent",
            "expect_column_values_to_be_between",
            "a % target lies within 0–100 unless its metric is a growth or reduction",
            column="check_share",
            min_value=0,
            max_value=100,
        ),
        _e(
            "targets__check_range__ordered",
            "expect_column_values_to_be_in_set",
            "a range has value_max > value, and only a range has value_max",
            column="check_range",
            value_set=[True],
        ),
        _e(
            "targets__check_span__matches_text",
            "expect_column_values_to_be_in_set",
            "text equals the document text at char_start:char_end",
            column="check_span",
            value_set=[True],
        ),
    ]


def _measure_clusters() -> list[dict]:
    return [
        _e(
            "measure_clusters__similarity__unit_interval",
            "expect_column_values_to_be_between",
            "similarity lies in 0..1",
            column="similarity",
            min_value=0,
            max_value=1,
        ),
        _e(
            "measure_clusters__measure_id__all_measures",
            "expect_table_row_count_to_be_between",
            "every measure is in a cluster",
            min_value={"$PARAMETER": "measures__rows"},
            max_value={"$PARAMETER": "measures__rows"},
        ),
        _e(
            "measure_clusters__cluster_id__in_measures",
            "expect_column_values_to_be_in_set",
            "every cluster is named after one of its members",
            column="check_cluster_member",
            value_set=[True],
        ),
    ]


def _measure_indicators() -> list[dict]:
    return [
        _e(
            "measure_indicators__measure_id__all_measures",
            "expect_column_unique_value_count_to_be_between",
            "every provision has at least one indicator (other when none matched)",
            column="measure_id",
            min_value={"$PARAMETER": "measures__rows"},
            max_value={"$PARAMETER": "measures__rows"},
        ),
        _e(
            "measure_indicators__is_primary__one_per_measure",
            "expect_column_values_to_be_in_set",
            "each provision has exactly one primary indicator",
            column="check_one_primary",
            value_set=[True],
        ),
        _e(
            "measure_indicators__score__non_negative",
            "expect_column_values_to_be_between",
            "scores are 0 or more",
            column="score",
            min_value=0,
        ),
    ]


def _measure_tokens() -> list[dict]:
    return [
        _e("measure_tokens__tf__positive", "expect_column_values_to_be_between", "a token occurs at least once", column="tf", min_value=1),
        _e(
            "measure_tokens__word_tf__non_negative",
            "expect_column_values_to_be_between",
            "word_tf is 0 or more",
            column="word_tf",
            min_value=0,
        ),
    ]


def _measure_keywords() -> list[dict]:
    return [
        _e(
            "measure_keywords__weight__positive",
            "expect_column_values_to_be_between",
            "a keyword weighs more than 0",
            column="weight",
            min_value=0,
            strict_min=True,
        ),
        _e(
            "measure_keywords__rank__top",
            "expect_column_values_to_be_between",
            f"at most {KEYWORDS_PER_MEASURE} keywords per provision",
            column="rank",
            min_value=1,
            max_value=KEYWORDS_PER_MEASURE,
        ),
    ]


def _regions() -> list[dict]:
    return [
        _e(
            "regions__region_code__six_digits",
            "expect_column_values_to_match_regex",
            "region_code is six digits",
            column="region_code",
            regex=r"^\d{6}$",
        ),
        _e(
            "regions__level__known",
            "expect_column_values_to_be_in_set",
            "level is province, prefecture or county",
            column="level",
            value_set=LEVELS,
        ),
    ]


def _quarantine() -> list[dict]:
    return [
        _e(
            "quarantine__stage__known",
            "expect_column_values_to_be_in_set",
            f"stage is one of {', '.join(STAGES)}",
            column="stage",
            value_set=STAGES,
        )
    ]


def _parse_warnings() -> list[dict]:
    return [
        _e(
            "parse_warnings__stage__known",
            "expect_column_values_to_be_in_set",
            "stage is a known stage",
            column="stage",
            value_set=WARNING_STAGES,
        )
    ]


RULES = {
    "measure_clusters": _measure_clusters,
    "measure_indicators": _measure_indicators,
    "documents": _documents,
    "measures": _measures,
    "units": _units,
    "measure_units": _measure_units,
    "targets": _targets,
    "measure_tokens": _measure_tokens,
    "measure_keywords": _measure_keywords,
    "regions": _regions,
    "quarantine": _quarantine,
    "parse_warnings": _parse_warnings,
}


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
    return [
        (e["meta"]["check"], e.get("severity", CRITICAL), e["meta"]["description"])
        for suite in suites.values()
        for e in suite["expectations"]
    ]
