"""Numbering labels that open a provision (`一、` `（一）` `1.` `1、` `（1）` `①` `第X章` `第X节` `第X条` `一是`).

Shared by the normalizer (to break run-on lines into paragraphs) and the outline parser.
Patterns expect normalized text: full-width brackets `（）`, ASCII digits and `.`.
"""

import re
from dataclasses import dataclass

from assets.domain.reading.numerals import to_int

CN = "[一二三四五六七八九十百零〇两]+"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (style, pattern). The first group is the number. Order matters: longer forms first.
STYLES: tuple[tuple[str, str], ...] = (
    ("chapter", rf"第({CN}|\d+)(?:章|部分|编)"),
    ("subchapter", rf"第({CN}|\d+)节"),
    ("article", rf"第({CN}|\d+)条"),
    ("cn_paren", rf"（({CN})）"),
    ("ar_paren", r"（(\d+)）"),
    ("cn_dun", rf"({CN})[、.](?![、.])"),
    ("ar_dot", r"(\d+)\.(?![\d.])"),
    ("ar_dun", r"(\d+)、"),
    ("ar_half_paren", r"(\d+)）"),
    ("circled", f"([{CIRCLED}])"),
    ("cn_shi", rf"({CN})是(?=[\u4e00-\u9fff“])"),
)
LABEL_RE = re.compile("|".join(f"(?P<{style}>{pattern})" for style, pattern in STYLES))
_GROUP_OF = {style: LABEL_RE.groupindex[style] + 1 for style, _ in STYLES}


@dataclass(frozen=True)
class Label:
    style: str
    number: int
    text: str  # the label as written, e.g. "（三十一）"
    end: int  # offset just after the label within the matched string


def match_label(line: str, pos: int = 0) -> Label | None:
    """The numbering label at `line[pos:]`, if any, with what follows it being text (not a bare number)."""
    m = LABEL_RE.match(line, pos)
    if not m:
        return None
    style = m.lastgroup
    raw = m.group(_GROUP_OF[style])
    number = CIRCLED.index(raw) + 1 if style == "circled" else to_int(raw)
    if number is None:
        return None
    end = m.end()
    rest = line[end : end + 1]
    if not rest or rest in "，。；：、）" or (style == "cn_dun" and rest.isdigit()):
        return None  # a label must be followed by text, not punctuation or a number
    return Label(style, number, m.group(0), end - pos)
