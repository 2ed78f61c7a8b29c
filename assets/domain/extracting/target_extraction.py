"""Quantitative targets in a provision's text: value, range, unit, comparator, baseline, due year, metric.

A number is a target when it carries a unit and is a promise about the plan's own action: numbers in
names, quotes, dates, hotlines, service labels and scope conditions are not. When in doubt the
rules prefer precision. `分别`/`均` constructions are distributed over their metrics and years. What is measured and
for whom (metric and scope) is read by target_phrases.py.
"""

import re
from dataclasses import dataclass

from assets.domain.extracting.quantities import Quantity, find_quantities
from assets.domain.extracting.target_phrases import (
    DIGIT,
    Phrase,
    amount_attribute_before,
    change_verb,
    class_scope,
    clause_start,
    clean_subject,
    compose,
    distribute_items,
    is_class,
    label_after,
    lead_length,
    names_legal_parameter,
    names_penalty,
    split_scope,
    strip_trailing_merge,
    term_scope,
    without_actor,
    words,
)

PROTECTED = re.compile(r"“[^”]{0,80}”|《[^》]{0,120}》|「[^」]{0,80}」|〈[^〉]{0,80}〉|\"[^\"]{0,80}\"")
SENTENCE_END = "。！？\n"
CLAUSE_END = SENTENCE_END + "；"
SENTENCE_ENDS, CLAUSE_ENDS = (re.compile("[" + re.escape(ends) + "]") for ends in (SENTENCE_END, CLAUSE_END))
YEAR = re.compile(r"(?P<y1>(?:19|20)\d{2})(?:\s*[—\-－~至到]\s*(?P<y2>(?:19|20)\d{2}))?\s*年(?!代)")
COMPARISON_BEFORE_YEAR = re.compile(r"(?:较|比|相比|同比|与|对比|比照)$")
OPENING_YEAR = re.compile(
    r"[\s—]*(?:到|至|在|于|力争|争取|确保|计划)?\s*(?P<y1>(?:19|20)\d{2})(?:\s*[—\-－~至到]\s*(?P<y2>(?:19|20)\d{2}))?"
    r"\s*年(?!代|以来|来|以前|之前)"
)

