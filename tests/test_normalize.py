import pytest

from assets.domain.reading.normalize import (
    drop_debris,
    join_wrapped_lines,
    normalize_text,
    remove_spurious_spaces,
    split_run_on_lines,
    split_table_cells,
    strip_html,
    to_simplified,
    unify_width,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("措施,如下:(一)加强;", "措施，如下：（一）加强；"),
        ("１２３４５热线，满意率９９％", "12345热线，满意率99%"),
        ("投资1,000万元,占比3:2,时间12:15", "投资1,000万元，占比3:2，时间12:15"),
        ("见http://example.gov.cn/a?b=1", "见http://example.gov.cn/a?b=1"),
        ("是否办结?请回复!", "是否办结？请回复！"),
        ("①加强监管（PM2.5）", "①加强监管（PM2.5）"),
    ],
)
def test_unify_width(raw, expected):
    assert unify_width(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("加 快建设国际化营商环境 标杆区", "加快建设国际化营商环境标杆区"),
        ("（三十 一 ）强化 “清”“亲”政商关系", "（三十一）强化“清”“亲”政商关系"),
        ("好评率 99%以 上", "好评率99%以上"),
        ("从 13 个工作日缩短至 10 个工作日", "从13个工作日缩短至10个工作日"),
        ("新增 2.7 万户", "新增2.7万户"),
        ("实现 APEC 商务旅行卡全覆盖", "实现APEC商务旅行卡全覆盖"),
        ("支持 Open Source 社区", "支持Open Source社区"),
        ("2022-05-18 12:15", "2022-05-18 12:15"),
        ("  首尾空格  ", "首尾空格"),
    ],
)
def test_remove_spurious_spaces(raw, expected):
    assert remove_spurious_spaces(raw) == expected


def test_table_pipes_become_cells_and_pipe_rows_vanish():
    removed = []
    lines = split_table_cells(["文号：X〔2020〕1号 | 签发单位： |", "| ||||||", "正文"], removed)
    assert lines == ["文号：X〔2020〕1号", "签发单位：", "正文"]
    assert removed == ["| ||||||"]


def test_run_on_line_is_split_at_labels_only():
    line = (
        "实施方案 为深入贯彻，制定方案如下。 一、优化法治环境 1.加强制度供给。内容，每年1次。 "
        "2.健全纠纷机制。依托12345热线。 二、优化政务环境 3.强化职能。达到2.0版。"
    )
    parts = split_run_on_lines([line])
    assert parts == [
        "实施方案 为深入贯彻，制定方案如下。",
        "一、优化法治环境",
        "1.加强制度供给。内容，每年1次。",
        "2.健全纠纷机制。依托12345热线。",
        "二、优化政务环境",
        "3.强化职能。达到2.0版。",
    ]


def test_short_lines_are_not_split():
    lines = ["1.第一条。内容。 2.第二条。", "一段很长的正文" * 10]
    assert split_run_on_lines(lines) == lines


def test_wrapped_paragraph_rejoined_but_headings_kept():
    lines = [
        "（二十五）促进发展。支持民营经济健康发展。继续依法依规全力",
        "化解民营企业历史遗留问题。",
        "一、总体要求",
        "以习近平新时代中国特色社会主义思想为指导。",
        "（二）实施部门联动，以便利环境促进倍增",
        "突出围绕办事时间压缩。",
        "责任单位：区发展改革局、区财政局",
        "各单位要加强协调。",
    ]
    assert join_wrapped_lines(lines) == [
        "（二十五）促进发展。支持民营经济健康发展。继续依法依规全力化解民营企业历史遗留问题。",
        "一、总体要求",
        "以习近平新时代中国特色社会主义思想为指导。",
        "（二）实施部门联动，以便利环境促进倍增",
        "突出围绕办事时间压缩。",
        "责任单位：区发展改革局、区财政局",
        "各单位要加强协调。",
    ]


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
    raw = (
        "<html><head><style>p{color:red}</style><title>某区方案</title></head><body>"
        "<p>一、总体要求</p><p>（一）优化服务&nbsp;流程。<br/>内容。</p><script>var a=1;</script></body></html>"
    )
    result = normalize_text(raw)
    assert result.was_html
    assert result.text.split("\n") == ["某区方案", "一、总体要求", "（一）优化服务流程。", "内容。"]
    assert "<" not in strip_html("<p>a</p><div>b</div>")


def test_injected_pinyin_removed():
    assert normalize_text("政务公开(kāi)透明").text == "政务公开透明"


