"""End to end: the Dagster assets on a folder of raw texts, and what lands in the warehouse."""

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from assets.catalog.schema import TABLES
from assets.publishing.warehouse import DB_NAME
from pipelines.definitions import defs
from tests.helpers import build, table

EXPECTED = json.loads((Path(__file__).parent / "data" / "seed_expectations.json").read_text(encoding="utf-8"))


def test_definitions_load_with_every_stage_and_table():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {
        "raw_files",
        "normalized_documents",
        "measures",
        "responsibilities",
        "targets",
        "indicators",
        "duplicates",
        "search_index",
        *(f"tables/{name}" for name in TABLES),
        "staged_build",
        "published_tables",
        "dataset_release",
    }


def test_seed_build_publishes_documents_and_measures(raw_copy, tmp_path):
    warehouse = tmp_path / "warehouse"
    result = build(raw_copy, warehouse)
    docs = {d["source_file"]: d for d in table(warehouse, "documents")}
    assert set(docs) == set(EXPECTED) - {"_comment"}
    measures = table(warehouse, "measures")
    texts = {t["doc_id"]: t["text"] for t in table(warehouse, "document_texts")}
    for name, facts in EXPECTED.items():
        if name == "_comment":
            continue
        rows = [m for m in measures if m["doc_id"] == docs[name]["doc_id"]]
        kinds = {}
        for m in rows:
            kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
        assert kinds == facts["kinds"], name
        titles = {str(m["number"]): m["title"] for m in rows if m["kind"] == "measure"}
        for number, title in facts["titles"].items():
            assert titles[number] == title
        assert [m["seq"] for m in rows] == list(range(1, len(rows) + 1))
        for m in rows:
            span = texts[m["doc_id"]][m["char_start"] : m["char_end"]]
            if m["repeated_text_removed"]:  # Tianshan 47 repeats its first sentence: published once
                assert len(span) > len(m["text"]) and span.replace(m["title"], "", 1) == m["text"]
            else:
                assert span == m["text"]
            assert "（牵头单位：" not in m["text"]
    assert len({m["measure_id"] for m in measures}) == len(measures)
    targets = table(warehouse, "targets")
    assert len(targets) > 100
    for t in targets:
        assert texts[t["doc_id"]][t["char_start"] : t["char_end"]] == t["text"]
    assert {t["measure_id"] for t in targets} <= {m["measure_id"] for m in measures}
    assert docs["chengdu-qingyang-district_2020_implementation-plan.txt"]["doc_number"] == "青委办字〔2020〕55号"
    assert table(warehouse, "quarantine") == []
    metadata = result.asset_materializations_for_node("measures")[0].metadata
    assert metadata["measures"].value == len(measures)
    with duckdb.connect(str(warehouse / DB_NAME), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == len(measures)
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'measures' AND column_name = 'kind'").fetchone()[0]
        assert "safeguard" in comment


def test_any_folder_any_depth_without_manifest(tmp_path, raw_copy):
    raw = tmp_path / "elsewhere"
    (raw / "省" / "市 区").mkdir(parents=True)
    source = raw_copy / "bayingolin-prefecture_2022_work-plan.txt"
    shutil.copy(source, raw / "省" / "市 区" / "巴州 2022 方案.txt")
    (raw / "notes.md").write_text("not a policy text")
    warehouse = tmp_path / "out"
    build(raw, warehouse)
    [doc] = table(warehouse, "documents")
    assert doc["source_file"] == "省/市 区/巴州 2022 方案.txt"
    assert doc["title"] == "2022年度巴州优化营商环境工作方案"  # inferred: no manifest here
    assert doc["region"] == "巴音郭楞蒙古自治州" and doc["issue_date"].isoformat() == "2022-02-17"


def test_bad_files_are_quarantined_and_the_rest_published(raw_copy, tmp_path):
    (raw_copy / "empty.txt").write_bytes(b"")
    (raw_copy / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (raw_copy / "no_provisions.txt").write_text("为优化营商环境，现通知如下。\n请各单位认真落实。", encoding="utf-8")
    (raw_copy / "gbk.txt").write_bytes("一、主要任务\n1.优化服务。压缩时限。\n2.强化监管。加强检查。".encode("gb18030"))
    outside = tmp_path / "secret.txt"
    outside.write_text("一、外部文件\n1.不应读取。内容。", encoding="utf-8")
    (raw_copy / "link.txt").symlink_to(outside)
    with (raw_copy / "sources.csv").open("a", encoding="utf-8") as fh:
        fh.write("missing.txt,不存在的文件,,,,,,,\n")
    warehouse = tmp_path / "warehouse"
    build(raw_copy, warehouse)
    quarantine = {q["source_file"]: q for q in table(warehouse, "quarantine")}
    assert set(quarantine) == {"empty.txt", "binary.txt", "no_provisions.txt", "link.txt", "missing.txt"}
    assert quarantine["empty.txt"]["stage"] == "decode" and "empty" in quarantine["empty.txt"]["reason"]
    assert quarantine["binary.txt"]["sha256"] and "NUL" in quarantine["binary.txt"]["reason"]
    assert quarantine["no_provisions.txt"]["stage"] == "outline"
    assert "outside RAW_DIR" in quarantine["link.txt"]["reason"]
    assert quarantine["missing.txt"]["stage"] == "manifest"
    docs = {d["source_file"]: d for d in table(warehouse, "documents")}
    assert len(docs) == 6 and docs["gbk.txt"]["encoding"] == "gb18030"


def test_same_file_twice_is_marked_duplicate(raw_copy, tmp_path):
    shutil.copy(raw_copy / "bayingolin-prefecture_2022_work-plan.txt", raw_copy / "zz-copy.txt")
    warehouse = tmp_path / "warehouse"
    build(raw_copy, warehouse)
    docs = {d["source_file"]: d for d in table(warehouse, "documents")}
    assert docs["zz-copy.txt"]["duplicate_of"] == docs["bayingolin-prefecture_2022_work-plan.txt"]["doc_id"]
    assert docs["bayingolin-prefecture_2022_work-plan.txt"]["duplicate_of"] is None


def test_two_builds_give_identical_tables_and_ids(raw_copy, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(raw_copy, first)
    build(raw_copy, second)
    for name in ("documents", "document_texts", "measures", "quarantine", "parse_warnings"):
        assert pq.read_table(first / "tables" / f"{name}.parquet").equals(pq.read_table(second / "tables" / f"{name}.parquet")), name


def test_the_build_summary_lists_documents_up_to_a_limit_and_counts_the_rest(seed_release):
    from pipelines.build import summary

    warehouse, _ = seed_release
    docs = table(warehouse, "documents")
    measures = table(warehouse, "measures")
    full = summary(warehouse).splitlines()
    for d in docs:
        line = next(line for line in full if line.startswith(d["source_file"] + " "))
        n_measures = sum(1 for m in measures if m["doc_id"] == d["doc_id"] and m["kind"] == "measure")
        assert str(n_measures) in line.split()[3:]
    assert f"{len(docs)} documents published" in "\n".join(full) and f"{len(measures)} provisions" in "\n".join(full)
    short = summary(warehouse, limit=2).splitlines()
    assert sum(1 for line in short if line.endswith(".txt") or ".txt " in line) == 2
    assert f"… and {len(docs) - 2} more documents" in "\n".join(short)
