"""Normalize a decoded policy text: one clean paragraph per line, simplified script, unified punctuation.

Each step is a small function so tests can pin its rule; `normalize_text` runs them in order.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import numpy as np

from assets.catalog import vocabulary
from assets.catalog.part_kinds import part_kind
from assets.catalog.role_fields import FIELD_LINE
from assets.domain.reading.labels import match_label
from assets.domain.reading.numerals import to_int

TERMINAL = "。；！？"
HSPACE = "[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
FILE_NAME = re.compile(r"^[^\s/\\]{1,150}\.(?:pdf|docx?|wps|ofd|xlsx?|html?)$", re.IGNORECASE)
DISCLAIMER = re.compile(r"如有侵权|版权归原作者|转载请注明|联系删除|本站不承担")
PAGE_FURNITURE = re.compile(r"^(?:[-—－]\s*\d{1,3}\s*[-—－]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
TAIWAN_MARKERS = ("最佳化", "網際網路", "資訊", "軟體", "數位", "網路", "行動裝置")


@dataclass(frozen=True)
class Normalized:
    """A normalized document text and what the normalizer noticed on the way."""

    text: str
    script: str  # "simplified" or "traditional" (the script of the raw text; `text` is always simplified)
    was_html: bool = False
    removed: tuple[str, ...] = field(default=())  # debris lines dropped, for the log
    file_name: str | None = None  # a trailing file name such as "XX行动方案.pdf", dropped from the text


def normalize_text(raw: str) -> Normalized:
    """Run every normalization step; the result has one paragraph per line and no blank lines."""
    text = ZERO_WIDTH.sub("", unify_newlines(raw))
    was_html = looks_like_html(text)
    if was_html:
        text = strip_html(text)
    text, script = to_simplified(text)
    text = PINYIN.sub("", text)
    text = strip_markdown(SCRAPE_DEBRIS.sub("", drop_sprinkled_symbols(INLINE_PAGE_NUMBER.sub("", text))))
    text = LABEL_STAR.sub(r"\1", unify_width(text))
    removed: list[str] = []
    lines = split_table_cells(text.split("\n"), removed)
    lines = drop_repeated_title(lines, removed)
    lines = split_run_on_lines(lines)
    lines = [strip_bullet(remove_spurious_spaces(line)) for line in lines]
    lines = drop_table_of_contents(lines, removed)
    lines = split_inline_articles(split_inline_items(lines))
    lines = join_wrapped_lines([line for line in lines if line])
    lines, file_name = drop_debris(lines, removed)
    return Normalized("\n".join(lines), script, was_html, tuple(removed), file_name)


def unify_newlines(text: str) -> str:
    return re.sub(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]", "\n", text)


def looks_like_html(text: str) -> bool:
    return len(re.findall(r"</?(?:p|div|br|span|td|tr|table|body|html|h[1-6]|li|section|article)\b[^>]*>", text[:200_000], re.I)) >= 2


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "title", "ul", "ol"}
    CELL = {"td", "th"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in self.CELL:
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Text content of an HTML page: tags removed, entities decoded, block elements on their own lines."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


MARKDOWN_COMMENT = re.compile(r"<!--.*?-->", re.S)
MARKDOWN_HEADING = re.compile(r"^[ \t\u3000]{0,3}#{1,6}[ \t]*", re.M)
MARKDOWN_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)


def strip_markdown(text: str) -> str:
    """Markup of repositories of legal texts is page chrome: HTML comments, `#` heading marks, `**` and rules go,
    the heading text stays (`## 第一章 总则` → `第一章 总则`)."""
    text = MARKDOWN_COMMENT.sub("", text)
    if "#" in text:
        text = MARKDOWN_HEADING.sub("", text)
    return MARKDOWN_RULE.sub("", text.replace("**", ""))


# Scrape debris where a paragraph starts: `?`/`？`/U+FFFD left where full-width spaces were lost, and the mojibake of
# full-width and no-break spaces read in the wrong encoding (`銆€`, `聽`, `锟斤拷`); only before text, never after it.
SCRAPE_DEBRIS = re.compile(r"(?:^|(?<=[\s。；;：:！!]))(?:[?？\ufffd]|锟斤拷|銆€|聽)+[ \t\u3000]*(?=[\u4e00-\u9fff（(\[【〔①-⑳\d“#])", re.M)
# A page number a PDF left inside the text: `—— 1 ——`.
INLINE_PAGE_NUMBER = re.compile(r"[—－]{2}\s*\d{1,3}\s*[—－]{2}")
SPRINKLE_SYMBOLS = "@#$^&\\"  # never `%` or `~`: they belong to numbers


def drop_sprinkled_symbols(text: str) -> str:
    """Symbols a site sprinkles between characters against copying (`第@@一@@条`): a symbol whose runs are frequent
    and mostly sit between two Chinese characters or punctuation marks goes everywhere (an e-mail's `@` stays)."""
    for symbol in SPRINKLE_SYMBOLS:
        runs = [(text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]) for m in re.finditer(f"{re.escape(symbol)}+", text)]
        if len(runs) < 10:
            continue
        inside = sum(1 for a, b in runs if a and b and not a.isascii() and not b.isascii())
        if inside >= 0.6 * len(runs):
            text = text.replace(symbol, "")
    return text


