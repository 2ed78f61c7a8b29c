"""Stage 5 — validated tables: every table of the build, checked by the suites in expectations/.

One Dagster asset check per expectation: critical ones are blocking, so a failing table is never
published; warnings are recorded. The machine-readable report goes to WAREHOUSE_DIR/validation/.
"""
import hashlib
import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dagster import (AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext,
                     AssetIn, MetadataValue, asset, multi_asset_check)

from .lib.expectations import CRITICAL, check_names, load_suites, preload_engine, validate
from .lib.schema import TABLES
from .lib.per_document import frame_of
from .lib.store import to_arrow
from .lib.stored import StoredTable
from .duplicates import Duplicates
from .indicators import IndicatorTables
from .lib.units import ResponsibilityTables
from .measures import StructuredCorpus
from .normalized_documents import NormalizedCorpus
from .previews import markdown_table
from .raw_files import RawInventory
from .settings import PipelineSettings

SUITES = load_suites()
KEEP_REPORTS = 50  # validation reports kept in WAREHOUSE_DIR/validation/ (each build also ships its own)


@dataclass
class ValidatedTables:
    frames: dict[str, pd.DataFrame]
    fingerprint: str  # SHA-256 over the tables' rows (`fingerprint`): ties a validation report to exactly these tables
    arrow: dict[str, pa.Table] | None = field(default=None, repr=False)  # the frames in their declared schema, where made already
    stored: dict[str, StoredTable] = field(default_factory=dict)  # frames that are slices of Arrow files already (kept by linking)


def fingerprint(tables: dict[str, pa.Table]) -> str:
    """SHA-256 over every table as published (declared schema): its name, column types and row count, and DuckDB's
    64-bit hash of each row, in order. Values are hashed, not buffers, so the same rows give the same fingerprint
    however Arrow chunks and slices them; DuckDB hashes the columns where they lie, on every core (0.4 s for 10,000
    plans; serializing the tables into a SHA-256 took 1.5 s). A DuckDB upgrade that changes its hash function changes
    the fingerprints too, which only ties a validation report to the tables it checked."""
    digest = hashlib.sha256()
    with duckdb.connect() as con:
        for name in sorted(tables):
            table = tables[name]
            digest.update(json.dumps([name, [[f.name, str(f.type)] for f in table.schema], table.num_rows]).encode() + b"\0")
            if table.num_rows and table.num_columns:
                con.register("rows", table)
                columns = ", ".join('"' + c.replace('"', '""') + '"' for c in table.schema.names)
                hashes = con.sql(f"SELECT hash({columns}) FROM rows").to_arrow_table().column(0)
                digest.update(hashes.to_numpy().astype("<u8").tobytes())
                con.unregister("rows")
    return digest.hexdigest()


