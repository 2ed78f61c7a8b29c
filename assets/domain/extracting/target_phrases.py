"""What a target measures and for whom: the metric (a noun phrase: `企业开办时间`, `全程网办率`, `园位数量`) and the
scope (the class of cases the value applies to: `低压居民`, `社会投资小型低风险项目`), read from the words around a number.

The words come from assets/catalog/data/target_words.csv (heads that end a metric, verbs of the promise, class nouns and
named classes, action verbs, legal parameters); the grammar that uses them is here.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from assets.catalog import vocabulary

WORDS_FILE = "target_words.csv"
KINDS = (
    "time_head",
    "rate_head",
    "count_head",
    "amount_head",
    "lead_verb",
    "trail_word",
    "change_verb",
    "merge_verb",
    "scope_class",
    "generic_class",
    "scope_term",
    "kept_class",
    "legal_parameter",
    "penalty",
    "action_verb",
    "amount_attribute",
    "actor",
)
PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)|〔[^〕]*〕|\[[^\]]*\]")
CLAUSE_STOPS = "，。；：！？\n,;:!?"
LABEL_STOPS = CLAUSE_STOPS + "（）()〔〕"
RELATIVE_TIME = r"(?:\d+|[一二两三四五六七八九十]+)(?:个)?(?:年|月|周|日|天|工作日)(?:内|以内|之内)"
LEADING_DEADLINE = re.compile(
    r"^(?:到|至|于|在|截至|截止)?(?:(?:(?:19|20)\d{2}(?:[—\-－至](?:19|20)\d{2})?年(?:\d{1,2}月)?|\d{1,2}月)"
    r"(?:底|末|上半年|下半年)?|年底|年末|年内|今年|明年|当年|" + RELATIVE_TIME + r")(?:前|以前|之前)?[，,]?"
)
DEADLINE_INSIDE = re.compile(r"(?:于|在|到|至)?(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:底|末)?|\d{1,2}月(?:底|末)?|年底|年末)(?:前|以前|之前)")
COMPARISON = re.compile(r"(?:较|与|(?<![占对无])比(?![例重率较]))(?:于)?[^，。；]+$")
PLACE_THEN_VERB = re.compile(r"^在[^，。；]{1,20}?(?:部署|设置|布设|投放|建设|新建|新增|建成|打造|开设|设立|推广)")
ON_BASIS = re.compile(r"在[^，。；]*?基础上")
BASELINE_TAIL = re.compile(r"[由从][^，。；]*\d[^，。；]*$")
SINCE = re.compile(r"^[^，。；]*?(?:之日起|起|后|以来)")
SINCE_TAIL = re.compile(r"(?:(?:自|从|于|在)[^，。；]*?(?:之日起|起|后)|[^，。；]*之日起)$")
AVERAGE_TAIL = re.compile(r"(?:平均|(?<![平年人户日月])均|至|到|于|在)$")
ENUMERATION_SPLIT = re.compile(r"[、和及与]")
DIGIT = re.compile(r"\d")
LABEL_CUT = re.compile(
    r"(?<!合)并|(?<![予可加所足得用难借据])以(?![上下内])|从而|进而|同时|常态化|(?:和|及|与)(?=\d|[一二两三四五六七八九十]+[个项家所处条座])"
)


@lru_cache(maxsize=None)
def words() -> dict[str, tuple[str, ...]]:
    """The vocabulary by kind, longest words first (so that `低压非居民` is tried before `居民`)."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for n, row in enumerate(vocabulary(WORDS_FILE), start=2):
        if row["kind"] not in found:
            raise ValueError(f"{WORDS_FILE} line {n}: unknown kind {row['kind']!r} (one of {', '.join(KINDS)})")
        if not row["word"].strip():
            raise ValueError(f"{WORDS_FILE} line {n}: empty word")
        found[row["kind"]].append(row["word"].strip())
    return {kind: tuple(sorted(set(ws), key=len, reverse=True)) for kind, ws in found.items()}


@lru_cache(maxsize=None)
def _alternation(kind: str) -> str:
    return "|".join(map(re.escape, words()[kind]))


