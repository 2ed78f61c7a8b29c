from assets.lib.annotations import split_trailing_annotation
from assets.lib.normalize import normalize_text
from assets.lib.outline import parse_outline
from assets.lib.parts import part_kind


def outline(raw: str):
    return parse_outline(normalize_text(raw).text)


THREE_LEVELS = """某市人民政府办公室关于印发《某市优化营商环境工作方案》的通知
各区县人民政府：现将方案印发给你们。
某市优化营商环境工作方案
为优化营商环境，制定本方案。
一、总体目标
到2025年，市场主体总量达到26万户。
二、重点任务
（一）打造政务服务环境
1.优化企业开办服务
（1）全面实现“一网通办”。推进全流程网上办。（牵头单位：市行政服务中心、市场监管局；配合单位：市公安局）
（2）扩大电子营业执照应用。推广使用。
2.提高项目开工效率
（3）深化审批制度改革。压缩审批时限至30个工作日。
（二）打造公平市场环境
3.优化纳税服务
（4）提升纳税服务水平。实现“网上办”。
三、保障措施
（一）加强组织领导。各部门要各司其职。
（二）加强考核评估
建立考核机制，定期通报。
附件：1.任务分工表
1.市发展改革委负责
2.市财政局负责
"""


def test_deepest_numbered_level_with_body_is_the_measure():
    provisions = outline(THREE_LEVELS).provisions
    got = [(p.kind, p.number, p.title) for p in provisions]
    assert got == [
        ("goal", 1, "总体目标"),
        ("measure", 1, "全面实现“一网通办”。"),
        ("measure", 2, "扩大电子营业执照应用。"),
        ("measure", 3, "深化审批制度改革。"),
        ("measure", 4, "提升纳税服务水平。"),
        ("safeguard", 1, "加强组织领导。"),
        ("safeguard", 2, "加强考核评估"),
    ]


def test_section_path_annotation_and_offsets():
    result = outline(THREE_LEVELS)
    first = result.provisions[1]
    assert first.section_path == ("二、重点任务", "（一）打造政务服务环境", "1.优化企业开办服务")
    assert first.text == "全面实现“一网通办”。推进全流程网上办。"
    assert first.annotation == "（牵头单位：市行政服务中心、市场监管局；配合单位：市公安局）"
    text = normalize_text(THREE_LEVELS).text
    for p in result.provisions:
        assert text[p.char_start:p.char_end] == p.text


def test_heading_alone_takes_body_from_following_lines_and_annex_is_left_out():
    last = outline(THREE_LEVELS).provisions[-1]
    assert last.title == "加强考核评估"
    assert last.text == "加强考核评估\n建立考核机制，定期通报。"
    assert outline(THREE_LEVELS).annex_line.startswith("附件")


def test_repeated_label_is_kept_and_warned():
    raw = "一、主要任务\n（一）甲任务。内容。\n（二）乙任务。内容。\n（二）丙任务。内容。\n（三）丁任务。内容。"
    result = outline(raw)
    assert [p.number for p in result.provisions] == [1, 2, 2, 3]
    assert any("repeated" in w for w in result.warnings)


def test_gap_in_numbering_is_warned():
    result = outline("一、主要任务\n1.甲。内容。\n2.乙。内容。\n4.丁。内容。")
    assert [p.number for p in result.provisions] == [1, 2, 4]
    assert any("expected 3, found 4" in w for w in result.warnings)


def test_numbering_continuing_across_sections_is_not_a_gap():
    result = outline("一、甲方面\n1.甲。内容。\n2.乙。内容。\n二、乙方面\n3.丙。内容。")
    assert result.warnings == ()