def test_run_on_line_with_spaced_labels_and_part_heading():
    line = (
        "方案如下。 一、总体要求 以习近平新时代中国特色社会主义思想为指导，推进改革。 二、主要任务 （三十 一 ）强化政商关系。"
        "内容。 （三十二）优化服务。内容。 12 .压缩时限。内容。"
    )
    assert split_run_on_lines([line]) == [
        "方案如下。",
        "一、总体要求",
        "以习近平新时代中国特色社会主义思想为指导，推进改革。",
        "二、主要任务",
        "（三十 一 ）强化政商关系。内容。",
        "（三十二）优化服务。内容。",
        "12 .压缩时限。内容。",
    ]


def test_ordinary_heading_followed_by_body_is_not_split():
    line = "一、持续优化 法治环境 1.加强供给。内容。 2.健全机制。内容。 3.完善制度。内容。"
    assert split_run_on_lines([line])[0] == "一、持续优化 法治环境"


@pytest.mark.parametrize(
    "raw, first_label",
    [
        ("??一、总体要求\n??（一）优化服务。内容。", "一、总体要求"),  # `?` left where full-width spaces were lost
        ("？？（一）优化服务。内容。", "（一）优化服务。内容。"),
        ("\ufffd\ufffd1.优化服务。内容。", "1.优化服务。内容。"),
        ("銆€銆€（一）优化服务。内容。", "（一）优化服务。内容。"),  # UTF-8 full-width spaces read as GBK
        ("● 1.优化服务。内容。", "1.优化服务。内容。"),
        ("■（一）优化服务。内容。", "（一）优化服务。内容。"),
        ("1* .优化服务。内容。", "1.优化服务。内容。"),
        ("12*.优化服务。内容。", "12.优化服务。内容。"),
    ],
)
def test_debris_before_labels_is_dropped(raw, first_label):
    assert normalize_text(raw).text.split("\n")[0] == first_label


def test_question_marks_inside_text_and_urls_stay():
    assert normalize_text("是否办结？请回复。见http://a.gov.cn/x?id=1").text == "是否办结？请回复。见http://a.gov.cn/x?id=1"


def test_bullets_before_plain_text_stay():
    assert normalize_text("● 加强服务").text == "●加强服务"


def test_markdown_chrome_of_legal_text_repositories():
    raw = "# 某市优化营商环境条例\n\n<!-- INFO END -->\n\n## 第一章　总　　则\n\n**第一条** 为了优化营商环境，制定本条例。\n---"
    assert normalize_text(raw).text.split("\n") == ["某市优化营商环境条例", "第一章总则", "第一条为了优化营商环境，制定本条例。"]


@pytest.mark.parametrize(
    "raw, lines",
    [
        (
            "1.深化改革。（1）全面落实登记。内容。（市局牵头负责）（2）完善电子化。内容。（3）推进名称改革。",
            ["1.深化改革。", "（1）全面落实登记。内容。（市局牵头负责）", "（2）完善电子化。内容。", "（3）推进名称改革。"],
        ),
        ("（一）主要任务：①建立机制；②完善制度。", ["（一）主要任务：", "①建立机制；", "②完善制度。"]),
        ("（1）甲事项。（2）乙事项。", ["（1）甲事项。", "（2）乙事项。"]),
    ],
)
def test_inline_items_go_on_their_own_lines(raw, lines):
    assert normalize_text(raw).text.split("\n") == lines


@pytest.mark.parametrize(
    "raw",
    [
        "按照第（2）项规定办理。依照（1）执行。",  # references, not items
        "深化改革。（2）完善电子化。（3）推进改革。",  # does not start at 1
        "深化改革，（1）完善，（2）推进。",  # not after a sentence end
    ],
)
def test_bracketed_numbers_that_are_not_an_item_list_stay(raw):
    assert normalize_text(raw).text == raw.replace(",", "，")


def test_table_of_contents_is_dropped():
    raw = (
        "某市优化营商环境条例\n目  录\n第一章 总  则 - 1 -\n第二章 政务服务……3\n第三章 附  则\n"
        "第一章 总  则\n第一条 为了优化营商环境，制定本条例。\n第二章 政务服务\n第二条 推行网上办。"
    )
    assert normalize_text(raw).text.split("\n") == [
        "某市优化营商环境条例",
        "第一章总则",
        "第一条为了优化营商环境，制定本条例。",
        "第二章政务服务",
        "第二条推行网上办。",
    ]


def test_table_of_contents_without_the_body_keeps_prose():
    raw = "目录\n第一章 总则\n第二章 附则\n为优化营商环境，制定本条例。"
    assert normalize_text(raw).text.split("\n") == ["为优化营商环境，制定本条例。"]