# A footnote star between a label's number and its dot: `1* .`, `2*.`, `3＊、`.
LABEL_STAR = re.compile(r"(?:^|(?<=[\s。；]))(\d{1,6})[ \t]*\*[ \t]*(?=[.、])", re.M)
BULLET = re.compile(r"^[●•·■□◆◇▪▫►▶★☆※➢➤✓√>*\-—]+\s*")


def strip_bullet(line: str) -> str:
    """A bullet in front of a numbering label (`● 1.`, `■（一）`) is dropped; bullets before plain text stay."""
    m = BULLET.match(line)
    if m and match_label(line[m.end() :]):
        return line[m.end() :]
    return line


INLINE_ITEM = re.compile(r"（(\d{1,3}|[一二三四五六七八九十]{1,3})）|([①-⑳])")
ITEM_AFTER = "。；：）"


TOC_HEADING = re.compile(r"^目录[:：]?$")
TOC_PAGE = re.compile(r"(?:[.…·_\-—－\s]*[-—－(（]?\s*\d{1,3}\s*[-—－)）]?)$")


def drop_table_of_contents(lines: list[str], removed: list[str]) -> list[str]:
    """A table of contents (`目录` and the headings it lists, with or without page numbers) is not the outline:
    it runs until a heading it listed first comes again, or until a line of prose (with `。`, or long)."""
    start = next((i for i, line in enumerate(lines) if TOC_HEADING.match(line)), None)
    if start is None:
        return lines
    first, end = None, start + 1
    while end < len(lines):
        line = lines[end]
        entry = TOC_PAGE.sub("", line) or line
        if "。" in line or len(line) > 60 or entry == first:
            break
        first = first or entry
        end += 1
    if first is None:
        return lines
    removed.extend(lines[start:end])
    return lines[:start] + lines[end:]


INLINE_ARTICLE = re.compile(r"(?<=[。；！？])第([一二三四五六七八九十百零〇两]+|\d+)条(?=[\u4e00-\u9fff“（])")


def split_inline_articles(lines: list[str]) -> list[str]:
    """Articles run together on one line (`…条件。第三条优化营商环境…`) go on lines of their own, where their numbers
    continue the articles before them: `…。第十五条规定的…` in the middle of article 7 stays text."""
    out: list[str] = []
    last = None
    for line in lines:
        label = match_label(line)
        if label is not None and label.style == "article":
            last = label.number
        cuts = []
        for m in INLINE_ARTICLE.finditer(line):
            number = to_int(m.group(1))
            if number is not None and (number == (last or 0) + 1 or (last is None and _continued(line, m.end(), number))):
                cuts.append(m.start())
                last = number
        out.extend(line[a:b] for a, b in zip([0] + cuts, cuts + [len(line)]) if line[a:b])
    return out


