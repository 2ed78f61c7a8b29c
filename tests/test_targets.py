"""Target extraction, one rule at a time, on sentences written in the style of these plans."""

import pytest

from assets.domain.extracting.quantities import find_quantities
from assets.domain.extracting.target_extraction import extract_targets


def rows(text: str) -> list[tuple]:
    return [(t.value, t.value_max, t.unit, t.comparator, t.baseline, t.year) for t in extract_targets(text)]


@pytest.mark.parametrize(
    "text, value, value_max, unit",
    [
        ("新增市场主体1,200户", 1200, None, "户"),
        ("新增市场主体１２００户", None, None, None),  # full-width digits are normalized before extraction
        ("企业开办时间压缩至0.5个工作日", 0.5, None, "工作日"),
        ("全区市场主体总量达到26万户", 260000, None, "户"),
        ("设立总规模1亿元的基金，投入资金达到3亿元", 300000000, None, "元"),
        ("建设科创空间载体面积35万平米", 350000, None, "平方米"),
        ("审批时限压缩至30-60个工作日", 30, 60, "工作日"),
        ("新建停车场3至5个", 3, 5, "个"),
        ("落地重大项目100至200个", 100, 200, "个"),
        ("办理时间不超过十五个工作日", 15, None, "工作日"),
        ("新增园位一百八十个", 180, None, "个"),
        ("审批时间压缩至两个工作日", 2, None, "工作日"),
        ("出口退税办理时间压缩至3天", 3, None, "日"),
        ("企业登记2个工作小时内办结", 2, None, "小时"),
        ("缴费时间压缩至24个小时", 24, None, "小时"),
        ("网上办理率达到百分之九十五", 95, None, "%"),
    ],
)
def test_numbers_and_units(text, value, value_max, unit):
    found = rows(text)
    if value is None:
        assert found == [] or found[0][0] == 1200
        return
    assert found[-1][:3] == (value, value_max, unit)


@pytest.mark.parametrize(
    "text, comparator",
    [
        ("审批时间压缩至5个工作日以内", "<="),
        ("审批时间5个工作日内办结", "<="),
        ("审批时间不超过5个工作日", "<="),
        ("担保费率降至1%", "<="),
        ("平均跑动次数压减到0.3次以下", "<="),
        ("满意率99%以上", ">="),
        ("参保率不低于95%", ">="),
        ("新增托位不少于163个", ">="),
        ("网办率达到100%", ">="),
        ("好评率提升至98%", ">="),
        ("主体数量达到200户左右", "~"),
        ("办电平均时间5个工作日", "<="),  # a promised duration is a maximum
        ("新建幼儿园2所", "="),  # a count without a word is exact
        ("审批时限压缩至30-60个工作日", "range"),
    ],
)
def test_comparators(text, comparator):
    assert rows(text)[0][3] == comparator


@pytest.mark.parametrize(
    "text, value, baseline, comparator",
    [
        ("简易注销时间由45日短至20日", 20, 45, "<="),
        ("年度纳税缴费时间从120小时压缩至100小时以内", 100, 120, "<="),
        ("每千人拥有托位数由0.5个提高到0.9个以上", 0.9, 0.5, ">="),
        ("保证金缴纳比例由预算额度的2%调整为1%", 1, 2, "<="),
    ],
)
def test_baselines(text, value, baseline, comparator):
    assert rows(text) == [(value, None, rows(text)[0][2], comparator, baseline, None)]


@pytest.mark.parametrize(
    "text, year",
    [
        ("2022年底依申请类事项网上办理比例达到85%以上。", 2022),
        ("到2025年，全区市场主体总量达到26万户。", 2025),
        ("于2022年7月底前完成审批用时压缩至60个工作日以内。", 2022),
        ("2023年，事项材料较2021年精简30%以上。", 2023),  # 较2021年 is a comparison, not the due year
        ("3年内上线高频政务服务事项180项以上。", None),
        ("年底前实现托位数达到0.9个以上。", None),
        ("2022—2024年，全区随迁子女入学比例不低于85%。", 2024),
    ],
)
def test_years(text, year):
    assert rows(text)[0][5] == year


def test_year_set_by_an_earlier_sentence_of_the_title():
    text = "2022年推进政务服务提质。实现办件满意率达到98%以上。"
    assert rows(text)[0][5] == 2022


def test_distribution_over_metrics_and_years():
    text = "2022—2024年，网上可办率、全程网办率分别达99.5%和91.5%、99.8%和93%、99.9%和96%以上。"
    got = [(t.metric, t.year, t.value, t.comparator) for t in extract_targets(text)]
    assert got == [
        ("网上可办率", 2022, 99.5, ">="),
        ("全程网办率", 2022, 91.5, ">="),
        ("网上可办率", 2023, 99.8, ">="),
        ("全程网办率", 2023, 93, ">="),
        ("网上可办率", 2024, 99.9, ">="),
        ("全程网办率", 2024, 96, ">="),
    ]


