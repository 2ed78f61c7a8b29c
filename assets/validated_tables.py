"""Stage 5 — validated tables: every published table of the build as its own asset, checked by the suites in
expectations/ and staged for publishing.

Each table asset gets its great-expectations results as two asset checks (`table_specs.py`): critical expectations
(blocking, so a failing table is never published) and warnings (recorded). While great-expectations checks the tables,
a second thread writes them as the next build (Parquet and DuckDB) into a staging folder: the `staged_build` asset,
which `published_tables` switches to; nobody sees it before, and it is removed if a critical check fails. The
machine-readable report goes to WAREHOUSE_DIR/validation/.
"""

import hashlib
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from assets.catalog.gazetteer import region_rows
from assets.catalog.schema import SCHEMA_VERSION, TABLES
from assets.domain.extracting.plausibility import screened_documents, screened_targets
from assets.domain.extracting.responsibility_tables import ResponsibilityTables
from assets.domain.frames import frame_of
from assets.domain.reading.documents import PARSER_VERSION
from assets.engine.portable import register
from assets.engine.row_memo import RowMemo, memo_key
from assets.publishing.suites import CRITICAL, load_suites
from assets.publishing.validation import ValidationReport, preload_engine, validate
from assets.publishing.warehouse import discard, hashed_rows, hashing_session, stage_build, to_arrow

from .duplicates import Duplicates
from .indicators import IndicatorTables
from .measures import StructuredCorpus
from .normalized_documents import NormalizedCorpus
from .previews import markdown_table
from .raw_files import RawInventory
from .search_index import SearchTables
from .settings import PipelineSettings
from .table_specs import TABLE_KEYS, check_results, check_specs, table_key, table_metadata, table_specs

SUITES = load_suites()
KEEP_REPORTS = 50  # validation reports kept in WAREHOUSE_DIR/validation/ (each build also ships its own)


@dataclass
class ValidatedTables:
    """What `published_tables` needs of a validated build: the staged folder to switch to (None when a critical
    expectation failed: nothing was kept to publish), and what it reports."""

    fingerprint: str  # SHA-256 over the tables' rows (`fingerprint`): ties the validation report to exactly these tables
    staged: str | None  # WAREHOUSE_DIR/builds/.staging-…: the tables written as the next build, not yet published
    row_counts: dict[str, int]
    quarantine_preview: str  # the quarantine table as Markdown, for the published asset's metadata


register(ValidatedTables)


def fingerprint(tables: dict[str, pa.Table], hashes: dict[str, np.ndarray] | None = None) -> str:
    """SHA-256 over every table as published (declared schema): its name, column types and row count, and the 64-bit
    hash of each row (DuckDB's, `hashed_rows`: `hashes` when given), in order. Values are hashed, not buffers, so the same rows
    give the same fingerprint however Arrow chunks and slices them; DuckDB hashes the columns where they lie, on every
    core (serializing the tables into a SHA-256 is several times slower). A DuckDB upgrade that changes its
    hash function changes the fingerprints too, which only ties a validation report to the tables it checked."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        table = tables[name]
        digest.update(json.dumps([name, [[f.name, str(f.type)] for f in table.schema], table.num_rows]).encode() + b"\0")
        if table.num_rows and table.num_columns:
            digest.update((hashed_rows(table) if hashes is None else hashes[name]).astype("<u8").tobytes())
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
    in Arrow (pandas' reindex builds an index of every key first)."""
    at = pc.index_in(_keys(keys), value_set=_keys(table[key]).combine_chunks())
    return pd.Series(_keys(table[column]).take(at).to_pandas().array, index=keys.index)


def _keys(column: pd.Series) -> pa.ChunkedArray:
    """A key column in Arrow (taken over where pandas holds it in Arrow), as large strings."""
    arrow = pa.array(column.array)
    return (pa.chunked_array([arrow]) if isinstance(arrow, pa.Array) else arrow).cast(pa.large_string())


def memo_path(settings: PipelineSettings) -> Path:
    """Where the row verdicts of the last validation are kept, named after what they depend on (`memo_key`)."""
    return settings.warehouse_path / "cache" / "validation" / memo_key(SUITES)[:16]  # as row_memo.MEMO_NAME expects


