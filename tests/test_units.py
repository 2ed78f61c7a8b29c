"""Responsibility annotations → units: splitting, completing names, roles, types and functions."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

from assets.catalog.body_classes import split_level_prefix, unit_function, unit_type
from assets.domain.extracting.body_names import complete_names, split_names
from assets.domain.extracting.responsibility import read_responsibility
from assets.domain.extracting.responsibility_tables import build_responsibility_tables, combine_responsibility_tables, document_tables
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import tables_by_document


def roles(annotation: str) -> list[tuple[str, str]]:
    return read_responsibility(annotation).roles


@pytest.mark.parametrize(
    "value, names",
    [
        ("市财政局、税务局，人社局；医保局", ["市财政局", "税务局", "人社局", "医保局"]),
        ("区人社局等各相关单位、辖区各银行网点", ["区人社局", "各相关单位", "辖区各银行网点"]),
        ("区税务局等相关单位", ["区税务局", "各相关单位"]),
        ("市财政局等市级相关单位", ["市财政局", "市级相关单位"]),
        ("县发改局等有关部门", ["县发改局", "各有关部门"]),
        ("市级各有关部门及各县市区政府", ["市级各有关部门", "各县市区政府"]),
        ("省级有关单位和各市、县（市、区）政府", ["省级有关单位", "各市、县（市、区）政府"]),
        ("市文化和旅游局、区住房和城乡建设局", ["市文化和旅游局", "区住房和城乡建设局"]),
        ("区政府及其有关部门", ["区政府及其有关部门"]),
        ("各市（区）人民政府，医药高新区管委会", ["各市（区）人民政府", "医药高新区管委会"]),
        ("县发改局、县财政局等单位", ["县发改局", "县财政局"]),
        ("区文化和旅游局区金融办", ["区文化和旅游局", "区金融办"]),
        ("“八大板块”总牵头单位", ["八大板块总牵头单位"]),
    ],
)
def test_split_names(value, names):
    assert split_names(value) == names


@pytest.mark.parametrize(
    "names, completed",
    [
        (["州市场监管局", "税务局"], ["州市场监管局", "州税务局"]),
        (["市发展改革委", "市场监管局"], ["市发展改革委", "市市场监管局"]),  # 市场 is not 市 + 场
        (["县住建局", "人民银行某县支行", "自然资源局"], ["县住建局", "人民银行某县支行", "县自然资源局"]),
        (["库尔勒市", "尉犁县人民政府"], ["库尔勒市人民政府", "尉犁县人民政府"]),
        (["甲县", "乙县", "丙区管委会"], ["甲县管委会", "乙县管委会", "丙区管委会"]),
        (["公安某某分局", "税务局"], ["公安某某分局", "税务局"]),  # no prefix anywhere: kept as written
        (["区财政局", "区财政局"], ["区财政局"]),
    ],
)
def test_complete_names(names, completed):
    assert complete_names(names)[0] == completed


def test_level_prefix_needs_a_known_department():
    assert split_level_prefix("州税务局") == ("州", "税务局")
    assert split_level_prefix("市场监管局") == ("", "市场监管局")
    assert split_level_prefix("区委宣传部") == ("区", "委宣传部")
    assert split_level_prefix("区大健康办") == ("", "区大健康办")


def test_bracket_with_fields_and_prefix_carried_between_roles():
    assert roles("（牵头单位：州行政服务中心、市场监管局；配合单位：州党委网信办，公安局、各县市人民政府）") == [
        ("lead", "州行政服务中心"),
        ("lead", "州市场监管局"),
        ("cooperating", "州党委网信办"),
        ("cooperating", "州公安局"),
        ("cooperating", "各县市人民政府"),
    ]


def test_other_wordings():
    r = read_responsibility("（市发展改革委牵头，市场监管局配合，市级各有关部门按职责分工负责，2023年6月底前完成）")
    assert r.roles == [("lead", "市发展改革委"), ("cooperating", "市市场监管局"), ("responsible", "市级各有关部门")]
    assert r.deadline == "2023年6月底前完成"
    assert roles("（县商务局牵头负责）") == [("lead", "县商务局")]
    assert roles("【牵头责任单位：区应急局】") == [("lead", "区应急局")]


def test_own_line_fields():
    r = read_responsibility("牵头部门：市司法局\n协办单位：市法院、检察院\n责任单位：各区县人民政府\n完成时限：2022年12月底")
    assert r.roles == [("lead", "市司法局"), ("cooperating", "市法院"), ("cooperating", "市检察院"), ("responsible", "各区县人民政府")]
    assert r.deadline == "2022年12月底"


def test_supervisors_are_people_not_units():
    r = read_responsibility("督办领导：杨凯、李 敏\n总牵头单位：区发展改革局")
    assert r.supervisors == ["杨凯", "李敏"] and r.roles == [("lead", "区发展改革局")]


def test_problems_are_reported():
    r = read_responsibility("（牵头单位：；配合单位：区财政局")
    assert r.roles == [("cooperating", "区财政局")]
    assert any("unclosed" in p for p in r.problems) and any("empty" in p for p in r.problems)


@pytest.mark.parametrize(
    "name, kind, function",
    [
        ("州市场监管局", "government_department", "market_regulation"),
        ("区市场监督管理局", "government_department", "market_regulation"),
        ("市发改委", "government_department", "development_reform"),
        ("县发展改革局", "government_department", "development_reform"),
        ("区人力资源社会保障局", "government_department", "human_resources"),
        ("区委宣传部", "party_organ", "party_organs"),
        ("州法院", "court_or_procuratorate", "courts_procuratorate"),
        ("各县市人民政府", "collective", "local_government"),
        ("尉犁县人民政府", "peoples_government", "local_government"),
        ("海口工业园区管委会", "development_zone_committee", "local_government"),
        ("国网新疆巴州供电公司", "state_enterprise", "utilities"),
        ("人民银行巴州中心支行", "financial_institution_or_regulator", "financial_services"),
        ("州直各有关部门", "collective", "various"),
    ],
)
def test_type_and_function(name, kind, function):
    assert unit_type(name) == kind and unit_function(name) == function


def test_divisions_sharing_a_name_have_their_own_units():
    documents = pd.DataFrame(
        [
            {"doc_id": d, "source_file": f"{d}.txt", "region": "鼓楼区", "region_code": code}
            for d, code in (("a", "320106"), ("b", "350102"), ("c", "320106"), ("d", None))
        ]
    )
    measures = pd.DataFrame(
        [
            {
                "measure_id": f"{d}-1",
                "doc_id": d,
                "kind": "measure",
                "label": "1.",
                "responsibility_text": "（牵头单位：区市场监管局）",
                "section_responsibility_text": None,
            }
            for d in "abcd"
        ]
    )
    tables = build_responsibility_tables(measures, documents)
    assert len(tables.units) == 3 and set(tables.units["region"]) == {"鼓楼区"}  # 南京's (a, c), 福州's (b), and d's by name
    ids = dict(zip(tables.measure_units.measure_id, tables.measure_units.unit_id))
    assert ids["a-1"] == ids["c-1"] != ids["b-1"]


def test_tables_link_measures_to_units_by_region():
    documents = pd.DataFrame(
        [{"doc_id": "a", "source_file": "a.txt", "region": "甲区"}, {"doc_id": "b", "source_file": "b.txt", "region": "乙区"}]
    )
    measures = pd.DataFrame(
        [
            {
                "measure_id": "a-1",
                "doc_id": "a",
                "kind": "measure",
                "label": "1.",
                "responsibility_text": "（牵头单位：区市场监管局）",
                "section_responsibility_text": "督办领导：张三\n责任单位：区财政局",
            },
            {
                "measure_id": "b-1",
                "doc_id": "b",
                "kind": "measure",
                "label": "1.",
                "responsibility_text": "（牵头单位：区市场监管局，6月底完成）",
                "section_responsibility_text": None,
            },
        ]
    )
    tables = build_responsibility_tables(measures, documents)
    assert len(tables.units) == 3  # 区市场监管局 in two regions is two units
    links = tables.measure_units.merge(tables.units, on="unit_id")
    assert set(zip(links.measure_id, links.name, links.role, links.source)) == {
        ("a-1", "区市场监管局", "lead", "measure"),
        ("a-1", "区财政局", "responsible", "section"),
        ("b-1", "区市场监管局", "lead", "measure"),
    }
    fields = tables.measure_fields.set_index("measure_id")
    assert fields.loc["a-1", "supervisors"] == "张三" and fields.loc["b-1", "deadline_text"] == "6月底完成"


def test_tables_built_one_document_at_a_time_combine_to_the_corpus_tables(tmp_path):
    documents = pd.DataFrame(
        [
            {"doc_id": d, "source_file": f"{d}.txt", "region": region}
            for d, region in (("a", "甲区"), ("b", "乙区"), ("c", "甲区"), ("d", None))
        ]
    )
    rows = [
        ("a-1", "a", "（牵头单位：区财政局；配合单位：区市场监管局）"),
        ("b-1", "b", "（牵头单位：区财政局）"),
        ("c-1", "c", "（牵头单位：区市场监管局）"),
        ("c-2", "c", None),
        ("d-1", "d", "（牵头单位：区财政局）"),
    ]
    measures = pd.DataFrame(
        [
            {
                "measure_id": m,
                "doc_id": d,
                "kind": "measure",
                "label": m[-1] + ".",
                "responsibility_text": text,
                "section_responsibility_text": None,
            }
            for m, d, text in rows
        ]
    )
    whole = build_responsibility_tables(measures, documents)
    columns = {name: list(frame.columns) for name, frame in document_tables(whole).items()}
    for _ in range(2):  # computed, then from the stage's snapshot
        combined = combine_responsibility_tables(
            tables_by_document(
                measures,
                {d: f"key-{d}" for d in "abcd"},
                StageSnapshot(tmp_path, Stage("r", ())),
                lambda doc_id, rows: document_tables(build_responsibility_tables(rows, documents[documents.doc_id == doc_id])),
                columns,
            )
        )
        assert len(whole.units) == 4  # 甲区 (a and c) shares 区市场监管局; 乙区 and the regionless plan have their own 区财政局
        for name in ("units", "measure_units", "measure_fields"):
            assert _values(getattr(combined, name)) == _values(getattr(whole, name)), name
        assert combined.warnings == whole.warnings
    empty = tables_by_document(measures.iloc[0:0], {}, StageSnapshot(tmp_path, Stage("r", ())), lambda d, r: {}, columns)
    assert combine_responsibility_tables(empty).units.empty


def _values(frame: pd.DataFrame) -> tuple[list, list]:
    """Columns and rows of a frame with every missing value as None (how the tables are published)."""
    return list(frame.columns), frame.astype(object).where(frame.notna(), None).values.tolist()


def test_missing_lead_is_warned_where_most_measures_have_one():
    documents = pd.DataFrame([{"doc_id": "a", "source_file": "a.txt", "region": "甲区"}])
    rows = [
        {
            "measure_id": f"a-{i}",
            "doc_id": "a",
            "kind": "measure",
            "label": f"{i}.",
            "responsibility_text": "（牵头单位：区财政局）" if i < 4 else None,
            "section_responsibility_text": None,
        }
        for i in range(1, 5)
    ]
    warnings = build_responsibility_tables(pd.DataFrame(rows), documents).warnings
    assert [w["message"] for w in warnings] == ["4.: no lead unit"]


def test_every_unit_in_the_seeds_has_a_known_function(raw_copy, tmp_path):
    from tests.helpers import build

    build(raw_copy, tmp_path / "w")
    units = pq.read_table(tmp_path / "w" / "tables" / "units.parquet").to_pylist()
    assert len(units) > 100
    assert [u["name"] for u in units if u["function"] is None] == []
    links = pq.read_table(tmp_path / "w" / "tables" / "measure_units.parquet").to_pylist()
    assert {link["unit_id"] for link in links} <= {u["unit_id"] for u in units}
    assert {link["role"] for link in links} == {"lead", "cooperating", "responsible"}


@pytest.mark.parametrize(
    "annotation, expected",
    [
        ("（市工商质监局牵头负责）", [("lead", "市工商质监局")]),
        (
            "〔市发展改革委牵头，市级各有关部门及各县市区政府按职责分工负责〕",
            [("lead", "市发展改革委"), ("responsible", "市级各有关部门"), ("responsible", "各县市区政府")],
        ),
        (
            "（省发展改革委、省商务厅牵头，省级有关单位和各市、县〔市、区〕政府按职责分工负责。）",
            [("lead", "省发展改革委"), ("lead", "省商务厅"), ("responsible", "省级有关单位"), ("responsible", "各市、县〔市、区〕政府")],
        ),
        (
            "牵头单位：市发改委\n责任单位：市市场监管局、市财政局等市级相关单位\n时限要求：2024年6月底前",
            [("lead", "市发改委"), ("responsible", "市市场监管局"), ("responsible", "市财政局"), ("responsible", "市级相关单位")],
        ),
    ],
)
def test_more_annotation_forms(annotation, expected):
    assert roles(annotation) == expected


def test_deadline_lines_of_every_spelling():
    assert read_responsibility("责任单位：市建设局\n时限要求：持续推进").deadline == "持续推进"
    assert read_responsibility("牵头单位：市建设局\n完成时间：2022年底").deadline == "2022年底"


@pytest.mark.parametrize("rule", ["（第一责任单位为牵头单位，下同）", "（排名第一的为牵头单位）", "（排在第一位的单位为牵头单位）"])
def test_document_rule_that_the_first_responsible_unit_leads(rule):
    documents = pd.DataFrame([{"doc_id": "a", "source_file": "a.txt", "region": "甲市"}])
    texts = [f"责任单位：市发改委、市财政局{rule}\n时限要求：持续推进", "责任单位：市建设局", "牵头单位：市商务局\n责任单位：市税务局"]
    measures = pd.DataFrame(
        [
            {
                "measure_id": f"a-{i}",
                "doc_id": "a",
                "kind": "measure",
                "label": f"{i}.",
                "responsibility_text": text,
                "section_responsibility_text": None,
            }
            for i, text in enumerate(texts, 1)
        ]
    )
    tables = build_responsibility_tables(measures, documents)
    links = tables.measure_units.merge(tables.units, on="unit_id")
    assert sorted(zip(links.measure_id, links.name, links.role)) == [
        ("a-1", "市发改委", "lead"),
        ("a-1", "市财政局", "responsible"),
        ("a-2", "市建设局", "lead"),
        ("a-3", "市商务局", "lead"),
        ("a-3", "市税务局", "responsible"),
    ]  # a named lead is not overruled


def test_without_the_rule_responsible_units_stay_responsible():
    documents = pd.DataFrame([{"doc_id": "a", "source_file": "a.txt", "region": "甲市"}])
    measures = pd.DataFrame(
        [
            {
                "measure_id": "a-1",
                "doc_id": "a",
                "kind": "measure",
                "label": "1.",
                "responsibility_text": "责任单位：市发改委、市财政局",
                "section_responsibility_text": None,
            }
        ]
    )
    links = build_responsibility_tables(measures, documents).measure_units
    assert set(links.role) == {"responsible"}


@pytest.mark.parametrize(
    "annotation, expected",
    [
        # names without a verb take the verb of the phrase after them
        (
            "（区发改局牵头，区财政局、区交运局等部门，区国投公司、各街道办事处配合）",
            [
                ("lead", "区发改局"),
                ("cooperating", "区财政局"),
                ("cooperating", "区交运局"),
                ("cooperating", "区国投公司"),
                ("cooperating", "各街道办事处"),
            ],
        ),
        # a field's list ending in a verb, then a rule sentence about the document
        (
            "〔责任单位：省发展改革委、省市场监管局、省大数据中心按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。〕",
            [("responsible", "省发展改革委"), ("responsible", "省市场监管局"), ("responsible", "省大数据中心")],
        ),
    ],
)
def test_phrase_lists_and_rule_sentences(annotation, expected):
    parsed = read_responsibility(annotation)
    assert parsed.roles == expected and parsed.problems == []


def test_words_that_are_not_names_are_reported_not_published():
    parsed = read_responsibility("（区发改局牵头，加快推进）")
    assert parsed.roles == [("lead", "区发改局")] and parsed.problems == ["not understood: '加快推进'"]
