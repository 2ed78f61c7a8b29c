"""Stage 4a — responsibilities: who leads, cooperates and is responsible for each measure (`units`, `measure_units`)."""

import time

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.catalog.schema import TABLES
from assets.domain.extracting.responsibility_tables import (
    WARNING_COLUMNS,
    ResponsibilityTables,
    build_responsibility_tables,
    combine_responsibility_tables,
    document_tables,
)
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import tables_by_document
from assets.engine.portable import register

from .logs import log_cache_problems, log_lines, shortened
from .measures import OUTLINE, StructuredCorpus
from .previews import markdown_table
from .settings import PipelineSettings

register(ResponsibilityTables)

# A document's responsible bodies and roles: read from its provisions' annotations.
RESPONSIBILITIES = Stage("responsibilities", ("assets.domain.extracting.responsibility_tables", __name__), after=OUTLINE)


@asset(
    group_name="extract",
    description="Reads responsibility annotations (brackets, own-line fields, section blocks) into "
    "units with type and cross-region function, and measure–unit roles.",
)
def responsibilities(context: AssetExecutionContext, settings: PipelineSettings, measures: StructuredCorpus) -> ResponsibilityTables:
    started = time.perf_counter()
    cache = StageSnapshot(settings.warehouse_path / "cache", RESPONSIBILITIES)
    documents = measures.documents
    row_of = (
        dict(zip(documents["doc_id"].tolist(), range(len(documents)))) if len(documents) else {}
    )  # cut out only for the documents parsed
    columns = {
        "units": TABLES["units"].column_names,
        "measure_units": TABLES["measure_units"].column_names,
        "measure_fields": ["measure_id", "deadline_text", "supervisors"],
        "warnings": WARNING_COLUMNS,
    }
    tables = combine_responsibility_tables(
        tables_by_document(
            measures.measures,
            measures.cache_keys,
            cache,
            lambda doc_id, rows: document_tables(build_responsibility_tables(rows, documents.iloc[[row_of[doc_id]]])),
            columns,
            settings.workers,
        )
    )
    computed = {doc_id for doc_id in row_of if measures.cache_keys.get(doc_id) in cache.computed}
    log_lines(
        context,
        [("warning", f"{w['source_file']}: {w['message']}") for w in tables.warnings if w["doc_id"] in computed],
        "responsibility",
        unchanged=cache.hits,
    )
    log_cache_problems(context, cache)
    units, links = tables.units, tables.measure_units
    unknown = units[units["function"].isna()]["name"].tolist() if len(units) else []
    if unknown:
        context.log.warning(
            shortened(f"{len(unknown)} unit(s) with no known function: {'、'.join(shortened(name, 40) for name in unknown[:20])}")
        )
    top = (
        (
            links[links["role"] == "lead"]
            .merge(units, on="unit_id")
            .groupby("name")
            .size()
            .sort_values(ascending=False)
            .head(10)
            .rename("measures_led")
            .reset_index()
        )
        if len(links)
        else pd.DataFrame()
    )
    context.add_output_metadata(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "units": len(units),
            "measure_units": len(links),
            "by_role": MetadataValue.json(links["role"].value_counts().to_dict() if len(links) else {}),
            "by_type": MetadataValue.json(units["unit_type"].value_counts().to_dict() if len(units) else {}),
            "without_function": len(unknown),
            "warnings": len(tables.warnings),
            "warnings_preview": MetadataValue.md(
                markdown_table(pd.DataFrame(tables.warnings, columns=["source_file", "message"]), limit=20, width=60)
            ),
            "top_leads": MetadataValue.md(markdown_table(top)),
        }
    )
    return tables