def remembered_verdicts(settings: PipelineSettings, context: AssetExecutionContext) -> RowMemo:
    """The last validation's row verdicts; none (every row is checked) when its memo cannot be read, with a warning."""
    try:
        return RowMemo.load(memo_path(settings))
    except ValueError as error:
        context.log.warning(f"{error}: every row is checked again")
        return RowMemo()


def report_path(settings: PipelineSettings, tables_fingerprint: str):
    return settings.warehouse_path / "validation" / f"{tables_fingerprint[:16]}.json"


STAGED_BUILD = "staged_build"


@multi_asset(
    specs=[
        *table_specs(),
        AssetSpec(
            STAGED_BUILD,
            group_name="publish",
            description="The validated tables written as the next build under WAREHOUSE_DIR/builds/.staging-…, not yet "
            "visible (none when a critical expectation failed): what published_tables switches to.",
            deps=TABLE_KEYS,
        ).with_io_manager_key("io_manager"),
    ],
    check_specs=check_specs(SUITES),
    description="Assembles every published table in its declared schema, checks it with great-expectations and stages the next build.",
)
def validated_tables(
    context: AssetExecutionContext,
    settings: PipelineSettings,
    raw_files: RawInventory,
    normalized_documents: NormalizedCorpus,
    measures: StructuredCorpus,
    responsibilities: ResponsibilityTables,
    targets: pd.DataFrame,
    duplicates: Duplicates,
    indicators: IndicatorTables,
    search_index: SearchTables,
) -> Iterator:
    preload_engine()  # great-expectations' first import (seconds) overlaps assembling the tables its checks read
    tables = assembled_tables(raw_files, normalized_documents, measures, responsibilities, targets, duplicates, indicators, search_index)
    with hashing_session(), ThreadPoolExecutor(1, thread_name_prefix="stage-build") as writer:
        hashes = {name: hashed_rows(table) for name, table in tables.items()}
        tables_fingerprint = fingerprint(tables, hashes)
        memo = remembered_verdicts(settings, context)
        info = {
            "parser_version": PARSER_VERSION,
            "schema_version": SCHEMA_VERSION,
            "raw_dir": settings.raw_dir,
            "fingerprint": tables_fingerprint,
        }
        staging = writer.submit(stage_build, tables, settings.warehouse_path, info, hashes)  # DuckDB and Parquet release the GIL
        report = validate(frames_to_check(tables), SUITES, memo, hashes)
        memo.save(memo_path(settings))
        path = write_report(settings, tables_fingerprint, report, context.run.run_id)
        staged = staging.result()
    if not report.passed:
        discard(staged)
        staged = None
    failed = [r for r in report.results if not r.success]
    for r in failed:
        log = context.log.error if r.severity == CRITICAL else context.log.warning
        log(
            f"{r.check} failed ({r.severity}): {r.description}; unexpected {r.unexpected_count}, e.g. {r.examples[:3]}"
            + (f"; in {', '.join(r.files)}" if r.files else "")
        )
    context.log.info(
        f"validation {'passed' if report.passed else 'FAILED'}: {len(report.results)} expectations, "
        f"{len(failed)} not met; row-wise expectations run on {report.rows_checked} rows, verdicts on "
        f"{report.rows_remembered} unchanged rows remembered; report {path}" + (f"; staged as {staged}" if staged else "; nothing staged")
    )
    counts = {name: table.num_rows for name, table in tables.items()}
    value = ValidatedTables(
        tables_fingerprint, str(staged) if staged else None, counts, markdown_table(tables["quarantine"].to_pandas(), limit=20, width=80)
    )
    for name, table in tables.items():
        yield MaterializeResult(asset_key=table_key(name), metadata=table_metadata(name, table))
    yield MaterializeResult(
        asset_key=STAGED_BUILD,
        value=value,
        metadata={
            "fingerprint": tables_fingerprint,
            "validation_report": MetadataValue.path(str(path)),
            "staged": str(staged),
            "rows_checked": report.rows_checked,
            "rows_remembered": report.rows_remembered,
        },
    )
    yield from check_results(report)


