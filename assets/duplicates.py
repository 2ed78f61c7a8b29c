"""Stage 4c — duplicates: the same document from several sources, and the same measure across plans."""

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.domain.dedup.matching import squashed_texts
from assets.engine.cache import StageFile, StageSnapshot
from assets.engine.dedup_update import deduplicate
from assets.engine.keys import Stage
from assets.engine.overrides import read_overrides
from assets.engine.per_document import by_document
from assets.engine.portable import register

from .logs import log_cache_problems, log_lines
from .measures import OUTLINE, StructuredCorpus
from .previews import markdown_table
from .settings import PipelineSettings


@dataclass
class Duplicates:
    document_duplicate_of: dict[str, str]
    measure_duplicate_of: dict[str, str]
    clusters: pd.DataFrame
    warnings: list[dict] = field(default_factory=list)


register(Duplicates)

# A document's squashed provision texts; the deduplication state a grown corpus updates; pair verdicts.
DEDUP_KEYS = Stage("dedup_keys", ("assets.domain.dedup.matching", __name__), after=OUTLINE)
DEDUP_STATE = Stage("dedup_state", ("assets.domain.dedup.matching", "assets.engine.dedup_update"))
DEDUP_VERDICTS = Stage("dedup_verdicts", ("assets.domain.dedup.similarity",))


@asset(
    group_name="extract",
    description="Near-copies of documents (script, punctuation, spacing, preamble, annex, truncation) and "
    "clusters of measures that say the same thing (MinHash LSH candidates, verified); "
    "RAW_DIR/dedup_overrides.csv forces pairs together or apart.",
)
def duplicates(context: AssetExecutionContext, settings: PipelineSettings, measures: StructuredCorpus) -> Duplicates:
    overrides = read_overrides(settings.raw_path)
    measure_ids = set(measures.measures["measure_id"].tolist()) if len(measures.measures) else set()
    source_files = set(measures.documents["source_file"].tolist()) if len(measures.documents) else set()
    overrides.problems += overrides.unknown_names(source_files, measure_ids) if overrides.lines else []
    for problem in overrides.problems:
        context.log.warning(problem)
    cache = StageSnapshot(settings.warehouse_path / "cache", DEDUP_KEYS)
    keys = by_document(
        measures.measures,
        measures.cache_keys,
        cache,
        lambda doc_id, rows: pd.DataFrame(list(squashed_texts(rows).items()), columns=["measure_id", "squashed"]),
        ["measure_id", "squashed"],
        settings.workers,
    )
    squashed = pd.Series(keys["squashed"].array, index=keys["measure_id"].array)
    state_file = StageFile(settings.warehouse_path / "cache", DEDUP_STATE)  # what the next build updates if the corpus only grows
    verdict_file = StageFile(settings.warehouse_path / "cache", DEDUP_VERDICTS)
    known = verdict_file.load(default={})
    state = state_file.load(default=None)
    try:
        found = deduplicate(measures.documents, measures.measures, measures.cache_keys, overrides, squashed, known, state, settings.workers)
    except (TypeError, KeyError, AttributeError, ValueError, IndexError) as error:
        if state is None and not known:
            raise
        # a stored state or verdicts that load but do not fit (edited, or from an incompatible version): start afresh
        state_file.problems.append(
            f"{state_file.path} or {verdict_file.path}: does not fit this build ({error!r}); deduplicating without it"
        )
        found = deduplicate(measures.documents, measures.measures, measures.cache_keys, overrides, squashed, {}, None, settings.workers)
    log_cache_problems(context, cache, state_file, verdict_file)
    docs, clusters = found.documents, found.clusters
    names = dict(zip(measures.documents["doc_id"], measures.documents["source_file"])) if len(measures.documents) else {}
    linked = Counter(measure_id.split("-", 1)[0] for measure_id in docs.measure_links)  # measure ids start with their doc_id
    log_lines(
        context,
        [
            ("info", f"{names[copy]}: a copy of {names[kept]} ({linked[copy]} provisions linked)")
            for copy, kept in sorted(docs.duplicate_of.items())
        ],
        "duplicate",
    )
    verdict_file.save(clusters.verdicts)
    state_file.save(found.state)
    sizes = clusters.frame.groupby("cluster_id").size() if len(clusters.frame) else pd.Series(dtype=int)
    shared = clusters.frame[clusters.frame["cluster_id"].map(sizes) > 1] if len(clusters.frame) else clusters.frame
    context.add_output_metadata(
        {
            "cache_hits": cache.hits,
            "updated_last_build": found.incremental,
            "duplicate_documents": len(docs.duplicate_of),
            "linked_measures": len(docs.measure_links),
            "lsh_candidate_pairs": clusters.candidate_pairs,
            "verified_joins": clusters.verified_pairs,
            "pair_verdicts_computed": sum(1 for key in clusters.verdicts if key not in known),
            "clusters": int(len(sizes)),
            "clusters_with_several_members": int((sizes > 1).sum()),
            "preview": MetadataValue.md(markdown_table(shared, limit=20)),
        }
    )
    warnings = [{"source_file": "dedup_overrides.csv", "doc_id": None, "stage": "deduplicate", "message": p} for p in overrides.problems]
    return Duplicates(docs.duplicate_of, docs.measure_links, clusters.frame, warnings)
