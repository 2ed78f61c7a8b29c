"""The published tables as Dagster assets: one spec per table of the catalog (its column schema, the stages it is
assembled from), and the asset checks that carry each table's great-expectations results."""

from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetSpec,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableConstraints,
    TableSchema,
)

from assets.catalog.schema import TABLES
from assets.publishing.suites import CRITICAL, WARNING
from assets.publishing.validation import CheckResult, ValidationReport

from .previews import markdown_table

GROUP = KEY_PREFIX = "tables"  # keys are tables/<name>: three tables share their name with the stage they come from
PREVIEW_ROWS = 5
# The stages each table is assembled from (`validated_tables.assembled_tables`): the lineage the graph shows.
SOURCES: dict[str, tuple[str, ...]] = {
    "documents": ("measures", "duplicates"),
    "document_texts": ("normalized_documents", "measures"),
    "measures": ("measures", "responsibilities", "duplicates"),
    "units": ("responsibilities",),
    "measure_units": ("responsibilities",),
    "targets": ("targets", "indicators"),
    "measure_clusters": ("duplicates",),
    "measure_indicators": ("indicators",),
    "measure_tokens": ("search_index",),
    "measure_keywords": ("search_index",),
    "indicators": ("indicators",),
    "comparable_metrics": ("indicators",),
    "unit_conversions": ("indicators",),
    "regions": (),  # the catalog's gazetteer
    "quarantine": ("raw_files", "measures"),
    "parse_warnings": ("raw_files", "normalized_documents", "measures", "responsibilities", "targets", "duplicates"),
}
# One check per table and severity; each expectation's result is in the check's metadata.
CHECK_NAMES = {CRITICAL: "critical_expectations", WARNING: "warning_expectations"}


def table_key(name: str) -> AssetKey:
    """The asset key of a published table."""
    return AssetKey([KEY_PREFIX, name])


TABLE_KEYS = [table_key(name) for name in TABLES]


def column_schema(name: str) -> TableSchema:
    """The table's columns as the catalog declares them (Arrow type, description, nullability, keys)."""
    table = TABLES[name]
    key = table.primary_key[0] if len(table.primary_key) == 1 else None
    foreign = {column: f"references {ref}.{ref_column}" for column, ref, ref_column in table.foreign_keys}
    columns = [
        TableColumn(
            name=c.name,
            type=type_name(c.type),
            description=c.description,
            constraints=TableColumnConstraints(
                nullable=c.nullable, unique=c.name == key, other=[foreign[c.name]] if c.name in foreign else None
            ),
        )
        for c in table.columns
    ]
    other = [f"primary key ({', '.join(table.primary_key)})"] if len(table.primary_key) > 1 else []
    return TableSchema(columns=columns, constraints=TableConstraints(other=other))


def type_name(type_: pa.DataType) -> str:
    """An Arrow type as the schema shows it; a list by its value type (Parquet renames the list's item field)."""
    return f"list<{type_name(type_.value_type)}>" if pa.types.is_list(type_) else str(type_)


def table_specs() -> list[AssetSpec]:
    """One asset per published table, downstream of the stages it is assembled from."""
    return [
        AssetSpec(
            table_key(name),
            group_name=GROUP,
            description=TABLES[name].description,
            deps=list(SOURCES[name]),
            kinds={"parquet", "duckdb"},
            metadata={"dagster/column_schema": column_schema(name)},
        )
        for name in TABLES
    ]


def table_metadata(name: str, table: pa.Table) -> dict:
    """A table's materialization metadata: row count, column schema and its first rows as Markdown (as Python values:
    a missing number shows empty, not as NaN)."""
    head = table.slice(0, PREVIEW_ROWS).to_pylist()
    return {
        "dagster/row_count": table.num_rows,
        "dagster/column_schema": column_schema(name),
        "preview": MetadataValue.md(markdown_table(pd.DataFrame(head, columns=table.column_names, dtype=object), limit=PREVIEW_ROWS)),
    }


def check_specs(suites: dict[str, dict]) -> list[AssetCheckSpec]:
    """The checks of each table with expectations: its critical ones (blocking: a failure stops publication) and its
    warnings (recorded only)."""
    specs = []
    for name, suite in suites.items():
        severities = [e.get("severity", CRITICAL) for e in suite["expectations"]]
        for severity, check in CHECK_NAMES.items():
            count = severities.count(severity)
            if count:
                specs.append(
                    AssetCheckSpec(
                        name=check,
                        asset=table_key(name),
                        blocking=severity == CRITICAL,
                        description=f"the {count} {severity} expectation(s) of expectations/{name}.json",
                    )
                )
    return specs


def check_results(report: ValidationReport) -> Iterator[AssetCheckResult]:
    """One result per table and severity: passed when each of its expectations did; which failed, with their counts,
    examples and source files, and a line per expectation as metadata."""
    grouped: dict[tuple[str, str], list[CheckResult]] = {}
    for r in report.results:
        grouped.setdefault((r.table, r.severity), []).append(r)
    for (name, severity), results in grouped.items():
        failed = [r for r in results if not r.success]
        yield AssetCheckResult(
            asset_key=table_key(name),
            check_name=CHECK_NAMES[severity],
            passed=not failed,
            severity=AssetCheckSeverity.ERROR if severity == CRITICAL else AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(results),
                "failed": len(failed),
                "failures": MetadataValue.json({r.check: _failure(r) for r in failed}),
                "results": MetadataValue.md(markdown_table(pd.DataFrame([_line(r) for r in results]), limit=len(results), width=80)),
            },
        )


def _failure(r: CheckResult) -> dict:
    return {
        "description": r.description,
        "unexpected_count": r.unexpected_count,
        "examples": [str(x) for x in r.examples],
        "observed": None if r.observed is None else str(r.observed)[:200],
        "source_files": r.files,
    }


def _line(r: CheckResult) -> dict:
    return {
        "expectation": r.check,
        "passed": r.success,
        "unexpected": "" if r.unexpected_count is None else r.unexpected_count,
        "description": r.description,
    }
