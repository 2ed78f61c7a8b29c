import datetime as dt

import pytest

from assets.domain.reading.metadata import Metadata, infer_metadata, parse_date
from assets.domain.reading.regions import Placement
from assets.engine.manifest import read_manifest

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


@pytest.mark.parametrize(
    "text, date",
    [
        ("2022年2月17日", dt.date(2022, 2, 17)),
        ("二〇二二年二月十七日", dt.date(2022, 2, 17)),
        ("2022-05-18 12:15", dt.date(2022, 5, 18)),
        ("2022.5.8", dt.date(2022, 5, 8)),
        ("2022年2月30日", None),
        ("到2022年底", None),
    ],
)
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
        "b.txt,,not-a-date,,javascript:alert(1),6 May,43062\na.txt,dup,,,,,\n,,,,,,\n",
        encoding="utf-8",
    )
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


@pytest.mark.parametrize(
    "content, words",
    [
        ("name,title\na.txt,x\n", "no 'file' column"),
        (b"\xff\xfe\x00garbage", "not a readable UTF-8 CSV"),
        ('file,title\n"a.txt,unclosed\n', "not a readable UTF-8 CSV"),
    ],
)
def test_malformed_manifest_is_reported_and_ignored(tmp_path, content, words):
    path = tmp_path / "sources.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    manifest = read_manifest(tmp_path)
    assert manifest.rows == {} and words in manifest.problems[0] and "sources.csv" in manifest.problems[0]


def test_no_manifest_is_fine(tmp_path):
    assert read_manifest(tmp_path).rows == {} and read_manifest(tmp_path).problems == []


def _md(text: str):
    return infer_metadata(text.replace(" ", ""))


@pytest.mark.parametrize(
    "text, title",
    [
        # a notice without 《》: the title is what it publishes
        ("某市关于印发聚焦企业关切优化营商环境行动方案的通知\n为深入贯彻，制定本方案。\n一、总体要求", "聚焦企业关切优化营商环境行动方案"),
        # the plan's own title wrapped over two lines wins over the notice's shorter wording
        (
            "某市人民政府办公厅关于印发进一步落实营商环境政策措施的通知\n某府办〔2019〕10号\n某市人民政府办公厅\n2019年1月16日\n"
            "某市聚焦企业关切进一步落实\n优化营商环境政策的若干措施\n为全面贯彻，现提出措施。\n一、总体要求",
            "某市聚焦企业关切进一步落实优化营商环境政策的若干措施",
        ),
        # the name a notice hands over in 《》 wins over a differing annex title
        (
            "某省领导小组关于印发《某省营商环境优化提升行动方案（2022版）》的通知\n现将《某省营商环境优化提升行动方案（2022版）》印发给你们。\n"
            "附件\n某省营商环境优化提升总体方案\n一、总体要求",
            "某省营商环境优化提升行动方案（2022版）",
        ),
        (
            "《某市持续打造一流营商环境行动方案（6.0版）》已经市政府同意，现印发给你们。\n某市人民政府办公室\n2025年3月25日\n"
            "某市持续打造一流营商环境\n行动方案（6.0版）\n一、总体要求",
            "某市持续打造一流营商环境行动方案（6.0版）",
        ),
        # a title line carrying its 文号
        (
            "政务微信\n某市人民政府关于创优营商环境的实施意见（某政〔2017〕101号）\n来源：某市政府网发布时间：2018-01-26\n一、总体要求",
            "某市人民政府关于创优营商环境的实施意见",
        ),
        # named only in the preamble
        ("为优化营商环境，结合本市实际，特制定《某市优化营商环境改革措施66条》。\n一、总体要求", "某市优化营商环境改革措施66条"),
        # a draft regulation after a consultation notice and a file name
        (
            "某省人大常委会办公厅\n2025年10月21日\n附件：\n某省条例（征求意见稿）.doc\n某省优化营商环境条例（修订草案修改稿）（征求意见稿）\n目录\n"
            "第一章 总则\n第一条 为了优化营商环境，制定本条例。",
            "某省优化营商环境条例（修订草案修改稿）（征求意见稿）",
        ),
        (
            "索引号：1144/2022-00025 分类：\n发布机构：某局 成文日期：2022-05-19\n名称：某区服务市场主体打造一流营商环境行动方案\n文号：\n一、总体要求",
            "某区服务市场主体打造一流营商环境行动方案",
        ),
    ],
)
def test_titles_of_real_forms(text, title):
    assert _md(text).title == title


def test_a_cited_document_in_the_preamble_is_not_the_title():
    assert _md("为贯彻落实《国务院关于开展营商环境创新试点工作的意见》精神，结合实际。\n一、总体要求").title is None


def test_several_labeled_fields_on_one_line_and_posting_dates_are_not_issue_dates():
    md = _md("发布机构：某区营商环境改革局 成文日期：2022-05-19\n发布日期：2022-06-14\n某区行动方案措施\n一、总体要求")
    assert md.issuer == "某区营商环境改革局" and md.issue_date == dt.date(2022, 5, 19)
    assert _md("来源：某市政府网 发布时间：2018-01-26 20:57:53\n某市实施意见办法\n一、总体要求").issue_date is None
    assert _md("2022-06-14\n某市优化营商环境实施方案\n一、总体要求").issue_date is None  # an ISO date alone is page chrome


def test_adoption_date_of_a_regulation():
    md = _md(
        "某市优化营商环境条例\n2020年3月27日某市第十五届人民代表大会常务委员会第二十次会议通过\n第一章 总则\n第一条 为了优化营商环境，制定本条例。"
    )
    assert md.title == "某市优化营商环境条例" and md.issue_date == dt.date(2020, 3, 27)


@pytest.mark.parametrize(
    "line, number",
    [
        ("湘府办〔2019〕4号", "湘府办〔2019〕4号"),
        ("某府办[2020]18号", "某府办[2020]18号"),
        ("某政发﹝2021﹞3号", "某政发﹝2021﹞3号"),
        ("某政办发（2022）12号", "某政办发（2022）12号"),
        ("某政办发 〔 2022 〕 第 12 号", "某政办发〔2022〕第12号"),
    ],
)
def test_doc_numbers_in_any_bracket_pair(line, number):
    assert _md(f"某市优化营商环境实施方案\n{line}\n一、总体要求").doc_number == number


def test_inferred_fields_say_what_came_from_the_text():
    md = _md("南通市优化营商环境实施方案\n某政办〔2022〕3号\n一、总体要求")
    assert md.inferred == ("title", "doc_number", "region") and md.region == "南通市"
    merged = md.overridden_by({"title": "清单标题", "issue_date": dt.date(2022, 1, 2)})
    assert merged.inferred == ("doc_number", "region") and merged.title == "清单标题"


def test_number_glued_to_addressees_and_a_field_split_from_its_value():
    md = _md(
        "某市人民政府办公室关于印发某市优化营商环境行动方案的通知\n某政办发〔2025〕26号各县（区）人民政府，市政府各部门：\n一、总体要求"
    )
    assert md.doc_number == "某政办发〔2025〕26号"
    md = _md("发文字号：\n某署发﹝2024﹞20号\n成文时间：\n2024-06-25\n某盟优化营商环境实施方案\n一、总体要求")
    assert md.doc_number == "某署发﹝2024﹞20号" and md.issue_date == dt.date(2024, 6, 25)
    assert _md("某政办发〔2025〕26号文件精神要求各地落实。\n一、总体要求").doc_number is None  # a citation in a sentence