def joined(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    """`left` with the other columns of `right`, whose rows match it one to one on `key`: taken over as they are where
    both list the same keys in the same order (as the stages make them), else by a one-to-one merge."""
    same_order = len(left) == len(right) and _keys(left[key]).equals(_keys(right[key]))
    if not same_order:
        return left.merge(right, on=key, how="left", validate="one_to_one")
    return left.assign(**{column: right[column].array for column in right.columns if column != key})


def _looked_up(keys: pd.Series, table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """`table[column]` of the row whose `key` is each of `keys` (missing where none is), in `keys`' order: a hash lookup
    in Arrow (pandas' reindex builds an index of every key first: 0.5 s for the clusters of 10,000 plans)."""
    at = pc.index_in(_keys(keys), value_set=_keys(table[key]).combine_chunks())
    return pd.Series(_keys(table[column]).take(at).to_pandas().array, index=keys.index)


def _keys(column: pd.Series) -> pa.ChunkedArray:
    """A key column in Arrow (taken over where pandas holds it in Arrow), as large strings."""
    arrow = pa.array(column.array)
    return (pa.chunked_array([arrow]) if isinstance(arrow, pa.Array) else arrow).cast(pa.large_string())


def report_path(settings: PipelineSettings, tables_fingerprint: str):
    return settings.warehouse_path / "validation" / f"{tables_fingerprint[:16]}.json"


@asset(group_name="validate", io_manager_key="table_store", description="All tables of the build, assembled for publishing; checked by one asset check per "
                                          "expectation in expectations/ (critical checks block publication).")
def validated_tables(context: AssetExecutionContext, raw_files: RawInventory, normalized_documents: NormalizedCorpus, measures: StructuredCorpus,
                     responsibilities: ResponsibilityTables, targets: pd.DataFrame, duplicates: Duplicates,
                     indicators: IndicatorTables) -> ValidatedTables:
    preload_engine()  # great-expectations' first import (seconds) overlaps assembling the tables its checks read
    quarantine = list(measures.quarantine)
    warnings = measures.warnings + responsibilities.warnings + duplicates.warnings + [
        {"source_file": "sources.csv", "doc_id": None, "stage": "manifest", "message": m} for m in raw_files.manifest_problems]
    if raw_files.manifest_unusable:
        quarantine.append({"source_file": "sources.csv", "sha256": raw_files.manifest_sha256, "stage": "manifest",
                           "reason": raw_files.manifest_problems[0]})
    measure_frame, documents = measures.measures, measures.documents
    if len(measure_frame):
        measure_frame = joined(measure_frame, responsibilities.measure_fields, "measure_id")
        measure_frame = measure_frame.assign(cluster_id=_looked_up(measure_frame["measure_id"], duplicates.clusters, "measure_id", "cluster_id"),
                                             duplicate_of=measure_frame["measure_id"].map(duplicates.measure_duplicate_of))
        documents = documents.assign(duplicate_of=documents["doc_id"].map(duplicates.document_duplicate_of))
    if len(targets):
        targets = joined(targets, indicators.target_classes, "target_id")
    texts = normalized_documents.texts_of(documents["doc_id"].tolist()).select(["doc_id", "text"]) if len(documents) else None
    frames = {
        "documents": documents,
        "document_texts": frame_of(texts.read(), ["doc_id", "text"]) if texts is not None else pd.DataFrame(),
        "measures": measure_frame,
        "units": responsibilities.units,
        "measure_units": responsibilities.measure_units,
        "targets": targets,
        "measure_clusters": duplicates.clusters,
        "measure_indicators": indicators.measure_indicators,
        **indicators.reference,
        "quarantine": pd.DataFrame(quarantine, columns=TABLES["quarantine"].column_names),
        "parse_warnings": pd.DataFrame(warnings, columns=TABLES["parse_warnings"].column_names),
    }
    frames = {name: (frame if len(frame) else pd.DataFrame(columns=TABLES[name].column_names)) for name, frame in frames.items()}
    arrow = {name: to_arrow(name, frame) for name, frame in frames.items()}
    value = ValidatedTables(frames, fingerprint(arrow), arrow, {"document_texts": texts} if texts is not None else {})
    context.add_output_metadata({"fingerprint": value.fingerprint, **{f"rows_{n}": len(f) for n, f in frames.items()}})
    return value


@multi_asset_check(
    specs=[AssetCheckSpec(name=check, asset="validated_tables", blocking=severity == CRITICAL, description=description)
           for check, severity, description in check_names(SUITES)],
    ins={"validated_tables": AssetIn("validated_tables")},
)
def table_expectations(context: AssetCheckExecutionContext, settings: PipelineSettings, validated_tables: ValidatedTables):
    report = validate(validated_tables.frames, SUITES)
    document = {"fingerprint": validated_tables.fingerprint, "run_id": context.op_execution_context.run_id, **report.to_json()}
    path = report_path(settings, validated_tables.fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)
    failed = [r for r in report.results if not r.success]
    for r in failed:
        log = context.log.error if r.severity == CRITICAL else context.log.warning
        log(f"{r.check} failed ({r.severity}): {r.description}; unexpected {r.unexpected_count}, e.g. {r.examples[:3]}")
    context.log.info(f"validation {'passed' if report.passed else 'FAILED'}: {len(report.results)} expectations, "
                     f"{len(failed)} not met; report {path}")
    for r in report.results:
        metadata = {"table": r.table, "expectation": r.expectation, "severity": r.severity, "description": r.description}
        if r.unexpected_count is not None:
            metadata["unexpected_count"] = r.unexpected_count
        if r.examples:
            metadata["examples"] = MetadataValue.md(markdown_table(pd.DataFrame({"example": [str(x) for x in r.examples]})))
        if r.observed is not None:
            metadata["observed"] = str(r.observed)[:200]
        yield AssetCheckResult(check_name=r.check, asset_key="validated_tables", passed=r.success, metadata=metadata,
                               severity=AssetCheckSeverity.ERROR if r.severity == CRITICAL else AssetCheckSeverity.WARN)