@lru_cache(maxsize=None)
def _pattern(name: str) -> re.Pattern:
    if name == "lead":
        verbs = _alternation("lead_verb")
        return re.compile(
            rf"^(?:[、，,]|(?:并且|并|且|和|及|与)(?={verbs})|(?:{verbs})|在?全?[区市县州省镇旗]?范围内|(?:对|针对)(?=[^，]*的))"
        )
    if name == "trail":
        return re.compile(rf"(?:{_alternation('trail_word')}|的)$")
    if name == "merge":
        return re.compile(rf"(?:{_alternation('merge_verb')})(?:为|至|到|成)?$")
    if name == "change":
        return re.compile(rf"(?P<verb>{_alternation('change_verb')})$")
    if name == "class_split":
        return re.compile(rf"^(?P<scope>.{{2,}}(?:{_alternation('scope_class')}))的?(?P<rest>[^、]+)$")
    if name == "term_class":
        return re.compile(rf"[^，、的：；]{{0,8}}?(?:{_alternation('scope_class')})")
    if name == "class_end":
        return re.compile(rf"(?:{_alternation('scope_class')})$")
    if name == "action":
        return re.compile(rf"^(?:将|把)(?P<object>[^，。；]{{1,20}}?)(?P<verb>{_alternation('action_verb')})")
    raise KeyError(name)


def ends_with(phrase: str, kind: str) -> bool:
    return any(phrase.endswith(w) for w in words()[kind])


def names_legal_parameter(phrase: str) -> bool:
    """The phrase names a period a rule grants to a business or citizen (歇业期限), not a promise of the government."""
    return any(w in phrase for w in words()["legal_parameter"])


def names_penalty(clause: str) -> bool:
    """The clause sets a penalty (罚款, 罚金): amounts in it are rules, not promises."""
    return any(w in clause for w in words()["penalty"])


def amount_attribute_before(before: str) -> str | None:
    """`总规模1亿元的…`: the word before an amount that makes it the size of the object after 的."""
    return next((w for w in words()["amount_attribute"] if before.endswith(w)), None)


