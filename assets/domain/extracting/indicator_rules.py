"""Which business-environment indicators a measure or target is about, by keyword rules kept as data.

The taxonomy (assets/catalog/data/indicators.csv) and its keywords (indicator_keywords.csv) are tables a
reviewer can read and change without touching code. A keyword found in the provision's title counts
three times its weight, in the body once, and only half when it is one item of an enumeration
(`市场准入、产业发展、政府采购、招标投标等`), where it is named in passing. An indicator is tagged when
its score reaches TAG_SCORE; a provision with none is `other`.
"""

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from assets.catalog import vocabulary, vocabulary_frame

OTHER = "other"
TAG_SCORE = 2.0
MIN_SHARE = 0.3
TITLE_FACTOR, BODY_FACTOR, LIST_FACTOR = 3.0, 1.0, 0.5
NO_TOPIC_KINDS = ("principle", "safeguard")  # about the plan itself (guiding ideas, organisation), never an indicator
DELIMITER = re.compile(r"[、，。；：,;:（）()“”\n]")


@dataclass(frozen=True)
class Keyword:
    indicator: str
    text: str
    weight: float
    exclusions: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    indicator: str
    score: float
    evidence: str  # e.g. "title:企业开办; text:营业执照, 简易注销(list)"


@lru_cache(maxsize=None)
def taxonomy() -> pd.DataFrame:
    """The indicator codes with Chinese and English names and their scope, in the evaluation system's order."""
    return vocabulary_frame("indicators.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def taxonomy_order() -> dict[str, int]:
    """indicator code → its position in the taxonomy (ties between equal scores go to the earlier one)."""
    return {code: n for n, code in enumerate(taxonomy()["code"].tolist())}


@lru_cache(maxsize=None)
def keywords() -> tuple[Keyword, ...]:
    """All keywords, longest first so that `不动产统一登记` is matched before `不动产登记` claims the same characters."""
    codes = set(taxonomy()["code"])
    rows = vocabulary("indicator_keywords.csv")
    result = []
    for n, row in enumerate(rows, start=2):
        if row["indicator_code"] not in codes:
            raise ValueError(f"indicator_keywords.csv line {n}: unknown indicator code {row['indicator_code']!r}")
        exclusions = tuple(e for e in row["exclusions"].split("|") if e)
        result.append(Keyword(row["indicator_code"], row["keyword"], float(row["weight"]), exclusions))
    return tuple(sorted(result, key=lambda k: (-len(k.text), k.indicator, k.text)))


@lru_cache(maxsize=None)
def _scanner() -> tuple[re.Pattern, dict[str, tuple[Keyword, ...]]]:
    """One pattern for every keyword and exclusion phrase, longest first, and what each phrase counts for.

    Scanning once, leftmost-longest, gives each character to at most one phrase: the longer phrase wins
    (`劳动力市场监管` is about the labour market, not 市场监管), an exclusion phrase (`政务服务平台`) takes its
    characters and counts for nothing, and one phrase may count for several indicators (`水电气`)."""
    phrases: dict[str, list[Keyword]] = {}
    for keyword in keywords():
        phrases.setdefault(keyword.text, []).append(keyword)
    for keyword in keywords():
        for exclusion in keyword.exclusions:
            phrases.setdefault(exclusion, [])
    return longest_phrase_pattern(phrases), {p: tuple(k) for p, k in phrases.items()}


def longest_phrase_pattern(phrases) -> re.Pattern:
    """A pattern matching, at each position, the longest of `phrases` that starts there (as an alternation of the
    phrases longest first would), written as a trie: each character is tried once instead of once per phrase
    (scanning provisions for keywords was the largest cost of the indicator stage)."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer phrase first, else the one ending here

    return re.compile(branch(trie))


def _list_item_test(text: str):
    """A function telling whether the phrase at start:end of `text` is one item of an enumeration joined by 、
    (the delimiters around it, found by bisecting the text's delimiter positions, include a 、)."""
    marks = [(m.start(), m.group()) for m in DELIMITER.finditer(text)]
    positions = [p for p, _ in marks]

    def is_item(start: int, end: int) -> bool:
        left = bisect.bisect_left(positions, start) - 1
        right = bisect.bisect_left(positions, end)
        return (left >= 0 and marks[left][1] == "、") or (right < len(marks) and marks[right][1] == "、")

    return is_item


@dataclass
class Score:
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    topical: bool = False  # found in the title or outside an enumeration at least once


def score_indicators(title: str, body: str) -> dict[str, Score]:
    """Per indicator: its score and the evidence (where each keyword was found) for a title and body."""
    pattern, phrases = _scanner()
    factors: dict[Keyword, float] = {}  # the best place each keyword was found
    for text, in_title in ((title, True), (body, False)):
        is_item = None
        for m in pattern.finditer(text):
            if not in_title and is_item is None:
                is_item = _list_item_test(text)
            factor = TITLE_FACTOR if in_title else LIST_FACTOR if is_item(m.start(), m.end()) else BODY_FACTOR
            for keyword in phrases[m.group()]:
                factors[keyword] = max(factors.get(keyword, 0.0), factor)
    scores: dict[str, Score] = {}
    for keyword in sorted(factors, key=lambda k: (-len(k.text), k.indicator, k.text)):
        factor = factors[keyword]
        where = ("title:" if factor == TITLE_FACTOR else "text:") + keyword.text + ("(list)" if factor == LIST_FACTOR else "")
        entry = scores.setdefault(keyword.indicator, Score())
        entry.score += keyword.weight * factor
        entry.evidence.append(where)
        entry.topical = entry.topical or factor > LIST_FACTOR
    return scores


def tag_provision(kind: str, title: str, text: str) -> list[Match]:
    """The indicators of one provision, highest score first (the first is its primary indicator); [other] when none.

    An indicator needs TAG_SCORE, one mention outside an enumeration, and at least MIN_SHARE of the
    leading indicator's score: a plan on tax that names 政务服务 once is not also about government services."""
    if kind in NO_TOPIC_KINDS:
        return [Match(OTHER, 0.0, f"kind:{kind}")]
    body = text[len(title) :] if text.startswith(title) else text
    order = taxonomy_order()
    scores = {code: s for code, s in score_indicators(title, body).items() if s.score >= TAG_SCORE and s.topical}
    top = max((s.score for s in scores.values()), default=0.0)
    found = [Match(code, s.score, "; ".join(s.evidence)) for code, s in scores.items() if s.score >= MIN_SHARE * top]
    found.sort(key=lambda m: (-m.score, order[m.indicator]))
    return found or [Match(OTHER, 0.0, "no keyword reached the threshold")]


def best_indicator(text: str) -> str | None:
    """The indicator a short phrase (a target's metric and span) is about, or None when no keyword is in it."""
    scores = score_indicators("", text)
    if not scores:
        return None
    order = taxonomy_order()
    return min(scores, key=lambda code: (-scores[code].score, order[code]))
