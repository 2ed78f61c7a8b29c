"""Outline of a normalized document: numbered headings and provisions, with their part (`kind`).

A provision is a numbered item at the deepest level that has body text; a numbered heading with
numbered items under it is a section. Levels come from the order in which numbering styles first
appear (the usual `一、` → `（一）` → `1.` → `（1）`), so any nesting of any styles is read the same way.
In regulations the article (`第X条`) is always the provision: items numbered inside it are its text.
Paragraphs without a label that end in a responsibility annotation are measures too, numbered in order.
"""

import re
from dataclasses import dataclass, field

from assets.catalog.part_kinds import implicit_article_kind, part_kind
from assets.domain.reading.annotations import is_annotation_line, split_trailing_annotation
from assets.domain.reading.labels import Label, match_label
from assets.domain.reading.numerals import to_int

ANNEX = re.compile(r"^附件\s*\d*\s*(?:[:：]|$)|^附件\s*\d+\s*\S{0,40}$|^附表\s*\d*\s*[:：]")
CLOSING = re.compile(
    r"^本(?:[\u4e00-\u9fff]{0,12})(?:自|从).{0,30}(?:施行|实施|执行)|^本(?:[\u4e00-\u9fff]{0,12})由.{0,30}(?:负责)?(?:解释|解读)"
)
DATE_LINE = re.compile(r"^(?:\d{4}|[二〇○零一三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
# Styles that structure a regulation; any other label inside an article is an item of its text.
ARTICLE_LEVELS = ("chapter", "subchapter", "article")
IMPLICIT = "implicit"  # style of a measure that has no label: a paragraph ending in a responsibility annotation


@dataclass
class Node:
    label: Label
    line_no: int
    head: str  # text on the label's line after the label
    head_start: int  # offset of `head` in the document text
    depth: int
    parent: "Node | None"
    body: list[tuple[int, str]] = field(default_factory=list)  # (offset, line) of unnumbered lines below
    fields: list[tuple[int, str]] = field(default_factory=list)  # (offset, line) of responsibility fields below
    children: list["Node"] = field(default_factory=list)
    annotation: str | None = None  # the bracketed annotation an implicit measure's paragraph ends with

    @property
    def heading(self) -> str:
        """The node's heading: its head up to the first `。`, or the whole head line."""
        cut = self.head.find("。")
        return self.head[: cut + 1] if cut >= 0 else self.head

    @property
    def annotation_lines(self) -> list[str]:
        return [line for _, line in self.fields]


@dataclass(frozen=True)
class Provision:
    seq: int
    kind: str
    number: int
    label: str
    section_path: tuple[str, ...]
    title: str
    text: str
    char_start: int
    char_end: int
    annotation: str | None  # trailing bracketed responsibility annotation, as written
    annotation_lines: tuple[str, ...]  # responsibility fields on lines of their own under this provision
    section_annotation_lines: tuple[str, ...]  # responsibility fields closing the provision's section


@dataclass(frozen=True)
class Outline:
    provisions: tuple[Provision, ...]
    warnings: tuple[str, ...]
    annex_line: str | None  # the line where the annex starts, if there is one


def parse_outline(text: str) -> Outline:
    """Provisions of a normalized document, in document order, with numbering warnings."""
    roots, preamble, annex_line = _build_tree(text)
    _lift_section_blocks(roots)
    roots = _implicit_measures(None, preamble.body, preamble.fields) + roots
    for node in list(_walk(roots)):
        if not node.children and node.label.style != IMPLICIT:
            node.children = _implicit_measures(node, node.body, node.fields) or _enumerated_measures(node)
            if node.children:  # the node is their section; its lines went to them
                node.body, node.fields = [], []
        if node.children:  # a heading's own annotation (`（一）普法与宣传。〔牵头单位：…〕`) holds for its items
            head, annotation = split_trailing_annotation(node.head)
            if annotation is not None and head:
                node.head = head
                node.fields.insert(0, (node.head_start + len(head), annotation))
    _number_implicit(roots)
    leaves = [node for node in _walk(roots) if not node.children and _has_content(node)]
    kinds = _kinds(leaves)
    provisions = tuple(_provision(node, seq, kind) for seq, (node, kind) in enumerate(zip(leaves, kinds), 1))
    return Outline(provisions, tuple(_numbering_warnings(roots)), annex_line)


def _has_content(node: Node) -> bool:
    """A leaf is a provision when it has text; a chapter or section heading (`第二章 市场环境`) only with body text."""
    if node.label.style in ("chapter", "subchapter"):
        return bool(node.body)
    return bool(node.head or node.body)


def _lines(text: str):
    offset = 0
    for line_no, line in enumerate(text.split("\n")):
        yield line_no, offset, line
        offset += len(line) + 1


def _build_tree(text: str) -> tuple[list[Node], Node, str | None]:
    """Numbered nodes, a node holding the unnumbered lines before the first of them, and the annex line."""
    roots: list[Node] = []
    stack: list[Node] = []
    preamble = Node(Label(IMPLICIT, 0, "", 0), -1, "", 0, -1, None)
    annex_line = None
    previous_line = ""
    for line_no, offset, line in _lines(text):
        if not line:
            continue
        if stack and (ANNEX.match(line) or CLOSING.match(line)):
            annex_line = line if ANNEX.match(line) else None
            break
        if stack and DATE_LINE.match(line):
            _drop_signature(stack[-1], previous_line)
            break
        label = None if is_annotation_line(line) else match_label(line)
        if label is not None and label.style not in ARTICLE_LEVELS and any(n.label.style == "article" for n in stack):
            label = None  # an item inside an article stays in the article's text
        if label is None:
            holder = stack[-1] if stack else preamble
            (holder.fields if is_annotation_line(line) else holder.body).append((offset, line))
            previous_line = line
            continue
        styles = [node.label.style for node in stack]
        if label.style in ARTICLE_LEVELS:  # chapters hold sections hold articles, whichever comes first in the text
            rank = ARTICLE_LEVELS.index(label.style)
            below = [i for i, style in enumerate(styles) if style in ARTICLE_LEVELS and ARTICLE_LEVELS.index(style) >= rank]
            if below:
                del stack[below[0] :]
        elif label.style in styles:
            del stack[styles.index(label.style) :]
        parent = stack[-1] if stack else None
        head = line[label.end :].lstrip("、.． ")
        node = Node(label, line_no, head, offset + len(line) - len(head), len(stack), parent)
        (parent.children if parent else roots).append(node)
        stack.append(node)
        previous_line = line
    return roots, preamble, annex_line


def _lift_section_blocks(nodes: list[Node]) -> None:
    """Responsibility fields after the last item of a section, where no other item has its own,
    are written once for the whole section (the Xishan plan's 督办领导/总牵头单位/责任单位 blocks)."""
    for node in nodes:
        _lift_section_blocks(node.children)
        children = node.children
        if children and children[-1].fields and not children[-1].children and not any(child.fields for child in children[:-1]):
            node.fields.extend(children[-1].fields)
            children[-1].fields.clear()


def _implicit_measures(parent: Node | None, body: list[tuple[int, str]], fields: list[tuple[int, str]] = ()) -> list[Node]:
    """Unnumbered paragraphs that each end in a responsibility annotation (bracketed, or fields on their own
    lines) are measures. Under a numbered item this needs at least two of them (one is that item's own
    annotation); the first takes only the paragraph right before its annotation (what precedes it is the
    section's introduction), each later one every paragraph since the previous annotation."""
    events = sorted([(offset, False, line) for offset, line in body] + [(offset, True, line) for offset, line in fields])
    measures: list[Node] = []
    pending: list[tuple[int, str]] = []
    for offset, is_field, line in events:
        if is_field:
            if pending:
                measures.append(_implicit_node(parent, pending[-1:] if not measures else pending))
                pending = []
            if measures:
                measures[-1].fields.append((offset, line))
            continue
        pending.append((offset, line))
        stripped, annotation = split_trailing_annotation(line)
        if annotation is not None and stripped:
            node = _implicit_node(parent, pending[-1:] if not measures else pending)
            node.annotation = annotation
            measures.append(node)
            pending = []
    if parent is not None and (len(measures) < 2 or split_trailing_annotation(parent.head)[1] is not None):
        return []
    if measures and pending:
        measures[-1].body.extend(pending)  # paragraphs after the last annotation continue the last measure
    return measures


ENUMERATED = re.compile(r"(?:^|(?<=[。；：，]))([一二三四五六七八九十]{1,3})是(?=[\u4e00-\u9fff“])")


def _enumerated_measures(node: Node) -> list[Node]:
    """`一是…；二是…；三是…` under a part heading that has no other numbering (a top-level heading line whose body
    enumerates its tasks) are its measures; inside a numbered item they stay its text."""
    if node.depth != 0 or node.label.style in ARTICLE_LEVELS or "。" in node.head or part_kind(node.heading):
        return []
    pieces = [(start, line) for start, line in node.body]
    found = [(start + m.start(), m) for start, line in pieces for m in ENUMERATED.finditer(line)]
    numbers = [to_int(m.group(1)) for _, m in found]
    if len(found) < 2 or numbers != list(range(1, len(found) + 1)):
        return []
    text_end = max(start + len(line) for start, line in pieces)
    ends = [offset for offset, _ in found[1:]] + [text_end]
    children = []
    for (offset, m), end in zip(found, ends):
        line_start, line = next((start, line) for start, line in pieces if start <= offset < start + len(line) + 1)
        segment = line[offset - line_start : min(end, line_start + len(line)) - line_start]
        label = Label("cn_shi", to_int(m.group(1)), m.group(0), len(m.group(0)))
        rest = [(start, text) for start, text in pieces if offset < start < end]
        children.append(Node(label, -1, segment[label.end :], offset + label.end, 1, node, body=rest))
    last = children[-1]
    last.fields = list(node.fields)
    return children


def _implicit_node(parent: Node | None, paragraphs: list[tuple[int, str]]) -> Node:
    (start, first), rest = paragraphs[0], paragraphs[1:]
    depth = parent.depth + 1 if parent else 0
    return Node(Label(IMPLICIT, 0, "", 0), -1, first, start, depth, parent, body=list(rest))


def _number_implicit(roots: list[Node]) -> None:
    """Implicit measures are numbered 1, 2, 3 … in document order."""
    implicit = [node for node in _walk(roots) if node.label.style == IMPLICIT]
    for number, node in enumerate(implicit, 1):
        node.label = Label(IMPLICIT, number, "", 0)


SIGNATURE_END = re.compile(r"(?:人民政府|办公室|办公厅|委员会|领导小组|管委会|局|委|厅|部|院|中心)$")


def _drop_signature(node: Node, previous_line: str) -> None:
    """The issuer line above a closing date is a signature, not body text."""
    if node.body and node.body[-1][1] == previous_line and len(previous_line) <= 40 and SIGNATURE_END.search(previous_line):
        node.body.pop()


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _ancestors(node: Node) -> list[Node]:
    chain = []
    parent = node.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return chain[::-1]


def _named_part(node: Node) -> str | None:
    # The innermost named part wins; a top-level leaf names its own part ("一、总体要求").
    candidates = _ancestors(node) + ([node] if node.depth == 0 and node.label.style != IMPLICIT else [])
    for item in reversed(candidates):
        kind = part_kind(item.heading)
        if kind:
            return kind
    return None


def _kinds(leaves: list[Node]) -> list[str]:
    """Each provision's kind: from the part it stands in; articles outside any named chapter by what they say.
    The opening run of such articles on purpose, scope and leadership is `principle`; where the text ends with an
    article on entry into force (so the end is really there, not an excerpt's cut), that article is `principle` and
    the articles on liability, complaints and supervision among the last quarter before it `safeguard`."""
    kinds = [_named_part(node) for node in leaves]
    unplaced = [
        i
        for i, node in enumerate(leaves)
        if kinds[i] is None and node.label.style == "article" and not any(a.label.style == "chapter" for a in _ancestors(node))
    ]
    for i in unplaced:
        kind = implicit_article_kind(_full_text(leaves[i]), at_start=True)
        if kind is None:
            break
        kinds[i] = kind
    closing = [i for i in unplaced[::-1] if kinds[i] is None]
    if closing and implicit_article_kind(_full_text(leaves[closing[0]]), at_start=False) == "principle":
        for i in closing[: max(3, len(unplaced) // 4) + 1]:
            kinds[i] = implicit_article_kind(_full_text(leaves[i]), at_start=False) or kinds[i]
    return [kind or "measure" for kind in kinds]


def _full_text(node: Node) -> str:
    return "\n".join([node.head] + [line for _, line in node.body])


def _provision(node: Node, seq: int, kind: str) -> Provision:
    ancestors = _ancestors(node)
    head, annotation = (node.head, node.annotation) if node.annotation or not node.body else split_trailing_annotation(node.head)
    pieces = [(node.head_start, head)] + node.body  # a head line ending in an annotation above body lines: the annotation is its own
    pieces = [(start, piece) for start, piece in pieces if piece]
    last_start, last = pieces[-1]
    stripped, trailing = split_trailing_annotation(last)
    if trailing is not None:
        annotation = annotation or trailing
        pieces[-1] = (last_start, stripped)
        if not stripped:
            pieces.pop()
    text = "\n".join(piece for _, piece in pieces)
    char_start = pieces[0][0] if pieces else node.head_start
    char_end = pieces[-1][0] + len(pieces[-1][1]) if pieces else node.head_start
    title_source = head if head else text
    cut = title_source.find("。")
    title = title_source[: cut + 1] if cut >= 0 else title_source
    if annotation and title.endswith(annotation):
        title = title[: -len(annotation)].rstrip()
    section_lines = tuple(line for a in ancestors for line in a.annotation_lines)
    return Provision(
        seq=seq,
        kind=kind,
        number=node.label.number,
        label=node.label.text,
        section_path=tuple(a.label.text + a.heading for a in ancestors),
        title=title,
        text=text,
        char_start=char_start,
        char_end=char_end,
        annotation=annotation,
        annotation_lines=tuple(node.annotation_lines),
        section_annotation_lines=section_lines,
    )


def _numbering_warnings(roots: list[Node]) -> list[str]:
    """Gaps, repeats and restarts in numbering among siblings (numbering that continues across sections is fine)."""
    warnings = []
    last_by_style: dict[str, int] = {}
    for parent_path, siblings in _sibling_groups(roots):
        expected = None
        for node in siblings:
            number, style = node.label.number, node.label.style
            if style == IMPLICIT:
                continue
            if expected is None:
                continuing = last_by_style.get(style)
                if number != 1 and (continuing is None or number != continuing + 1):
                    warnings.append(f"{parent_path}{node.label.text}: numbering starts at {number}")
            elif number == expected - 1:
                warnings.append(f"{parent_path}{node.label.text}: label repeated")
            elif number != expected:
                warnings.append(f"{parent_path}{node.label.text}: expected {expected}, found {number}")
            expected = number + 1
            last_by_style[style] = number
    return warnings


def _sibling_groups(roots: list[Node]):
    yield "", roots
    for node in _walk(roots):
        if node.children:
            yield node.label.text + node.heading[:12] + " › ", node.children
