"""One file's bytes → one normalized document: its text, script, format and metadata."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from assets.domain.reading.decode import InputError
from assets.domain.reading.metadata import Metadata, infer_metadata
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.origins import Origin, carried_over
from assets.domain.reading.source_text import read_source

# Bump when a change to parsing changes output for unchanged input (cache keys and release notes use it).
PARSER_VERSION = "3.1"


@dataclass(frozen=True)
class NormalizedDocument:
    doc_id: str
    source_file: str
    sha256: str
    text: str
    encoding: str
    script: str
    source_format: str | None
    byte_count: int
    metadata: Metadata
    removed: tuple[str, ...]  # debris lines the normalizer dropped
    source_url: str | None = None  # where it was downloaded from, and when (sources.csv)
    retrieved_on: dt.date | None = None
    format: str = "text"  # what was read: text, html, docx, pdf
    page_count: int | None = None  # pages of a PDF
    origins: tuple[Origin, ...] = ()  # spans of `text` with the PDF page or task-table row they came from
    decode_doubt: str | None = None  # why the encoding is a guess to check (published as a parse warning)


def doc_id_for(source_file: str) -> str:
    """Stable document id: the first 12 hex digits of SHA-1 over the path relative to RAW_DIR."""
    return hashlib.sha1(f"doc:{source_file}".encode("utf-8")).hexdigest()[:12]


def document_from_bytes(source_file: str, data: bytes, sha256: str, manifest: dict) -> NormalizedDocument:
    """Decode, normalize and describe one file's bytes (`manifest`: its row of sources.csv); raise InputError when it
    cannot be published."""
    source = read_source(source_file, data)
    normalized = normalize_text(source.text)
    if not normalized.text.strip():
        raise InputError("normalize", "no text left after removing markup and scrape debris")
    inferred = infer_metadata(normalized.text, normalized.file_name)
    metadata = inferred.overridden_by(manifest)
    fmt = manifest.get("format") or ("html" if normalized.was_html else None)
    return NormalizedDocument(
        doc_id=doc_id_for(source_file),
        source_file=source_file,
        sha256=sha256,
        text=normalized.text,
        encoding=source.encoding,
        script=normalized.script,
        source_format=fmt,
        byte_count=len(data),
        metadata=metadata,
        removed=normalized.removed,
        source_url=manifest.get("source_url") or None,
        retrieved_on=manifest.get("retrieved_on") or None,
        format=source.format,
        page_count=source.page_count,
        origins=carried_over(source.origins, source.text, normalized.text, normalized.script == "traditional"),
        decode_doubt=source.doubt,
    )