def test_distribution_with_shared_unit():
    text = "对中小微企业融资需求的响应时间、平均审批时间、获得融资时间分别压缩至1个、7个、30个工作日。"
    assert [(t.metric, t.scope, t.value, t.unit, t.comparator) for t in extract_targets(text)] == [
        ("融资需求的响应时间", "中小微企业", 1, "工作日", "<="),
        ("平均审批时间", "中小微企业", 7, "工作日", "<="),
        ("获得融资时间", "中小微企业", 30, "工作日", "<="),
    ]


def test_distribution_one_metric_over_years_and_all_with_jun():
    text = "2022—2024年，跨省异地就医住院费用直接结算率分别达62%、65%、68%以上。"
    assert [(t.year, t.value) for t in extract_targets(text)] == [(2022, 62), (2023, 65), (2024, 68)]
    both = extract_targets("确保检查率、公示率均达100%。")
    assert [(t.metric, t.value, t.comparator) for t in both] == [("检查率", 100, ">="), ("公示率", 100, ">=")]


def test_year_range_stays_in_its_clause():
    text = "2022—2024年，用水、用气报装时间分别压缩至8个和8个、5个和6个、3个和4个工作日以内；低风险项目电、水报装时间分别压缩至2个、1个工作日以内。"
    found = extract_targets(text)
    assert len(found) == 8
    assert [t.year for t in found[-2:]] == [None, None]


@pytest.mark.parametrize(
    "text",
    [
        "设立“12345”便民服务热线，拨打12388举报电话或96963政务一号通。",  # hotlines
        "加快5G网络建设，推广3D打印，降低PM2.5浓度，落实M0产业用地，DN50以下给水接入，G320国道改造。",  # names
        "成立1小、5小、13小学校。",
        "落实《2022年优化营商环境87项措施》和“赋能34条”，对照“政商交往10项正面清单”。",  # documents and slogans
        "落实青羊区有效应对疫情稳定经济运行的11条措施，落实10项正面清单。",
        "每月12日和27日向工作专班报告，每季度末月19日前报送。",  # dates of routine meetings
        "实现“7×24小时不打烊”服务，完善15分钟文化服务圈，建立24小时办税服务机制。",  # service labels
        "对建筑面积不大于3000平方米的厂房，实行告知承诺。",  # a scope condition
        "对企业申领10万元限额以下的发票，当场受理。",
        "推动一件事一次办，实现一次办好，千家万户受益，落实三张牌部署，带动三次产业升级。",  # words, not counts
        "推进职业技能提升三年行动计划。",
        "基于八个重点产业链，在已形成50个套餐清单基础上推进。",  # context and past achievements
        "每半年对行政执法情况进行1次审查。",  # frequency of routine work
    ],
)
def test_not_targets(text):
    assert extract_targets(text) == []


def test_condition_qualifying_a_count():
    found = extract_targets("培育年产值达20亿元以上大型企业3户，培育10家销售收入超10亿元的企业。")
    assert [(t.value, t.unit) for t in found] == [(3, "户"), (10, "家")]


def test_spans_are_exact_substrings():
    text = "压缩审批时限。确保2022年底全流程审批时限逐步压缩至30-60个工作日，新增园位540个。"
    found = extract_targets(text)
    assert [t.text for t in found] == ["全流程审批时限逐步压缩至30-60个工作日", "新增园位540个"]
    for t in found:
        assert text[t.start : t.end] == t.text


def test_quantities_parse_ranges_and_multipliers():
    q = find_quantities("新增2.7万户、1.7万家，投资1,000万元")
    assert [(x.value, x.unit) for x in q] == [(27000, "户"), (17000, "家"), (10_000_000, "元")]


def metrics(text: str) -> list[tuple]:
    return [(t.value, t.unit, t.metric, t.scope) for t in extract_targets(text)]


