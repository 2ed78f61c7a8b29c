from assets.catalog.part_kinds import part_kind
from assets.domain.reading.annotations import split_trailing_annotation
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.outline import parse_outline


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
        assert text[p.char_start : p.char_end] == p.text


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
    raw = (
        "三、重点任务\n（一）优化产业布局\n1.构建产业体系。内容一。\n2.提升产业链。内容二。\n"
        "督办领导：杨 凯\n总牵头单位：区发展改革局\n责任单位：区委宣传部、区科技工信局\n"
        "（二）再造审批流程\n3.优化用地审批。内容三。"
    )
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
    raw = (
        "一、保障措施\n（一）加强领导。内容。\n（二）强化督查。内容。\n本方案自2022年6月1日起施行，有效期5年。\n"
        "本文件由区审批服务管理局负责解读。"
    )
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
        "推进改革。",
        "（牵头单位：区财政局；配合单位：区税务局",
    )
    assert split_trailing_annotation("推进改革（试点）") == ("推进改革（试点）", None)


REGULATION = """某市优化营商环境条例
第一章 总  则
第一条 为了持续优化营商环境，制定本条例。
第二条 本条例适用于本市行政区域内的优化营商环境工作。
第二章 政务服务
第一节 一般规定
第三条 政务服务部门应当推行下列措施：
（一）一窗受理；
（二）网上办理。
第四条 企业开办时间压缩至一个工作日以内。
第三章 法律责任
第五条 违反本条例规定的，依法追究责任。
第四章 附  则
第六条 本条例自2022年1月1日起施行。"""


def test_regulation_articles_are_the_provisions_with_kinds_by_chapter():
    provisions = outline(REGULATION).provisions
    assert [(p.kind, p.number, p.label) for p in provisions] == [
        ("principle", 1, "第一条"),
        ("principle", 2, "第二条"),
        ("measure", 3, "第三条"),
        ("measure", 4, "第四条"),
        ("safeguard", 5, "第五条"),
        ("principle", 6, "第六条"),
    ]
    third = provisions[2]
    assert third.text == "政务服务部门应当推行下列措施：\n（一）一窗受理；\n（二）网上办理。"  # items stay in the article
    assert third.section_path == ("第二章政务服务", "第一节一般规定")


def test_table_of_contents_chapters_are_not_provisions():
    raw = "目录\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 为了优化营商环境，制定本条例。\n第二章 附则\n第二条 本条例自公布之日起施行。"
    assert [(p.kind, p.number) for p in outline(raw).provisions] == [("principle", 1), ("principle", 2)]
    assert [p.number for p in outline("第一章 总则\n第二章 市场环境\n第三章 附则").provisions] == []


CHAPTERLESS = """某市优化营商环境办法
第一条 为了优化营商环境，根据有关法律法规，结合本市实际，制定本办法。
第二条 本办法所称营商环境，是指市场主体在市场经济活动中所涉及的体制机制性因素和条件。
第三条 市人民政府应当加强对优化营商环境工作的领导。
第四条 推行企业开办一窗通办。
第五条 推行不动产登记网上办。
第六条 推行工程建设项目审批告知承诺制。
第七条 推行政务服务好差评。
第八条 违反本办法规定的，由有关部门责令改正；情节严重的，依法给予处分。
第九条 本办法自2023年1月1日起施行。"""


def test_chapterless_articles_take_kinds_from_what_they_say():
    kinds = [p.kind for p in outline(CHAPTERLESS).provisions]
    assert kinds == ["principle"] * 3 + ["measure"] * 4 + ["safeguard", "principle"]


def test_closing_articles_of_an_excerpt_that_ends_early_stay_measures():
    excerpt = CHAPTERLESS.rsplit("\n", 1)[0]  # no article on entry into force: the end is not there
    assert outline(excerpt).provisions[-1].kind == "measure"


def test_chapter_missing_before_the_first_articles():
    raw = "第一条 为了优化营商环境，制定本条例。\n第二条 本条例适用于本市。\n第二章 政务服务\n第三条 推行网上办。"
    assert [p.kind for p in outline(raw).provisions] == ["principle", "principle", "measure"]


def test_unnumbered_paragraphs_with_annotations_are_measures():
    raw = (
        "某区优化营商环境工作方案\n为优化营商环境，制定本方案。\n"
        "推行企业开办一日办结。（牵头单位：区市场监管局）\n"
        "推行不动产登记一窗受理。（牵头单位：区自然资源局；配合单位：区税务局）\n"
        "深化工程建设项目审批改革，压缩审批时间。\n强化联合审批。（区住建局牵头）"
    )
    provisions = outline(raw).provisions
    assert [(p.kind, p.number, p.label) for p in provisions] == [("measure", 1, ""), ("measure", 2, ""), ("measure", 3, "")]
    assert provisions[0].text == "推行企业开办一日办结。" and provisions[0].annotation == "（牵头单位：区市场监管局）"
    assert provisions[2].text == "深化工程建设项目审批改革，压缩审批时间。\n强化联合审批。"
    assert provisions[2].annotation == "（区住建局牵头）"


