import datetime as dt

import pytest

from assets.lib.manifest import read_manifest
from assets.lib.metadata import Metadata, infer_metadata, parse_date
from assets.lib.regions import Placement

NOTICE = """中共某市某区委办公室 某市某区人民政府办公室关于印发《某区优化营商环境三年行动方案》的通知
各街道：现印发给你们，请认真贯彻落实（见某发〔2021〕3号）。
中共某市某区委办公室
某市某区人民政府办公室
2022年12月12日
某区优化营商环境三年行动方案
一、总体要求"""


def test_notice_wrapper():
    md = infer_metadata(NOTICE.replace(" ", ""))
    assert md.title == "某区优化营商环境三年行动方案"
    assert md.issuer == "中共某市某区委办公室、某市某区人民政府办公室"
    assert md.issue_date == dt.date(2022, 12, 12)
    assert md.doc_number is None  # a number cited in a sentence is another document's
    assert md.place.region is None and "names no administrative division" in md.place.warning  # 某区 is no real place


def test_labeled_fields_and_plan_title():
    text = "文号：青委办字〔2020〕55号\n签发单位：\n签发时间：2020-11-23\n某州2022年优化营商环境工作方案\n一、总体要求"
    md = infer_metadata(text)
    assert md.doc_number == "青委办字〔2020〕55号" and md.issue_date == dt.date(2020, 11, 23)
    assert md.title == "某州2022年优化营商环境工作方案" and md.issuer is None


def test_title_from_trailing_file_name_but_never_the_region():
    md = infer_metadata("为激发活力，制定本方案。\n一、总体要求\n内容。", file_name="西山区市场主体倍增行动方案.pdf")
    assert md.title == "西山区市场主体倍增行动方案" and md.place.region is None


@pytest.mark.parametrize("text, date", [
    ("2022年2月17日", dt.date(2022, 2, 17)), ("二〇二二年二月十七日", dt.date(2022, 2, 17)),
    ("2022-05-18 12:15", dt.date(2022, 5, 18)), ("2022.5.8", dt.date(2022, 5, 8)),
    ("2022年2月30日", None), ("到2022年底", None),
])
def test_dates(text, date):
    assert parse_date(text) == date


def test_manifest_overrides_and_places_by_its_region():
    md = Metadata(title="推断标题", place=Placement(region="天山区", region_code="650102"))
    merged = md.overridden_by({"title": "清单标题", "region": "湘西州", "issuer": ""})
    assert merged.title == "清单标题" and merged.issuer is None
    assert (merged.place.region, merged.place.region_code, merged.place.level) == ("湘西土家族苗族自治州", "433100", "prefecture")
    unknown = md.overridden_by({"region": "某省"})
    assert unknown.place.region == "某省" and unknown.place.region_code is None and unknown.place.level == "province"
    assert "not one division" in unknown.place.warning
    by_code = md.overridden_by({"region_code": "430624"})
    assert by_code.place.region == "湘阴县" and by_code.place.prefecture == "岳阳市" and by_code.place.evidence == "sources.csv"


def test_manifest_rows_and_problems(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "file,title,issue_date,colour,source_url,retrieved_on,region_code\na.txt,标题(一),2022-01-02,red,https://example.gov.cn/a?id=1&x=(2),2023-05-06,430624\n"
        "b.txt,,not-a-date,,javascript:alert(1),6 May,43062\na.txt,dup,,,,,\n,,,,,,\n", encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest.rows["a.txt"]["title"] == "标题（一）"
    assert manifest.rows["a.txt"]["issue_date"] == dt.date(2022, 1, 2)
    assert manifest.rows["b.txt"]["issue_date"] == ""
    assert manifest.rows["a.txt"]["source_url"] == "https://example.gov.cn/a?id=1&x=(2)"  # not width-unified
    assert manifest.rows["a.txt"]["retrieved_on"] == dt.date(2023, 5, 6) and manifest.rows["a.txt"]["region_code"] == "430624"
    assert manifest.rows["b.txt"]["source_url"] == manifest.rows["b.txt"]["retrieved_on"] == manifest.rows["b.txt"]["region_code"] == ""
    text = "\n".join(manifest.problems)
    assert "colour" in text and "not-a-date" in text and "listed twice" in text and "empty 'file'" in text
    assert "not an http(s) address" in text and "'6 May' is not YYYY-MM-DD" in text and "not six digits" in text


@pytest.mark.parametrize("content, words", [
    ("name,title\na.txt,x\n", "no 'file' column"),
    (b"\xff\xfe\x00garbage", "not a readable UTF-8 CSV"),
    ('file,title\n"a.txt,unclosed\n', "not a readable UTF-8 CSV"),
])
def test_malformed_manifest_is_reported_and_ignored(tmp_path, content, words):
    path = tmp_path / "sources.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    manifest = read_manifest(tmp_path)
    assert manifest.rows == {} and words in manifest.problems[0] and "sources.csv" in manifest.problems[0]


def test_no_manifest_is_fine(tmp_path):
    assert read_manifest(tmp_path).rows == {} and read_manifest(tmp_path).problems == []