@pytest.mark.parametrize(
    "text, metric",
    [
        ("新设企业登记压缩至1个工作日内办结。", "新设企业登记办结时间"),  # the verb after the number completes the subject
        ("施工许可办理时间不超过20个工作日，并持续压减时间。", "施工许可办理时间"),  # no trailing clause
        ("竣工验收时限进一步压减至10个工作日以内并逐年优化。", "竣工验收时限"),
        ("2024年底前，全县不动产登记时间压缩至3个工作日。", "不动产登记时间"),  # no deadline, no region word
        ("推动新建5个社区服务驿站。", "社区服务驿站数量"),  # the counted noun after the number
        ("改造东风路、建设路、解放路3条背街小巷并提升照明。", "背街小巷数量"),  # names before the number are not the metric
        ("拓宽东风路、建设路2条道路。", "道路数量"),
        ("将受理、审查、决定合并为1个环节。", "受理、审查、决定环节"),  # what is merged, counted in steps
        ("企业数量年均增长12%以上。", "企业数量年均增长幅度"),  # a bare change of a quantity
        ("审批材料较上年精简40%。", "审批材料精简幅度"),  # the comparison is not part of the metric
        ("在各街道便民中心投放自助终端不少于30台。", "自助终端数量"),  # where they are placed is not what is counted
        ("3个工作日内将核查结果反馈申请人。", "核查结果反馈时间"),  # 将 + object + action
        ("年度纳税时间压缩至90小时以内。", "年度纳税时间"),  # 年度 is not a deadline
        ("办结时限平均压缩至2个工作日。", "办结时限"),
        ("设立2只总规模5000万元的科技成果转化基金。", "科技成果转化基金数量"),
    ],
)
def test_metric_is_a_noun_phrase(text, metric):
    assert metrics(text)[0][2] == metric


def test_labels_after_numbers_each_get_their_own_metric():
    found = metrics("实现涉企事项100%“一网通办”、80%“跨省通办”、60%“秒批秒办”。")
    assert [m for _, _, m, _ in found] == ["涉企事项“一网通办”比例", "涉企事项“跨省通办”比例", "涉企事项“秒批秒办”比例"]
    assert {s for *_, s in found} == {"涉企事项"}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "用电、用热、用气报装时间分别压缩至3个、2个、2个工作日。",
            [("用电报装时间", None), ("用热报装时间", None), ("用气报装时间", None)],
        ),
        (
            "小型低风险项目水、电、热接入时间分别压缩至3个、2个、1个工作日以内。",
            [("水接入时间", "小型低风险项目"), ("电接入时间", "小型低风险项目"), ("热接入时间", "小型低风险项目")],
        ),
        ("全县政务服务事项网上可办率、即办率分别达到98%、60%。", [("网上可办率", None), ("即办率", None)]),  # all services: no scope
    ],
)
def test_lists_before_fenbie_get_full_metrics_and_a_shared_scope(text, expected):
    assert [(t.metric, t.scope) for t in extract_targets(text)] == expected


@pytest.mark.parametrize(
    "text, scopes",
    [
        ("低压小微企业办电时间压缩至2个工作日，高压单电源用户办电时间压缩至20个工作日。", ["低压小微企业", "高压单电源用户"]),
        ("政府投资类市政项目审批用时压缩至45个工作日以内。", ["政府投资类市政项目"]),
        ("仓储类简易低风险项目的审批环节不超过5个、审批用时不超过15个工作日。", ["仓储类简易低风险项目", "仓储类简易低风险项目"]),
        ("非居民用户从申请至接水，小型工程不超过3个工作日、大型工程不超过5个工作日。", ["小型工程", "大型工程"]),
        ("全区工程建设项目审批时间压缩至40个工作日。", [None]),  # the class of every case is no scope
        ("企业开办时间压缩至1个工作日。", [None]),
    ],
)
def test_scopes(text, scopes):
    assert [t.scope for t in extract_targets(text)] == scopes


def test_a_class_before_the_number_takes_its_metric_from_the_clause_before():
    found = metrics("非居民用户从申请至接水，小型工程不超过3个工作日、大型工程不超过5个工作日。")
    assert [m for _, _, m, _ in found] == ["非居民用户从申请至接水时间"] * 2


def test_qualifier_moves_to_scope_and_named_classes_stay_in_the_metric():
    assert metrics("政府投资类市政项目审批用时压缩至45个工作日以内。")[0][2:] == ("审批用时", "政府投资类市政项目")
    assert metrics("低压小微企业办电时间压缩至2个工作日。")[0][2:] == ("低压小微企业办电时间", "低压小微企业")


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("行政机关应当自受理申请之日起二十个工作日内作出许可决定。", 20, "工作日"),
        ("登记机关应当在三个工作日内办结。", 3, "工作日"),
        ("审查期限为两个月内完成。", 2, "月"),
        ("符合条件的，一个工作日内办结。", 1, "工作日"),  # 一 with a duration is a time limit, not a word
        ("细颗粒物年均浓度控制在35微克/立方米以内。", 35, "微克/立方米"),  # compound units
        ("新增城市绿地面积12万平方米。", 120000, "平方米"),
    ],
)
def test_statutory_time_limits_and_compound_units(text, value, unit):
    found = extract_targets(text)
    assert [(t.value, t.unit, t.comparator in ("<=", "=")) for t in found] == [(value, unit, True)]


def test_statutory_time_limit_metric_is_the_action():
    assert metrics("行政机关应当自受理申请之日起二十个工作日内作出许可决定。")[0][2] == "作出许可决定时间"  # not who acts