def test_unnumbered_paragraphs_with_field_lines_under_a_heading_are_measures():
    raw = (
        "一、优化政务服务\n推行一窗受理。\n牵头单位：区政务服务中心\n完成时限：2022年底\n"
        "推行网上办理。\n牵头单位：区大数据局\n二、优化市场环境\n（一）推行信用监管。内容。（牵头单位：区市场监管局）"
    )
    provisions = outline(raw).provisions
    assert [(p.number, p.title, p.section_path) for p in provisions] == [
        (1, "推行一窗受理。", ("一、优化政务服务",)),
        (2, "推行网上办理。", ("一、优化政务服务",)),
        (1, "推行信用监管。", ("二、优化市场环境",)),
    ]
    assert provisions[0].annotation_lines == ("牵头单位：区政务服务中心", "完成时限：2022年底")


def test_one_annotated_paragraph_under_a_numbered_item_is_that_items_annotation():
    provisions = outline("一、主要任务\n（一）推行一窗受理。\n具体内容。（牵头单位：区政务服务中心）").provisions
    assert [(p.number, p.text, p.annotation) for p in provisions] == [(1, "推行一窗受理。\n具体内容。", "（牵头单位：区政务服务中心）")]


def test_heading_annotation_holds_for_its_items_and_a_head_annotation_above_body_is_the_items_own():
    raw = (
        "一、主要举措\n（一）普法与宣传。〔牵头单位：市司法局；责任单位：各成员单位〕\n1.加强培训。内容。\n2.加强宣传。内容。\n"
        "（二）证照分离改革。〔牵头单位：市市场监管局〕\n全面实现改革全覆盖。"
    )
    provisions = outline(raw).provisions
    assert [p.title for p in provisions] == ["加强培训。", "加强宣传。", "证照分离改革。"]
    assert provisions[0].section_annotation_lines == ("〔牵头单位：市司法局；责任单位：各成员单位〕",)
    assert provisions[0].section_path == ("一、主要举措", "（一）普法与宣传。")
    assert provisions[2].annotation == "〔牵头单位：市市场监管局〕" and provisions[2].text == "证照分离改革。\n全面实现改革全覆盖。"


def test_labels_of_any_length():
    raw = "一、主要任务\n" + "\n".join(f"{n}.第{n}项任务。内容。" for n in range(998, 1003))
    assert [p.number for p in outline(raw).provisions] == [998, 999, 1000, 1001, 1002]


def test_goal_and_task_section_items_are_measures():
    assert part_kind("目标任务") is None and part_kind("总体目标") == "goal"
    assert part_kind("总  则".replace(" ", "")) == "principle" and part_kind("附则") == "principle"
    assert part_kind("法律责任") == "safeguard" and part_kind("监督保障") == "safeguard"


def test_enumerated_tasks_of_a_part_without_other_numbering_are_measures():
    raw = (
        "一、总体要求\n以习近平新时代中国特色社会主义思想为指导，一是坚持问题导向，二是坚持系统观念。\n二、优化政务服务\n"
        "按照要求，一是推行一窗受理，减少跑动。二是推进网上办理；三是压缩审批时限。\n内容补充。（牵头单位：区政务服务中心）\n"
        "三、优化市场环境\n（一）推行信用监管。一是建立机制；二是完善制度。"
    )
    provisions = outline(raw).provisions
    assert [(p.kind, p.number, p.label, p.title) for p in provisions] == [
        ("principle", 1, "一、", "总体要求"),  # a named part keeps its enumeration as text
        ("measure", 1, "一是", "推行一窗受理，减少跑动。"),
        ("measure", 2, "二是", "推进网上办理；"),
        ("measure", 3, "三是", "压缩审批时限。"),
        ("measure", 1, "（一）", "推行信用监管。"),
    ]  # inside a numbered item the enumeration stays its text
    assert provisions[3].text == "压缩审批时限。\n内容补充。" and provisions[3].annotation == "（牵头单位：区政务服务中心）"
    assert outline("一、主要任务\n按照要求，一是甲。三是乙。").provisions[0].label == "一、"  # not a run 1, 2, …


def test_headings_numbered_1_above_items_numbered_1_in_brackets():
    raw = "1.优化政务服务\n（1）推行一窗受理。内容。\n（2）推进网上办理。内容。\n2.优化市场环境\n（3）推行信用监管。内容。"
    assert [(p.number, p.section_path) for p in outline(raw).provisions] == [
        (1, ("1.优化政务服务",)),
        (2, ("1.优化政务服务",)),
        (3, ("2.优化市场环境",)),
    ]


def test_chapterless_rules_competent_department_protection_and_application_by_reference():
    raw = (
        "第一条 为了规范企业名称登记，制定本规定。\n第二条 投资者的合法权益依法受到保护。\n"
        "第三条 市市场监管局负责本市企业名称的核准工作。\n第四条 企业名称应当使用规范汉字。\n第五条 推行名称自主申报。\n"
        "第六条 推行名称网上查询。\n第七条 工作人员滥用职权、玩忽职守的，依法追究责任。\n第八条 本市个体工商户的名称登记，参照本规定执行。\n"
        "第九条 本规定自2023年1月1日起施行。"
    )
    assert [p.kind for p in outline(raw).provisions] == (["principle"] * 3 + ["measure"] * 3 + ["safeguard"] + ["principle"] * 2)
