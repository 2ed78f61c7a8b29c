"""Validation: suites stay in sync with the schema, and a broken table is never published."""

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dagster import AssetCheckSeverity, materialize

from assets.catalog.schema import TABLES
from assets.domain.extracting import target_rows
from assets.domain.extracting.target_extraction import Target
from assets.engine import keys
from assets.publishing.suites import CRITICAL, SUITE_DIR, expected_suites, load_suites
from assets.publishing.validation import skip_batch_hashing, validate
from assets.settings import PipelineSettings
from assets.table_specs import CHECK_NAMES, table_key
from pipelines.definitions import ALL_ASSETS, pipeline_resources
from tests.helpers import build


def test_committed_suites_equal_the_generated_ones():
    assert load_suites() == expected_suites(), "run `python -m pipelines.expectations` and commit expectations/"
    assert set(p.stem for p in SUITE_DIR.glob("*.json")) == set(TABLES)


def test_a_misspelled_expectation_fails_loudly():
    suites = load_suites()
    broken = json.loads(json.dumps(suites))
    broken["quarantine"]["expectations"].append(
        {"type": "expect_column_valuez_to_be_unique", "kwargs": {"column": "stage"}, "meta": {"check": "typo", "description": "typo"}}
    )
    frames = {name: pd.DataFrame(columns=t.column_names) for name, t in TABLES.items()}
    with pytest.raises(ValueError, match="not understood"):
        validate(frames, broken)


def test_bad_rows_fail_critical_expectations():
    frames = {name: pd.DataFrame(columns=t.column_names) for name, t in TABLES.items()}
    frames["quarantine"] = pd.DataFrame([{"source_file": "a.txt", "sha256": None, "stage": "somewhere", "reason": "x"}])
    frames["measure_units"] = pd.DataFrame([{"measure_id": "nope", "unit_id": "u1", "role": "boss", "source": "measure"}])
    report = validate(frames, load_suites())
    failed = {r.check for r in report.results if not r.success}
    assert {
        "quarantine__stage__known",
        "measure_units__role__known",
        "measure_units__measure_id__in_measures",
        "measure_units__unit_id__in_units",
    } <= failed
    assert not report.passed


def test_blank_strings_fail_not_blank_whatever_the_space():
    frames = {name: pd.DataFrame(columns=t.column_names) for name, t in TABLES.items()}
    names = [" ", "\u3000", "\t\n", "", "区 财政局", "\u3000区财政局"]
    frames["units"] = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(len(names))],
            "name": pd.Series(names, dtype="str"),
            "region": None,
            "unit_type": "government_department",
            "function": None,
        }
    )
    result = next(r for r in validate(frames, load_suites()).results if r.check == "units__name__not_blank")
    assert not result.success and result.unexpected_count == 4


def test_great_expectations_no_longer_hashes_the_tables_it_validates():
    import great_expectations as gx

    skip_batch_hashing()
    source = gx.get_context(mode="ephemeral").data_sources.add_pandas("t")
    batch = (
        source.add_dataframe_asset("a")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": pd.DataFrame({"x": [1, 2]})})
    )
    assert "ge_load_time" in batch.batch_markers and "pandas_data_fingerprint" not in batch.batch_markers


def test_seed_build_passes_and_ships_its_report(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    result = build(raw_copy, warehouse)
    evaluations = result.get_asset_check_evaluations()
    assert sum(e.metadata["expectations"].value for e in evaluations) == sum(len(s["expectations"]) for s in load_suites().values())
    assert all(e.passed for e in evaluations if e.check_name == CHECK_NAMES[CRITICAL])
    report = json.loads((warehouse / "current" / "validation_report.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["critical_failures"] == 0
    assert {r["check"] for r in report["results"] if not r["success"]} <= {"measures__check_numbering__consecutive"}


def test_a_broken_row_blocks_publication_and_keeps_the_last_good_tables(raw_copy, tmp_path, monkeypatch):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    before = {name: pq.read_table(warehouse / "tables" / f"{name}.parquet") for name in TABLES}

    def broken(text):  # a unit the vocabulary does not know: an extraction bug, not an implausible value to flag
        return [Target(5.0, None, "furlongs", ">=", None, 2022, "网上办理率", text[:2], 0, 2)]

    monkeypatch.setattr(target_rows, "extract_targets", broken)
    monkeypatch.setattr(keys, "stage_fingerprint", lambda stage: "the target rules were edited")
    settings = PipelineSettings(raw_dir=str(raw_copy), warehouse_dir=str(warehouse))
    result = materialize(ALL_ASSETS, resources=pipeline_resources(settings), raise_on_error=False)
    assert not result.success
    failed = {(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations() if not e.passed}
    assert (table_key("targets"), CHECK_NAMES[CRITICAL]) in failed  # reported on the table it checks
    assert (table_key("measures"), CHECK_NAMES[CRITICAL]) not in failed
    [check] = [e for e in result.get_asset_check_evaluations() if e.asset_key == table_key("targets") and not e.passed]
    assert check.severity == AssetCheckSeverity.ERROR and check.blocking
    failure = check.metadata["failures"].value["targets__unit__known"]
    assert "bayingolin-prefecture_2022_work-plan.txt" in failure["source_files"]  # it names the files
    assert "furlongs" in failure["examples"]
    [staged] = [m for m in result.asset_materializations_for_node("validated_tables") if m.asset_key.path == ["staged_build"]]
    assert staged.metadata["staged"].value == "None"  # nothing kept to publish
    assert not result.asset_materializations_for_node("published_tables")
    for name, previous in before.items():
        assert pq.read_table(warehouse / "tables" / f"{name}.parquet").equals(previous), name


def test_columns_of_several_chunks_are_validated_as_one():
    import pyarrow as pa

    from assets.publishing.validation import _for_validation

    texts = pa.concat_tables(
        [pa.table({"doc_id": ["a", "b"], "text": ["一、", "二、"]}), pa.table({"doc_id": ["c"], "text": pa.array([None], pa.string())})]
    ).to_pandas()
    prepared = _for_validation(texts)
    for column in ("doc_id", "text"):
        assert isinstance(pa.array(prepared[column].array), pa.Array)  # one chunk, not a ChunkedArray of several
        assert prepared[column].dtype == texts[column].dtype
    pd.testing.assert_frame_equal(prepared, texts)


def test_span_checks_read_each_document_text_where_its_rows_are():
    from assets.publishing.derived_checks import _span_ok, _spans_ok

    texts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["一、压缩开办时间。二、提升网办率。", "（一）优化审批。"]})
    rows = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "a", "missing", "b"],  # grouped mostly, one row back in an earlier document
            "char_start": [2, 11, 3, 0, 0, 3],
            "char_end": [9, 17, 8, 2, 1, 9],
            "text": ["压缩开办时间。", "提升网办率。", "优化审批。", "一、", "x", "优化审批。"],
        }
    )
    by_id = dict(zip(texts["doc_id"], texts["text"]))
    in_arrow = texts.astype(pd.ArrowDtype(pa.large_string()))  # the texts as Python strings or left in Arrow
    for strict in (True, False):
        expected = [_span_ok(by_id.get(d), s, e, t, strict) for d, s, e, t in rows.itertuples(index=False)]
        assert _spans_ok(rows, texts.astype(object), strict) == _spans_ok(rows, in_arrow, strict) == expected
    assert _spans_ok(rows, texts, True) == [True, True, True, True, False, False]  # the last one's end is past the text