def _continued(line: str, pos: int, number: int) -> bool:
    """The next inline article after `pos` is number + 1: a run of articles, not one mention."""
    m = INLINE_ARTICLE.search(line, pos)
    return m is not None and to_int(m.group(1)) == number + 1


def split_inline_items(lines: list[str]) -> list[str]:
    """Sub-items numbered `（1）…（2）…` (or `（一）`, `①`) inside one paragraph go on lines of their own.

    An item counts when it follows a sentence end, `：` or a closing bracket and the items run 1, 2, 3, … (at
    least two of them); a bracketed number elsewhere (`第（2）项`, `（2022）`) is text.
    """
    out = []
    for line in lines:
        cuts = _inline_item_starts(line)
        if not cuts:
            out.append(line)
            continue
        for a, b in zip([0] + cuts, cuts + [len(line)]):
            if line[a:b]:
                out.append(line[a:b])
    return out


def _inline_item_starts(line: str) -> list[int]:
    found = []  # (start, style, number) of bracketed numbers where an item can start
    for m in INLINE_ITEM.finditer(line):
        if m.start() and line[m.start() - 1] not in ITEM_AFTER:
            continue
        label = match_label(line, m.start())
        if label is not None and label.style in ("ar_paren", "cn_paren", "circled"):
            found.append((m.start(), label.style, label.number))
    best: list[int] = []
    for i, (start, style, number) in enumerate(found):
        if number != 1:
            continue
        run, expected = [start], 2
        for other_start, other_style, other_number in found[i + 1 :]:
            if other_style == style and other_number == expected:
                run.append(other_start)
                expected += 1
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return [start for start in best if start > 0]


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc  # imported lazily: only documents in Traditional script need it

    return opencc.OpenCC(config)


HAN_RUN = re.compile("[\u4e00-\u9fff]+")


def to_simplified(text: str) -> tuple[str, str]:
    """Convert Traditional text to Simplified; mainland text is returned unchanged.

    A text counts as Traditional when at least 3% of its Han characters change under OpenCC's t2s
    (mainland text changes well under 0.5%). Conversion is character by character (t2s); where Taiwan
    phrasing (`網際網路`, `最佳化`) shows, the curated phrases of data/taiwan_phrases.csv are replaced too
    (OpenCC's tw2sp also rewrites words that mean something else here: `行政許可權` → `行政权限`).
    """
    han = sum(map(len, HAN_RUN.findall(text)))
    if not han:
        return text, "simplified"
    converted = _converter("t2s").convert(text)
    changed = _differing(text, converted) if len(converted) == len(text) else han
    if changed < max(3, 0.03 * han):
        return text, "simplified"
    if any(marker in text for marker in TAIWAN_MARKERS):
        table = _taiwan_table()
        converted = _taiwan_phrases().sub(lambda m: table[m.group()], converted)
    return converted, "traditional"


@lru_cache(maxsize=None)
def _taiwan_table() -> dict[str, str]:
    return {row["taiwan"]: row["mainland"] for row in vocabulary("taiwan_phrases.csv")}


@lru_cache(maxsize=None)
def _taiwan_phrases() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(_taiwan_table(), key=len, reverse=True))))


def _differing(a: str, b: str) -> int:
    """How many positions of two equally long strings hold different characters (compared as arrays, not in a loop)."""
    codes = [np.frombuffer(s.encode("utf-32-le", "surrogatepass"), np.uint32) for s in (a, b)]
    return int(np.count_nonzero(codes[0] != codes[1]))


_FULL_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_TO_ASCII.update({0x3000: 0x20, 0xFF61: ord("。"), 0xFF64: ord("、"), 0xFF62: ord("「"), 0xFF63: ord("」")})
_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


def unify_width(text: str) -> str:
    """Full-width letters/digits/symbols become ASCII; Chinese punctuation becomes full-width.

    `,` and `:` between two digits stay ASCII (`1,000`, `3:2`, `12:15`), as does `:` in `://`;
    `!` and `?` become full-width only after a Chinese character.
    """
    # Runs of full-width characters are translated and then only the punctuation is looked at: a loop over every
    # character in Python is slow on large corpora.
    text = _FULL_WIDTH.sub(lambda m: m.group().translate(_FULL_TO_ASCII), text)
    return _HALF_PUNCT.sub(lambda m: _widened(text, m.start()), text)


