"""Read a measure's responsibility annotation: who leads, cooperates, is responsible; deadline; supervisors."""

import re
from dataclasses import dataclass, field

from assets.catalog.role_fields import DEADLINE, FIELD, ROLE_OF_FIELD
from assets.catalog.vocabularies import ROLES
from assets.domain.extracting.body_names import complete_names, split_names, split_outside_brackets

PHRASE = re.compile(r"^(?P<names>.+?)(?P<verb>牵头负责|牵头|配合|协助|按职责分工负责|分工负责|负责落实|负责)$")
ROLE_OF_VERB = {
    "牵头负责": "lead",
    "牵头": "lead",
    "配合": "cooperating",
    "协助": "cooperating",
    "按职责分工负责": "responsible",
    "分工负责": "responsible",
    "负责落实": "responsible",
    "负责": "responsible",
}
BRACKETS = "（）()〔〕[]【】"
PHRASE_SEPARATORS = re.compile(r"[，；,;。]")
RULE_WORDS = re.compile(r"下同|不再(?:一一)?(?:列出|分工|做分工|重复)|以下(?:均|各项)|均涉及|均需")
NAME_END = re.compile(r"(?:局|委|办|部|院|中心|会|行|司|处|所|队|站|府|门|位|厅|公司|集团|处室|机构|分局|支行)$")
# A document's own rule that the first unit named as responsible leads (`（第一责任单位为牵头单位，下同）`,
# `排在第一位的为牵头单位`): stated once, it holds for this measure and those after it.
LEAD_RULE = re.compile(
    r"[（(]?[^（）()、，,；;：:]{0,8}?(?:第一|首位|首个|排名第一|排在第一位|排在首位|列第一位|排第一)"
    r"[^（）()、，,；;]{0,10}?为牵头(?:单位|部门)?(?:[，,；;]\s*下同)?[）)]?"
)


@dataclass
class Responsibility:
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role, unit name) in order
    deadline: str | None = None
    supervisors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    first_responsible_leads: bool = False  # the annotation states the rule LEAD_RULE finds


def read_responsibility(annotation: str) -> Responsibility:
    """Parse one annotation: a bracket (`（牵头单位：…；配合单位：…）`, `（X牵头，Y按职责分工负责）`)
    or own-line fields (`总牵头单位：…` / `责任单位：…` / `督办领导：…` / `完成时限：…`), one per line."""
    result = Responsibility()
    annotation, rules = LEAD_RULE.subn("", annotation)
    result.first_responsible_leads = rules > 0
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
        return _read_phrases(body, result, prefix)
    if fields[0].start() > 0:
        prefix = _read_phrases(body[: fields[0].start()].strip(" ，；。"), result, prefix)
    for m, nxt in zip(fields, fields[1:] + [None]):
        value = body[m.end() : nxt.start() if nxt else len(body)].strip(" ，,；;。")
        value, _, rest = value.partition("。")  # the list ends with its sentence; a rule may follow (`…。以下均需…`)
        name = m.group("field")
        role = ROLE_OF_FIELD[name]
        verb = PHRASE.match(value)
        if verb and role in ROLES:  # `责任单位：A、B按职责分工负责`
            value = verb.group("names")
        if not value:
            result.problems.append(f"{name} with an empty list")
        elif role == "deadline":
            result.deadline = value
        elif role == "supervisor":
            result.supervisors.extend(n for n in split_names(value) if n not in result.supervisors)
        else:
            prefix = _add(role, value, result, prefix)
        if rest.strip(" ，,；;。"):
            prefix = _read_phrases(rest, result, prefix)
    return prefix


def _read_phrases(body: str, result: Responsibility, prefix: str) -> str:
    """Phrases such as `X牵头，Y、Z等部门，W配合`: names without a verb take the verb of the phrase after them."""
    waiting: list[str] = []
    for part in split_outside_brackets(body, PHRASE_SEPARATORS):
        part = part.strip(" 。")
        if not part:
            continue
        if DEADLINE.match(part):
            result.deadline = part
            continue
        m = PHRASE.match(part)
        if m:
            prefix = _add(ROLE_OF_VERB[m.group("verb")], "、".join(waiting + [m.group("names")]), result, prefix)
            waiting = []
        elif RULE_WORDS.search(part):
            continue  # a rule about the document (`下同`, `不再列出`), not a name
        elif split_names(part) and all(NAME_END.search(n) for n in split_names(part)):
            waiting.append(part)
        else:
            result.problems.append(f"not understood: {part[:30]!r}")
    for part in waiting:
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


def apply_lead_rule(roles: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Roles under the rule that the first responsible unit leads, where no unit is named as lead."""
    if any(role == "lead" for role, _ in roles):
        return roles
    first = next((i for i, (role, _) in enumerate(roles) if role == "responsible"), None)
    if first is None:
        return roles
    return [("lead", name) if i == first else (role, name) for i, (role, name) in enumerate(roles)]
