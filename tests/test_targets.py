"""Target extraction, one rule at a time, on sentences written in the style of these plans."""
import pytest

from assets.lib.quantities import find_quantities
from assets.lib.targets import extract_targets


def rows(text: str) -> list[tuple]:
    return [(t.value, t.value_max, t.unit, t.comparator, t.baseline, t.year) for t in extract_targets(text)]


@pytest.mark.parametrize("text, value, value_max, unit", [
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
])
def test_numbers_and_units(text, value, value_max, unit):
    found = rows(text)
    if value is None:
        assert found == [] or found[0][0] == 1200
        return
    assert found[-1][:3] == (value, value_max, unit)


@pytest.mark.parametrize("text, comparator", [
    ("审批时间压缩至5个工作日以内", "<="), ("审批时间5个工作日内办结", "<="), ("审批时间不超过5个工作日", "<="),
    ("担保费率降至1%", "<="), ("平均跑动次数压减到0.3次以下", "<="),
    ("满意率99%以上", ">="), ("参保率不低于95%", ">="), ("新增托位不少于163个", ">="), ("网办率达到100%", ">="),
    ("好评率提升至98%", ">="), ("主体数量达到200户左右", "~"),
    ("办电平均时间5个工作日", "<="),  # a promised duration is a maximum
    ("新建幼儿园2所", "="),  # a count without a word is exact
    ("审批时限压缩至30-60个工作日", "range"),
])
def test_comparators(text, comparator):
    assert rows(text)[0][3] == comparator


@pytest.mark.parametrize("text, value, baseline, comparator", [
    ("简易注销时间由45日短至20日", 20, 45, "<="),
    ("年度纳税缴费时间从120小时压缩至100小时以内", 100, 120, "<="),
    ("每千人拥有托位数由0.5个提高到0.9个以上", 0.9, 0.5, ">="),
    ("保证金缴纳比例由预算额度的2%调整为1%", 1, 2, "<="),
])
def test_baselines(text, value, baseline, comparator):
    assert rows(text) == [(value, None, rows(text)[0][2], comparator, baseline, None)]


@pytest.mark.parametrize("text, year", [
    ("2022年底依申请类事项网上办理比例达到85%以上。", 2022),
    ("到2025年，全区市场主体总量达到26万户。", 2025),
    ("于2022年7月底前完成审批用时压缩至60个工作日以内。", 2022),
    ("2023年，事项材料较2021年精简30%以上。", 2023),  # 较2021年 is a comparison, not the due year
    ("3年内上线高频政务服务事项180项以上。", None),
    ("年底前实现托位数达到0.9个以上。", None),
    ("2022—2024年，全区随迁子女入学比例不低于85%。", 2024),
])
def test_years(text, year):
    assert rows(text)[0][5] == year


def test_year_set_by_an_earlier_sentence_of_the_title():
    text = "2022年推进政务服务提质。实现办件满意率达到98%以上。"
    assert rows(text)[0][5] == 2022


def test_distribution_over_metrics_and_years():
    text = "2022—2024年，网上可办率、全程网办率分别达99.5%和91.5%、99.8%和93%、99.9%和96%以上。"
    got = [(t.metric, t.year, t.value, t.comparator) for t in extract_targets(text)]
    assert got == [("网上可办率", 2022, 99.5, ">="), ("全程网办率", 2022, 91.5, ">="),
                   ("网上可办率", 2023, 99.8, ">="), ("全程网办率", 2023, 93, ">="),
                   ("网上可办率", 2024, 99.9, ">="), ("全程网办率", 2024, 96, ">=")]


def test_distribution_with_shared_unit():
    text = "对中小微企业融资需求的响应时间、平均审批时间、获得融资时间分别压缩至1个、7个、30个工作日。"
    assert [(t.metric, t.value, t.unit, t.comparator) for t in extract_targets(text)] == [
        ("对中小微企业融资需求的响应时间", 1, "工作日", "<="), ("平均审批时间", 7, "工作日", "<="), ("获得融资时间", 30, "工作日", "<=")]


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


@pytest.mark.parametrize("text", [
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
])
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
        assert text[t.start:t.end] == t.text


def test_quantities_parse_ranges_and_multipliers():
    q = find_quantities("新增2.7万户、1.7万家，投资1,000万元")
    assert [(x.value, x.unit) for x in q] == [(27000, "户"), (17000, "家"), (10_000_000, "元")]
