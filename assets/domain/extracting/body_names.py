"""Names of responsible bodies as a reader reads them: split a list, complete each name from its neighbours."""

import re

from assets.catalog.body_classes import LEVEL_CHARS, is_bare_department, split_level_prefix
from assets.domain.reading.metadata import ADMIN

SEPARATORS = re.compile(r"[、，,；;]")
ETC_COLLECTIVE = re.compile(r"^(?P<head>.+?)等(?P<tail>(?:[省市州区县]级)?(?:各|其他)?(?:相关|有关)?(?:单位|部门|机构|成员单位))$")
# `A及B`, `A和B` name two bodies when A ends like a body and B does not start `其` (`区政府及其部门` is one phrase;
# `文化和旅游局` is one body: `文化` does not end like one).
AND_ALSO = re.compile(r"(?<=[局委办部院心会行司处所队站府门位])[及和](?!其)(?=[\u4e00-\u9fff]{2})")
ETC = re.compile(r"^(?P<head>.+?)等(?:相关|有关|其他)?(?:单位|部门|机构|成员单位)?$")
ORG_END = "局委办部院心会行司处所队站"
GLUED = re.compile(rf"(?<=[{ORG_END}])(?=[{LEVEL_CHARS}](?!场|委|级|直)[\u4e00-\u9fff]{{2,}}[{ORG_END}])")
QUOTES = re.compile(r"[“”\"'‘’《》]")
HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def split_names(value: str) -> list[str]:
    """Names in a role's list, in order, with `等…单位` trimmed and glued names split."""
    parts = [piece for part in split_outside_brackets(value, SEPARATORS) for piece in AND_ALSO.split(part)]
    names = []
    for part in _join_level_lists(parts):
        part = INNER_SPACE.sub("", QUOTES.sub("", part)).strip().strip("。：:（）()").strip()
        if HAS_WORD.search(part):  # not just spaces or punctuation
            names.extend(_names_in(part))
    return names


OPENING, CLOSING = "（(〔[【", "）)〕]】"
LEVEL_ONLY = re.compile(r"^\s*各?[省市州区县旗盟]\s*$")


def _join_level_lists(parts: list[str]) -> list[str]:
    """`各市、县（市、区）政府` is one collective: a bare level (`各市`) joins the item after it."""
    out: list[str] = []
    for part in parts:
        if out and LEVEL_ONLY.match(out[-1]):
            out[-1] = out[-1].strip() + "、" + part.strip()
        else:
            out.append(part)
    return out


def split_outside_brackets(value: str, separators: re.Pattern) -> list[str]:
    """`value` split at `separators` outside brackets: those inside (`各市、县（市、区）人民政府`) belong to the name."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and separators.match(ch):
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def _names_in(part: str) -> list[str]:
    """One list item: `A等有关部门` is A and the collective it names, which a bare `相关`/`有关` tail names as
    `各相关单位` (A and all the others); a plain `A等单位` is A alone."""
    m = ETC_COLLECTIVE.match(part)
    if m and len(m.group("head")) >= 2:
        tail = m.group("tail")
        if tail.startswith(("相关", "有关")):
            tail = "各" + tail
        return _unglue(m.group("head")) + ([tail] if re.search("各|相关|有关|其他", tail) else [])
    m = ETC.match(part)
    if m and len(m.group("head")) >= 2:
        part = m.group("head")
    return _unglue(part)


def _unglue(name: str) -> list[str]:
    """`区文化和旅游局区金融办` → two names; a level prefix after a body's ending starts a new name."""
    return [piece for piece in GLUED.split(name) if piece]


def complete_names(names: list[str], prefix: str = "") -> tuple[list[str], str]:
    """Names with level prefixes and shared suffixes filled in from their neighbours.

    A bare department (`税务局`) takes the level prefix of the last prefixed name before it in the
    same run (`州市场监管局、税务局` → `州税务局`); a bare place (`库尔勒市`) takes the suffix of the
    next name made of a place and a body (`尉犁县人民政府` → `库尔勒市人民政府`). Returns the names,
    duplicates dropped in order, and the prefix in force at the end (to carry into the next role).
    """
    done: list[str] = []
    for i, name in enumerate(names):
        head, _ = split_level_prefix(name)
        if head:
            prefix = head
        elif is_bare_department(name) and prefix:
            name = prefix + name
        elif _is_bare_place(name):
            suffix = _shared_suffix(names[i + 1 :])
            if suffix:
                name += suffix
        if name not in done:
            done.append(name)
    return done, prefix


def _is_bare_place(name: str) -> bool:
    m = ADMIN.fullmatch(name)
    return bool(m) and name[-1] in "市县区旗州盟" and not is_bare_department(name)


def _shared_suffix(following: list[str]) -> str | None:
    for name in following:
        if _is_bare_place(name):
            continue
        m = ADMIN.match(name)
        if m and m.end() < len(name):
            return name[m.end() :]
        return None
    return None
