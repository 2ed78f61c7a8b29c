"""Stage 3 — measures: the numbered provisions of each document, with their part (measure, safeguard, goal, ...)."""

import dataclasses
import time
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.domain.reading.decode import InputError
from assets.domain.reading.provisions import document_provisions, document_row, measures_frame
from assets.engine.cache import StageSnapshot
from assets.engine.keys import READING, Stage
from assets.engine.portable import register
from assets.engine.table_files import StoredTable

from .logs import log_cache_problems, log_lines
from .normalized_documents import NormalizedCorpus
from .previews import markdown_table
from .settings import PipelineSettings


@dataclass
class StructuredCorpus:
    documents: pd.DataFrame  # documents with an outline (their texts are normalized_documents.texts)
    measure_rows: StoredTable  # the provisions in MEASURE_SCHEMA: slices of the outline snapshot's files
    quarantine: list[dict] = field(default_factory=list)  # documents quarantined so far: at normalizing or at the outline
    warnings: list[dict] = field(default_factory=list)
    cache_keys: dict[str, str] = field(default_factory=dict)  # doc_id → document key (`keys.document_key`), for later stages

    @cached_property
    def measures(self) -> pd.DataFrame:
        """The provisions as a frame (strings memory mapped, not copied: a column has a chunk per snapshot slice, so
        take rows of it with `per_document.take_runs`, not a boolean mask or `take`)."""
        return measures_frame(self.measure_rows.read())


register(StructuredCorpus)

# A document's provisions and `documents` row: read from its normalized text.
OUTLINE = Stage("outline", ("assets.domain.reading.provisions", __name__), after=READING)


@asset(
    group_name="structure",
    description="Outline of each document: numbered headings → sections and provisions; "
    "documents with no numbered provision are quarantined.",
)
def measures(context: AssetExecutionContext, settings: PipelineSettings, normalized_documents: NormalizedCorpus) -> StructuredCorpus:
    started = time.perf_counter()
    doc_rows, kept, warnings = [], [], []
    quarantine = list(normalized_documents.quarantine)  # carried on, so later stages need not load the texts again
    cache = StageSnapshot(settings.warehouse_path / "cache", OUTLINE)
    lines: list[tuple[str, str]] = []
    corpus = normalized_documents.documents
    texts = normalized_documents.text_column()

    def outline(i: int):
        """The document's provisions, its `documents` row and numbering warnings (its text read only here)."""
        doc = dataclasses.replace(corpus[i], text=texts[i].as_py())
        provisions = document_provisions(doc)
        kinds = provisions.kinds
        return {"measures": provisions.rows}, (document_row(doc, kinds), dict(kinds), provisions.warnings)

    keys = [normalized_documents.cache_keys.get(doc.doc_id) for doc in corpus]
    combined = cache.combined(keys, outline, ["measures"], settings.workers, progress="outline")
    for i, (doc, key, result) in enumerate(zip(corpus, keys, combined.extras)):
        computed = key in cache.computed
        if isinstance(result, InputError):
            lines.append(("warning", f"{doc.source_file}: quarantined at {result.stage}: {result.reason}"))
            quarantine.append({"source_file": doc.source_file, "sha256": doc.sha256, "stage": result.stage, "reason": result.reason})
            continue
        row, kinds, numbering = result
        doc_rows.append(row)
        kept.append(i)
        if computed:
            lines.append(
                (
                    "info",
                    f"{doc.source_file}: "
                    + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                    + (f"; {len(numbering)} numbering warning(s)" if numbering else ""),
                )
            )
            lines += [("warning", f"{doc.source_file}: {message}") for message in numbering]
        for message in numbering:
            warnings.append({"source_file": doc.source_file, "doc_id": doc.doc_id, "stage": "outline", "message": message})
        if doc.metadata.place.warning:
            warnings.append(
                {"source_file": doc.source_file, "doc_id": doc.doc_id, "stage": "metadata", "message": doc.metadata.place.warning}
            )
        if row["title_source"] == "file_name":
            warnings.append(
                {
                    "source_file": doc.source_file,
                    "doc_id": doc.doc_id,
                    "stage": "metadata",
                    "message": f"no title found in the text; the file name stands in: {row['title']}",
                }
            )
    log_cache_problems(context, cache)
    log_lines(context, lines, "per-document", unchanged=cache.hits)
    documents = pd.DataFrame(doc_rows)
    measure_frame = measures_frame(combined.tables["measures"])
    per_doc = measure_frame.groupby(["doc_id", "kind"]).size().unstack(fill_value=0).reset_index() if len(measure_frame) else pd.DataFrame()
    context.add_output_metadata(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "documents": len(documents),
            "measures": len(measure_frame),
            "by_kind": MetadataValue.json(measure_frame["kind"].value_counts().to_dict() if len(measure_frame) else {}),
            "numbering_warnings": len(warnings),
            "quarantined": len(quarantine),
            "per_document": MetadataValue.md(markdown_table(per_doc, limit=50)),
            "preview": MetadataValue.md(
                markdown_table(measure_frame[["measure_id", "kind", "label", "title"]] if len(measure_frame) else measure_frame)
            ),
        }
    )
    keys = {corpus[i].doc_id: normalized_documents.cache_keys.get(corpus[i].doc_id) for i in kept}
    return StructuredCorpus(documents, combined.stored["measures"], quarantine, warnings, keys)
