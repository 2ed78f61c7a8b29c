"""Read a measure's responsibility annotation: who leads, cooperates, is responsible; deadline; supervisors."""
import re
from dataclasses import dataclass, field

from .unit_names import complete_names, split_names

FIELD = re.compile(r"(?P<field>总牵头单位|牵头责任单位|牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|协助单位|参与单位"
                   r"|完成时限|完成时间|时间节点|督办领导|责任领导)\s*[:：]")
ROLE_OF_FIELD = {
    "总牵头单位": "lead", "牵头责任单位": "lead", "牵头单位": "lead", "牵头部门": "lead",
    "责任单位": "responsible", "责任部门": "responsible",
    "配合单位": "cooperating", "配合部门": "cooperating", "协办单位": "cooperating", "协助单位": "cooperating",
    "参与单位": "cooperating",
}
DEADLINE_FIELDS = {"完成时限", "完成时间", "时间节点"}
SUPERVISOR_FIELDS = {"督办领导", "责任领导"}
DEADLINE = re.compile(r"^(?:(?:\d{4}|[二〇一]{4})年|\d{1,2}月|[一二三四]季度|年底|年内|长期|持续|每年|常态)"
                      r".{0,16}(?:完成|前|底|内|坚持|推进|开展|落实)?$")
PHRASE = re.compile(r"^(?P<names>.+?)(?P<verb>牵头负责|牵头|配合|协助|按职责分工负责|分工负责|负责落实|负责)$")
ROLE_OF_VERB = {"牵头负责": "lead", "牵头": "lead", "配合": "cooperating", "协助": "cooperating",
                "按职责分工负责": "responsible", "分工负责": "responsible", "负责落实": "responsible", "负责": "responsible"}
BRACKETS = "（）()〔〕[]【】"


@dataclass
class Responsibility:
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role, unit name) in order
    deadline: str | None = None
    supervisors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_responsibility(annotation: str) -> Responsibility:
    """Parse one annotation: a bracket (`（牵头单位：…；配合单位：…）`, `（X牵头，Y按职责分工负责）`)
    or own-line fields (`总牵头单位：…` / `责任单位：…` / `督办领导：…` / `完成时限：…`), one per line."""
    result = Responsibility()
    prefix = ""
    for chunk in annotation.split("\n"):
        body = chunk.strip()
        if body[:1] in BRACKETS:
            if body[-1:] not in BRACKETS:
                result.problems.append(f"unclosed bracket in {body[:30]!r}")
            body = body[1:].rstrip(BRACKETS[1::2] + "。")
        prefix = _read_chunk(body, result, prefix)
    return result


def _read_chunk(body: str, result: Responsibility, prefix: str) -> str:
    fields = list(FIELD.finditer(body))
    if not fields:
        for part in re.split(r"[，；,;]", body):
            prefix = _read_phrase(part.strip(" 。"), result, prefix)
        return prefix
    if fields[0].start() > 0:
        prefix = _read_phrase(body[:fields[0].start()].strip(" ，；。"), result, prefix)
    for m, nxt in zip(fields, fields[1:] + [None]):
        value = body[m.end(): nxt.start() if nxt else len(body)].strip(" ，,；;。")
        name = m.group("field")
        if not value:
            result.problems.append(f"{name} with an empty list")
        elif name in DEADLINE_FIELDS:
            result.deadline = value
        elif name in SUPERVISOR_FIELDS:
            result.supervisors.extend(n for n in split_names(value) if n not in result.supervisors)
        else:
            prefix = _add(ROLE_OF_FIELD[name], value, result, prefix)
    return prefix


def _read_phrase(part: str, result: Responsibility, prefix: str) -> str:
    if not part:
        return prefix
    if DEADLINE.match(part):
        result.deadline = part
        return prefix
    m = PHRASE.match(part)
    if m:
        return _add(ROLE_OF_VERB[m.group("verb")], m.group("names"), result, prefix)
    result.problems.append(f"not understood: {part[:30]!r}")
    return prefix


def _add(role: str, value: str, result: Responsibility, prefix: str) -> str:
    names = []
    for name in split_names(value):
        if DEADLINE.match(name):
            result.deadline = name
        else:
            names.append(name)
    completed, prefix = complete_names(names, prefix)
    for name in completed:
        if (role, name) not in result.roles:
            result.roles.append((role, name))
    return prefix