def test_amount_that_sizes_a_named_object_is_a_target_on_it():
    found = metrics("设立2只总规模5000万元的科技成果转化基金。")
    assert found == [(2, "只", "科技成果转化基金数量", None), (50_000_000, "元", "科技成果转化基金总规模", None)]


@pytest.mark.parametrize(
    "text, kept",
    [
        ("缓缴期累计不超过6个月。", False),  # a period the rules grant to a business is not a promise
        ("营业执照有效期不超过5年。", False),
        ("审查期限不超过6个月。", True),
    ],
)
def test_legal_parameters_are_not_targets(text, kept):
    assert bool(extract_targets(text)) is kept


def test_year_governs_its_paragraph_not_the_provision():
    text = "总体目标\n2023年，基本建成服务体系。网办率达到90%。\n2025年，服务体系全面完善。网办率达到98%以上。"
    assert [t.year for t in extract_targets(text)] == [2023, 2025]


def test_a_year_looked_back_on_governs_nothing():
    text = "推进服务提质。2021年以来，服务体系逐步完善。网办率达到90%。"
    assert [t.year for t in extract_targets(text)] == [None]


def test_parallel_classes_share_the_metric_of_the_first():
    found = metrics("政府投资项目审批时间压缩至60个工作日，社会投资项目压缩至40个工作日，小型低风险项目压缩至15个工作日。")
    assert [(m, s) for _, _, m, s in found] == [("审批时间", "政府投资项目"), ("审批时间", "社会投资项目"), ("审批时间", "小型低风险项目")]


@pytest.mark.parametrize(
    "text, metric",
    [
        ("不动产登记一般登记、抵押登记办理时间分别压缩至3个、1个工作日。", "不动产登记一般登记办理时间"),  # the shared tail
        ("承诺件平均办理时限压缩至法定时限的30%以内。", "承诺件平均办理时限"),  # a share of another quantity
        ("税务机关应当在受理之日起十个工作日内办结退税。", "办结退税时间"),  # neither the start of the period nor who acts
        ("为中小企业新增融资50亿元以上。", "为中小企业新增融资金额"),
        ("财政安排3000万元产业引导资金。", "产业引导资金"),  # what the money is for
    ],
)
def test_more_metric_forms(text, metric):
    assert metrics(text)[0][2] == metric


@pytest.mark.parametrize(
    "text, metric",
    [
        ("接入市政供水的，时间不超过五个工作日。", "接入市政供水时间"),  # a bare 时间 named by the condition before it
        ("规章修改之日起五个工作日内，有关部门应当完成目录调整。", "目录调整完成时间"),  # the action in the next clause
        ("没有约定的，一般应当在二十个工作日内完成评估。", "评估完成时间"),  # a negated condition names nothing
        ("并联审批时间不得超过十个工作日。", "并联审批时间"),  # 并 inside a word is not a conjunction
        ("使用财政资金的项目，验收时限不得超过十五日。", "验收时限"),
    ],
)
def test_time_limits_in_the_forms_of_rules(text, metric):
    found = extract_targets(text)
    assert [(t.metric, t.comparator) for t in found] == [(metric, "<=")]


@pytest.mark.parametrize(
    "text, metric, scope",
    [
        ("对群众投诉事项，承办单位应当在两个工作日内联系回复。", "联系回复时间", "群众投诉事项"),  # the topic is the case
        (
            "通过网上提交申请的，登记机关应当自收到申请之日起三个工作日内，作出是否受理的决定。",
            "作出是否受理的决定时间",
            "通过网上提交申请",
        ),
        ("登记机关应当通知当事人在两个月内申请办理变更登记。", "申请办理变更登记时间", None),  # what is timed, not who is told
        ("报告书10个工作日内、报告表5个工作日内完成审批。", "报告表审批完成时间", None),  # the list's action is shared
    ],
)
def test_rules_name_the_action_and_the_case(text, metric, scope):
    assert (extract_targets(text)[-1].metric, extract_targets(text)[-1].scope) == (metric, scope)


def test_a_list_of_limits_shares_its_action():
    assert [t.metric for t in extract_targets("报告书10个工作日内、报告表5个工作日内完成审批。")] == [
        "报告书审批完成时间",
        "报告表审批完成时间",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "对违反规定的，可以处二万元以上十万元以下罚款。",  # a penalty
        "经申请，有关部门可以视情将公示期缩短三至六个月。",  # what the rules allow
        "依法取得经营期限为十年以上土地使用权的，可以申请登记。",  # a condition
        "在系统发布公告满二十日，且无异议的；",
    ],
)
def test_rules_that_are_not_promises(text):
    assert extract_targets(text) == []


def test_what_a_rule_leaves_out_is_not_a_target():
    assert [t.value for t in extract_targets("新增工业用地面积50亩以上（不含8亩以下地块）。")] == [50]
