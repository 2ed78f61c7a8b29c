"""Task tables (序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限) as text the outline already reads.

Each row becomes a label line `序号.具体措施` followed by own-line fields (`牵头单位：…`, `配合单位：…`, `责任单位：…`,
`完成时限：…`, other columns as `表头：…`); the task columns left of the measure column (a 重点任务 cell spanning rows)
become numbered heading lines (`一、…`, `（一）…`) when their value changes. Column roles come from the header: the
responsibility-field vocabulary of `role_fields`, and `data/task_table_columns.csv` for the other columns and further
names of unit and deadline columns. One renderer serves every form a table arrives in: a grid of cells (Word, web
pages: merged cells repeat their text) and plain text (tab-separated, pipe-separated `| a | b |`, one cell per line).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assets.catalog import vocabulary
from assets.catalog.role_fields import DEADLINE, ROLE_OF_FIELD
from assets.catalog.vocabularies import ROLES
from assets.domain.reading.numerals import to_int

# The field a unit or deadline column is written under when its header is not a responsibility field itself.
FIELD_OF_ROLE = {"lead": "牵头单位", "cooperating": "配合单位", "responsible": "责任单位", "deadline": "完成时限"}
UNIT_ROLES = ROLES
QUALIFIER = re.compile(r"[（(][^（）()]*[）)]|[\s:：*]")
OWN_HEADING_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
NUMBER_CELL = re.compile(r"^(\d{1,3}|[一二三四五六七八九十]{1,3})[.、．]?$")
UNIT_LIST = re.compile(r"^[^。；]{2,120}[局委办院府心司行会部厅处科所队室站组团社庭馆署]$")
SEPARATOR_ROW = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
CN_DIGITS = "一二三四五六七八九"


@lru_cache(maxsize=None)
def _roles() -> dict[str, str]:
    """Header name → role: number, task, measure, or a responsibility field's (lead, cooperating, responsible,
    deadline, supervisor)."""
    roles = {header: row["role"] for row in vocabulary("task_table_columns.csv") for header in row["header"].split("|")}
    return roles | ROLE_OF_FIELD


def header_role(cell: str) -> str | None:
    """The role of a header cell (`牵头单位（部门）` → lead), or None when it names no known column."""
    return _roles().get(QUALIFIER.sub("", cell))


@dataclass(frozen=True)
class Columns:
    """What each column of a task table holds."""

    headers: tuple[str, ...]
    number: int | None
    sections: tuple[int, ...]  # task columns left of the measure column, outermost first
    measure: int
    fields: tuple[tuple[int, str], ...]  # (column, field name written before its value), in column order

    @property
    def width(self) -> int:
        return len(self.headers)


def read_header(cells: list[str]) -> Columns | None:
    """The columns of a task table whose header row is `cells`, or None when it is not one: it needs a measure (or
    task) column and a column of responsible units, and most of its cells must be known column names."""
    roles = [header_role(cell) for cell in cells]
    named = [cell for cell in cells if cell.strip()]
    known = [role for role in roles if role]
    if len(known) < 3 or len(known) * 3 < len(named) * 2 or not any(role in UNIT_ROLES for role in known):
        return None
    measures = [i for i, role in enumerate(roles) if role == "measure"] or [i for i, role in enumerate(roles) if role == "task"]
    if not measures:
        return None
    measure = measures[-1]
    numbers = [i for i, role in enumerate(roles) if role == "number"]
    sections = tuple(i for i, role in enumerate(roles[:measure]) if role == "task")
    fields = tuple(
        (i, _field_name(cells[i], role))
        for i, role in enumerate(roles)
        if i != measure and i not in sections and role != "number" and cells[i].strip()
    )
    return Columns(tuple(cells), numbers[0] if numbers else None, sections, measure, fields)


def _field_name(header: str, role: str | None) -> str:
    """The name a column's values are written under: its header when that is a responsibility field the annotation
    reader knows, the usual field of its role for other names of unit and deadline columns, else the header."""
    name = QUALIFIER.sub("", header)
    return name if name in ROLE_OF_FIELD else FIELD_OF_ROLE.get(role or "", name)


@dataclass
class RenderedTable:
    """A task table as text lines, and which lines each of its rows became."""

    lines: list[str] = field(default_factory=list)
    rows: list[tuple[int, int, int]] = field(default_factory=list)  # (first line, end line, row number in the table from 1)


def render_rows(columns: Columns, rows: list[tuple[int, list[str]]]) -> RenderedTable:
    """Render data rows `(row number in the table, cells)`. An empty task cell continues the one above (merged in the
    source); a row whose cells all say one thing is a heading over the rows below it; a row without a measure is
    skipped."""
    out = RenderedTable()
    banners = any(_banner(cells) for _, cells in rows)
    levels = len(columns.sections) + banners
    counters = [0] * levels
    current: list[str | None] = [None] * levels
    number = 0
    digit_first = any(_cell(cells, columns.measure)[:1].isdigit() for _, cells in rows)
    for row_no, cells in rows:
        first = len(out.lines)
        banner = _banner(cells)
        if banner is not None:
            _heading(out.lines, 0, banner, counters, current)
            out.rows.append((first, len(out.lines), row_no))
            continue
        for level, column in enumerate(columns.sections, start=banners):
            value = _cell(cells, column) or current[level]
            if value and value != current[level]:
                _heading(out.lines, level, value, counters, current)
        measure = _joined(_cell(cells, columns.measure), "")
        if not measure:
            continue
        written = NUMBER_CELL.match(_cell(cells, columns.number)) if columns.number is not None else None
        number = (to_int(written.group(1)) or number + 1) if written else number + 1
        out.lines.append(f"{number}{'、' if digit_first else '.'}{measure}")
        for column, name in columns.fields:
            value = _joined(_cell(cells, column), "、" if ROLE_OF_FIELD.get(name) in UNIT_ROLES else "，")
            if value:
                out.lines.append(f"{name}：{value}")
        out.rows.append((first, len(out.lines), row_no))
    return out


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column].strip() if column is not None and column < len(cells) else ""


def _joined(value: str, glue: str) -> str:
    """A cell's lines as one line (a cell's paragraphs are one field)."""
    parts = [part.strip() for part in value.split("\n") if part.strip()]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        text += ("" if text[-1] in "。；，、：;,:" else glue) + part
    return text


def _banner(cells: list[str]) -> str | None:
    """The text of a row that is one cell spanning the table (a heading row), or None."""
    values = {cell.strip() for cell in cells if cell.strip()}
    if len(values) != 1 or len(cells) < 3:
        return None
    value = values.pop()
    spans = sum(1 for cell in cells if cell.strip()) >= len(cells) - 1 or cells[0].strip() == value
    return value if spans and not NUMBER_CELL.match(value) and header_role(value) is None else None


def _heading(lines: list[str], level: int, value: str, counters: list[int], current: list[str | None]) -> None:
    counters[level] += 1
    for deeper in range(level + 1, len(counters)):
        counters[deeper], current[deeper] = 0, None
    current[level] = value
    text = _joined(value, "")
    if OWN_HEADING_LABEL.match(text):
        lines.append(text)
    else:
        numeral = _chinese(counters[level])
        lines.append(f"{numeral}、{text}" if level == 0 else f"（{numeral}）{text}")


def _chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    if n < 10:
        return CN_DIGITS[n - 1]
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


def render_grid(grid: list[list[str]]) -> RenderedTable | None:
    """A table as a grid of cell texts (merged cells repeating their text) rendered, or None when it is not a task
    table. The header is one of the first three rows; a second header row under it (责任单位 split into 牵头/配合)
    refines the first."""
    for at, cells in enumerate(grid[:3]):
        columns = read_header(cells)
        if columns is None:
            continue
        body = at + 1
        two_rows = _refined(cells, grid[body]) if body < len(grid) else None
        if two_rows and (refined := read_header(two_rows)):
            columns, body = refined, body + 1
        return render_rows(columns, [(i + 1, row) for i, row in enumerate(grid[body:], start=body)])
    return None


def _refined(upper: list[str], lower: list[str]) -> list[str] | None:
    """The header made of two header rows, or None when `lower` names no column of its own (it is a data row)."""
    lower = lower + [""] * (len(upper) - len(lower))
    if not any(header_role(low) and low.strip() != up.strip() for up, low in zip(upper, lower)):
        return None
    return [low if low.strip() and header_role(low) else up for up, low in zip(upper, lower)]


@dataclass
class TextTables:
    """A plain text with its task tables rendered, and where each rendered row is in it."""

    text: str
    rows: list[tuple[int, int, int, int]] = field(default_factory=list)  # (start, end offset, table number, row number)


def render_text_tables(text: str) -> TextTables:
    """Find task tables written as text (tab-separated rows, `| a | b |` rows, or one cell per line under a header of
    one cell per line) and render them; the rest of the text is kept as it is."""
    if not _any_unit_header(text):
        return TextTables(text)
    lines = text.split("\n")
    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []  # (first out line, end out line, table, row)
    tables = 0
    i = 0
    while i < len(lines):
        found = _table_at(lines, i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        rendered, end = found
        tables += 1
        base = len(out)
        out.extend(rendered.lines)
        spans += [(base + a, base + b, tables, row) for a, b, row in rendered.rows]
        i = end
    if not tables:
        return TextTables(text)
    offsets = [0]
    for line in out:
        offsets.append(offsets[-1] + len(line) + 1)
    return TextTables("\n".join(out), [(offsets[a], offsets[b] - 1, table, row) for a, b, table, row in spans])


def _any_unit_header(text: str) -> bool:
    return any(name in text for name, role in _roles().items() if role in UNIT_ROLES)


def _split(line: str) -> tuple[str, list[str]] | None:
    """A text line as table cells: (separator, cells) for a tab- or pipe-separated row, else None."""
    if line.count("\t") >= 2:
        return "\t", [cell.strip() for cell in line.split("\t")]
    stripped = line.strip()
    if stripped.count("|") >= 3 and stripped.startswith("|"):
        return "|", [cell.strip() for cell in stripped.strip("|").split("|")]
    return None


def _table_at(lines: list[str], i: int) -> tuple[RenderedTable, int] | None:
    """The task table whose header starts at line `i`, rendered, and the line after it; or None."""
    split = _split(lines[i])
    if split is not None:
        separator, cells = split
        columns = read_header(cells)
        return None if columns is None else _separated_rows(lines, i + 1, separator, columns)
    if header_role(lines[i].strip()) is None:
        return None
    end = i
    while end < len(lines) and lines[end].strip() and header_role(lines[end].strip()) is not None:
        end += 1
    columns = read_header([line.strip() for line in lines[i:end]])
    if columns is None or columns.number != 0:
        return None
    return _cell_per_line_rows(lines, end, columns)


def _separated_rows(lines: list[str], i: int, separator: str, columns: Columns) -> tuple[RenderedTable, int] | None:
    rows = []
    row_no = 1
    while i < len(lines):
        if not lines[i].strip():
            nxt = next((j for j in range(i, len(lines)) if lines[j].strip()), None)
            if nxt is None or _split(lines[nxt]) is None:
                break
            i = nxt
        split = _split(lines[i]) if separator == "\t" or not SEPARATOR_ROW.match(lines[i].strip()) else (separator, [])
        if split is None or split[0] != separator:
            break
        if split[1]:
            row_no += 1
            cells = split[1] + [""] * (columns.width - len(split[1]))
            rows.append((row_no, cells))
        i += 1
    rendered = render_rows(columns, rows)
    return (rendered, i) if rendered.rows else None


def _cell_per_line_rows(lines: list[str], i: int, columns: Columns) -> tuple[RenderedTable, int] | None:
    """Rows written one cell per line: each opens with its 序号 (the next number); a merged task cell is left out of
    the rows it spans, an empty cell is left out, and a measure may take several lines."""
    rows = []
    expected = 1
    sizes: list[int] = []
    row_no = 1
    while i < len(lines) and _number(lines[i]) == expected:
        start = i + 1
        end = start
        while end < len(lines) and _number(lines[end]) != expected + 1 and lines[end].strip():
            end += 1
        if end >= len(lines) or _number(lines[end]) != expected + 1:
            end = _last_row_end(lines, start, end, columns, max(sizes) if sizes else columns.width - 1)
        cells = [line.strip() for line in lines[start:end]]
        if not cells:
            break
        sizes.append(len(cells))
        row_no += 1
        rows.append((row_no, _placed(cells, columns, lines[i].strip())))
        expected += 1
        i = end
    rendered = render_rows(columns, rows)
    return (rendered, i) if len(rendered.rows) >= 2 else None


def _last_row_end(lines: list[str], start: int, end: int, columns: Columns, longest: int) -> int:
    """Where the last row of a one-cell-per-line table ends (no next 序号 says so): after its last cell that reads as a
    value of the table's last column (a deadline, a list of units), within the length of the longest row before it."""
    last_role = header_role(columns.headers[-1])
    for stop in range(min(end, start + longest), start, -1):
        cell = lines[stop - 1].strip()
        if DEADLINE.match(cell) if last_role == "deadline" else bool(UNIT_LIST.search(cell)):
            return stop
    return min(end, start + longest)


