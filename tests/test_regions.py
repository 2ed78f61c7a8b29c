"""Placing documents in GB/T 2260 divisions: made-up variants of how plans say (or do not say) where they come from."""

import csv
from collections import Counter

import pytest

from assets.catalog import DATA_DIR
from assets.catalog.gazetteer import gazetteer, region_rows, stem_of
from assets.domain.reading.decode import decode_bytes
from assets.domain.reading.metadata import infer_metadata
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.regions import doc_number_codes, mentions, place_document, placement_of

BODY = "一、总体要求\n1.优化企业开办。"


def place(title=None, issuer=None, doc_number=None, head="", body=BODY):
    return place_document(title, issuer, doc_number, head, body)


# ---------------------------------------------------------------------------------------------- the list


def test_the_list_has_the_official_counts_and_a_parent_for_every_division():
    current = [d for d in gazetteer().divisions.values() if not d.listed_until]
    assert Counter(d.level for d in current) == {"province": 34, "prefecture": 333, "county": 2845}
    for d in gazetteer().divisions.values():
        assert len(d.code) == 6 and d.code.isdigit()
        assert (d.parent_code is None) == (d.level == "province"), d
        assert d.parent_code is None or d.parent_code in gazetteer().divisions, d


def test_every_code_in_the_curated_tables_is_a_division():
    codes = set(gazetteer().divisions)
    for name in ("region_aliases.csv", "zones.csv"):
        with open(DATA_DIR / name, encoding="utf-8") as fh:
            assert {row["region_code"] for row in csv.DictReader(fh)} <= codes, name


def test_regions_rows_name_their_province():
    rows = {r["region_code"]: r for r in region_rows()}
    assert rows["430624"]["province"] == "湖南省" and rows["430624"]["parent_code"] == "430600"
    assert rows["371200"]["name"] == "莱芜市" and rows["371200"]["listed_until"] == 2018  # abolished January 2019


