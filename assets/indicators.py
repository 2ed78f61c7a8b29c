"""Stage 4d — indicators: which business-environment indicator each measure and target is about, and which
targets state a metric comparable across regions."""

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.catalog.schema import TABLES
from assets.domain.extracting.indicator_rows import TARGET_CLASS_COLUMNS, classify_targets, measure_indicator_rows, reference_tables
from assets.domain.frames import rows_at
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import tables_by_document
from assets.engine.portable import register

from .logs import log_cache_problems
from .measures import StructuredCorpus
from .previews import markdown_table
from .settings import PipelineSettings
from .targets import TARGETS


@dataclass
class IndicatorTables:
    measure_indicators: pd.DataFrame
    target_classes: pd.DataFrame  # target_id, indicator_code, metric_code
    reference: dict[str, pd.DataFrame]  # indicators, comparable_metrics, unit_conversions


register(IndicatorTables)

# A document's indicator tags and target classes: from its provisions and targets.
INDICATORS = Stage("indicators", ("assets.domain.extracting.indicator_rows", __name__), after=TARGETS)


@asset(
    group_name="extract",
    description="Tags every provision with the evaluation system's indicators by the keyword rules in "
    "assets/catalog/data/indicator_keywords.csv (with evidence), and every target with its "
    "indicator and comparable metric (comparable_metrics.csv).",
)
def indicators(
    context: AssetExecutionContext, settings: PipelineSettings, measures: StructuredCorpus, targets: pd.DataFrame
) -> IndicatorTables:
    started = time.perf_counter()
    cache = StageSnapshot(settings.warehouse_path / "cache", INDICATORS)
    read = targets[["target_id", "measure_id", "metric", "unit"]]  # what classifying looks at
    of_document = read.groupby(targets["doc_id"], sort=False).indices if len(targets) else {}

    def tag_and_classify(doc_id: str, rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """A document's provisions tagged, and its targets classified (a target's metric is checked against the
        indicators of its own provision, so a document's classes depend on that document alone)."""
        tagged = measure_indicator_rows(rows)
        own = rows_at(read, of_document.get(doc_id, np.array([], dtype=np.int64)))
        return {"measure_indicators": tagged, "target_classes": classify_targets(own, tagged)}

    tables = tables_by_document(
        measures.measures,
        measures.cache_keys,
        cache,
        tag_and_classify,
        {"measure_indicators": TABLES["measure_indicators"].column_names, "target_classes": TARGET_CLASS_COLUMNS},
        settings.workers,
    )
    log_cache_problems(context, cache)
    tagged, classes = tables["measure_indicators"], tables["target_classes"]
    primary = tagged[tagged["is_primary"]] if len(tagged) else tagged
    context.add_output_metadata(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "measure_indicator_rows": len(tagged),
            "primary_by_indicator": MetadataValue.json(primary["indicator_code"].value_counts().to_dict() if len(primary) else {}),
            "comparable_targets": int(classes["metric_code"].notna().sum()) if len(classes) else 0,
            "preview": MetadataValue.md(markdown_table(tagged, limit=15, width=60)),
        }
    )
    return IndicatorTables(tagged, classes, reference_tables())