_FULL_WIDTH = re.compile("[" + "".join(map(chr, sorted(_FULL_TO_ASCII))) + "]+")
_HALF_PUNCT = re.compile("[" + re.escape("".join(_TO_FULL)) + "]")


def _widened(text: str, i: int) -> str:
    """The ASCII punctuation mark at `text[i]`, full-width unless its neighbours say it is part of a number or URL."""
    ch, prev, nxt = text[i], text[i - 1 : i], text[i + 1 : i + 2]
    if ch in ",:" and prev.isdigit() and nxt.isdigit():
        return ch
    if ch == ":" and text.startswith("//", i + 1):
        return ch
    if ch in "!?" and not ("\u4e00" <= prev <= "\u9fff"):
        return ch
    return _TO_FULL[ch]


def split_table_cells(lines: list[str], removed: list[str]) -> list[str]:
    """Scraped table rows (`A | B |||`) become one line per non-empty cell; pipe-only rows are dropped."""
    out = []
    for line in lines:
        if "|" not in line:
            out.append(line)
            continue
        cells = [cell.strip() for cell in line.split("|")]
        kept = [cell for cell in cells if cell]
        if not kept:
            removed.append(line.strip())
        out.extend(kept)
    return out


def drop_repeated_title(lines: list[str], removed: list[str]) -> list[str]:
    """A page that repeats its title at the start of a later line (`标题 为深入贯彻…`) keeps it once."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    title = lines[first].strip()
    if not (4 <= len(title) <= 100):
        return lines
    out = lines[: first + 1]
    for line in lines[first + 1 :]:
        stripped = line.strip()
        if stripped == title:
            removed.append(stripped)
            continue
        if stripped.startswith(title) and re.match(HSPACE, stripped[len(title) : len(title) + 1]):
            removed.append(title)
            stripped = stripped[len(title) :].strip()
        out.append(stripped)
    return out


_BREAK = re.compile(rf"(?:(?<=[{TERMINAL}”])|{HSPACE}+)(?=\S)")
_HEADING_THEN_BODY = re.compile(rf"^(\S{{2,16}}?){HSPACE}+(?=[\u4e00-\u9fff])")


def split_run_on_lines(lines: list[str], min_breaks: int = 3) -> list[str]:
    """Break a one-line document (one line holding most of the text) into paragraphs.

    Breaks go before numbering labels that follow a space or a sentence end (PDF spaces inside a
    label, `(三十 一 )`, are allowed), and after a part heading followed by its body
    (`一、总体要求 以…`), only when the line holds over half of the document and at least
    `min_breaks` labels.
    """
    total = sum(len(line) for line in lines) or 1
    out = []
    for line in lines:
        if len(line) * 2 < total:
            out.append(line)
            continue
        cuts = sorted(
            {m.end() for m in _BREAK.finditer(line) if _label_at(line, m.end())}
            | {m.end() for m in _SPACE_RUN.finditer(line) if _ends_paragraph(line[max(0, m.start() - 12) : m.start()])}
        )
        if len(cuts) < min_breaks:
            out.append(line)
            continue
        starts = [0] + cuts
        for a, b in zip(starts, starts[1:] + [len(line)]):
            out.extend(_split_part_heading(line[a:b].strip()))
    return out


# What a paragraph of a notice or plan ends with, where a one-line scrape put a space for the line break: a sentence
# end or closing bracket, a date, an issuing body, a title.
PARAGRAPH_END = re.compile(r"(?:[。；！？：”）)」』】!?;:]|\d{1,2}日|人民政府|办公厅|办公室|委员会|管委会|的通知|的决定|的公告)$")


def _ends_paragraph(before: str) -> bool:
    return bool(PARAGRAPH_END.search(before)) and not _BARE_LABEL.search(_SPACE_RUN.sub("", before[-12:]))


_BARE_LABEL = re.compile(
    r"(?:[（(][\d一二三四五六七八九十百]+[）)]|[\d一二三四五六七八九十百]+[）)、.．]|第[\d一二三四五六七八九十百]+[条章节])$"
)


def _label_at(line: str, pos: int):
    return match_label(_SPACE_RUN.sub("", line[pos : pos + 24]))


def _split_part_heading(paragraph: str) -> list[str]:
    label = _label_at(paragraph, 0)
    if label is None:
        return [paragraph]
    head = _SPACE_RUN.sub("", paragraph[:24])[label.end :]
    m = _HEADING_THEN_BODY.match(paragraph[len(label.text) :].lstrip()) if paragraph.startswith(label.text) else None
    if m and part_kind(m.group(1)) and head.startswith(m.group(1)):
        cut = paragraph.index(m.group(1), len(label.text)) + len(m.group(1))
        return [paragraph[:cut], paragraph[cut:].strip()]
    return [paragraph]


_SPACE_RUN = re.compile(rf"{HSPACE}+")
# A label's number with single spaces between its digits, at the start of a line: followed by the label's closing
# bracket, or by `.`/`、` that is not a decimal point.
SPACED_LABEL = re.compile(r"^([(（]?)(\d(?: \d){1,2})(?=[)）]|[.．](?!\d)|、)")


def remove_spurious_spaces(line: str) -> str:
    """Drop spaces that PDF extraction put between characters, keeping one between two Latin words or numbers, but not
    inside the number of a label that opens the line (`1 7.` → `17.`, `（3 7）` → `（37）`)."""
    line = line.strip(" \t\u00a0\u3000")
    line = SPACED_LABEL.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), line)

    def keep(m: re.Match) -> str:
        a = line[m.start() - 1 : m.start()]
        b = line[m.end() : m.end() + 1]
        return " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""

    return _SPACE_RUN.sub(keep, line)


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Rejoin a paragraph that a PDF wrapped across lines.

    A line is continued by the next when it ends mid-sentence: with `，` or `、`, or with a
    character after a full sentence (`。`) earlier on the line, which headings and titles lack.
    A next line that opens with a label or a responsibility field always starts a paragraph.
    """
    width = _wrap_width(lines)
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line, width):
            out[-1] += line
        else:
            out.append(line)
    return out


