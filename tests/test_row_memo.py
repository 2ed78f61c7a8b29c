"""Validation with a memo of row verdicts reports exactly what checking every row reports, and what a plain
great-expectations run over the whole tables reports."""

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from assets.catalog.schema import TABLES
from assets.engine.row_memo import RowMemo, is_row_wise, memo_key
from assets.publishing.derived_checks import check_frames
from assets.publishing.suites import load_suites
from assets.publishing.validation import _for_validation, _jsonable, import_engine, parameters, validate
from assets.validated_tables import frames_to_check

SUITES = load_suites()


@pytest.fixture(scope="module")
def seed_frames(seed_release) -> dict[str, pd.DataFrame]:
    warehouse, _ = seed_release
    return frames_to_check({name: pq.read_table(warehouse / "tables" / f"{name}.parquet") for name in TABLES})


def broken(frames: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    """The seed tables with rows broken at random: more than 200 rows failing one check (great-expectations lists at
    most 200 rejected values), nulls in Arrow strings, blanks, values out of range, spans off their text, repeated
    and missing keys."""
    rng = np.random.default_rng(seed)
    out = {name: frame.copy() for name, frame in frames.items()}
    measures = out["measures"]
    measures["kind"] = measures["kind"].where(rng.random(len(measures)) < 0.2, "bogus")
    blank = rng.random(len(measures)) < 0.05
    measures["text"] = measures["text"].where(~blank, "")
    measures["char_start"] = measures["char_start"].where(rng.random(len(measures)) < 0.9, measures["char_start"] + 1)
    units = out["measure_units"]
    units["role"] = units["role"].where(rng.random(len(units)) < 0.9, None)
    targets = out["targets"]
    targets["value"] = targets["value"].where(rng.random(len(targets)) < 0.8, 150.0)
    ids = measures["measure_id"].copy()  # repeated and missing keys, single and compound
    picked = rng.choice(len(ids), size=6, replace=False)
    ids.iloc[picked[:3]] = ids.iloc[picked[3]]
    ids.iloc[picked[4:]] = None
    measures["measure_id"] = ids
    copied = rng.choice(len(units), size=4, replace=False)
    for column in ("measure_id", "unit_id", "role"):
        values = units[column].copy()
        values.iloc[copied[2:]] = values.iloc[copied[:2]].to_numpy()
        units[column] = values
    return out


def comparable(report) -> dict:
    document = report.to_json()
    for key in ("created", "rows_checked", "rows_remembered"):
        document.pop(key)
    return document


def test_validation_reports_what_great_expectations_reports_on_the_whole_tables(seed_frames):
    frames = broken(seed_frames, seed=1)
    report = validate(frames, SUITES)
    assert sum(not r.success for r in report.results) >= 6
    assert max(r.unexpected_count or 0 for r in report.results) > 200
    gx = import_engine()
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("plain")
    expected = {}
    for name, frame in check_frames(frames).items():
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=[dict(e) for e in SUITES[name]["expectations"]]))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        outcome = definition.run(
            batch_parameters={"dataframe": _for_validation(frame)},
            expectation_parameters=parameters(frames),
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
        )
        for r in outcome.results:
            result = r.result or {}
            expected[r.expectation_config.meta["check"]] = (
                bool(r.success),
                result.get("unexpected_count"),
                _jsonable(list(result.get("partial_unexpected_list") or [])[:5]),
            )
    got = {r.check: (r.success, r.unexpected_count, _jsonable(r.examples)) for r in report.results}
    assert got == expected


def test_a_remembered_validation_equals_checking_every_row(seed_frames, tmp_path):
    first = broken(seed_frames, seed=2)
    memo = RowMemo()
    validate(first, SUITES, memo)
    memo.save(tmp_path / "memo")

    second = broken(seed_frames, seed=3)  # other rows broken, others repaired
    documents = second["documents"]["doc_id"].tolist()
    gone, edited = documents[0], documents[1]
    for name in ("measures", "targets", "parse_warnings"):
        second[name] = second[name][second[name]["doc_id"] != gone].reset_index(drop=True)
    texts = second["document_texts"]
    texts["text"] = texts["text"].where(texts["doc_id"] != edited, "　" + texts["text"])  # its spans now point one off
    remembered = validate(second, SUITES, RowMemo.load(tmp_path / "memo"))
    fresh = validate(second, SUITES)
    assert comparable(remembered) == comparable(fresh)
    span = next(r for r in fresh.results if r.check == "measures__check_span__inside_text")
    edited_rows = int((second["measures"]["doc_id"] == edited).sum())
    assert not span.success and span.unexpected_count >= edited_rows > 0
    row_wise_rows = sum(len(f) for name, f in second.items() if any(is_row_wise(e) for e in SUITES[name]["expectations"]))
    assert fresh.rows_checked == row_wise_rows and fresh.rows_remembered == 0
    assert 0 < remembered.rows_checked < row_wise_rows / 2
    assert remembered.rows_checked + remembered.rows_remembered == row_wise_rows


