"""Stage 4 — published tables: Parquet files and a DuckDB database, swapped in atomically."""
import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from .lib.documents import PARSER_VERSION
from .lib.schema import SCHEMA_VERSION, TABLES
from .lib.store import DB_NAME, publish
from .measures import StructuredCorpus
from .normalized_documents import NormalizedCorpus
from .previews import markdown_table
from .raw_files import RawInventory
from .lib.units import ResponsibilityTables
from .settings import PipelineSettings


@asset(group_name="publish", description="Writes every table to WAREHOUSE_DIR/tables/*.parquet and WAREHOUSE_DIR/policy_measures.duckdb "
                                         "in one atomic switch; the previous build stays readable until then.")
def published_tables(context: AssetExecutionContext, settings: PipelineSettings, raw_files: RawInventory,
                     normalized_documents: NormalizedCorpus, measures: StructuredCorpus,
                     responsibilities: ResponsibilityTables, targets: pd.DataFrame) -> dict[str, int]:
    quarantine = normalized_documents.quarantine + measures.quarantine
    warnings = measures.warnings + responsibilities.warnings + [
        {"source_file": "sources.csv", "doc_id": None, "stage": "manifest", "message": m} for m in raw_files.manifest_problems]
    measure_frame = measures.measures
    if len(measure_frame):
        measure_frame = measure_frame.merge(responsibilities.measure_fields, on="measure_id", how="left", validate="one_to_one")
    frames = {
        "documents": measures.documents,
        "document_texts": measures.document_texts,
        "measures": measure_frame,
        "units": responsibilities.units,
        "measure_units": responsibilities.measure_units,
        "targets": targets,
        "quarantine": pd.DataFrame(quarantine, columns=TABLES["quarantine"].column_names),
        "parse_warnings": pd.DataFrame(warnings, columns=TABLES["parse_warnings"].column_names),
    }
    for name in ("documents", "document_texts", "measures", "units", "measure_units", "targets"):
        if frames[name].empty:
            frames[name] = pd.DataFrame(columns=TABLES[name].column_names)
    build = publish(frames, settings.warehouse_path, info={"parser_version": PARSER_VERSION, "schema_version": SCHEMA_VERSION,
                                                           "raw_dir": settings.raw_dir})
    counts = {name: len(frame) for name, frame in frames.items()}
    context.log.info(f"published build {build.name} to {settings.warehouse_dir}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    context.add_output_metadata({
        "build": build.name,
        "tables_dir": MetadataValue.path(str(settings.warehouse_path / "tables")),
        "duckdb": MetadataValue.path(str(settings.warehouse_path / DB_NAME)),
        **{f"rows_{name}": n for name, n in counts.items()},
        "quarantine": MetadataValue.md(markdown_table(frames["quarantine"], limit=20, width=80)),
    })
    return counts
