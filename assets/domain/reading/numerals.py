"""Chinese numerals (一百八十, 二〇二二, 两, 三十一) to integers, for numbering labels and dates."""

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(BIG_UNITS)


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese numeral, or None when `text` is not one.

    Handles positional forms (`三十一`, `一百零五`, `十五`, `两万`) and digit-by-digit
    forms used in years (`二〇二二`, three or more digits or a zero).
    """
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        return None
    if all(ch in DIGITS for ch in text) and (len(text) >= 3 or any(ch in "零〇○Ｏ" for ch in text)):
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0 and DIGITS[ch] != 0:
                return None  # two digits in a row in a positional numeral: not a number
            digit = DIGITS[ch]
        elif ch in UNITS:
            section += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + section) * BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def to_int(text: str) -> int | None:
    """Integer value of Arabic (`31`) or Chinese (`三十一`) digits; None otherwise."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return chinese_to_int(text)