def test_derived_numbering_and_cluster_checks_equal_their_plain_python_definitions():
    import random

    import duckdb

    from assets.publishing.derived_checks import _named_after_member, _numbering_ok, _one_primary

    rng = random.Random(5)
    for _ in range(30):
        rows = [(rng.choice("abc"), rng.choice(["measure", "goal"]), rng.choice([1, 2, 3, 4, 5, 7])) for _ in range(rng.randint(1, 40))]
        measures = pd.DataFrame(rows, columns=["doc_id", "kind", "number"]).astype({"doc_id": pd.ArrowDtype(pa.string())})
        expected, previous = [], {}
        for doc_id, kind, number in rows:  # the definition: the same document and kind's previous number + 1, or 1
            last = previous.get((doc_id, kind))
            expected.append(last is None or number in (last + 1, 1))
            previous[(doc_id, kind)] = number
        assert _numbering_ok(measures).tolist() == expected

        ids = [f"m{i}" for i in range(rng.randint(1, 12))]
        cluster_ids = [rng.choice(["c-" + rng.choice(ids), "c-gone", "x-" + rng.choice(ids), "中文" + rng.choice(ids)]) for _ in ids]
        clusters = pd.DataFrame({"cluster_id": cluster_ids, "measure_id": ids}).astype(pd.ArrowDtype(pa.string()))
        members = set(zip(cluster_ids, ids))
        with duckdb.connect() as con:
            assert _named_after_member(clusters, con).tolist() == [(c, c[2:]) in members for c in cluster_ids]

        tagged = [rng.choice(ids + [None]) for _ in range(rng.randint(1, 40))]
        primary = [rng.random() < 0.4 for _ in tagged]
        primaries = {m: sum(p for t, p in zip(tagged, primary) if t == m) for m in ids}
        tags = pd.DataFrame({"measure_id": pd.Series(tagged, dtype=pd.ArrowDtype(pa.string())), "is_primary": primary})
        assert _one_primary(tags).tolist() == [m is not None and primaries[m] == 1 for m in tagged]


def test_foreign_key_checks_equal_a_set_lookup_in_table_order():
    import numpy as np

    from assets.publishing.derived_checks import _exists

    rng = np.random.default_rng(8)
    keys = [f"m-{i}" for i in range(50_000)]
    picked = [None if r < 0.05 else f"m-{k}" for r, k in zip(rng.random(300_000), rng.integers(0, 60_000, 300_000))]
    key_set = set(keys)
    expected = [None if v is None else v in key_set for v in picked]
    chunks = pa.chunked_array([pa.array(picked[i : i + 997], pa.string()) for i in range(0, len(picked), 997)])  # as a snapshot's slices
    for values, key_column in [
        (pd.Series(picked, dtype=object), pd.Series(keys, dtype=object)),
        (pd.Series(picked, dtype=pd.ArrowDtype(pa.string())), pd.Series(keys, dtype=pd.ArrowDtype(pa.large_string()))),
        (pd.Series(pd.array(chunks, dtype=pd.ArrowDtype(pa.string()))), pd.Series(keys, dtype=pd.ArrowDtype(pa.string()))),
    ]:
        found = _exists(values, key_column)
        assert found.tolist() == expected and found.index.equals(values.index)
    assert _exists(pd.Series([], dtype=object), pd.Series(keys, dtype=object)).tolist() == []
