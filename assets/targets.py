"""Stage 4b — targets: every numeric promise of a measure or goal as a typed, comparable row."""

import time

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.domain.extracting.target_rows import TARGET_KINDS, target_columns, target_rows
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import by_document

from .logs import log_cache_problems, log_lines
from .measures import OUTLINE, StructuredCorpus
from .normalized_documents import NormalizedCorpus
from .previews import markdown_table
from .settings import PipelineSettings

# A document's targets: read from its provisions and its text.
TARGETS = Stage("targets", ("assets.domain.extracting.target_rows", __name__), after=OUTLINE)


@asset(
    group_name="extract",
    description="Reads quantitative targets (value, range, unit, comparator, baseline, due year, metric, "
    f"scope) from provisions of kind {', '.join(TARGET_KINDS)}; 分别/均 constructions are "
    "distributed; a due year the text does not state is inferred into its own column.",
)
def targets(
    context: AssetExecutionContext, settings: PipelineSettings, normalized_documents: NormalizedCorpus, measures: StructuredCorpus
) -> pd.DataFrame:
    started = time.perf_counter()
    texts = normalized_documents.text_column()
    row_of = {doc.doc_id: i for i, doc in enumerate(normalized_documents.documents)}
    titles = dict(zip(measures.documents["doc_id"], measures.documents["title"])) if len(measures.documents) else {}

    def document_targets(doc_id: str, rows: pd.DataFrame) -> pd.DataFrame:
        return target_rows(rows, pd.DataFrame({"doc_id": [doc_id], "text": [texts[row_of[doc_id]].as_py()], "title": [titles.get(doc_id)]}))

    cache = StageSnapshot(settings.warehouse_path / "cache", TARGETS)
    frame = by_document(measures.measures, measures.cache_keys, cache, document_targets, target_columns(), settings.workers)
    log_cache_problems(context, cache)
    per_doc = frame.groupby("doc_id").size().to_dict() if len(frame) else {}
    log_lines(
        context,
        [
            ("info", f"{doc.source_file}: {per_doc.get(doc.doc_id, 0)} target(s)")
            for doc in measures.documents.itertuples(index=False)
            if measures.cache_keys.get(doc.doc_id) in cache.computed
        ],
        "per-document",
        unchanged=cache.hits,
    )
    context.add_output_metadata(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "targets": len(frame),
            "by_unit": MetadataValue.json(frame["unit"].value_counts().head(15).to_dict() if len(frame) else {}),
            "by_comparator": MetadataValue.json(frame["comparator"].value_counts().to_dict() if len(frame) else {}),
            "with_year": int(frame["year"].notna().sum()) if len(frame) else 0,
            "with_year_inferred": int(frame["year_inferred"].notna().sum()) if len(frame) else 0,
            "with_scope": int(frame["scope"].notna().sum()) if len(frame) else 0,
            "preview": MetadataValue.md(
                markdown_table(
                    frame[["measure_id", "value", "unit", "comparator", "year", "metric", "scope"]] if len(frame) else frame, limit=15
                )
            ),
        }
    )
    return frame