@dataclass(frozen=True)
class Phrase:
    metric: str
    scope: str | None
    subject: str  # what is measured as written before the number, cleaned (what list items after it inherit)
    category: str | None  # the quantity's: time, rate, count, money, ...
    start: int  # start of the span of text the target was read from (the subject's start, else the number's)
    end: int  # end of that span (after the words that follow the number when they are used)


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Start of the clause holding `pos`: after the last clause stop before it that is not inside brackets."""
    depth, i = 0, pos - 1
    while i >= floor:
        ch = text[i]
        if ch in "）)〕]":
            depth += 1
        elif ch in "（(〔[":
            if depth:
                depth -= 1
            else:
                return i + 1  # an open bracket before the number: the number stands inside it
        elif depth == 0 and ch in CLAUSE_STOPS:
            return i + 1
        i -= 1
    return floor


def clean_subject(raw: str) -> str:
    """The words before a number without deadlines, verbs of the promise, comparisons, baselines and adverbs."""
    phrase = PARENTHESES.sub("", raw).strip()
    for _ in range(6):
        before = phrase
        phrase = BASELINE_TAIL.sub("", phrase)
        phrase = SINCE_TAIL.sub("", phrase)
        phrase = COMPARISON.sub("", phrase)
        phrase = ON_BASIS.sub("", phrase)
        phrase = _pattern("trail").sub("", phrase).strip()
        phrase = AVERAGE_TAIL.sub("", phrase)
        if phrase == before:
            break
    deadline = None
    for m in DEADLINE_INSIDE.finditer(phrase):
        deadline = m
    if deadline is not None:
        phrase = phrase[deadline.end() :]
    phrase = strip_lead(phrase)
    since = SINCE.sub("", phrase)
    phrase = strip_lead(since) if since != phrase and len(since) >= 2 else phrase
    return "" if phrase.endswith("等") and "、" in phrase else phrase  # `对A、B等43项…`: examples of what is counted


def strip_lead(phrase: str) -> str:
    """`phrase` without the deadlines, verbs and region words it starts with (`2022年底前，实现全区…` → `…`)."""
    phrase = phrase.lstrip("、，, ")
    for _ in range(12):
        m = LEADING_DEADLINE.match(phrase) or _pattern("lead").match(phrase) or PLACE_THEN_VERB.match(phrase)
        if not m or not m.group(0):
            break
        phrase = phrase[m.end() :].lstrip("、，, ")
    return phrase


def lead_length(raw: str) -> int:
    """How many characters of `raw` strip_lead would drop: where the span of text starts."""
    return len(raw) - len(strip_lead(raw))


def split_scope(subject: str, in_list: bool = False) -> tuple[str | None, str]:
    """(scope, metric) of a subject whose qualifier ends in a class noun before what is measured (`政府投资…类项目审批
    用时` → the project class and `审批用时`). A customer class stays in the metric of a single target
    (`低压非居民用户全过程办电时间`), as do classes that cover every case (`工程建设项目`); before a list of metrics
    (`社会投资低风险项目电、水、气报装时间`) any class is split off, as it applies to every item."""
    m = _pattern("class_split").match(subject)
    if not m:
        return None, subject
    scope, rest = _after_preposition(m.group("scope")), m.group("rest")
    if in_list:
        return (None, subject) if len(rest) > 8 and not _is_metric(rest) else (None if is_generic(scope) else scope, rest)
    if _is_metric(rest) and len(rest) > 2 and not is_generic(scope) and not _named_class(scope):
        return scope, rest
    return None, subject


def _after_preposition(scope: str) -> str:
    """`金融机构对中小微企业` → `中小微企业`: the class is what follows the last 对/为/向."""
    m = re.search(r"[对为向]([^对为向]{2,})$", scope)
    return m.group(1) if m else scope


def _named_class(qualifier: str) -> bool:
    """The qualifier is a customer class a metric keeps, with at most a short noun after it (`低压非居民用户`)."""
    return any(qualifier.startswith(w) and len(qualifier) - len(w) <= 2 for w in words()["kept_class"])


def without_actor(subject: str) -> str:
    """`业务办理单位` → ``: who must act (a department, a unit, an office) is not what is measured."""
    return "" if any(subject.endswith(w) for w in words()["actor"]) else subject


def is_generic(scope: str) -> bool:
    """The class covers every case of its metric (`工程建设项目`, `政务服务事项`): no scope."""
    return strip_lead(scope) in words()["generic_class"]


def is_class(phrase: str) -> bool:
    """The phrase names a class of cases and nothing measured (`小微工程`, `依申请类政务服务事项`)."""
    return bool(phrase) and bool(_pattern("class_end").search(phrase)) and not _is_metric(phrase)


def class_scope(phrase: str) -> str | None:
    """`phrase` as a scope when it names a class narrower than all cases (`小微工程`, not `项目`)."""
    return phrase if is_class(phrase) and not is_generic(phrase) else None


def term_scope(phrase: str) -> str | None:
    """The first class named in so many words in `phrase` (the longest where several start at one place), with the
    class noun that completes it (`社会投资` + `小型低风险项目`)."""
    best = None
    for w in words()["scope_term"]:
        at = phrase.find(w)
        if at >= 0 and (best is None or at < best[0] or at == best[0] and len(w) > len(best[1])):
            best = (at, w)
    if best is None:
        return None
    at, term = best
    completed = _pattern("term_class").match(phrase, at + len(term))
    return term + completed.group(0) if completed else term


def _is_metric(phrase: str) -> bool:
    return any(ends_with(phrase, kind) for kind in ("time_head", "rate_head", "count_head", "amount_head"))


def label_after(text: str, end: int) -> tuple[str, int]:
    """The words right after a number and its suffix, up to the clause's end or a conjunction: a counted noun
    (`4个教育集团`), a label (`100%“全程网办”`) or what must be done in the time (`1个工作日内办结`)."""
    stop = end
    while stop < len(text) and text[stop] not in LABEL_STOPS and text[stop] != "、" and stop - end < 30:
        stop += 1
    if stop < len(text) and text[stop] == "、":  # `1所学前、义务教育一贯制特色学校`: a list of nouns, not of targets
        rest_end = stop
        while rest_end < len(text) and text[rest_end] not in LABEL_STOPS and rest_end - end < 30:
            rest_end += 1
        if not DIGIT.search(text[stop:rest_end]) and "%" not in text[stop:rest_end]:
            stop = rest_end
    words_after = text[end:stop]
    clause_end = stop
    while clause_end < len(text) and text[clause_end] not in CLAUSE_STOPS:
        clause_end += 1
    if DIGIT.search(text, stop, clause_end):  # `3条主干道绿化和延安公园、体育公园2个公园绿化`: 和 starts the next item
        words_after = re.split(r"和|及|与", words_after, maxsplit=1)[0] or words_after
    cut = LABEL_CUT.search(words_after)
    if cut and cut.start() > 0:
        words_after = words_after[: cut.start()]
    return words_after, end + len(words_after)


def compose(subject: str, label: str, category: str | None, change: str | None, merged: bool = False) -> str:
    """The metric from what stands before the number (`subject`) and after it (`label`); `merged`: the subject lists
    what a count is made of (`将受理、审查、决定合并为1个环节`)."""
    if category == "rate" and change and not ends_with(subject, "rate_head"):
        return subject + change + "幅度"  # 市场主体年均增长15% → 市场主体年均增长幅度
    if category == "time":
        if _is_time(subject) or not label:
            return subject + ("" if _is_time(subject) or not subject else "时间")
        action = _action(label)
        return subject + action + ("" if _is_time(action) else "时间")
    if category == "rate":
        if label and not ends_with(subject, "rate_head"):
            return subject + label + ("" if ends_with(label, "rate_head") else "比例")
        if "占" in subject and not ends_with(subject, "rate_head"):
            return subject + "比重"
        return subject
    if category == "count":
        noun = _counted(label)
        if not merged and (len(noun) > 2 or noun and "、" in subject):  # the counted noun names it, not names before it
            base = ("新增" if subject.startswith("新增") or subject.endswith("新增") else "") + noun
        elif noun:  # a bare noun (`精简至2个环节`) counts what the words before it name
            base = subject + noun
        else:
            base = subject
        return base if not base or ends_with(base, "count_head") or ends_with(base, "amount_head") else base + "数量"
    if category == "money":
        noun = _counted(label)
        if noun and not _pattern("lead").match(noun):  # 安排4000万元重大项目前期费: what the money is for
            return noun if ends_with(noun, "amount_head") else noun + "金额"
        if subject and not ends_with(subject, "amount_head"):
            return subject + "金额"  # 为企业融资50亿元 → 为企业融资金额
    return subject or _counted(label)


def _is_time(phrase: str) -> bool:
    return ends_with(phrase, "time_head")


def _action(label: str) -> str:
    """What must be done within the time: `将信息上传平台` → `信息上传`, `完成税款开票` → `税款开票`."""
    label = PARENTHESES.sub("", label).strip()
    label = re.sub(r"^(?:内|以内|之内|即可|就|可|均|全部|要|须|应当|应)+", "", label)
    m = _pattern("action").match(label)
    if m:
        return m.group("object") + m.group("verb")
    if label in ("完成", "完毕"):
        return ""
    done = re.match(r"^完成(?P<what>.{2,})$", label)
    if done:  # 完成鉴定 → 鉴定完成
        return done.group("what")[:12] + "完成"
    label = re.sub(r"^(?:实现|进行|予以)(?=..)", "", label)
    return label[:14]


def _counted(label: str) -> str:
    """The noun a count counts (`4个教育集团并试点运行` → `教育集团`), with what qualifies it (`10家销售收入超10亿元的
    企业`, `6项基于专属网页的应用场景`), but not an amount that is a target of its own (`1只总规模1亿元的引导基金` →
    `引导基金`)."""
    label = PARENTHESES.sub("", label).strip()
    if "的" in label:
        condition, noun = label.rsplit("的", 1)
        if any(condition.startswith(w) for w in words()["amount_attribute"]):
            label = noun
    elif DIGIT.search(label):
        return ""
    return label[:20]


def strip_trailing_merge(subject: str) -> str:
    """`将迁移、调档、变更登记合并为` → `迁移、调档、变更登记`: the verb that makes the count is not what is counted."""
    return _pattern("merge").sub("", subject) if len(_pattern("merge").sub("", subject)) >= 2 else subject


def change_verb(raw: str) -> tuple[str, str | None]:
    """(words before, verb) when `raw` ends in a bare verb of change (`市场主体年均增长` → `市场主体年均`, `增长`)."""
    m = _pattern("change").search(raw.rstrip())
    if not m:
        return raw, None
    return raw[: m.start()], m.group("verb")


def distribute_items(head: str) -> tuple[str | None, list[str]]:
    """(scope, metrics) of the list before `分别`/`均`: `社会投资低风险项目电、水、气报装时间` → the project class and
    `电报装时间`, `水报装时间`, `气报装时间` (items without a head take the last item's)."""
    head = clean_subject(head)
    items = [i for i in ENUMERATION_SPLIT.split(head) if i]
    if not items:
        return None, []
    scope, items[0] = split_scope(items[0], in_list=len(items) > 1)
    tail = _shared_tail(items)
    if tail:
        items = [i if _is_metric(i) else i + tail for i in items[:-1]] + [items[-1]]
    return scope or term_scope(head), items


def _shared_tail(items: list[str]) -> str:
    """What the last item of a list adds after its own name, which the items before it share (`用水、用气报装时间` →
    `报装时间`; `一般登记、抵押登记办理时间` → `办理时间`): the split of the last item whose front looks most like the item
    before it (same first or last characters, similar length)."""
    last, before = items[-1], items[-2] if len(items) > 1 else ""
    if not before or _is_metric(before) or not _is_metric(last):
        return ""
    best, best_score = "", None
    for k in range(1, len(last) - 1):
        front, tail = last[:k], last[k:]
        if not _is_metric(tail):
            continue
        score = _common_prefix(front, before) + _common_prefix(front[::-1], before[::-1]) - 0.5 * abs(len(before) - k)
        if best_score is None or score > best_score:
            best, best_score = tail, score
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
