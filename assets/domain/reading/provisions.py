"""A normalized document's provisions as `measures` rows and its `documents` row."""

from collections import Counter
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from assets.catalog.doc_types import doc_type, is_draft
from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import NormalizedDocument
from assets.domain.reading.origins import Origin, page_of, row_of
from assets.domain.reading.outline import Outline, parse_outline
from assets.domain.reading.repetition import remove_repetition

# A plan has tens to a few hundred provisions; thousands mean the text is something else (a site dump, a table).
MAX_PROVISIONS = 2000


def extract_outline(doc: NormalizedDocument) -> Outline:
    """The document's provisions; raise InputError(stage='outline') when it has none."""
    outline = parse_outline(doc.text)
    if not outline.provisions:
        lines = doc.text.split("\n")
        raise InputError(
            "outline",
            f"no provisions found in {len(lines)} line(s) of text: tried numbering labels (一、 （一） 1. （1） ① "
            "第X条 一是, also behind debris and run together on one line) and unnumbered paragraphs ending in a "
            f"responsibility annotation; the text starts {lines[0][:40]!r}",
        )
    if len(outline.provisions) > MAX_PROVISIONS:
        raise InputError(
            "outline",
            f"{len(outline.provisions)} numbered provisions, more than the {MAX_PROVISIONS} "
            "a single plan can plausibly hold: not a policy plan, or several documents in one file",
        )
    return outline


@dataclass(frozen=True)
class DocumentProvisions:
    """A document's `measures` rows as an Arrow table in MEASURE_SCHEMA, and its numbering warnings: the stage's snapshot
    keeps the rows as they are, and ten thousand documents' rows combine without a conversion per value."""

    rows: pa.Table
    warnings: tuple[str, ...]

    @property
    def kinds(self) -> Counter:
        return Counter(self.rows.column("kind").to_pylist())


LONG_STRING = pa.large_string()  # pandas' Arrow-backed strings: taken over as they are, not converted
SECTION_PATH = pa.list_(LONG_STRING)
MEASURE_SCHEMA = pa.schema(
    [
        ("measure_id", LONG_STRING),
        ("doc_id", LONG_STRING),
        ("seq", pa.int64()),
        ("kind", LONG_STRING),
        ("number", pa.int64()),
        ("label", LONG_STRING),
        ("section_path", SECTION_PATH),
        ("title", LONG_STRING),
        ("text", LONG_STRING),
        ("cluster_id", LONG_STRING),
        ("repeated_text_removed", pa.bool_()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("responsibility_text", LONG_STRING),
        ("section_responsibility_text", LONG_STRING),
        ("page_start", pa.int64()),
        ("page_end", pa.int64()),
        ("table_number", pa.int64()),
        ("table_row", pa.int64()),
    ]
)


def document_provisions(doc: NormalizedDocument) -> DocumentProvisions:
    """The outline of `doc` as `measures` rows; raise InputError(stage='outline') when it has no provision."""
    outline = extract_outline(doc)
    rows = measure_rows(doc.doc_id, outline, doc.origins)
    return DocumentProvisions(pa.Table.from_pylist(rows, schema=MEASURE_SCHEMA), tuple(outline.warnings))


def measures_frame(rows: pa.Table) -> pd.DataFrame:
    """The `measures` rows of a corpus (`DocumentProvisions.rows` combined) as one frame of Arrow-backed columns;
    section_path stays an Arrow list column (its values are lists): five steps read it, and making Python lists of it
    each time is slow."""
    table = rows.cast(MEASURE_SCHEMA) if rows.num_rows else MEASURE_SCHEMA.empty_table()
    return table.to_pandas(types_mapper={SECTION_PATH: pd.ArrowDtype(SECTION_PATH)}.get)


def document_row(doc: NormalizedDocument, kinds: Counter) -> dict:
    """The `documents` row of `doc`, given how many provisions of each kind its outline has."""
    md, place = doc.metadata, doc.metadata.place
    return {
        "doc_id": doc.doc_id,
        "source_file": doc.source_file,
        "sha256": doc.sha256,
        "title": md.title or doc.source_file.rsplit("/", 1)[-1].rsplit(".", 1)[0],
        "title_source": "text" if "title" in md.inferred else "manifest" if md.title else "file_name",
        "inferred_fields": list(md.inferred),
        "issuer": md.issuer,
        "issue_date": md.issue_date,
        "doc_number": md.doc_number,
        "region": place.region,
        "region_code": place.region_code,
        "province": place.province,
        "duplicate_of": None,
        "admin_level": place.level,
        "prefecture": place.prefecture,
        "county": place.county,
        "zone": place.zone,
        "region_evidence": place.evidence,
        "doc_type": doc_type(md.title),
        "is_draft": is_draft(md.title, doc.text[:1000]),
        "source_url": doc.source_url,
        "retrieved_on": doc.retrieved_on,
        "encoding": doc.encoding,
        "script": doc.script,
        "source_format": doc.source_format,
        "format": doc.format,
        "page_count": doc.page_count,
        "byte_count": doc.byte_count,
        "char_count": len(doc.text),
        "measure_count": kinds.get("measure", 0),
        "provision_count": sum(kinds.values()),
    }


def measure_rows(doc_id: str, outline: Outline, origins: tuple[Origin, ...] = ()) -> list[dict]:
    """`measures` rows; a label repeated within a kind gets an occurrence suffix in its id. `origins` give each row its
    PDF pages and task-table row."""
    seen: Counter = Counter()
    rows = []
    for p in outline.provisions:
        seen[(p.kind, p.number)] += 1
        occurrence = seen[(p.kind, p.number)]
        measure_id = f"{doc_id}-{p.kind}-{p.number:03d}" + (f"-{occurrence}" if occurrence > 1 else "")
        own = [p.annotation] if p.annotation else []
        text, repeated = remove_repetition(p.text)
        rows.append(
            {
                "measure_id": measure_id,
                "doc_id": doc_id,
                "seq": p.seq,
                "kind": p.kind,
                "number": p.number,
                "label": p.label,
                "section_path": list(p.section_path),
                "title": p.title,
                "text": text,
                "cluster_id": measure_id,
                "repeated_text_removed": repeated,
                "char_start": p.char_start,
                "char_end": p.char_end,
                "responsibility_text": "\n".join(own + list(p.annotation_lines)) or None,
                "section_responsibility_text": "\n".join(p.section_annotation_lines) or None,
                **_provenance(origins, p.char_start, p.char_end),
            }
        )
    return rows


def _provenance(origins: tuple[Origin, ...], start: int, end: int) -> dict:
    """The PDF pages a provision's text runs over and the task-table row it was rendered from (None where not known)."""
    row = row_of(origins, start)
    return {
        "page_start": page_of(origins, start),
        "page_end": page_of(origins, max(start, end - 1)),
        "table_number": row.table if row else None,
        "table_row": row.row if row else None,
    }