SUFFIX = re.compile(r"^(?:及以下|以下|以内|之内|内|及以上|以上|左右|上下)")
SUFFIX_COMPARATOR = {
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
    "内": "<=",
    "及以上": ">=",
    "以上": ">=",
    "左右": "~",
    "上下": "~",
}
LE_WORDS = (
    "最长不超过",
    "最多不超过",
    "不得超过",
    "不得多于",
    "不得长于",
    "不超过",
    "不高于",
    "不多于",
    "不大于",
    "少于",
    "低于",
    "控制在",
    "压缩至",
    "压缩到",
    "压减至",
    "压减到",
    "缩短至",
    "缩短到",
    "缩减至",
    "缩减到",
    "降至",
    "降到",
    "降低至",
    "降低到",
    "减少至",
    "减少到",
    "减至",
    "短至",
    "下降至",
    "压降至",
    "上限",
    "最多",
    "≤",
    "<",
)
GE_WORDS = (
    "不得少于",
    "不得低于",
    "不低于",
    "不少于",
    "不小于",
    "达到",
    "达",
    "提升至",
    "提升到",
    "提高至",
    "提高到",
    "增加到",
    "增加至",
    "增至",
    "增长",
    "超过",
    "突破",
    "至少",
    "扩大至",
    "扩大到",
    "提升",
    "≥",
    ">",
)
VERB_BEFORE = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, LE_WORDS + GE_WORDS + ("为", "压缩", "压减", "缩减", "缩短", "减少", "降低")), key=len, reverse=True))
    + r")\s*$"
)
SHARE_OF = re.compile("(?:" + "|".join(sorted(map(re.escape, LE_WORDS + GE_WORDS), key=len, reverse=True)) + r")[^，。；、\d]{1,12}的\s*$")
BASELINE_GAP = re.compile(
    r"^\s*(?:个|个工作日)?\s*(?:缩短|压缩|压减|减少|降低|下降|降|短|提高|提升|增加|增长|扩大|调整|缩减)?(?:至|到|为)\s*$"
)
NAME_AFTER = re.compile(r"^[^，。；、：]{0,3}?(?:措施|清单|举措|条例|意见|规定|政策|方面|制度|行动|工程|攻坚|计划|规划)")
CONTEXT_BEFORE = re.compile(r"(?:基于|立足|围绕|依托|按照|根据|对照|结合|针对|参照|对于|已经|已有|已形成|已建成|已实现|已)[^，。；]{0,12}$")
TARGET_VERB_BEFORE = re.compile(
    r"(?:新增|新建|建成|建设|培育|引进|打造|完成|实现|达到|达|不少于|不低于|增加|增至|提高到|提升至|至少|再)\s*$"
)
LABEL_AFTER = re.compile(
    r"^(?:以内|内)?[\u4e00-\u9fff]{0,8}?(?:服务圈|办事圈|生活圈|圈|机制|热线|专窗|窗口|不打烊|在线|值守|响应机制)(?![\u4e00-\u9fff]{0,2}[，、；。]?\d)"
)
DISTRIBUTE = re.compile(r"分别|(?<![平人年户日月])均(?=[达为压缩控不实在超提降须应要能可已])")
CONDITION_END = re.compile(r"[^；。！？\n]*的\s*(?:[；。！？\n]|$)|[^，；。！？\n]*的\s*[，,]")  # its clause or sentence part
# ends in 的: the number is part of a condition
PERMISSION = re.compile(r"可以|可视情")
MODAL = re.compile(r"应当|应|须")
EXCEPTED = re.compile(r"(?:不含|不包括|除)\s*$")
STATED_DURATIONS = ("个工作日", "工作日", "个工作小时", "工作小时", "个小时", "小时", "分钟")  # units that make 一 a time limit
LIST_GAP = re.compile(r"^\s*(?P<sep>[、，,]|和|及|与)\s*$")


@dataclass(frozen=True)
class Target:
    value: float
    value_max: float | None
    unit: str
    comparator: str  # <=, >=, =, ~, range
    baseline: float | None
    year: int | None
    metric: str
    text: str  # the exact span of the provision's text the target was read from
    start: int  # offsets of `text` in the provision's text
    end: int
    scope: str | None = None  # the class of cases the value applies to, when the text says


def extract_targets(text: str) -> list[Target]:
    """All targets of one provision's text, in order of appearance.

    Targets never cross a sentence end, so each sentence is read on its own (linear in the text's length); a
    sentence that names no year of its own takes the nearest year that governs it: one opening an earlier sentence
    of the provision (`2024年，…`), or one named in its first sentence.
    """
    governing = _governing_years(text)
    targets: list[Target] = []
    for start, end in _spans(text, SENTENCE_ENDS):
        carried = next((year for at, year in reversed(governing) if at < start), None)
        for t in _sentence_targets(text[start:end], carried):
            targets.append(
                Target(
                    t.value,
                    t.value_max,
                    t.unit,
                    t.comparator,
                    t.baseline,
                    t.year,
                    t.metric,
                    t.text,
                    t.start + start,
                    t.end + start,
                    t.scope,
                )
            )
    return targets


def _sentence_targets(text: str, carried_year: int | None) -> list[Target]:
    quantities = find_quantities(text)
    protected = [m.span() for m in PROTECTED.finditer(text)]
    baselines = {i: _baseline(text, quantities, i) for i in range(len(quantities))}
    consumed = {i - 1 for i, b in baselines.items() if b is not None}  # a baseline is not a target of its own
    targets: list[Target] = []
    for clause_start_, clause_end in _spans(text, CLAUSE_ENDS):
        in_clause = [i for i, q in enumerate(quantities) if clause_start_ <= q.start < clause_end and i not in consumed]
        targets.extend(_distributed(text, clause_start_, in_clause, quantities, protected, consumed, carried_year))
    previous: Phrase | None = None
    for i, q in enumerate(quantities):
        if i in consumed or _excluded(text, q, protected, quantities):
            continue
        target, previous = _simple_target(text, q, baselines[i], protected, carried_year, previous)
        targets.append(target)
    return sorted(targets, key=lambda t: (t.start, t.end))


