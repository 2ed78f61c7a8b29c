"""Stage 4e — search index: every provision segmented by jieba (search mode, the project's vocabularies as user
dictionary) into `measure_tokens`, which the DuckDB macro `search_measures` ranks by BM25, and its TF-IDF keywords
(`measure_keywords`), which the view `related_measures` compares across plans."""

import time
from dataclasses import dataclass

import pandas as pd
import pyarrow.compute as pc
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.catalog.schema import TABLES
from assets.domain.extracting.keywords import keyword_rows
from assets.domain.extracting.segmentation import token_rows
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import combined_by_document
from assets.engine.portable import register
from assets.engine.table_files import StoredTable

from .duplicates import Duplicates
from .logs import log_cache_problems
from .measures import OUTLINE, StructuredCorpus
from .previews import markdown_table
from .settings import PipelineSettings


@dataclass
class SearchTables:
    measure_tokens: StoredTable  # slices of the stage snapshot's files: tens of millions of rows at scale, never copied
    measure_keywords: pd.DataFrame


register(SearchTables)

# A document's search tokens: its provisions segmented by rjieba with the vocabularies as user dictionary.
SEARCH_TOKENS = Stage("search_tokens", ("assets.domain.extracting.segmentation", __name__), after=OUTLINE, libraries=("rjieba",))


@asset(
    group_name="extract",
    description="Segments each provision with jieba (search mode; user dictionary from the project's "
    "vocabularies) into measure_tokens, the index of the DuckDB macro search_measures, and "
    "picks each provision's TF-IDF keywords (IDF from this corpus) for measure_keywords.",
)
def search_index(
    context: AssetExecutionContext, settings: PipelineSettings, measures: StructuredCorpus, duplicates: Duplicates
) -> SearchTables:
    started = time.perf_counter()
    cache = StageSnapshot(settings.warehouse_path / "cache", SEARCH_TOKENS)
    read = measures.measures[["doc_id", "measure_id", "text", "responsibility_text"]]
    if len(read):
        combined = combined_by_document(
            read, measures.cache_keys, cache, lambda doc_id, rows: {"rows": token_rows(rows)}, ["rows"], settings.workers
        )
        tokens, stored = combined.tables["rows"], combined.stored["rows"]
    else:
        tokens = TABLES["measure_tokens"].arrow_schema().empty_table()
        stored = StoredTable(tokens.schema, ())
    segmented = time.perf_counter() - started
    log_cache_problems(context, cache)
    copies = set(duplicates.document_duplicate_of)
    counted = [m for m, d in zip(read["measure_id"].tolist(), read["doc_id"].tolist()) if d not in copies] if len(read) else []
    keywords = keyword_rows(tokens, counted)
    context.add_output_metadata(
        {
            "seconds_segmenting": round(segmented, 2),
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "token_rows": len(tokens),
            "distinct_tokens": pc.count_distinct(tokens.column("token")).as_py(),
            "keyword_rows": len(keywords),
            "preview": MetadataValue.md(markdown_table(keywords, limit=15, width=60)),
        }
    )
    return SearchTables(stored, keywords)