@pytest.mark.parametrize(
    "name, stem",
    [
        ("湘西土家族苗族自治州", "湘西"),
        ("巴音郭楞蒙古自治州", "巴音郭楞"),
        ("广西壮族自治区", "广西"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("湘阴县", "湘阴"),
        ("香港特别行政区", "香港"),
    ],
)
def test_stems_leave_out_suffix_and_peoples(name, stem):
    assert stem_of(name) == stem


# ---------------------------------------------------------------------------------------------- header cues


def test_issuer_chain_gives_the_most_specific_division():
    p = place(issuer="中共长春市朝阳区委办公室、长春市朝阳区人民政府办公室")
    assert (p.region, p.region_code, p.level, p.province, p.prefecture, p.county) == (
        "朝阳区",
        "220104",
        "county",
        "吉林省",
        "长春市",
        "朝阳区",
    )
    assert p.evidence.startswith("issuer")


def test_a_district_of_a_municipality_has_the_municipality_as_prefecture():
    p = place(title="北京市朝阳区优化营商环境行动方案")
    assert (p.region_code, p.province, p.prefecture) == ("110105", "北京市", "北京市")


@pytest.mark.parametrize(
    "title, code",
    [
        ("2023年度克州优化营商环境工作方案", "653000"),
        ("湘西州进一步优化营商环境若干措施", "433100"),
        ("湘西自治州优化营商环境条例实施办法", "433100"),
        ("峨边县营商环境提升行动计划", "511132"),  # 峨边彝族自治县 without its peoples
        ("锡盟优化营商环境工作要点", "152500"),
    ],
)
def test_abbreviations(title, code):
    assert place(title=title).region_code == code


def test_bare_prefecture_name_at_the_start_of_a_heading():
    p = place(head="镇江关于印发优化营商环境行动方案的通知\n为深入贯彻落实……")
    assert (p.region, p.province) == ("镇江市", "江苏省")


def test_former_division_keeps_its_own_code():
    p = place(issuer="莱芜市人民政府办公室")
    assert (p.region, p.region_code, p.province) == ("莱芜市", "371200", "山东省")


# ---------------------------------------------------------------------------------------------- zones


def test_co_located_zone_stands_for_its_district_and_is_kept():
    p = place(issuer="广州开发区管委会办公室")
    assert (p.region, p.region_code, p.zone) == ("黄埔区", "440112", "广州开发区")


def test_zone_named_after_a_city_lies_in_it_and_is_no_region():
    p = place(title="西安高新区优化提升营商环境十条措施")
    assert (p.region, p.region_code, p.prefecture, p.province, p.zone) == (None, None, "西安市", "陕西省", "西安高新区")
    assert "not an administrative division" in p.warning


def test_zone_of_the_table_that_is_not_a_county():
    p = place(issuer="苏州工业园区管理委员会")
    assert (p.region, p.prefecture, p.zone) == (None, "苏州市", "苏州工业园区")


def test_district_named_with_a_zone_keeps_the_district():
    p = place(issuer="中共重庆市南岸区委办公室、重庆市南岸区人民政府办公室", title="南岸区 重庆经开区营商环境提升方案")
    assert (p.region, p.region_code, p.zone) == ("南岸区", "500108", "重庆经开区")


# ---------------------------------------------------------------------------------------------- names shared by several divisions


def test_shared_county_name_is_settled_by_the_parent_written_before_it():
    assert place(title="广州市南沙区营商环境改革措施").region_code == "440115"
    assert place(title="三沙市南沙区营商环境改革措施").region_code == "460303"


def test_shared_county_name_is_settled_by_another_place_the_text_names():
    p = place(title="鼓楼区优化营商环境实施方案", body="为贯彻落实福建省优化营商环境部署，结合我区实际。\n" + BODY)
    assert (p.region_code, p.prefecture) == ("350102", "福州市")


def test_shared_county_name_with_nothing_to_settle_it_is_left_empty():
    p = place(title="鼓楼区优化营商环境实施方案")
    assert p.region is None and p.region_code is None and "鼓楼区 could be more than one division" in p.warning


# ---------------------------------------------------------------------------------------------- 文号 only


@pytest.mark.parametrize(
    "doc_number, body, code",
    [
        ("湘阴发〔2019〕4号", "全县上下要……县发展改革局、县市场监管局负责。", "430624"),
        ("厦府办〔2019〕10号", "结合我市实际……市财政局、市税务局负责。", "350200"),
        ("晋政发〔2021〕5号", "全省……省发展改革委、省市场监管局负责。", "140000"),
        ("鄂府办发〔2020〕12号", "全省……省商务厅、省司法厅负责。", "420000"),
        ("阿署发〔2022〕3号", "为贯彻落实西藏自治区部署……地区发展改革委、地区财政局负责。", "542500"),
        ("泰政发〔2020〕8号", "为打造江苏一流营商环境……市发展改革委、市财政局负责。", "321200"),
        ("泰政发〔2020〕8号", "为落实山东省部署……市发展改革委、市财政局负责。", "370900"),
        ("宁政发〔2021〕3号", "为建设江苏一流营商环境……市发展改革委、市财政局负责。", "320100"),
        ("宁政发〔2021〕3号", "全区……自治区发展改革委、自治区财政厅负责。", "640000"),
    ],
)
def test_doc_number_only(doc_number, body, code):
    p = place(doc_number=doc_number, body=body)
    assert p.region_code == code and p.evidence.startswith("文号")


@pytest.mark.parametrize(
    "doc_number, body",
    [
        ("阿署发〔2022〕3号", "全地区……地区发展改革委、地区财政局负责。"),  # 阿克苏, 阿勒泰, 阿里 or 阿拉善
        ("宁政发〔2021〕3号", "全市……市发展改革委、市财政局负责。"),  # 南京 (宁) or 宁德 or 宁波
    ],
)
def test_doc_number_abbreviation_that_stays_ambiguous_is_not_guessed(doc_number, body):
    p = place(doc_number=doc_number, body=body)
    assert p.region is None and doc_number in p.warning


def test_doc_number_organ_characters_are_not_the_place():
    assert doc_number_codes("湘阴发〔2019〕4号", gazetteer())[:2] == ("湘阴", frozenset({"430624"}))
    assert doc_number_codes("市政办函〔2024〕26号", gazetteer())[1] == frozenset()  # 市: the text's own city, unnamed


# ---------------------------------------------------------------------------------------------- body cues


def test_body_naming_its_own_place():
    p = place(body="为深入贯彻落实全省大会精神，立足长沙市实际，制定本措施。\n" + BODY)
    assert (p.region, p.evidence) == ("长沙市", "body: 长沙市 (its own place)")


def test_province_level_text_placed_by_the_branches_it_names():
    body = "1.提升开办便利度。（牵头单位：省市场监管局）\n2.提升开户效率。（牵头单位：人民银行郑州中心支行）\n3.推行简易注销。（牵头单位：省市场监管局）"
    assert place(body=body).region_code == "410000"


def test_citing_a_province_does_not_make_a_city_plan_provincial():
    body = "根据《江苏省优化营商环境条例》，学习借鉴浙江经验，结合我市实际，制定本方案。\n1.市发展改革委、市财政局负责。\n2.市商务局负责。"
    p = place(body=body)
    assert p.region is None and p.province is None and "speaks as a 市-level body" in p.warning


def test_lower_level_text_naming_only_its_province_gets_the_province_alone():
    body = "为贯彻落实《湖北省优化营商环境条例》，结合我县实际。\n1.县发展改革局、县财政局负责。\n2.县商务局负责。"
    p = place(body=body)
    assert (p.region, p.region_code, p.province) == (None, None, "湖北省") and "only its province" in p.warning


def test_text_naming_no_region():
    p = place(title="关于进一步优化营商环境的若干措施", body="一、总体要求\n1.持续优化政务服务。")
    assert p.region is None and p.region_code is None and p.province is None
    assert "names no administrative division" in p.warning


def test_two_character_names_need_a_boundary():
    assert [m.text for m in mentions("推进老城区改造和郊区道路建设")] == []
    assert [m.text for m in mentions("推进新城区建设，优化南县营商环境")] == []
    assert [m.text for m in mentions("阳泉市郊区人民政府")] == ["阳泉市", "郊区"]
    assert [m.text for m in mentions("洛阳市老城区、益阳市南县")] == ["洛阳市", "老城区", "益阳市", "南县"]


def test_words_that_only_start_with_a_place_are_not_places():
    assert [m.text for m in mentions("维护义乌市场秩序")] == []


# ---------------------------------------------------------------------------------------------- through normalization


def test_traditional_script_is_placed_after_conversion():
    raw = (
        "鄂爾多斯市人民政府辦公廳關於印發《鄂爾多斯市優化營商環境行動方案》的通知\n"
        "鄂府辦發〔2022〕15號\n各旗區人民政府：\n現將方案印發給你們。\n一、總體要求\n1.優化企業開辦服務。"
    )
    normalized = normalize_text(decode_bytes(raw.encode("utf-8")).text)
    md = infer_metadata(normalized.text)
    assert normalized.script == "traditional"
    assert (md.place.region, md.place.region_code, md.place.province) == ("鄂尔多斯市", "150600", "内蒙古自治区")


def test_placement_of_a_code_names_every_level():
    p = placement_of("430624")
    assert (p.region, p.level, p.province, p.prefecture, p.county) == ("湘阴县", "county", "湖南省", "岳阳市", "湘阴县")
    p = placement_of("429004")  # 仙桃市: a county-level city under its province
    assert (p.level, p.province, p.prefecture) == ("county", "湖北省", None)


# ---------------------------------------------------------------------------------------------- the bundled plans


def _manifest_rows():
    from tests.helpers import RAW

    with open(RAW / "sources.csv", encoding="utf-8") as fh:
        return [(RAW / row["file"], row) for row in csv.DictReader(fh)]


@pytest.mark.parametrize("path, row", _manifest_rows(), ids=lambda v: getattr(v, "name", ""))
def test_bundled_plans_are_placed_from_their_text_alone_as_the_manifest_says(path, row):
    normalized = normalize_text(decode_bytes(path.read_bytes()).text)
    assert infer_metadata(normalized.text).place.region_code == row["region_code"]
    assert len(row["region_code"]) == 6 and row["source_url"].startswith("http")


def test_published_documents_carry_codes_types_and_sources(seed_release):
    import pyarrow.parquet as pq

    warehouse, _ = seed_release
    docs = pq.read_table(warehouse / "tables" / "documents.parquet").to_pylist()
    assert all(len(d["region_code"]) == 6 and d["province"] and d["source_url"].startswith("http") for d in docs)
    assert {d["doc_type"] for d in docs} == {"plan"} and not any(d["is_draft"] for d in docs)
    regions = pq.read_table(warehouse / "tables" / "regions.parquet", columns=["region_code"]).column("region_code").to_pylist()
    assert {d["region_code"] for d in docs} <= set(regions)