def assembled_tables(
    raw_files: RawInventory,
    normalized_documents: NormalizedCorpus,
    measures: StructuredCorpus,
    responsibilities: ResponsibilityTables,
    targets: pd.DataFrame,
    duplicates: Duplicates,
    indicators: IndicatorTables,
    search_index: SearchTables,
) -> dict[str, pa.Table]:
    """Every published table in its declared schema, from the stages' outputs: measures joined with their
    responsibility fields and clusters, targets with their indicator classes, the quarantine and the warnings."""
    quarantine = list(measures.quarantine)
    published = set(measures.documents["doc_id"].tolist()) if len(measures.documents) else set()
    doubts = [
        {"source_file": doc.source_file, "doc_id": doc.doc_id, "stage": "decode", "message": doc.decode_doubt}
        for doc in normalized_documents.documents
        if doc.decode_doubt and doc.doc_id in published
    ]
    warnings = (
        doubts
        + measures.warnings
        + responsibilities.warnings
        + duplicates.warnings
        + [{"source_file": "sources.csv", "doc_id": None, "stage": "manifest", "message": m} for m in raw_files.manifest_problems]
    )
    if raw_files.manifest_unusable:
        quarantine.append(
            {
                "source_file": "sources.csv",
                "sha256": raw_files.manifest_sha256,
                "stage": "manifest",
                "reason": raw_files.manifest_problems[0],
            }
        )
    measure_frame, documents = measures.measures, measures.documents
    if len(measure_frame):
        measure_frame = joined(measure_frame, responsibilities.measure_fields, "measure_id")
        measure_frame = measure_frame.assign(
            cluster_id=_looked_up(measure_frame["measure_id"], duplicates.clusters, "measure_id", "cluster_id"),
            duplicate_of=measure_frame["measure_id"].map(duplicates.measure_duplicate_of),
        )
        documents = documents.assign(duplicate_of=documents["doc_id"].map(duplicates.document_duplicate_of))
    if len(targets):
        targets = joined(targets, indicators.target_classes, "target_id")
    documents, odd_dates = screened_documents(documents)
    targets, odd_targets = screened_targets(targets, dict(zip(documents["doc_id"], documents["source_file"])) if len(documents) else {})
    warnings += odd_dates + odd_targets
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
        "measure_tokens": search_index.measure_tokens.read(),
        "measure_keywords": search_index.measure_keywords,
        **indicators.reference,
        "regions": pd.DataFrame(region_rows()),
        "quarantine": pd.DataFrame(quarantine, columns=TABLES["quarantine"].column_names),
        "parse_warnings": pd.DataFrame(warnings, columns=TABLES["parse_warnings"].column_names),
    }
    return {name: _declared(name, frame) for name, frame in frames.items()}


def _declared(name: str, frame: pd.DataFrame | pa.Table) -> pa.Table:
    """A table in its declared schema (`to_arrow`; an Arrow table of the declared columns is cast to their types)."""
    if isinstance(frame, pa.Table):
        return frame.select(TABLES[name].column_names).cast(TABLES[name].arrow_schema())
    return to_arrow(name, frame if len(frame) else pd.DataFrame(columns=TABLES[name].column_names))


def frames_to_check(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """The tables as the suites check them: pandas frames of the published types, strings and lists left in Arrow
    (pandas' Arrow dtypes, without a copy: converting list columns to numpy arrays, or strings to pandas' default
    string dtype, costs time on every rebuild)."""
    return {name: table.to_pandas(types_mapper=_strings_and_lists_as_arrow) for name, table in tables.items()}


def _strings_and_lists_as_arrow(type_: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(type_) if pa.types.is_string(type_) or pa.types.is_large_string(type_) or pa.types.is_list(type_) else None


def write_report(settings: PipelineSettings, tables_fingerprint: str, report: ValidationReport, run_id: str) -> Path:
    """The report as JSON in WAREHOUSE_DIR/validation/<fingerprint>.json (written whole, then renamed); the oldest
    beyond KEEP_REPORTS are removed."""
    document = {"fingerprint": tables_fingerprint, "run_id": run_id, **report.to_json()}
    path = report_path(settings, tables_fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)
    return path