def test_section_responsibility_block_is_not_a_measure_and_not_in_text():
    raw = ("三、重点任务\n（一）优化产业布局\n1.构建产业体系。内容一。\n2.提升产业链。内容二。\n"
           "督办领导：杨 凯\n总牵头单位：区发展改革局\n责任单位：区委宣传部、区科技工信局\n"
           "（二）再造审批流程\n3.优化用地审批。内容三。")
    provisions = outline(raw).provisions
    assert [p.number for p in provisions] == [1, 2, 3]
    assert provisions[1].text == "提升产业链。内容二。"
    assert provisions[0].section_annotation_lines == ("督办领导：杨凯", "总牵头单位：区发展改革局", "责任单位：区委宣传部、区科技工信局")
    assert provisions[2].section_annotation_lines == ()


def test_other_numbering_styles():
    raw = "第一章 总则\n第一条 为优化营商环境，制定本办法。\n第二条 本办法适用于全市。\n第二章 措施\n第三条 压缩时限。"
    provisions = outline(raw).provisions
    assert [(p.number, p.section_path) for p in provisions] == [(1, ("第一章总则",)), (2, ("第一章总则",)), (3, ("第二章措施",))]
    circled = outline("一、重点任务\n①加强监管。内容。\n②优化服务。内容。").provisions
    assert [p.number for p in circled] == [1, 2]
    shi = outline("一、主要措施\n一是加强文化惠民建设。内容。\n二是完善公共服务。内容。").provisions
    assert [p.title for p in shi] == ["加强文化惠民建设。", "完善公共服务。"]


def test_inline_enumerations_stay_inside_the_measure():
    provisions = outline("一、主要任务\n1.强化服务。一是加强惠民建设，二是完善设施。\n2.优化环境。内容。").provisions
    assert [p.number for p in provisions] == [1, 2]


def test_closing_lines_and_signature_are_not_body_text():
    raw = ("一、保障措施\n（一）加强领导。内容。\n（二）强化督查。内容。\n本方案自2022年6月1日起施行，有效期5年。\n"
           "本文件由区审批服务管理局负责解读。")
    assert outline(raw).provisions[-1].text == "强化督查。内容。"
    signed = "一、主要任务\n1.甲。内容。\n2.乙。内容。\n某市人民政府办公室\n2022年2月17日"
    assert outline(signed).provisions[-1].text == "乙。内容。"


def test_preamble_and_unnumbered_text_produce_nothing():
    assert outline("为优化营商环境，制定本方案。\n各部门要认真落实。").provisions == ()


def test_part_kinds():
    assert part_kind("保障措施") == "safeguard" and part_kind("组织保障") == "safeguard"
    assert part_kind("加强组织领导") == "safeguard" and part_kind("组织实施") == "safeguard"
    assert part_kind("总体目标") == "goal" and part_kind("主要目标") == "goal"
    assert part_kind("指导思想") == "principle" and part_kind("总体要求") == "principle"
    assert part_kind("强化要素供给") is None and part_kind("优化法治环境") is None


def test_trailing_annotation_split():
    text, note = split_trailing_annotation("推进改革。（市发展改革委牵头，市级各有关部门按职责分工负责）。")
    assert text == "推进改革。" and note == "（市发展改革委牵头，市级各有关部门按职责分工负责）"
    assert split_trailing_annotation("依法保护（含装饰装修）")[1] is None
    assert split_trailing_annotation("推进改革。〔责任单位：区财政局〕")[1] == "〔责任单位：区财政局〕"


def test_parenthetical_inside_a_sentence_is_not_an_annotation():
    text = "每年出台一个行动方案（区营商环境办负责）及子方案（总牵头单位负责）。"
    assert split_trailing_annotation(text) == (text, None)
    assert split_trailing_annotation("推进改革（牵头单位：区财政局）")[1] == "（牵头单位：区财政局）"


def test_unclosed_annotation_bracket_is_still_split_off():
    assert split_trailing_annotation("推进改革。（牵头单位：区财政局；配合单位：区税务局") == (
        "推进改革。", "（牵头单位：区财政局；配合单位：区税务局")
    assert split_trailing_annotation("推进改革（试点）") == ("推进改革（试点）", None)
