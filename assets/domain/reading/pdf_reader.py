"""A PDF → its text layer as paragraphs, with the page each part is on (pdfplumber).

A PDF holds lines, not paragraphs: a line that runs to the right edge of the text and is followed by one that is not
indented continues into it, also across a page break; page numbers at the top or bottom of a page are dropped. A
PDF without a text layer (a scan) or with a password is named as such, not published empty.
"""

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from assets.domain.reading.decode import InputError
from assets.domain.reading.origins import Origin, SourceText

PAGE_NUMBER = re.compile(
    r"^(?:[-—－–]\s*\d{1,3}\s*[-—－–]|\d{1,3}|\d{1,3}\s*/\s*\d{1,3}"
    r"|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?)$"
)
MIN_TEXT_PAGES = 0.5  # below this share of pages with a text layer, the PDF is taken as a scan


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float  # left edge of its first visible character
    x1: float
    size: float  # character height


def read_pdf(data: bytes) -> SourceText:
    """The text of a PDF, with each page's span in it."""
    pages = _page_lines(data)
    with_text = sum(1 for lines in pages if lines)
    if with_text == 0:
        raise InputError(
            "read",
            f"scanned PDF: none of its {len(pages)} page(s) has a text layer; OCR it first "
            "(e.g. ocrmypdf -l chi_sim) or put a text version in RAW_DIR",
        )
    if with_text < MIN_TEXT_PAGES * len(pages):
        raise InputError(
            "read",
            f"partly scanned PDF: only {with_text} of its {len(pages)} pages have a text layer; "
            "OCR it first (e.g. ocrmypdf -l chi_sim --skip-text) or put a text version in RAW_DIR",
        )
    paragraphs, page_starts = _paragraphs([line for lines in pages for line in lines])
    text = "\n".join(paragraphs)
    origins = []
    for i, (page, start) in enumerate(page_starts):
        end = page_starts[i + 1][1] if i + 1 < len(page_starts) else len(text)
        origins.append(Origin(start, max(end, start), page=page))
    return SourceText(text, "pdf", "pdf", len(pages), tuple(o for o in origins if o.end > o.start))


def _page_lines(data: bytes) -> list[list[Line]]:
    """Each page's text lines, top to bottom, without page numbers at its top or bottom."""
    import pdfplumber  # imported here: only folders with PDFs pay for it
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_lines(page, number) for number, page in enumerate(pdf.pages, start=1)]
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() or "encrypt" in str(cause).lower():
            raise InputError("read", "encrypted PDF: it needs a password to open; get an unprotected copy or its text") from exc
        raise InputError("read", f"damaged or unreadable PDF ({cause.__class__.__name__}: {cause})") from exc
    except Exception as exc:  # pdfminer raises many types on damaged files; each becomes this file's quarantine
        raise InputError("read", f"damaged or unreadable PDF ({exc.__class__.__name__}: {exc})") from exc


def _lines(page, number: int) -> list[Line]:
    lines = []
    for found in page.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in found["chars"] if c["text"].strip()]
        text = found["text"].strip()
        if not chars or not text:
            continue
        size = statistics.median(c["bottom"] - c["top"] for c in chars)
        lines.append(Line(number, text, chars[0]["x0"], chars[-1]["x1"], size))
    while lines and PAGE_NUMBER.match(lines[-1].text.replace(" ", "")):
        lines.pop()
    while lines and PAGE_NUMBER.match(lines[0].text.replace(" ", "")):
        lines.pop(0)
    return lines


def _paragraphs(lines: list[Line]) -> tuple[list[str], list[tuple[int, int]]]:
    """Lines joined into paragraphs, and (page, offset in the paragraphs joined by newlines) where each page begins."""
    if not lines:
        return [], []
    size = statistics.median(line.size for line in lines)
    lefts = Counter(round(line.x0) for line in lines)
    left = min((x for x, n in lefts.items() if n >= 2), default=min(lefts))
    ends = sorted(line.x1 for line in lines)
    right = ends[int(0.98 * (len(ends) - 1))]
    paragraphs: list[str] = []
    page_starts: list[tuple[int, int]] = []
    length = 0  # of the paragraphs so far joined by newlines
    previous: Line | None = None
    for line in lines:
        if previous is not None and _continued(previous, line, left, right, size):
            start = length
            paragraphs[-1] += line.text
        else:
            start = length + (1 if paragraphs else 0)
            paragraphs.append(line.text)
        length = start + len(line.text)
        if previous is None or line.page != previous.page:
            page_starts.append((line.page, start))
        previous = line
    return paragraphs, page_starts


def _continued(previous: Line, line: Line, left: float, right: float, size: float) -> bool:
    """`previous` wraps into `line`: it runs to the right edge and `line` is not indented, or both are centred (a long
    title) and `previous` fills the width."""
    if previous.x1 >= right - 1.5 * size and line.x0 <= left + size / 2:
        return True
    centred = all(abs((x.x0 - left) - (right - x.x1)) < size for x in (previous, line))
    return centred and previous.size == line.size and previous.x1 - previous.x0 >= right - left - 2 * previous.size