SENTENCE_END = "。；！？：”）)"


def _continues(prev: str, line: str, width: int | None) -> bool:
    if match_label(line) or FIELD_LINE.match(line) or FIELD_LINE.match(prev):
        return False
    last = prev[-1]
    if last in "，、" or _closes_bracket(prev, line):
        return True
    if width and len(prev) >= 0.8 * width and last not in SENTENCE_END:
        return True  # a full line of a hard-wrapped text
    return "。" in prev and ("\u4e00" <= last <= "\u9fff" or last.isalnum())


def _closes_bracket(prev: str, line: str) -> bool:
    """A bracket opened near the end of a line and closed on the next (`（2022年9月28日…大会` / `常务委员会…通过）`)."""
    tail = prev[-80:]
    return tail.rfind("（") > tail.rfind("）") and "）" in line[:80]


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of a text wrapped at a fixed width (PDF), or None. Such a text has many lines that stop
    mid-sentence (at least eight, and 40% of the lines of 15 characters or more), nearly all of about one length
    (70% within 15% of their median), which is the width."""
    long = [line for line in lines if len(line) >= 15]
    cut = sorted(len(line) for line in long if line[-1] not in SENTENCE_END)
    if len(cut) < 8 or len(cut) < 0.4 * len(long):
        return None
    width = cut[len(cut) // 2]
    near = sum(1 for n in cut if 0.85 * width <= n <= 1.15 * width)
    return width if near >= 0.7 * len(cut) else None


def drop_debris(lines: list[str], removed: list[str]) -> tuple[list[str], str | None]:
    """Remove scrape debris: a trailing file name, disclaimers, page numbers, empty lines."""
    file_name = None
    out = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if FILE_NAME.match(line) and i >= len(lines) - 3:
            file_name = line
            removed.append(line)
        elif DISCLAIMER.search(line) or PAGE_FURNITURE.match(line):
            removed.append(line)
        else:
            out.append(line)
    return out, file_name
