"""A saved web page → the article's text: trafilatura finds the main content (navigation, share buttons and footer
dropped); page chrome it keeps (当前位置, 发布时间/浏览次数) is dropped by the patterns in `data/web_page_chrome.csv`;
the title is the article's, not `<title>`'s site suffix; task tables are rendered by `task_tables` first."""

import re
from functools import lru_cache

from assets.catalog import vocabulary
from assets.domain.reading.decode import InputError, decode_bytes
from assets.domain.reading.origins import Origin, SourceText
from assets.domain.reading.task_tables import render_grid

CHROME_LINE_MAX = 120  # chrome is short: a longer line is text even when a pattern matches part of it
TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|——|—|\s-\s)\s*")


@lru_cache(maxsize=None)
def _chrome() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(row["pattern"]) for row in vocabulary("web_page_chrome.csv"))


def is_chrome(line: str) -> bool:
    """A line of page furniture rather than of the article."""
    return len(line) <= CHROME_LINE_MAX and any(p.search(line) for p in _chrome())


def read_html(data: bytes) -> SourceText:
    """The article of a saved web page as text, with its task tables' rows located in it."""
    import trafilatura  # imported here: only folders with web pages pay for it
    from lxml import etree
    from lxml import html as lxml_html

    decoded = decode_bytes(data)
    try:
        tree = lxml_html.document_fromstring(decoded.text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise InputError("read", f"not a readable web page ({exc})") from exc
    links = {_squeezed(a.text_content()) for a in tree.iter("a")}
    rows: list[tuple[str, str, int, int]] = []  # (first and last line of a rendered row, table, row)
    tables = 0
    for table in list(tree.iter("table")):
        rendered = render_grid(_grid(table))
        if rendered is None:
            continue
        tables += 1
        block = lxml_html.Element("div")
        for line in rendered.lines:
            etree.SubElement(block, "p").text = line
        table.getparent().replace(table, block)
        rows += [(rendered.lines[first], rendered.lines[end - 1], tables, row) for first, end, row in rendered.rows]
    extracted = (
        trafilatura.extract(tree, include_tables=True, favor_recall=True, include_comments=False, include_images=False, deduplicate=False)
        or ""
    )
    lines = [line.strip() for line in extracted.split("\n")]
    lines = [line for line in lines if line and not is_chrome(line)]
    title = _title(tree)
    lines = _without_navigation(lines, title, links)
    if title and title not in lines[:5]:
        lines.insert(0, title)
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("read", "web page without article text (trafilatura found no main content)")
    return SourceText(text, "html", decoded.encoding, None, _row_origins(text, rows))


def _title(tree) -> str | None:
    """The article's title: the longest heading (h1-h3, or an element whose class or id says title) that the page's
    <title> also holds (sites write `article_site name`), else the first <h1>, else the longest part of <title>."""
    page_title = _squeezed(" ".join(t.text_content() for t in tree.iter("title")))
    candidates = [
        _squeezed(node.text_content())
        for node in tree.iter("h1", "h2", "h3", "div", "p", "span", "td")
        if node.tag in ("h1", "h2", "h3") or "title" in (node.get("class", "") + node.get("id", "")).lower()
    ]
    candidates = [c for c in candidates if 4 <= len(c) <= 150]
    in_title = [c for c in candidates if c in page_title]
    if in_title:
        return max(in_title, key=len)
    h1 = [_squeezed(node.text_content()) for node in tree.iter("h1")]
    if h1 and 4 <= len(h1[0]) <= 150:
        return h1[0]
    parts = [part.strip() for part in TITLE_SEPARATORS.split(page_title)]
    return max(parts, key=len) if parts and len(max(parts, key=len)) >= 4 else None


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _without_navigation(lines: list[str], title: str | None, links: set[str]) -> list[str]:
    """Menu items (lines that are the text of a link) before the article's title, or at the start when the title is
    not in the text, dropped: trafilatura keeps a page's navigation when the article is short."""
    at = lines.index(title) if title in lines else next((i for i, line in enumerate(lines) if line not in links), len(lines))
    return [line for line in lines[:at] if line not in links] + lines[at:]


def _grid(table) -> list[list[str]]:
    """A <table>'s rows as cell texts, rowspan and colspan expanded (a merged cell repeats its text)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text) of a cell spanning rows
    for tr in table.iter("tr"):
        if _owner(tr) is not table:
            continue
        row: list[str] = []
        cells = [cell for cell in tr if cell.tag in ("td", "th")]
        col = 0
        for cell in cells:
            while col in pending:
                row, col = _take_pending(pending, row, col)
            text = _cell_text(cell)
            span = _int(cell.get("colspan"))
            down = _int(cell.get("rowspan"))
            for _ in range(span):
                row.append(text)
                if down > 1:
                    pending[col] = (down - 1, text)
                col += 1
        while col in pending:
            row, col = _take_pending(pending, row, col)
        grid.append(row)
    return grid


def _take_pending(pending: dict[int, tuple[int, str]], row: list[str], col: int) -> tuple[list[str], int]:
    left, text = pending[col]
    row.append(text)
    if left > 1:
        pending[col] = (left - 1, text)
    else:
        del pending[col]
    return row, col + 1


def _owner(tr):
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    """A cell's text, its paragraphs and line breaks as newlines."""
    for node in cell.iter():
        if node is not cell and node.tag in ("br", "p", "div", "li"):
            node.tail = "\n" + (node.tail or "")
    return "\n".join(" ".join(line.split()) for line in "".join(cell.itertext()).split("\n") if line.strip())


def _row_origins(text: str, rows: list[tuple[str, str, int, int]]) -> tuple[Origin, ...]:
    """Each rendered row's span in the extracted text (from its first line to the end of its last), found in order."""
    origins = []
    at = 0
    for first_line, last_line, table, row in rows:
        start = text.find(first_line, at)
        end = text.find(last_line, start) if start >= 0 else -1
        if end < 0:
            continue
        at = end + len(last_line)
        origins.append(Origin(start, at, table=table, row=row))
    return tuple(origins)