def test_articles_run_together_are_split_in_sequence():
    raw = "第一条为了优化营商环境，制定本条例。第二条本条例适用于本市。依照第五条规定执行。第三条本条例自公布之日起施行。"
    assert normalize_text(raw).text.split("\n") == [
        "第一条为了优化营商环境，制定本条例。",
        "第二条本条例适用于本市。依照第五条规定执行。",
        "第三条本条例自公布之日起施行。",
    ]


def test_inline_articles_without_a_first_label_need_a_run():
    assert len(normalize_text("本条例所称营商环境是指条件。第三条坚持原则。第四条加强领导。").text.split("\n")) == 3
    assert len(normalize_text("依照本法。第十五条规定的情形除外。").text.split("\n")) == 1


def test_taiwan_phrases_are_replaced_but_not_rewritten_words():
    text, script = to_simplified("持續深化相對集中行政許可權改革，推動網際網路應用，最佳化服務。")
    assert script == "traditional"
    assert text == "持续深化相对集中行政许可权改革，推动互联网应用，优化服务。"


def test_pinyin_after_traditional_characters_is_removed():
    assert normalize_text("上海市徐匯區(qū)優(yōu)化營商環(huán)境行動方案").text == "上海市徐汇区优化营商环境行动方案"


def test_symbols_sprinkled_between_characters_are_removed():
    raw = "第@@一@@条@@为@@了优化营商环境@@，制定本@@条例@@。\n第@@二@@条@@本条例适用于本@@市@@。联系邮箱：a@b.cn"
    assert normalize_text(raw).text.split("\n") == ["第一条为了优化营商环境，制定本条例。", "第二条本条例适用于本市。联系邮箱：ab.cn"]
    assert "95%以上" in normalize_text("达到95%以上。" * 12).text  # `%` belongs to numbers
    assert "a@b.cn" in normalize_text("联系邮箱：a@b.cn，电话12345。").text  # one @ is an address


def test_hard_wrapped_pdf_text_is_rejoined():
    body = "优化营商环境应当坚持市场化、法治化、国际化原则全面落实国家关于加快建设统一大市场的部署安排以市场主体需求为导向持续深化改革强化服务打造品牌为各类市场主体营造良好环境。"
    wrapped = "\n".join(body[i : i + 24] for i in range(0, len(body), 24))
    raw = "某省优化营商环境条例\n（2022年9月28日某省第十三届人民代表大会\n常务委员会第三十三次会议通过）\n" + "\n".join(
        f"第{n}条 {wrapped}" for n in "一二三四五"
    )
    lines = normalize_text(raw.replace("第三条", "—— 1 ——第三条")).text.split("\n")
    assert lines[1] == "（2022年9月28日某省第十三届人民代表大会常务委员会第三十三次会议通过）"
    assert lines[2:] == [f"第{n}条{body}" for n in "一二三四五"]


def test_lines_of_an_ordinary_text_are_not_joined_by_width():
    raw = "\n".join(
        [
            "某市人民政府办公厅关于印发优化营商环境工作方案的通知",
            "某政办〔2024〕26号",
            "某市优化营商环境工作方案",
            "一、总体要求",
            "紧盯项目所需所盼，聚焦解决堵点难点问题。",
        ]
    )
    assert normalize_text(raw).text.split("\n") == raw.split("\n")


def test_one_line_scrape_breaks_where_the_page_broke_lines():
    raw = (
        "某省委办公厅 某省人民政府办公厅关于印发《某省优化营商环境行动计划（2018—2019年）》的通知 各市、县人民政府： "
        "《某省优化营商环境行动计划（2018—2019年）》已经同意，现印发给你们。 某省委办公厅 某省人民政府办公厅 2018年12月9日 "
        "（此件公开发布） 某省优化营商环境行动计划（2018—2019年） 为全面贯彻落实，制定本计划。 一、 总体要求 （一） 指导思想。内容。"
    )
    lines = normalize_text(raw).text.split("\n")
    assert "2018年12月9日" in lines and "某省优化营商环境行动计划（2018—2019年）" in lines
    assert lines[-2:] == ["一、总体要求", "（一）指导思想。内容。"]


def test_spaces_a_pdf_put_inside_a_label_number_are_removed_and_decimals_and_other_numbers_kept():
    from assets.domain.reading.normalize import remove_spurious_spaces

    assert remove_spurious_spaces("1 7.政府带头守信践诺。") == "17.政府带头守信践诺。"
    assert remove_spurious_spaces("（3 7）组织开展专项整治。") == "（37）组织开展专项整治。"
    assert remove_spurious_spaces("1 2、优化审批") == "12、优化审批"
    assert remove_spurious_spaces("1 2.5%的企业") == "1 2.5%的企业"  # a decimal, not a label: left as it is
    assert remove_spurious_spaces("企业 1 7 家") == "企业1 7家"  # not at the start of a line: only CJK spacing goes