def _number(line: str) -> int | None:
    m = NUMBER_CELL.match(line.strip())
    return to_int(m.group(1)) if m else None


def _placed(cells: list[str], columns: Columns, number: str) -> list[str]:
    """The cells of a one-cell-per-line row put in their columns. An empty cell is simply missing, so: the deadline is
    the last cell when it reads as one; the cells before it that read as lists of units fill the unit columns from the
    left; task cells come first when there is room and they read as headings; the rest is the measure."""
    placed = [""] * columns.width
    placed[columns.number] = number
    cells = list(cells)
    after = [i for i in range(columns.measure + 1, columns.width) if i != columns.number]
    deadline = [i for i in after if header_role(columns.headers[i]) == "deadline"]
    if deadline and len(cells) > 1 and DEADLINE.match(cells[-1]):
        placed[deadline[-1]] = cells.pop()
    others = [i for i in after if i not in deadline]
    units = 0
    while units < len(others) and len(cells) - units > 1 and UNIT_LIST.search(cells[-1 - units]):
        units += 1
    for column, value in zip(others, cells[len(cells) - units :]):
        placed[column] = value
    del cells[len(cells) - units :]
    sections = [i for i in range(columns.measure) if i != columns.number]
    if len(cells) > len(sections) and all(len(c) <= 30 and "。" not in c for c in cells[: len(sections)]):
        for column in sections:
            placed[column] = cells.pop(0)
    placed[columns.measure] = "\n".join(cells)
    return placed
