"""Where each part of a document's text came from (a PDF page, a task-table row): the text a reader made of a file
(`SourceText`), and those places carried onto the normalized text.

Normalization only drops characters (spaces, line breaks, debris lines, a repeated title) and maps others one to one
(full width, Traditional script), so the normalized text's characters are found in order in the reader's text: each
line is located by its opening characters, then its characters are matched one by one from there.
"""

import bisect
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ANCHOR = 8  # characters of a normalized line searched for to find where it starts in the reader's text
LOOKAHEAD = 400  # how far a single character is searched for before it is taken as changed, not dropped


@dataclass(frozen=True)
class Origin:
    """A span of a text and where it came from."""

    start: int
    end: int
    page: int | None = None  # page of a PDF, from 1
    table: int | None = None  # task table of the document, from 1
    row: int | None = None  # row of that table as the file has it, header row = 1


def carried_over(origins: tuple[Origin, ...], source: str, normalized: str, traditional: bool = False) -> tuple[Origin, ...]:
    """`origins` (spans of `source`) as spans of `normalized`; a span none of whose characters survived is left out."""
    if not origins:
        return ()
    norm_at, src_at = _alignment(_folded(source, traditional), _folded(normalized, False))
    out = []
    for origin in origins:
        first = bisect.bisect_left(src_at, origin.start)
        last = bisect.bisect_left(src_at, origin.end) - 1
        if first > last:
            continue
        out.append(Origin(norm_at[first], norm_at[last] + 1, origin.page, origin.table, origin.row))
    return tuple(out)


def _alignment(source: str, normalized: str) -> tuple[list[int], list[int]]:
    """Pairs (offset in `normalized`, offset in `source`) of matched non-space characters, both increasing."""
    norm_at: list[int] = []
    src_at: list[int] = []
    j = 0
    line_start = True
    for i, ch in enumerate(normalized):
        if ch == "\n":
            line_start = True
            continue
        if ch.isspace():
            continue
        if line_start:
            line_start = False
            anchor = "".join(c for c in normalized[i : i + ANCHOR * 2] if not c.isspace())[:ANCHOR]
            found = _find_spaced(source, anchor, j)
            if found >= 0:
                j = found
        k = source.find(ch, j, j + LOOKAHEAD)
        if k < 0:
            continue
        norm_at.append(i)
        src_at.append(k)
        j = k + 1
    return norm_at, src_at


def _find_spaced(source: str, anchor: str, start: int) -> int:
    """Where `anchor` starts in `source` from `start`, allowing whitespace between its characters (a wrapped line)."""
    if not anchor:
        return -1
    at = source.find(anchor, start)
    if at >= 0:
        return at
    at = source.find(anchor[0], start)
    while at >= 0:
        k, matched = at + 1, 1
        while matched < len(anchor) and k < len(source) and (source[k].isspace() or source[k] == anchor[matched]):
            matched += source[k] == anchor[matched]
            k += 1
        if matched == len(anchor):
            return at
        at = source.find(anchor[0], at + 1)
    return -1


def _folded(text: str, traditional: bool) -> str:
    """`text` with each character mapped as normalization maps it (width, script), one character for one."""
    if traditional:
        converted = _t2s().convert(text)
        if len(converted) == len(text):
            text = converted
    return text.translate(_width_table())


@lru_cache(maxsize=None)
def _t2s():
    import opencc  # only for a Traditional-script document

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=None)
def _width_table() -> dict[int, int]:
    """Full-width and compatibility characters that NFKC maps to one ASCII character."""
    table = {}
    for cp in range(0x3000, 0x10000):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp) and folded.isascii():
            table[cp] = ord(folded)
    return table


def page_of(origins: tuple[Origin, ...], offset: int) -> int | None:
    """The page of the origin span holding `offset` (or the last one starting before it)."""
    starts = [o.start for o in origins if o.page is not None]
    at = bisect.bisect_right(starts, offset) - 1
    pages = [o.page for o in origins if o.page is not None]
    return pages[at] if at >= 0 else (pages[0] if pages else None)


def row_of(origins: tuple[Origin, ...], offset: int) -> Origin | None:
    """The task-table row whose span holds `offset`, or None."""
    for origin in origins:
        if origin.table is not None and origin.start <= offset < origin.end:
            return origin
    return None


@dataclass(frozen=True)
class SourceText:
    text: str
    format: str  # text, html, docx or pdf: what was read, from the file's bytes where they say, else its extension
    encoding: str  # of the bytes the text was decoded from (docx: its XML; pdf: "pdf", the text layer's own encodings)
    page_count: int | None = None  # pages of a PDF
    origins: tuple[Origin, ...] = ()  # spans of `text` with their page or task-table row
    doubt: str | None = None  # why the text's encoding is a guess to check (`Decoded.doubt`)
