"""Do two provisions say the same thing? Shingles for candidate search, and a verification that looks at
what differs: numbers, level prefixes, place names and function words may differ; a content keyword may not
(`用电报装…3个工作日` and `用水报装…3个工作日` are different promises)."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from assets.domain.reading.squash import squash

DIGITS = re.compile(r"\d+(?:\.\d+)?")
LEVEL_CHARS = set("省市州区县旗盟乡镇街村")
FUNCTION_CHARS = set("的和及与或等了在对将要把各全并为以于其由从到至之而且也还再更进一步加快积极大力持续全面深化不断切实着力")

# Default thresholds, chosen from the precision/recall curve on tests/data/measure_pairs.jsonl
# (benchmarks/dedup_thresholds.py prints it).
MIN_RATIO = 0.80
MAX_CONTENT_CHARS = 0
LSH_THRESHOLD = 0.5


def masked(text: str) -> str:
    """`squash` with every number replaced by `0`: copies that only change their numbers look the same."""
    return mask_numbers(squash(text))


def mask_numbers(squashed: str) -> str:
    """`masked` of an already squashed text."""
    return DIGITS.sub("0", squashed)


def shingles(text: str, k: int = 3) -> set[str]:
    return masked_shingles(masked(text), k)


def masked_shingles(m: str, k: int = 3) -> set[str]:
    """Character k-grams of an already masked text."""
    return {m[i : i + k] for i in range(max(1, len(m) - k + 1))}


@dataclass(frozen=True)
class Verdict:
    same: bool
    ratio: float  # difflib similarity of the masked texts, 0..1
    content_chars: int  # differing Chinese characters that are not numbers, level prefixes, place names or function words


def compare(a: str, b: str, min_ratio: float = MIN_RATIO, max_content_chars: int = MAX_CONTENT_CHARS) -> Verdict:
    return compare_masked(masked(a), masked(b), min_ratio, max_content_chars)


def compare_masked(ma: str, mb: str, min_ratio: float = MIN_RATIO, max_content_chars: int = MAX_CONTENT_CHARS) -> Verdict:
    """`compare` of two already masked texts (the verdict depends on nothing else, not even their order: difflib's
    matching can depend on which text comes first, so the two are taken in a fixed order)."""
    ma, mb = sorted((ma, mb))
    if ma == mb:
        return Verdict(True, 1.0, 0)
    short, long = sorted((ma, mb), key=len)
    if long.startswith(short) and len(short) >= 0.5 * len(long):
        return Verdict(True, len(short) / len(long), 0)  # a copy cut short
    matcher = SequenceMatcher(None, ma, mb, autojunk=False)
    ratio = matcher.ratio()
    if ratio < min_ratio:
        return Verdict(False, ratio, -1)
    content = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (_place_like(ma, i1, i2) and _place_like(mb, j1, j2)):
            continue
        content += _content_chars(ma[i1:i2]) + _content_chars(mb[j1:j2])
    return Verdict(content <= max_content_chars, ratio, content)


def _place_like(text: str, start: int, end: int) -> bool:
    """A short changed segment right before a level character (`乌鲁木齐|市`, `天山|区`, `我|区`): a place or level change."""
    if end - start > 5:
        return False
    following = text[end : end + 3]
    return end == start or any(ch in LEVEL_CHARS for ch in text[start:end]) or any(ch in "省市州区县旗盟" for ch in following)


def _content_chars(segment: str) -> int:
    """Changed characters that carry meaning: Chinese characters other than level prefixes and function words."""
    return sum(1 for ch in segment if "\u4e00" <= ch <= "\u9fff" and ch not in LEVEL_CHARS and ch not in FUNCTION_CHARS)
