"""Stage 6 — published tables: the staged build of the table assets becomes the current one (Parquet files and a
DuckDB database), in one atomic switch.

Publishes only tables whose validation report (same content fingerprint) passed every critical
expectation: a failed or skipped validation never replaces the last good output.
"""

import json
from pathlib import Path

from dagster import AssetExecutionContext, Failure, MetadataValue, asset

from assets.engine import build_status
from assets.publishing.warehouse import DB_NAME, switch_to

from .settings import PipelineSettings
from .table_specs import TABLE_KEYS
from .validated_tables import ValidatedTables, report_path


@asset(
    group_name="publish",
    deps=TABLE_KEYS,
    description="Makes the validated, staged build current: WAREHOUSE_DIR/tables/*.parquet and "
    "WAREHOUSE_DIR/policy_measures.duckdb switch in one atomic step, with the validation report; "
    "the previous build stays readable until then.",
)
def published_tables(context: AssetExecutionContext, settings: PipelineSettings, staged_build: ValidatedTables) -> dict[str, int]:
    path = report_path(settings, staged_build.fingerprint)
    if not path.exists():
        raise Failure(
            f"no validation report for these tables ({path.name}); run validated_tables with its checks first", allow_retries=False
        )
    report = json.loads(path.read_text(encoding="utf-8"))
    if not report["passed"] or staged_build.staged is None:
        failed = "; ".join(
            f"{r['check']}" + (f" in {', '.join(r['files'])}" if r.get("files") else "")
            for r in report["results"]
            if not r["success"] and r["severity"] == "critical"
        )
        raise Failure(
            f"validation failed ({report['critical_failures']} critical expectation(s): {failed}); nothing published. Report: {path}",
            allow_retries=False,
        )
    staged = Path(staged_build.staged)
    if not staged.is_dir():
        raise Failure(
            f"the staged build {staged} is gone (a later build's staging removes leftovers); materialize validated_tables (staged_build) again",
            allow_retries=False,
        )
    build = switch_to(staged, settings.warehouse_path, extra_files={"validation_report.json": path})
    build_status.record(settings.warehouse_path, context.run.run_id, "published", build_id=build.name)
    counts = staged_build.row_counts
    database = json.loads((build / "build_info.json").read_text(encoding="utf-8"))["database"]
    changed = (
        (
            f"; database {database['written']}: {sum(database['rows_deleted'].values())} rows deleted, "
            f"{sum(database['rows_inserted'].values())} inserted"
        )
        if "rows_deleted" in database
        else "; database written whole"
    )
    context.log.info(
        f"published build {build.name} to {settings.warehouse_dir}: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + changed
    )
    context.add_output_metadata(
        {
            "build": build.name,
            "tables_dir": MetadataValue.path(str(settings.warehouse_path / "tables")),
            "duckdb": MetadataValue.path(str(settings.warehouse_path / DB_NAME)),
            "validation_warnings": report["warnings"],
            "database_written": database["written"],
            **(
                {
                    "database_rows_deleted": sum(database["rows_deleted"].values()),
                    "database_rows_inserted": sum(database["rows_inserted"].values()),
                }
                if "rows_deleted" in database
                else {}
            ),
            **{f"rows_{name}": n for name, n in counts.items()},
            "quarantine": MetadataValue.md(staged_build.quarantine_preview),
        }
    )
    return counts
