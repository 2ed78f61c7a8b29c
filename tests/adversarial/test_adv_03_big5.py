"""Case 3: a Big5 file is read as Big5, not published as GB18030 mojibake; a decoding the detector doubts is flagged."""

import opencc
import pytest

from assets.domain.reading.decode import decode_bytes
from tests.helpers import GOOD, RAW, build, by_file, table

TO_TRADITIONAL = opencc.OpenCC("s2t")
TRADITIONAL = TO_TRADITIONAL.convert(GOOD)


def test_a_big5_file_is_decoded_as_big5():
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert decoded.encoding == "big5" and decoded.text == TRADITIONAL and decoded.doubt is None


def test_gb18030_files_stay_gb18030():
    for text in (GOOD, TRADITIONAL):
        decoded = decode_bytes(text.encode("gb18030"))
        assert decoded.encoding == "gb18030" and decoded.text == text


def test_a_short_text_both_encodings_read_is_flagged_as_doubtful():
    decoded = decode_bytes("审批时间压缩".encode("gb18030"))  # six characters: Big5 reads these bytes as plausible text too
    assert decoded.doubt and "gb18030" in decoded.doubt and "big5" in decoded.doubt


def test_excerpts_of_the_bundled_plans_are_decoded_right_or_flagged_never_silently_wrong():
    wrong = []
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for size in (20, 200):
            for start in range(0, len(text) - size, 211):
                for encoding, excerpt in (
                    ("gb18030", text[start : start + size]),
                    ("big5", TO_TRADITIONAL.convert(text[start : start + size])),
                ):
                    try:
                        data = excerpt.encode(encoding)
                    except UnicodeEncodeError:  # a character Big5 lacks: no Big5 file holds it
                        continue
                    decoded = decode_bytes(data)
                    if decoded.text != excerpt and not decoded.doubt:
                        wrong.append((path.name, start, size, encoding, decoded.encoding))
    assert wrong == []


@pytest.mark.slow
def test_a_big5_plan_is_published_in_simplified_script_with_its_measures(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    build(raw, tmp_path / "w")
    doc = by_file(tmp_path / "w")["big5.txt"]
    assert (doc["encoding"], doc["script"], doc["title"], doc["measure_count"]) == ("big5", "traditional", "某区优化营商环境实施方案", 2)
    texts = {row["doc_id"]: row["text"] for row in table(tmp_path / "w", "document_texts")}
    assert "企业开办时间压缩至1个工作日以内" in texts[doc["doc_id"]]


@pytest.mark.slow
def test_a_doubtful_decoding_is_published_with_a_parse_warning_naming_the_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "short.txt").write_bytes("1.审批时间压缩\n2.审批提速\n".encode("gb18030"))
    build(raw, tmp_path / "w")
    [warning] = [w for w in table(tmp_path / "w", "parse_warnings") if w["stage"] == "decode"]
    assert warning["source_file"] == "short.txt" and "check the text" in warning["message"]
