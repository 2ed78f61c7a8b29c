"""Stage 2 — normalized documents: decoded, cleaned, simplified text with metadata; bad files quarantined."""

import dataclasses
import time
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
from dagster import AssetExecutionContext, MetadataValue, asset

from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import NormalizedDocument
from assets.engine.cache import StageSnapshot
from assets.engine.keys import READING, document_key
from assets.engine.portable import register
from assets.engine.raw_documents import read_document
from assets.engine.table_files import StoredTable

from .logs import log_cache_problems, log_lines
from .previews import markdown_table
from .raw_files import RawInventory
from .settings import PipelineSettings


@dataclass
class NormalizedCorpus:
    documents: list[NormalizedDocument]  # without their text, which is in `texts`
    texts: StoredTable  # doc_id, text, chars: one row per document, in the same order (slices of the snapshot's files)
    quarantine: list[dict] = field(default_factory=list)
    cache_keys: dict[str, str] = field(default_factory=dict)  # doc_id → document key (`keys.document_key`), for later stages

    def text_column(self) -> pa.ChunkedArray:
        """Every document's text in corpus order, memory mapped: a text becomes a Python string only where it is read."""
        return self.texts.read().column("text") if self.documents else pa.chunked_array([], pa.large_string())

    def texts_of(self, doc_ids: list[str]) -> StoredTable:
        """The `texts` rows of these documents (in corpus order), still as slices of the same files."""
        wanted = set(doc_ids)
        return self.texts.take([i for i, doc in enumerate(self.documents) if doc.doc_id in wanted])


register(NormalizedCorpus)


@asset(
    group_name="normalize",
    description="Decode (UTF-8/GB18030/UTF-16), strip markup and scrape debris, unify punctuation, "
    "remove PDF spacing, convert Traditional script; read title, issuer, date, 文号, region.",
)
def normalized_documents(context: AssetExecutionContext, settings: PipelineSettings, raw_files: RawInventory) -> NormalizedCorpus:
    started = time.perf_counter()
    cache = StageSnapshot(settings.warehouse_path / "cache", READING)
    lines: list[tuple[str, str]] = []
    keys = [document_key(raw) if raw.sha256 else None for raw in raw_files.files]
    combined = cache.combined(
        keys, lambda i: _text_apart(read_document(raw_files.files[i])), ["texts"], settings.workers, progress="normalize"
    )
    corpus = NormalizedCorpus([], combined.stored["texts"])
    chars = combined.tables["texts"].column("chars").to_pylist() if combined.tables["texts"].num_rows else []
    for raw, key, doc in zip(raw_files.files, keys, combined.extras):
        computed = key in cache.computed
        if isinstance(doc, InputError):
            lines.append(
                ("warning", f"{raw.source_file}: quarantined at {doc.stage}: {doc.reason}" + ("" if computed else " (unchanged file)"))
            )
            corpus.quarantine.append({"source_file": raw.source_file, "sha256": raw.sha256, "stage": doc.stage, "reason": doc.reason})
            continue
        corpus.documents.append(doc)
        corpus.cache_keys[doc.doc_id] = key
        if computed:
            lines.append(
                (
                    "info",
                    f"{raw.source_file}: {doc.encoding}, {doc.script}, {chars[len(corpus.documents) - 1]} chars, "
                    f"title {doc.metadata.title or '(none)'}; dropped {len(doc.removed)} debris line(s)",
                )
            )
            if doc.decode_doubt:
                lines.append(("warning", f"{raw.source_file}: {doc.decode_doubt}"))
    for name in raw_files.missing_from_disk:
        corpus.quarantine.append(
            {"source_file": name, "sha256": None, "stage": "manifest", "reason": "listed in sources.csv but no such file under RAW_DIR"}
        )
    frame = pd.DataFrame(
        [
            {
                "source_file": d.source_file,
                "encoding": d.encoding,
                "script": d.script,
                "chars": n,
                "title": d.metadata.title,
                "region": d.metadata.place.region,
            }
            for d, n in zip(corpus.documents, chars)
        ]
    )
    log_cache_problems(context, cache)
    log_lines(context, lines, "per-document", unchanged=cache.hits)
    context.add_output_metadata(
        {
            "seconds": round(time.perf_counter() - started, 2),
            "cache_hits": cache.hits,
            "parsed": len(raw_files.files) - cache.hits,
            "documents": len(corpus.documents),
            "quarantined": len(corpus.quarantine),
            "encodings": MetadataValue.json(frame["encoding"].value_counts().to_dict() if len(frame) else {}),
            "traditional_script": int((frame["script"] == "traditional").sum()) if len(frame) else 0,
            "preview": MetadataValue.md(markdown_table(frame, limit=20)),
            "quarantine": MetadataValue.md(markdown_table(pd.DataFrame(corpus.quarantine), limit=20, width=80)),
        }
    )
    return corpus


def _text_apart(doc: NormalizedDocument) -> tuple[dict[str, pa.Table], NormalizedDocument]:
    """A document's text as a one-row table (the snapshot keeps texts in Arrow) and the document without it."""
    text = pa.table(
        {
            "doc_id": pa.array([doc.doc_id], pa.large_string()),
            "text": pa.array([doc.text], pa.large_string()),
            "chars": pa.array([len(doc.text)], pa.int64()),
        }
    )
    return {"texts": text}, dataclasses.replace(doc, text="")
