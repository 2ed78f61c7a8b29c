"""Property-based tests: arbitrary text never crashes the parsers, and every offset points at its span."""

import math
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assets.domain.extracting.responsibility import read_responsibility
from assets.domain.extracting.target_extraction import extract_targets
from assets.domain.reading.decode import decode_bytes
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.outline import parse_outline
from assets.domain.reading.squash import PUNCT_OR_SPACE, squash
from tests.helpers import seed_texts

PALETTE = list(
    "一二三四五六七八九十百千万两零〇0123456789.,，。、；;:：()（）〔〕[]【】“”《》%％-—~至到个工作日小时天年月家户项次万亿"
    "牵头单位责任配合局委办区市州县省以内上下左右不超过低于达到压缩由从分别均和 \n\t|①②③第条是"
) + [
    "牵头单位：",
    "责任单位：",
    "（牵头单位：",
    "总牵头单位：",
    "督办领导：",
    "2022年",
    "2022—2024年",
    "个工作日",
    "以内",
    "以上",
    "分别达",
    "均达",
    "由",
    "缩短至",
    "附件",
    "本方案自",
    "<p>",
    "</p>",
    "&nbsp;",
    "\r\n",
    "\u3000",
    "\ufeff",
]
MEASURE_TEXTS = [
    p.text
    for raw in seed_texts().values()  # real provisions from the seeds
    for p in parse_outline(normalize_text(decode_bytes(raw).text).text).provisions
]

palette_text = st.lists(st.sampled_from(PALETTE), max_size=80).map("".join)
any_text = st.one_of(st.text(max_size=300), palette_text)
truncated_measure = st.builds(
    lambda i, a, b: MEASURE_TEXTS[i][min(a, b) : max(a, b)],
    st.integers(0, len(MEASURE_TEXTS) - 1),
    st.integers(0, 2000),
    st.integers(0, 2000),
)
spliced = st.builds(lambda a, b, c: a + b + c, truncated_measure, palette_text, truncated_measure)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.one_of(any_text, spliced))
def test_normalizer_and_outline_never_crash_and_offsets_hold(raw):
    result = normalize_text(raw)
    text = result.text
    assert "\r" not in text and "" not in text.split("\n") or text == ""
    for p in parse_outline(text).provisions:
        assert 0 <= p.char_start <= p.char_end <= len(text)
        first_line = p.text.split("\n")[0]
        assert text[p.char_start :].startswith(first_line)
        assert p.seq >= 1 and p.kind and p.title is not None


@FUZZ
@given(st.one_of(any_text, spliced, truncated_measure))
def test_target_spans_equal_the_text_at_their_offsets(text):
    for t in extract_targets(text):
        assert 0 <= t.start <= t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert math.isfinite(t.value) and t.comparator in {"<=", ">=", "=", "~", "range"}
        assert t.value_max is None or t.value_max >= 0


@FUZZ
@given(st.one_of(any_text, palette_text.map(lambda s: "（牵头单位：" + s + "）"), palette_text.map(lambda s: "责任单位：" + s)))
@example(")牵头单位:\u3000)")  # found by hypothesis: a name of nothing but an ideographic space
def test_unit_reader_never_crashes(annotation):
    result = read_responsibility(annotation)
    for role, name in result.roles:
        assert role in {"lead", "cooperating", "responsible"} and name.strip()


@FUZZ
@given(st.binary(max_size=400))
def test_decoder_either_decodes_or_says_why(data):
    try:
        decoded = decode_bytes(data)
    except ValueError as err:
        assert getattr(err, "stage", None) == "decode" and err.reason
    else:
        assert decoded.text.strip() and decoded.encoding


COMPOSING = [
    "\u0301",
    "\u0338",
    "\u0340",
    "＝",
    "①",
    "㈠",
    "Ⅳ",
    "ｅ",
    "가",
    "\u1161",
    "\u11a8",
    "\u0bbe",
    "\u0bc6",
    "_",
    "·",
    "…",
    "‥",
    "\uff65",
    "・",
    "e",
    "=",
    "<",
]


@FUZZ
@given(st.one_of(any_text, spliced, st.lists(st.sampled_from(PALETTE + COMPOSING), max_size=40).map("".join)))
def test_squash_is_punctuation_removed_after_nfkc(text):
    """The fast path (no NFKC for plain text) gives what the definition gives, composing characters included."""
    assert squash(text) == PUNCT_OR_SPACE.sub("", unicodedata.normalize("NFKC", text))
