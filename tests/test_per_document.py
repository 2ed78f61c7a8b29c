"""Per-document computations through the cache: every document's rows, in order, computed once; whole-stage files."""
import pandas as pd

from assets.lib.cache import ParseCache, StageFile
from assets.lib.per_document import Rows, by_document, combine_rows, per_document, records


def test_each_document_gets_its_rows_in_order_of_first_appearance(tmp_path):
    frame = pd.DataFrame({"doc_id": ["b", "b", "a", "c", "a"], "n": [1, 2, 3, 4, 5]})  # "a" is not contiguous
    seen = per_document(frame, {}, ParseCache(tmp_path, "t"), "t", lambda doc_id, rows: (doc_id, rows["n"].tolist(), list(rows.index)))
    assert seen == [("b", [1, 2], [0, 1]), ("a", [3, 5], [0, 1]), ("c", [4], [0])]
    assert per_document(frame.iloc[0:0], {}, ParseCache(tmp_path, "t"), "t", lambda d, r: 1) == []


def test_cached_documents_are_not_computed_again(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "n": [1, 2, 3]})
    keys = {"a": "key-a", "b": "key-b"}
    calls = []

    def compute(doc_id, rows):
        calls.append(doc_id)
        return rows.assign(double=rows["n"] * 2)

    first = by_document(frame, keys, ParseCache(tmp_path, "t"), "t", compute, ["doc_id", "n", "double"])
    cache = ParseCache(tmp_path, "t")
    again = by_document(frame, {**keys, "b": "key-b-changed"}, cache, "t", compute, ["doc_id", "n", "double"])
    assert calls == ["a", "b", "b"] and cache.hits == 1
    pd.testing.assert_frame_equal(first, again)
    assert first["double"].tolist() == [2, 4, 6]


def test_a_stage_file_holds_under_the_same_rules_only(tmp_path, monkeypatch):
    from assets.lib import cache

    StageFile(tmp_path, "s").save({"x": 1})
    assert StageFile(tmp_path, "s").load(default={}) == {"x": 1}
    monkeypatch.setattr(cache, "rules_fingerprint", lambda: "edited-rules")
    changed = StageFile(tmp_path, "s")
    assert changed.load(default={}) == {}  # written under other rules: not used
    changed.save({"y": 2})
    assert [p.name for p in (tmp_path / "s").iterdir()] == [changed.path.name]  # the older version is removed


def test_rows_combine_as_concat_would(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "n": [1, 2, 3, 4]})

    def compute(doc_id, rows):  # str, float with NaN, a column that is all None in one document, bool
        return pd.DataFrame({"doc_id": rows["doc_id"], "value": rows["n"] / 2, "year": [None if doc_id == "a" else 2025] * len(rows),
                             "note": [None] * len(rows), "even": rows["n"] % 2 == 0})

    expected = pd.concat([compute(d, frame[frame["doc_id"] == d].reset_index(drop=True)) for d in "abc"], ignore_index=True)
    for _ in range(2):  # computed, then from the cache
        combined = by_document(frame, {d: f"key-{d}" for d in "abc"}, ParseCache(tmp_path, "t"), "t", compute, list(expected.columns))
        pd.testing.assert_frame_equal(combined, expected)


def test_frames_combine_as_concat_would_in_one_chunk():
    frames = [pd.DataFrame({"measure_id": [f"d{i}-1", f"d{i}-2"], "unit_id": [f"u{i}", None], "n": [i, i + 1]}) for i in range(30)]
    frames.insert(3, pd.DataFrame({"measure_id": pd.Series([], dtype=str), "unit_id": pd.Series([], dtype=str), "n": pd.Series([], dtype=int)}))
    combined = combine_rows([Rows.of(frame) for frame in frames])
    pd.testing.assert_frame_equal(combined, pd.concat([f for f in frames if len(f)], ignore_index=True))
    assert combined["measure_id"].array._pa_array.num_chunks == 1
    assert combine_rows([]).empty and combine_rows([Rows.of(frames[3])], ["measure_id"]).columns.tolist() == ["measure_id"]


def test_records_are_the_rows_itertuples_gives():
    frame = pd.DataFrame({"measure_id": pd.Series(["a-1", "a-2", None], dtype="str"), "seq": [1, 2, 3],
                          "label": pd.Series(["1.", None, "3."], dtype="str"), "unused": [0.5, 1.5, 2.5]})
    got = list(records(frame, ("measure_id", "label", "seq")))
    expected = list(frame[["measure_id", "label", "seq"]].itertuples(index=False))
    assert [r.seq for r in got] == [1, 2, 3] and got[0].measure_id == "a-1" and got[1].label != got[1].label  # NaN, as itertuples
    assert [tuple(map(str, r)) for r in got] == [tuple(map(str, r)) for r in expected]