def test_the_same_tables_again_are_not_checked_again(seed_frames, tmp_path):
    memo = RowMemo()
    first = validate(seed_frames, SUITES, memo)
    memo.save(tmp_path / "memo")
    again = validate(seed_frames, SUITES, RowMemo.load(tmp_path / "memo"))
    assert again.rows_checked == 0 and again.rows_remembered == first.rows_checked > 0
    assert comparable(again) == comparable(first)


def test_a_memo_is_replaced_whole_and_an_unreadable_one_is_named(tmp_path):
    from assets.engine.portable import read_values, write_values

    memo = RowMemo()
    memo.mark_seen("t", np.array([3, 1, 2], np.uint64))
    memo.verdicts("t__c__check", np.array([3, 1, 2], np.uint64), np.ones(3, bool), {1: "bad", 2: None})
    path = tmp_path / "validation" / "0123456789abcdef"
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "fedcba9876543210").write_bytes(b"a memo of other suites")
    (tmp_path / "validation" / ".0123456789abcdef.0badc0de").write_bytes(b"left by a killed save")
    (tmp_path / "validation" / f".tmp-{'0' * 32}").mkdir()  # an older layout's leftover
    (tmp_path / "validation" / "notes").mkdir()  # not a memo: left alone
    (tmp_path / "validation" / "notes.txt").write_text("left alone too")
    path.mkdir()  # the memo folder of an older layout, replaced by the file
    memo.save(path)
    memo.save(path)  # replaces itself
    assert sorted(p.name for p in (tmp_path / "validation").iterdir()) == ["0123456789abcdef", "notes", "notes.txt"]
    loaded = RowMemo.load(path)
    assert loaded.unseen("t", np.array([1, 2, 3, 4], np.uint64)).tolist() == [False, False, False, True]
    assert loaded.verdicts("t__c__check", np.array([2, 5, 1], np.uint64), np.array([False, True, False]), {}) == (2, [None, "bad"])
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # one byte of the arrays changed
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="0123456789abcdef.*checksum"):
        RowMemo.load(path)
    memo.save(path)
    path.write_bytes(path.read_bytes()[:60])  # truncated
    with pytest.raises(ValueError, match="0123456789abcdef"):
        RowMemo.load(path)
    memo.save(path)
    value = read_values(path)
    value["failed"]["t__c__check"][1] = []  # no reported values for a check that rejected rows: written consistently
    write_values(path, value)
    with pytest.raises(ValueError, match="not a validation memo"):
        RowMemo.load(path)
    write_values(path, {"something": "else"})
    with pytest.raises(ValueError, match="not a readable validation memo"):
        RowMemo.load(path)
    assert RowMemo.load(tmp_path / "none").unseen("t", np.array([1], np.uint64)).tolist() == [True]


def test_span_verdicts_are_computed_only_for_keys_not_remembered():
    memo, asked = RowMemo(), []

    def compute(positions):
        asked.append(positions.tolist())
        return [k % 2 == 0 for k in keys[positions].tolist()]

    keys = np.array([4, 7, 4, 9], np.uint64)
    assert memo.spans("t", keys, compute).tolist() == [True, False, True, False]
    again = RowMemo(spans=memo.next_spans)
    keys = np.array([9, 10, 4, 11], np.uint64)
    assert again.spans("t", keys, compute).tolist() == [False, True, True, False]
    assert asked == [[0, 1, 2, 3], [1, 3]]


def test_only_expectations_that_read_one_row_are_remembered():
    assert is_row_wise({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}})
    assert not is_row_wise({"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}})
    assert not is_row_wise({"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "a", "value_set": [1], "mostly": 0.9}})
    assert not is_row_wise({"type": "expect_column_values_to_be_between", "kwargs": {"column": "a", "max_value": {"$PARAMETER": "n"}}})
    changed = json.loads(json.dumps(SUITES))
    changed["units"]["expectations"].pop()
    assert memo_key(changed) != memo_key(SUITES) == memo_key(load_suites())
