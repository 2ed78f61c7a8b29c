"""Stage 6 — published tables: Parquet files and a DuckDB database, swapped in atomically.

Publishes only tables whose validation report (same content fingerprint) passed every critical
expectation: a failed or skipped validation never replaces the last good output.
"""
import json

from dagster import AssetExecutionContext, Failure, MetadataValue, asset

from .lib.documents import PARSER_VERSION
from .lib.schema import SCHEMA_VERSION
from .lib.store import DB_NAME, publish
from .previews import markdown_table
from .settings import PipelineSettings
from .validated_tables import ValidatedTables, report_path


@asset(group_name="publish", description="Writes every table to WAREHOUSE_DIR/tables/*.parquet and WAREHOUSE_DIR/policy_measures.duckdb "
                                         "in one atomic switch, with the validation report; the previous build stays readable until then.")
def published_tables(context: AssetExecutionContext, settings: PipelineSettings, validated_tables: ValidatedTables) -> dict[str, int]:
    path = report_path(settings, validated_tables.fingerprint)
    if not path.exists():
        raise Failure(f"no validation report for these tables ({path.name}); run validated_tables with its checks first")
    report = json.loads(path.read_text(encoding="utf-8"))
    if not report["passed"]:
        raise Failure(f"validation failed ({report['critical_failures']} critical expectation(s)); nothing published. Report: {path}")
    frames = validated_tables.frames
    build = publish(frames, settings.warehouse_path, info={"parser_version": PARSER_VERSION, "schema_version": SCHEMA_VERSION,
                                                           "raw_dir": settings.raw_dir, "fingerprint": validated_tables.fingerprint},
                    extra_files={"validation_report.json": path})
    counts = {name: len(frame) for name, frame in frames.items()}
    database = json.loads((build / "build_info.json").read_text(encoding="utf-8"))["database"]
    changed = (f"; database {database['written']}: {sum(database['rows_deleted'].values())} rows deleted, "
               f"{sum(database['rows_inserted'].values())} inserted") if "rows_deleted" in database else "; database written whole"
    context.log.info(f"published build {build.name} to {settings.warehouse_dir}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                     + changed)
    context.add_output_metadata({
        "build": build.name,
        "tables_dir": MetadataValue.path(str(settings.warehouse_path / "tables")),
        "duckdb": MetadataValue.path(str(settings.warehouse_path / DB_NAME)),
        "validation_warnings": report["warnings"],
        "database_written": database["written"],
        **({"database_rows_deleted": sum(database["rows_deleted"].values()),
            "database_rows_inserted": sum(database["rows_inserted"].values())} if "rows_deleted" in database else {}),
        **{f"rows_{name}": n for name, n in counts.items()},
        "quarantine": MetadataValue.md(markdown_table(frames["quarantine"], limit=20, width=80)),
    })
    return counts
