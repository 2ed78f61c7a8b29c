import pytest

from assets.lib.normalize import (drop_debris, join_wrapped_lines, normalize_text, remove_spurious_spaces,
                                  split_run_on_lines, split_table_cells, strip_html, to_simplified, unify_width)


@pytest.mark.parametrize("raw, expected", [
    ("措施,如下:(一)加强;", "措施，如下：（一）加强；"),
    ("１２３４５热线，满意率９９％", "12345热线，满意率99%"),
    ("投资1,000万元,占比3:2,时间12:15", "投资1,000万元，占比3:2，时间12:15"),
    ("见http://example.gov.cn/a?b=1", "见http://example.gov.cn/a?b=1"),
    ("是否办结?请回复!", "是否办结？请回复！"),
    ("①加强监管（PM2.5）", "①加强监管（PM2.5）"),
])
def test_unify_width(raw, expected):
    assert unify_width(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("加 快建设国际化营商环境 标杆区", "加快建设国际化营商环境标杆区"),
    ("（三十 一 ）强化 “清”“亲”政商关系", "（三十一）强化“清”“亲”政商关系"),
    ("好评率 99%以 上", "好评率99%以上"),
    ("从 13 个工作日缩短至 10 个工作日", "从13个工作日缩短至10个工作日"),
    ("新增 2.7 万户", "新增2.7万户"),
    ("实现 APEC 商务旅行卡全覆盖", "实现APEC商务旅行卡全覆盖"),
    ("支持 Open Source 社区", "支持Open Source社区"),
    ("2022-05-18 12:15", "2022-05-18 12:15"),
    ("  首尾空格  ", "首尾空格"),
])
def test_remove_spurious_spaces(raw, expected):
    assert remove_spurious_spaces(raw) == expected


def test_table_pipes_become_cells_and_pipe_rows_vanish():
    removed = []
    lines = split_table_cells(["文号：X〔2020〕1号 | 签发单位： |", "| ||||||", "正文"], removed)
    assert lines == ["文号：X〔2020〕1号", "签发单位：", "正文"]
    assert removed == ["| ||||||"]


def test_run_on_line_is_split_at_labels_only():
    line = ("实施方案 为深入贯彻，制定方案如下。 一、优化法治环境 1.加强制度供给。内容，每年1次。 "
            "2.健全纠纷机制。依托12345热线。 二、优化政务环境 3.强化职能。达到2.0版。")
    parts = split_run_on_lines([line])
    assert parts == ["实施方案 为深入贯彻，制定方案如下。", "一、优化法治环境", "1.加强制度供给。内容，每年1次。",
                     "2.健全纠纷机制。依托12345热线。", "二、优化政务环境", "3.强化职能。达到2.0版。"]


def test_short_lines_are_not_split():
    lines = ["1.第一条。内容。 2.第二条。", "一段很长的正文" * 10]
    assert split_run_on_lines(lines) == lines


def test_wrapped_paragraph_rejoined_but_headings_kept():
    lines = ["（二十五）促进发展。支持民营经济健康发展。继续依法依规全力", "化解民营企业历史遗留问题。",
             "一、总体要求", "以习近平新时代中国特色社会主义思想为指导。",
             "（二）实施部门联动，以便利环境促进倍增", "突出围绕办事时间压缩。",
             "责任单位：区发展改革局、区财政局", "各单位要加强协调。"]
    assert join_wrapped_lines(lines) == [
        "（二十五）促进发展。支持民营经济健康发展。继续依法依规全力化解民营企业历史遗留问题。",
        "一、总体要求", "以习近平新时代中国特色社会主义思想为指导。",
        "（二）实施部门联动，以便利环境促进倍增", "突出围绕办事时间压缩。",
        "责任单位：区发展改革局、区财政局", "各单位要加强协调。"]


def test_debris_dropped():
    removed = []
    lines, name = drop_debris(["正文。", "- 3 -", "文章内容来自网络，如有侵权，联系删除", "某某行动方案.pdf"], removed)
    assert lines == ["正文。"] and name == "某某行动方案.pdf" and len(removed) == 3


def test_repeated_page_title_kept_once():
    raw = "某区优化营商环境实施方案 | ||||\n2022-05-18 | |||\n某区优化营商环境实施方案 为深入贯彻落实，制定本方案。\n一、总体要求"
    text = normalize_text(raw).text
    assert text.split("\n") == ["某区优化营商环境实施方案", "2022-05-18", "为深入贯彻落实，制定本方案。", "一、总体要求"]


def test_traditional_is_converted_and_recorded():
    raw = "一、優化營商環境\n（一）深化「放管服」改革。推進政務服務標準化，實現企業開辦時間壓縮至0.5個工作日。"
    result = normalize_text(raw)
    assert result.script == "traditional"
    assert "优化营商环境" in result.text and "企业开办时间压缩至0.5个工作日" in result.text


def test_taiwan_phrasing_uses_phrase_conversion():
    text, script = to_simplified("推動網際網路應用，最佳化政府服務流程，提升資訊化水準，推廣數位政府建設。")
    assert script == "traditional" and "互联网" in text and "优化" in text


def test_simplified_text_is_left_alone():
    raw = "一、总体要求\n（一）建立健全发展机制，著力优化营商环境，于2022年底前完成。"
    assert normalize_text(raw).script == "simplified"
    assert "著力" in normalize_text(raw).text


def test_html_markup_is_stripped():
    raw = ("<html><head><style>p{color:red}</style><title>某区方案</title></head><body>"
           "<p>一、总体要求</p><p>（一）优化服务&nbsp;流程。<br/>内容。</p><script>var a=1;</script></body></html>")
    result = normalize_text(raw)
    assert result.was_html
    assert result.text.split("\n") == ["某区方案", "一、总体要求", "（一）优化服务流程。", "内容。"]
    assert "<" not in strip_html("<p>a</p><div>b</div>")


def test_injected_pinyin_removed():
    assert normalize_text("政务公开(kāi)透明").text == "政务公开透明"


def test_run_on_line_with_spaced_labels_and_part_heading():
    line = ("方案如下。 一、总体要求 以习近平新时代中国特色社会主义思想为指导，推进改革。 二、主要任务 （三十 一 ）强化政商关系。"
            "内容。 （三十二）优化服务。内容。 12 .压缩时限。内容。")
    assert split_run_on_lines([line]) == ["方案如下。", "一、总体要求", "以习近平新时代中国特色社会主义思想为指导，推进改革。",
                                          "二、主要任务", "（三十 一 ）强化政商关系。内容。", "（三十二）优化服务。内容。",
                                          "12 .压缩时限。内容。"]


def test_ordinary_heading_followed_by_body_is_not_split():
    line = "一、持续优化 法治环境 1.加强供给。内容。 2.健全机制。内容。 3.完善制度。内容。"
    assert split_run_on_lines([line])[0] == "一、持续优化 法治环境"
