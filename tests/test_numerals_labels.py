import pytest

from assets.domain.reading.labels import match_label
from assets.domain.reading.numerals import chinese_to_int, to_int


@pytest.mark.parametrize(
    "text, value",
    [
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("三十一", 31),
        ("一百八十", 180),
        ("一百零五", 105),
        ("两", 2),
        ("两万", 20000),
        ("二〇二二", 2022),
        ("九十九", 99),
        ("三千", 3000),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "abc", "一a", "三四"])
def test_not_numerals(text):
    assert chinese_to_int(text) is None


def test_to_int_accepts_arabic_and_chinese():
    assert to_int("43") == 43 and to_int("四十三") == 43 and to_int("4x") is None


@pytest.mark.parametrize(
    "line, style, number, label",
    [
        ("一、总体要求", "cn_dun", 1, "一、"),
        ("（三十一）强化政商关系。", "cn_paren", 31, "（三十一）"),
        ("43.压缩审批时限", "ar_dot", 43, "43."),
        ("7、推行容缺受理", "ar_dun", 7, "7、"),
        ("（4）深化改革。", "ar_paren", 4, "（4）"),
        ("4）深化改革。", "ar_half_paren", 4, "4）"),
        ("③加强监管", "circled", 3, "③"),
        ("第十二条 本办法自印发之日起施行", "article", 12, "第十二条"),
        ("第二章 总则", "chapter", 2, "第二章"),
        ("二是加强文化惠民建设", "cn_shi", 2, "二是"),
    ],
)
def test_label_styles(line, style, number, label):
    found = match_label(line)
    assert (found.style, found.number, found.text) == (style, number, label)


@pytest.mark.parametrize(
    "line",
    [
        "2022年底前完成",
        "1.5倍以上",
        "3D打印技术",
        "5G网络建设",
        "一网通办",
        "12345热线",
        "（1）",
        "1.",
        "2.0版",
        "十大产业",
    ],
)
def test_not_labels(line):
    assert match_label(line) is None