def _spans(text: str, ends: re.Pattern):
    """(start, end) of each piece of `text` up to and including a character matched by `ends`, then of the rest (the
    delimiters found by a regular expression: a loop over every character in Python is slow on large corpora)."""
    start = 0
    for m in ends.finditer(text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, pos) for ch in SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, pos) for ch in SENTENCE_END) if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _inside(spans, pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _years_before(text: str, pos: int, protected) -> tuple[int, ...] | None:
    """Years stated before `pos` in its sentence (the last mention; a range gives every year)."""
    start, _ = _sentence(text, pos)
    last = None
    for m in YEAR.finditer(text, start, pos):
        if _inside(protected, m.start()) or COMPARISON_BEFORE_YEAR.search(text[max(start, m.start() - 2) : m.start()]):
            continue
        if text[m.end() : m.end() + 1] == "内" or text[m.start() - 1 : m.start()].isdigit():
            continue
        y1, y2 = int(m.group("y1")), int(m.group("y2") or m.group("y1"))
        if y2 != y1 and "；" in text[m.end() : pos]:
            continue  # a range of years belongs to its own clause (`2022—2024年，…分别…；…`)
        last = tuple(range(y1, y2 + 1)) if y2 >= y1 else (y1,)
    return last


def _governing_years(text: str) -> list[tuple[int, int]]:
    """(position, year) of the years that govern the sentences after them: any year of the provision's first
    sentence, and a year that opens a later sentence or paragraph (`2024年，…`, `到2025年，…`); the end of a range."""
    found = []
    first_end = text.find("。")
    for start, end in _spans(text, SENTENCE_ENDS):
        m = YEAR.search(text, start, end) if start == 0 and first_end >= 0 else OPENING_YEAR.match(text, start)
        if m:
            found.append((m.start(), int(m.group("y2") or m.group("y1"))))
    return found


def _excluded(text: str, q: Quantity, protected, quantities) -> bool:
    """Why a number with a unit is not a promise: names, quotes, dates, labels, conditions."""
    if q.unit is None or _inside(protected, q.start):
        return True
    before, after = text[max(0, q.start - 12) : q.start], text[q.end : q.end + 16]
    prev, nxt = before[-1:], after[:1]
    if prev and (prev.isascii() and prev.isalpha() or prev in "×*第.·") or nxt and nxt in "×*":
        return True
    written = text[q.start : q.end]
    if q.chinese and (q.value == 1 and q.written_unit not in STATED_DURATIONS or re.match(r"^[千百万](?!分之)", written)):
        return True  # 一次办, 一件事, 千家万户: words, not counts (一个工作日 is a time limit)
    if q.category == "time" and names_legal_parameter(_clause_before(text, q.start)):
        return True  # 歇业期限累计不超过3年: a period the rules grant, not a promise
    if q.category == "money" and names_penalty(_clause_around(text, q)):
        return True  # 处五万元以上五十万元以下罚款: a penalty the rules set, not a promise
    if EXCEPTED.search(text, max(0, q.start - 4), q.start):
        return True  # （不含6亩）: what a rule leaves out
    if PERMISSION.search(_clause_before(text, q.start)):
        return True  # 可以视情将公示期缩短三至十二个月: what the rules allow, not what is promised
    if CONDITION_END.match(text, q.end):
        return True  # 发布公告满二十日，且无异议的；: the number is part of a condition
    if q.unit == "年":
        return q.value >= 1900 or not VERB_BEFORE.search(before) or q.chinese and NAME_AFTER.match(after)
    if q.unit == "日" and (re.search(r"(?:\d月|每月|月份)(?:\d{1,2}日[和、及至-])*$", before) or after.startswith("前")):
        return True  # a date (每月12日, 6月30日前)
    if q.unit == "月" and re.search(r"每$", before):
        return True
    if q.category == "count" and NAME_AFTER.match(after):
        return True  # 10项正面清单, 11条措施, 三项制度
    if q.chinese and q.category == "count" and q.value <= 10 and not TARGET_VERB_BEFORE.search(before):
        return True  # 三张牌, 三次产业, 两个国控点: small Chinese-numeral counts are words unless promised
    if CONTEXT_BEFORE.search(_clause_before(text, q.start)):
        return True  # 基于八个重点产业链, 已形成50个清单: context or past achievement, not a promise
    if q.category in ("time", "count") and LABEL_AFTER.match(after):
        return True  # 24小时办税服务机制, 15分钟文化服务圈: the name of a service
    if q.unit == "次" and "每" in _clause_before(text, q.start):
        return True  # a frequency of routine work (每半年进行1次审查)
    return _in_scope_clause(text, q) or _is_condition(text, q, quantities)


def _in_scope_clause(text: str, q: Quantity) -> bool:
    """`对…的，` / `凡…的，`: a clause that says to what a rule applies, not what is promised."""
    start = max(text.rfind(ch, 0, q.start) for ch in CLAUSE_END + "，") + 1
    ends = [i for i in (text.find(ch, q.end) for ch in CLAUSE_END + "，") if i >= 0]
    clause = text[start : min(ends) if ends else len(text)]
    return bool(re.match(r"^(?:对|对于|凡|凡是|针对)", clause)) and clause.endswith("的")


def _clause_around(text: str, q: Quantity) -> str:
    start = max(text.rfind(ch, 0, q.start) for ch in CLAUSE_END + "，") + 1
    ends = [i for i in (text.find(ch, q.end) for ch in CLAUSE_END + "，") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _clause_before(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in CLAUSE_END + "，")
    return text[start + 1 : pos]


def _is_condition(text: str, q: Quantity, quantities) -> bool:
    """`建筑面积不大于3000平方米的厂房`, `年产值达20亿元以上大型企业3户`: the number qualifies a noun
    (followed by 的, or by a short noun phrase and then the count that is the promise)."""
    rest = text[q.end :]
    m = SUFFIX.match(rest)
    rest = rest[m.end() :] if m else rest
    if rest.startswith("的") and q.category == "money" and amount_attribute_before(text[: q.start]):
        return False  # 总规模1亿元的引导基金: the size of what is set up
    if rest.startswith("的") or re.match(r"^[\u4e00-\u9fff]{1,4}?(?:及以下|以下|以内|及以上|以上)的", rest):
        return True
    noun = re.match(r"[\u4e00-\u9fff]{1,8}", rest)
    if not noun:
        return False
    next_start = q.end + (m.end() if m else 0) + noun.end()
    return q.category != "count" and any(other.start == next_start and other.category == "count" for other in quantities)


def _baseline(text: str, quantities: list[Quantity], i: int) -> float | None:
    """The starting value in `由/从 X … 至/到/为 Y`, when quantity i is Y."""
    if i == 0:
        return None
    prev, q = quantities[i - 1], quantities[i]
    if not BASELINE_GAP.match(text[prev.end : q.start]):
        return None
    lead = text[max(_sentence(text, prev.start)[0], prev.start - 24) : prev.start]
    if not re.search(r"[由从][^，。；]*$", lead):
        return None
    if prev.unit not in (None, q.unit, "个") and prev.category != q.category:
        return None
    return prev.value


def _comparator(text: str, q: Quantity, baseline: float | None) -> tuple[str, int]:
    """(comparator, end of the suffix word) from the words after and before the number."""
    if q.value_max is not None:
        m = SUFFIX.match(text[q.end :])
        return "range", q.end + (m.end() if m else 0)
    m = SUFFIX.match(text[q.end :])
    if m:
        return SUFFIX_COMPARATOR[m.group(0)], q.end + m.end()
    before = text[max(0, q.start - 8) : q.start]
    verb = VERB_BEFORE.search(before)
    if verb:
        word = verb.group(0).strip()
        if word in LE_WORDS:
            return "<=", q.end
        if word in GE_WORDS:
            return ">=", q.end
    if baseline is not None:
        return ("<=" if q.value < baseline else ">="), q.end
    return {"time": "<=", "rate": ">="}.get(q.category or "", "="), q.end


def _simple_target(
    text: str, q: Quantity, baseline: float | None, protected, carried_year: int | None, previous: Phrase | None
) -> tuple[Target, Phrase]:
    comparator, end = _comparator(text, q, baseline)
    phrase = _phrase(text, q, end, previous)
    years = _years_before(text, q.start, protected)
    year = years[-1] if years else carried_year
    return (
        Target(
            q.value,
            q.value_max,
            q.unit,
            comparator,
            baseline,
            year,
            phrase.metric,
            text[phrase.start : phrase.end],
            phrase.start,
            phrase.end,
            phrase.scope,
        ),
        phrase,
    )


def _phrase(text: str, q: Quantity, end: int, previous: Phrase | None) -> Phrase:
    """Metric, scope and span of the target at `q` (its suffix ends at `end`). The words before the number name
    what is measured; the words after it name it when nothing stands before (`建设7个公交首末站`), complete it
    (`企业开办…0.5个工作日内办结` → `企业开办办结时间`, `100%“全程网办”` → `“全程网办”比例`) or say what must be done in the
    time. A list item with nothing of its own before its number (`100%“最多跑一次”、50%“全程网办”`, `…、其他工程不超过
    6个工作日`) takes the previous item's subject, and its class when it names none."""
    in_list = previous is not None and previous.end <= q.start and _same_clause(text, previous.end, q.start)
    start = clause_start(text, q.start, previous.end if in_list else 0)
    raw = text[start : q.start]
    if in_list:  # a list item: its own words start after the last `、` (`…6个、审批用时不超过20个工作日`)
        raw = raw[raw.rfind("、") + 1 :]
        start = q.start - len(raw)
    verb = VERB_BEFORE.search(raw) or SHARE_OF.search(raw)
    raw_subject = raw[: verb.start()] if verb else raw
    word = verb.group(0).strip() if verb else ""
    change = word if q.category == "rate" and word in words()["change_verb"] else None
    if q.category == "rate" and not verb:
        raw_subject, change = change_verb(raw_subject)
    subject = clean_subject(raw_subject)
    attribute = amount_attribute_before(raw_subject)
    if attribute and text[end : end + 1] == "的":  # 总规模1亿元的引导基金 → 引导基金总规模
        label, label_end = label_after(text, end + 1)
        metric = label + attribute
        return Phrase(metric, None, metric, q.category, q.start - len(attribute), label_end)
    merged = q.category == "count" and strip_trailing_merge(subject) != subject
    if merged:
        subject = strip_trailing_merge(subject)
    label, label_end = label_after(text, end)
    scope = None
    if q.category == "time":
        subject, label, scope = _statutory_subject(text, start, end, raw_subject, subject, label)
    modifier_only = len(subject) < 2 or re.fullmatch(r"(?:每年|年均|年度|年|同比|当年|平均)+", subject)
    follows = previous is not None and _same_sentence(text, previous.end, q.start)
    if follows and modifier_only and (in_list or not label):
        subject, scope = previous.subject + subject, previous.scope  # `工业增加值达到17.5亿元，比…增长40%以上`
    elif in_list and not split_scope(subject)[0] and not is_class(subject):
        scope = previous.scope  # `…项目的审批环节不超过6个、审批用时不超过20个工作日`: the items share the class
    if is_class(subject) and q.category != "count" and not label:
        # `小微工程不超过4个工作日、其他工程不超过6个工作日`, `政府投资项目审批时间压缩至60个工作日，社会投资项目压缩至40个
        # 工作日`: the class is the scope, what is measured stands before it (the previous target's, or a clause of its own)
        scope = class_scope(subject) or term_scope(subject)
        context = _clause_before(text, start - 1) if start and text[start - 1] in "，," else ""
        if context and not DIGIT.search(context):
            subject = clean_subject(context)
        elif follows and previous.category == q.category:
            subject = _without_scope(previous.subject, previous.scope)
    elif is_class(subject) and (q.category == "rate" and label or q.category == "time" and "的" in subject):
        scope = class_scope(subject)  # `依申请类政务服务事项100%“全程网办”`, `…清楚的破产案件180天内审结`
        subject = subject.rsplit("的", 1)[-1] if q.category == "time" else subject
    split, rest = split_scope(subject)
    if split:
        scope, subject = split, rest
    metric = compose(subject, label, q.category, change, merged) or label or text[q.start : end]
    uses_label = bool(label) and (label[:2] in metric or not subject)
    span_start = start + lead_length(raw_subject) if raw_subject.strip() else q.start
    if not scope and q.category != "count":
        scope = term_scope(metric) or term_scope(subject)
    elif not scope and label:  # a class in what is counted (`中小微企业达到80家`) is no scope; one before the noun is
        scope = term_scope(subject)
    return Phrase(metric, scope, subject, q.category, min(span_start, q.start), label_end if uses_label else end)


def _statutory_subject(text: str, start: int, end: int, raw_subject: str, subject: str, label: str) -> tuple[str, str, str | None]:
    """(subject, label, scope) of a time limit in the forms of rules. The action may stand in the next clause
    (`…之日起五个工作日内，作出是否受理的决定`) or at the end of a list of limits (`报告书14个工作日内、报告表7个工作日内
    完成审批`); in a rule (`应当`) what is timed is that action, not who acts (`业务办理单位应当在…内联系核实`) nor what
    they are told (`登记机关应当通知该企业在三个月内申请变更登记`). The condition or topic clause before a limit
    (`通过邮寄方式提交申请的，`, `对实名差评事项，`) is its scope, or names it when nothing else does (`接入低压供电的，
    时间不超过八个工作日`)."""
    ruled = bool(MODAL.search(raw_subject))
    if not label and text[end : end + 1] in "，,":
        following = re.match(r"(?P<modal>[^，。；]*?(?:应当|应|须))?(?P<action>[^，。；]{2,24})(?=[，。；]|$)", text[end + 1 :])
        if following and (ruled or following.group("modal")):
            label = following.group("action")
    elif not label and text[end : end + 1] == "、":
        shared = re.match(r"[^，。；]*(?:内|以内|之内)(?P<action>[^、，。；\d]{2,16})(?=[，。；]|$)", text[end:])
        label = shared.group("action") if shared else ""
    if label:
        subject = "" if ruled else without_actor(subject)
    scope = None
    if (not subject or subject in words()["time_head"]) and start and text[start - 1] in "，,":
        context = _clause_before(text, start - 1).strip()
        topic = re.match(r"^(?:对于|对|针对)(?P<what>[^，]{2,})$", context)
        condition = re.match(r"^(?P<what>[^，不未无没]{2,})的$", context)  # a negated event is when, not what
        named = topic or condition
        if named and not DIGIT.search(named.group("what")):
            if label:
                scope = clean_subject(named.group("what"))
            else:
                subject = clean_subject(named.group("what")) + subject
    return subject, label, scope


def _without_scope(subject: str, scope: str | None) -> str:
    """`政府投资项目审批时间` without its class `政府投资项目`: what a parallel class after it is measured by."""
    return subject[len(scope) :].lstrip("的") if scope and subject.startswith(scope) and len(subject) > len(scope) + 1 else subject


def _same_clause(text: str, a: int, b: int) -> bool:
    return not re.search("[" + re.escape(CLAUSE_END) + "，：]", text[a:b])


def _same_sentence(text: str, a: int, b: int) -> bool:
    return not SENTENCE_ENDS.search(text, a, b)


def _distributed(text, clause_start_, in_clause, quantities, protected, consumed, carried_year) -> list[Target]:
    """`A、B分别达X和Y、…` and `A、B均达X`: one row per metric (and per year of a year range)."""
    clause_end = next((i + 1 for i in range(clause_start_, len(text)) if text[i] in CLAUSE_END), len(text))
    found = [m for m in DISTRIBUTE.finditer(text, clause_start_, clause_end) if not _inside(protected, m.start())]
    m = next((m for m in found if m.group(0) == "分别"), found[0] if found else None)
    if not m:
        return []
    word_at = m.start()
    values = [i for i in in_clause if quantities[i].start > word_at and not _inside(protected, quantities[i].start)]
    run_idx = _list_run(text, [quantities[i] for i in values], values)
    run = [quantities[i] for i in run_idx]
    if not run or not run[-1].unit:
        return []
    head_start = max(text.rfind(ch, clause_start_, word_at) for ch in "，：") + 1
    head_start = max(head_start, clause_start_)
    head = text[head_start:word_at]
    scope, metrics = distribute_items(head)
    if not metrics:
        return []
    groups = _groups(text, run)
    unit_q = run[-1]
    years = _years_before(text, word_at, protected) or ()
    comparator, end = _comparator(text, unit_q, None)
    if comparator == "range":
        return []
    verb = VERB_BEFORE.search(text[word_at + len(m.group(0)) : run[0].start])
    if not SUFFIX.match(text[unit_q.end :]) and verb:
        word = verb.group(0).strip()
        comparator = "<=" if word in LE_WORDS else ">=" if word in GE_WORDS else comparator
    span_start = head_start + lead_length(head)
    span = text[span_start:end]
    rows: list[tuple[str, int | None, Quantity]] = []
    if len(years) > 1 and len(groups) == len(years) and all(len(g) == len(metrics) for g in groups):
        rows = [(metrics[i], years[j], group[i]) for j, group in enumerate(groups) for i in range(len(metrics))]
    elif len(metrics) == 1 and len(years) > 1 and len(run) == len(years):
        rows = [(metrics[0], years[j], q) for j, q in enumerate(run)]
    elif len(run) == len(metrics):
        rows = [(metrics[i], years[-1] if years else carried_year, q) for i, q in enumerate(run)]
    elif len(run) == 1 and m.group(0) == "均":
        rows = [(metric, years[-1] if years else carried_year, run[0]) for metric in metrics]
    if not rows:
        return []
    consumed.update(run_idx)
    out = []
    for metric, year, q in rows:
        unit = q.unit if q.unit not in (None, "个") or unit_q.unit == "个" else unit_q.unit
        out.append(Target(q.value, q.value_max, unit, comparator, None, year, metric, span, span_start, end, scope or term_scope(metric)))
    return out


def _list_run(text: str, values: list[Quantity], indices: list[int]) -> list[int]:
    """Indices of the numbers that follow one another separated only by `、` `和` `及` `与` `，`."""
    run: list[int] = []
    for q, i in zip(values, indices):
        if run and not LIST_GAP.match(text[values[len(run) - 1].end : q.start]):
            break
        run.append(i)
    return run


def _groups(text: str, run: list[Quantity]) -> list[list[Quantity]]:
    groups = [[run[0]]]
    for prev, q in zip(run, run[1:]):
        sep = LIST_GAP.match(text[prev.end : q.start]).group("sep")
        if sep in "、，,":
            groups.append([q])
        else:
            groups[-1].append(q)
    return groups
