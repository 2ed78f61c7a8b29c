"""Quantities in Chinese policy text: a number (Arabic or Chinese, decimals, thousands separators,
ranges, 万/亿 multipliers) and its unit, normalized (`个工作日` → `工作日`, `天` → `日`, `26万户` → 260000 户)."""

import re
from dataclasses import dataclass

from assets.domain.reading.numerals import chinese_to_int

CN_NUM = "[零〇一二两三四五六七八九十百千]+"
AR_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUM = rf"(?:{AR_NUM}|{CN_NUM})"
RANGE_SEP = r"(?:-|—|－|~|～|至|到)"
MULTIPLIER = {"万": 1e4, "亿": 1e8, "千": 1e3}

# Written unit → (normalized unit, category). Longest forms first when matching.
UNITS: dict[str, tuple[str, str]] = {
    "个工作日": ("工作日", "time"),
    "工作日": ("工作日", "time"),
    "个工作小时": ("小时", "time"),
    "工作小时": ("小时", "time"),
    "个小时": ("小时", "time"),
    "小时": ("小时", "time"),
    "分钟": ("分钟", "time"),
    "天": ("日", "time"),
    "日": ("日", "time"),
    "个月": ("月", "time"),
    "年": ("年", "time"),
    "%": ("%", "rate"),
    "％": ("%", "rate"),
    "个百分点": ("百分点", "rate"),
    "百分点": ("百分点", "rate"),
    "元": ("元", "money"),
    "平方米": ("平方米", "area"),
    "平米": ("平方米", "area"),
    "亩": ("亩", "area"),
    "公顷": ("公顷", "area"),
    "公里": ("公里", "length"),
    "人次": ("人次", "count"),
    "家次": ("家次", "count"),
    "户次": ("户次", "count"),
    "个": ("个", "count"),
    "家": ("家", "count"),
    "户": ("户", "count"),
    "套": ("套", "count"),
    "项": ("项", "count"),
    "次": ("次", "count"),
    "所": ("所", "count"),
    "台": ("台", "count"),
    "人": ("人", "count"),
    "名": ("名", "count"),
    "件": ("件", "count"),
    "条": ("条", "count"),
    "座": ("座", "count"),
    "处": ("处", "count"),
    "张": ("张", "count"),
    "批": ("批", "count"),
    "种": ("种", "count"),
    "场": ("场", "count"),
    "支": ("支", "count"),
    "辆": ("辆", "count"),
    "栋": ("栋", "count"),
    "只": ("只", "count"),
    "笔": ("笔", "count"),
    "份": ("份", "count"),
    "位": ("位", "count"),
    "床": ("床", "count"),
    "千瓦": ("千瓦", "power"),
    "千瓦时": ("千瓦时", "energy"),
    "微克/立方米": ("微克/立方米", "concentration"),
    "毫克/立方米": ("毫克/立方米", "concentration"),
    "立方米": ("立方米", "volume"),
    "吨": ("吨", "weight"),
}
UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
# A minus sign written right before a number that does not follow another number or letter (`1-3` is a range, `G-3` a code).
SIGN = r"(?P<sign>(?<![0-9A-Za-z.零〇一二两三四五六七八九十百千])[-−－])?"
QUANTITY = re.compile(
    rf"(?P<pct>百分之(?P<pnum>{NUM}))"
    rf"|{SIGN}(?P<num>{NUM})(?:\s*{RANGE_SEP}\s*(?P<num2>{NUM}))?(?P<mult>[万亿千](?=\s*(?:{UNIT_RE})))?\s*(?P<unit>{UNIT_RE})?"
)


@dataclass(frozen=True)
class Quantity:
    value: float
    value_max: float | None
    unit: str | None  # normalized; None for a bare number
    category: str | None  # time, rate, money, area, count, ...
    start: int
    end: int
    written_unit: str | None
    chinese: bool  # the number was written in Chinese numerals


def parse_number(text: str) -> float | None:
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    value = chinese_to_int(text)
    return None if value is None else float(value)


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with the unit written right after it (if any)."""
    found = []
    for m in QUANTITY.finditer(text):
        if m.group("pct"):
            value = parse_number(m.group("pnum"))
            if value is not None:
                found.append(Quantity(value, None, "%", "rate", m.start(), m.end(), "百分之", not m.group("pnum")[0].isdigit()))
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value_max = parse_number(m.group("num2")) if m.group("num2") else None
        if m.group("sign"):  # `-3个工作日` is -3 (implausible, and left out as such), never 3
            value, value_max = -value, -value_max if value_max is not None else None
        written = m.group("unit")
        unit, category = UNITS[written] if written else (None, None)
        factor = MULTIPLIER.get(m.group("mult") or "", 1)
        value *= factor
        if value_max is not None:
            value_max *= factor
        found.append(Quantity(value, value_max, unit, category, m.start(), m.end(), written, not m.group("num")[0].isdigit()))
    return found
