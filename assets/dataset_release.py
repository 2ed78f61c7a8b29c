"""Stage 7 — dataset release: a versioned, checksummed, documented copy of the published build."""

import json

import pyarrow.parquet as pq
from dagster import AssetExecutionContext, Failure, MetadataValue, asset

from assets.engine.build_status import release_blocker
from assets.publishing.release_bundle import ReleaseError, cut_release, document_sources

from .published_tables import published_tables
from .settings import PipelineSettings


@asset(
    group_name="release",
    deps=[published_tables],
    description="Cuts WAREHOUSE_DIR/releases/<YYYY.MM.DD[.N]>/ from the published (validated) build: Parquet, CSV, DuckDB, "
    "datapackage.json, data dictionary, validation report, changelog and delta, SHA256SUMS, and a .tar.gz.",
)
def dataset_release(context: AssetExecutionContext, settings: PipelineSettings) -> str:
    blocker = release_blocker(settings.warehouse_path)
    if blocker:
        raise Failure(f"no release cut: {blocker}", allow_retries=False)
    build = settings.warehouse_path / "current"
    columns = ["title", "source_file", "sha256", "source_url", "retrieved_on"]
    sources = document_sources(pq.read_table(build / "tables" / "documents.parquet", columns=columns).to_pylist())
    try:
        release = cut_release(build, settings.warehouse_path / "releases", sources=sources)
    except ReleaseError as error:  # the same build would fail the same way: not worth a retry
        raise Failure(f"no release cut: {error}", allow_retries=False) from error
    delta = json.loads((release / "changes.json").read_text(encoding="utf-8"))
    summary = {table: {k: len(v) for k, v in delta[table].items()} for table in ("documents", "measures", "units", "targets")}
    context.log.info(f"released {release.name} at {release}; changes since {delta['previous'] or '(first release)'}: {summary}")
    context.add_output_metadata(
        {
            "version": release.name,
            "path": MetadataValue.path(str(release)),
            "previous": delta["previous"] or "",
            "changes": MetadataValue.json(summary),
            "changelog": MetadataValue.md((release / "CHANGELOG.md").read_text(encoding="utf-8")[:4000]),
        }
    )
    return release.name
