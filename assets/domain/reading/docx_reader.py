"""A Word (.docx) file → its text: paragraphs and tables in document order (python-docx); task tables rendered by
`task_tables`, other tables one cell per line."""

import io
import zipfile

from assets.domain.reading.decode import InputError
from assets.domain.reading.origins import Origin, SourceText
from assets.domain.reading.task_tables import render_grid


def read_docx(data: bytes) -> SourceText:
    """The text of a .docx file, with its task tables' rows located in it."""
    import docx  # imported here: only folders with Word files pay for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, XMLSyntaxError) as exc:
        raise InputError("read", f"not a readable Word (.docx) document ({exc.__class__.__name__}: {exc})") from exc
    lines: list[str] = []
    rows: list[tuple[int, int, int, int]] = []  # (first line, end line, table, row)
    tables = 0
    for block in blocks:
        if not isinstance(block, Table):
            lines.extend(block.text.split("\n"))
            continue
        grid = _grid(block)
        rendered = render_grid(grid)
        if rendered is None:
            lines.extend(_cells_once(grid))
            continue
        tables += 1
        base = len(lines)
        lines.extend(rendered.lines)
        rows += [(base + first, base + end, tables, row) for first, end, row in rendered.rows]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("read", "Word document without text (only images or empty): OCR its images or get a text version")
    origins = tuple(Origin(offsets[first], offsets[end] - 1, table=table, row=row) for first, end, table, row in rows)
    return SourceText(text, "docx", "utf-8", None, origins)


def _grid(table) -> list[list[str]]:
    """Cell texts row by row; a merged cell repeats its text in each position it covers (as python-docx gives it)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def _cells_once(grid: list[list[str]]) -> list[str]:
    """A table that is not a task table: each row's cells one per line, a merged cell once."""
    lines = []
    for row in grid:
        previous = None
        for cell in row:
            if cell != previous and cell.strip():
                lines.extend(cell.split("\n"))
            previous = cell
    return lines
