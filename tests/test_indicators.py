"""Indicator tags and comparable metrics: rules on made-up wording, and precision/recall on the labelled samples."""

import json
import re
from pathlib import Path

import duckdb
import pytest

from assets.domain.extracting.comparable import metric_code, metric_table
from assets.domain.extracting.indicator_rules import OTHER, keywords, longest_phrase_pattern, tag_provision, taxonomy
from assets.publishing.warehouse import DB_NAME

DATA = Path(__file__).parent / "data"
EVALUATION_SYSTEM = [
    "开办企业",
    "劳动力市场监管",
    "办理建筑许可",
    "政府采购",
    "招标投标",
    "获得电力",
    "获得用水用气",
    "登记财产",
    "获得信贷",
    "保护中小投资者",
    "知识产权创造、保护和运用",
    "跨境贸易",
    "纳税",
    "执行合同",
    "办理破产",
    "市场监管",
    "政务服务",
    "包容普惠创新",
]


def tags(text: str, kind: str = "measure") -> list[str]:
    title = text.split("。")[0] + "。"
    return [m.indicator for m in tag_provision(kind, title, text)]


def test_the_phrase_trie_matches_as_an_alternation_of_phrases_longest_first():
    phrases = ["市场", "市场监管", "劳动力市场监管", "劳动力", "政务服务", "政务服务平台", "水电气", "a.b", "(x)"]
    alternation = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p))))
    trie = longest_phrase_pattern(phrases)
    for text in ["加强劳动力市场监管和市场监管", "依托政务服务平台提供政务服务", "劳动力市场", "市场监", "水电气a.b(x)axb", ""]:
        assert [(m.start(), m.group()) for m in trie.finditer(text)] == [(m.start(), m.group()) for m in alternation.finditer(text)]


def test_taxonomy_is_the_evaluation_system_plus_other():
    table = taxonomy()
    assert list(table["name_zh"]) == EVALUATION_SYSTEM + ["其他"]
    assert table["code"].is_unique and table["code"].str.fullmatch(r"[a-z_]+").all()
    assert (table["name_en"].str.len() > 0).all() and (table["scope"].str.len() > 20).all()
    assert {k.indicator for k in keywords()} == set(table["code"]) - {OTHER}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("压缩企业开办时间。全面推行企业开办一窗通办，营业执照当日办结。", ["starting_business"]),
        ("优化获得电力服务。推行低压小微企业办电“三零”服务。", ["getting_electricity"]),
        ("加强劳动力市场监管。建立劳动纠纷多元调处机制。", ["labour_market"]),  # the longer phrase wins over 市场监管
        ("推进公平竞争审查。将市场准入、产业发展、政府采购、招标投标等政策纳入审查范围。", ["market_regulation"]),  # named in passing
        ("打造特色商业街区。引进品牌首店，发展夜间经济。", [OTHER]),
        ("深化不动产登记改革。推行交房即交证，一般登记3个工作日办结。", ["registering_property"]),
    ],
)
def test_made_up_measures_are_tagged_by_the_rules(text, expected):
    assert tags(text) == expected


def test_several_indicators_primary_first_with_evidence():
    found = tag_provision("measure", "推行水电气联合报装。", "推行水电气联合报装。用电报装与用水用气报装一窗受理，同步办理。")
    codes = [m.indicator for m in found]
    assert set(codes) == {"getting_electricity", "getting_water_gas"}
    assert all("title:水电气" in m.evidence for m in found)
    assert found[0].score >= found[1].score


def test_an_incidental_mention_does_not_tag_a_measure_about_something_else():
    text = "推进智慧税务建设。推行办税缴费网上办，纳税人申报税费一次办结，发票网上申领，依托政务服务平台推送优惠政策。"
    assert tags(text) == ["paying_taxes"]


def test_organisational_provisions_are_other():
    assert tags("加强组织领导。各部门要落实企业开办、获得电力等改革任务。", kind="safeguard") == [OTHER]


def _prf(pairs: list[tuple[set, set]]) -> tuple[float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    return tp / sum(len(p) for _, p in pairs), tp / sum(len(g) for g, _ in pairs)


def test_precision_and_recall_on_the_labelled_samples(seed_release, capsys):
    warehouse, _ = seed_release
    with duckdb.connect(str(warehouse / DB_NAME), read_only=True) as con:
        published = {}
        for measure_id, code in con.execute("SELECT measure_id, indicator_code FROM measure_indicators").fetchall():
            published.setdefault(measure_id, set()).add(code)
    labels = [json.loads(line) for line in (DATA / "indicator_labels.jsonl").read_text(encoding="utf-8").splitlines()]
    seed_p, seed_r = _prf([(set(x["indicators"]), published[x["measure_id"]]) for x in labels])
    heldout = [json.loads(line) for line in (DATA / "indicator_heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    held_p, held_r = _prf([(set(x["indicators"]), set(tags(x["text"]))) for x in heldout])
    with capsys.disabled():
        print(
            f"\nindicators: seed sample ({len(labels)}) P {seed_p:.3f} R {seed_r:.3f}; "
            f"made-up held-out ({len(heldout)}) P {held_p:.3f} R {held_r:.3f}"
        )
    assert len(labels) >= 100 and len(heldout) >= 30
    assert seed_p >= 0.9 and seed_r >= 0.9
    assert held_p >= 0.9 and held_r >= 0.9


@pytest.mark.parametrize(
    "metric, unit, indicators, expected",
    [
        ("企业开办时间", "工作日", {"starting_business"}, "business_registration_time"),
        ("企业开办办结时间", "小时", {"starting_business"}, "business_registration_time"),
        ("全程网办率", "%", {"government_services"}, "full_online_service_rate"),
        ("依申请类政务服务事项“全程网办”比例", "%", {"government_services"}, "full_online_service_rate"),
        ("依申请类政务服务事项“网上可申请”比例", "%", {"government_services"}, "online_service_rate"),
        ("电报装时间", "工作日", {"getting_electricity"}, "electricity_connection_time"),  # an item of `电、水、气报装时间`
        ("水报装时间", "工作日", {"getting_water_gas"}, "water_connection_time"),
        ("平均审批时间", "工作日", {"getting_credit"}, None),  # not a construction permit
        ("企业开办时间", "日", {"starting_business"}, None),  # calendar days do not convert
    ],
)
def test_comparable_metric_rules(metric, unit, indicators, expected):
    assert metric_code(metric, unit, indicators) == expected


def test_every_comparable_metric_belongs_to_a_known_indicator():
    assert set(metric_table()["indicator_code"]) <= set(taxonomy()["code"])
