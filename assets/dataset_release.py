"""Stage 7 — dataset release: a versioned, checksummed, documented copy of the published build."""
import json

import pyarrow.parquet as pq
from dagster import AssetExecutionContext, MetadataValue, asset

from .lib.release import cut_release, document_sources
from .published_tables import published_tables
from .settings import PipelineSettings


@asset(group_name="release", deps=[published_tables],
       description="Cuts WAREHOUSE_DIR/releases/<YYYY.MM.DD[.N]>/ from the published (validated) build: Parquet, CSV, DuckDB, "
                   "datapackage.json, data dictionary, validation report, changelog and delta, SHA256SUMS, and a .tar.gz.")
def dataset_release(context: AssetExecutionContext, settings: PipelineSettings) -> str:
    build = settings.warehouse_path / "current"
    columns = ["title", "source_file", "sha256", "source_url", "retrieved_on"]
    sources = document_sources(pq.read_table(build / "tables" / "documents.parquet", columns=columns).to_pylist())
    release = cut_release(build, settings.warehouse_path / "releases", sources=sources)
    delta = json.loads((release / "changes.json").read_text(encoding="utf-8"))
    summary = {table: {k: len(v) for k, v in delta[table].items()} for table in ("documents", "measures", "units", "targets")}
    context.log.info(f"released {release.name} at {release}; changes since {delta['previous'] or '(first release)'}: {summary}")
    context.add_output_metadata({"version": release.name, "path": MetadataValue.path(str(release)),
                                 "previous": delta["previous"] or "", "changes": MetadataValue.json(summary),
                                 "changelog": MetadataValue.md((release / "CHANGELOG.md").read_text(encoding="utf-8")[:4000])})
    return release.name
