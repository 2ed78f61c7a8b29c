"""Stage 2 — normalized documents: decoded, cleaned, simplified text with metadata; bad files quarantined."""
import time
from dataclasses import dataclass, field

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, asset

from .lib.cache import ParseCache, cache_key
from .lib.decode import InputError
from .lib.documents import NormalizedDocument, read_document
from .logs import log_lines
from .previews import markdown_table
from .raw_files import RawInventory
from .settings import PipelineSettings


@dataclass
class NormalizedCorpus:
    documents: list[NormalizedDocument]
    quarantine: list[dict] = field(default_factory=list)
    cache_keys: dict[str, str] = field(default_factory=dict)  # doc_id → parse-cache key (for the later stages)


@asset(group_name="normalize", description="Decode (UTF-8/GB18030/UTF-16), strip markup and scrape debris, unify punctuation, "
                                           "remove PDF spacing, convert Traditional script; read title, issuer, date, 文号, region.")
def normalized_documents(context: AssetExecutionContext, settings: PipelineSettings, raw_files: RawInventory) -> NormalizedCorpus:
    started = time.perf_counter()
    corpus = NormalizedCorpus([])
    cache = ParseCache(settings.warehouse_path / "cache", "normalized")
    lines: list[tuple[str, str]] = []
    keys = [cache_key(raw) if raw.sha256 else None for raw in raw_files.files]
    results = cache.compute_all(keys, lambda i: read_document(raw_files.files[i]), settings.workers, progress="normalize")
    for raw, key, doc in zip(raw_files.files, keys, results):
        if isinstance(doc, InputError):
            lines.append(("warning", f"{raw.source_file}: quarantined at {doc.stage}: {doc.reason}"))
            corpus.quarantine.append({"source_file": raw.source_file, "sha256": raw.sha256, "stage": doc.stage, "reason": doc.reason})
            continue
        corpus.documents.append(doc)
        corpus.cache_keys[doc.doc_id] = key
        lines.append(("info", f"{raw.source_file}: {doc.encoding}, {doc.script}, {len(doc.text)} chars, "
                              f"title {doc.metadata.title or '(none)'}; dropped {len(doc.removed)} debris line(s)"))
    for name in raw_files.missing_from_disk:
        corpus.quarantine.append({"source_file": name, "sha256": None, "stage": "manifest",
                                  "reason": "listed in sources.csv but no such file under RAW_DIR"})
    frame = pd.DataFrame([{"source_file": d.source_file, "encoding": d.encoding, "script": d.script, "chars": len(d.text),
                           "title": d.metadata.title, "region": d.metadata.region} for d in corpus.documents])
    log_lines(context, lines, "per-document")
    pruned = cache.prune()
    context.add_output_metadata({
        "seconds": round(time.perf_counter() - started, 2),
        "cache_hits": cache.hits,
        "parsed": len(raw_files.files) - cache.hits,
        "cache_entries_pruned": pruned,
        "documents": len(corpus.documents),
        "quarantined": len(corpus.quarantine),
        "encodings": MetadataValue.json(frame["encoding"].value_counts().to_dict() if len(frame) else {}),
        "traditional_script": int((frame["script"] == "traditional").sum()) if len(frame) else 0,
        "preview": MetadataValue.md(markdown_table(frame, limit=20)),
        "quarantine": MetadataValue.md(markdown_table(pd.DataFrame(corpus.quarantine), limit=20, width=80)),
    })
    return corpus
