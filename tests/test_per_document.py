"""Per-document computations through the stage snapshot: every document's rows, in order, computed once; whole-stage files."""

import pandas as pd
import pyarrow as pa

from assets.domain.frames import records
from assets.domain.reading.decode import InputError
from assets.engine.cache import StageFile, StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import by_document


def test_each_document_gets_its_rows_in_order_of_first_appearance(tmp_path):
    frame = pd.DataFrame({"doc_id": ["b", "b", "a", "c", "a"], "n": [1, 2, 3, 4, 5]})  # "a" is not contiguous
    seen = by_document(
        frame,
        {},
        StageSnapshot(tmp_path, Stage("t", ())),
        lambda doc_id, rows: pd.DataFrame({"doc_id": doc_id, "n": rows["n"], "at": rows.index}),
        ["doc_id", "n", "at"],
    )
    assert list(zip(seen["doc_id"], seen["n"], seen["at"])) == [("b", 1, 0), ("b", 2, 1), ("a", 3, 0), ("a", 5, 1), ("c", 4, 0)]
    empty = by_document(frame.iloc[0:0], {}, StageSnapshot(tmp_path, Stage("t", ())), lambda d, r: r, ["doc_id", "n"])
    assert empty.empty and list(empty.columns) == ["doc_id", "n"]


def test_documents_in_the_snapshot_are_not_computed_again(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "n": [1, 2, 3, 4]})
    keys = {"a": "key-a", "b": "key-b", "c": "key-c"}
    calls = []

    def compute(doc_id, rows):
        calls.append(doc_id)
        return rows.assign(double=rows["n"] * 2)

    first = by_document(frame, keys, StageSnapshot(tmp_path, Stage("t", ())), compute, ["doc_id", "n", "double"])
    snapshot = StageSnapshot(tmp_path, Stage("t", ()))
    again = by_document(frame, {**keys, "b": "key-b-changed"}, snapshot, compute, ["doc_id", "n", "double"])
    assert calls == ["a", "b", "c", "b"] and snapshot.hits == 2
    pd.testing.assert_frame_equal(first, again)
    assert first["double"].tolist() == [2, 4, 6, 8]
    fewer = by_document(frame[frame["doc_id"] != "a"], keys, StageSnapshot(tmp_path, Stage("t", ())), compute, ["doc_id", "n", "double"])
    assert calls == ["a", "b", "c", "b", "b"]  # "b" is back at its first key, which the last snapshot no longer held
    assert fewer["n"].tolist() == [3, 4]
    assert by_document(frame, keys, StageSnapshot(tmp_path, Stage("t", ())), compute, ["doc_id", "n", "double"]).equals(first)
    assert calls[-1] == "a"  # removed from the snapshot with its document, so computed when it comes back


def test_rows_combine_with_each_column_in_the_type_that_holds_every_document(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "n": [1, 2, 3, 4]})

    def compute(doc_id, rows):  # str; whole numbers in one document and fractions in another; a column that is all None
        return pd.DataFrame(
            {
                "doc_id": rows["doc_id"],
                "value": rows["n"] / 2 if doc_id == "b" else rows["n"],
                "year": [None if doc_id == "a" else 2025] * len(rows),
                "note": [None] * len(rows),
                "even": rows["n"] % 2 == 0,
            }
        )

    keys = {d: f"key-{d}" for d in "abc"}
    for _ in range(2):  # computed, then from the snapshot
        combined = by_document(frame, keys, StageSnapshot(tmp_path, Stage("t", ())), compute, ["doc_id", "value", "year", "note", "even"])
        assert combined["value"].tolist() == [1.0, 2.0, 1.5, 4.0] and combined["value"].dtype == "float64"
        assert combined["year"].isna().tolist() == [True, True, False, False] and combined["year"].iloc[3] == 2025
        assert combined["note"].isna().all() and combined["even"].tolist() == [False, True, False, True]
        assert combined["doc_id"].array._pa_array.num_chunks == 1  # one chunk per column, however many documents


def test_a_snapshot_splices_stored_ranges_and_new_documents_in_corpus_order(tmp_path):
    def make_for(names):
        def make(i):
            if names[i] == "bad":
                raise InputError("outline", "no provisions")
            return {"rows": pa.table({"name": [names[i]] * (i % 3), "i": list(range(i % 3))})}, f"extra-{names[i]}"

        return make

    first = ["a", "b", "c", "bad", "d", "e"]
    snapshot = StageSnapshot(tmp_path, Stage("s", ()))
    before = snapshot.combined(first, make_for(first), ["rows"])
    assert before.tables["rows"]["name"].to_pylist() == ["b", "c", "c", "d", "e", "e"]
    assert isinstance(before.extras[3], InputError) and before.extras[4] == "extra-d"
    second = ["a", "new", "b", "c", "bad", "e"]  # one added in the middle, "d" removed
    after = StageSnapshot(tmp_path, Stage("s", ()))
    made = []
    result = after.combined(second, lambda i: made.append(second[i]) or make_for(second)(i), ["rows"])
    assert made == ["new"] and after.hits == 5  # the bad file stays quarantined without being parsed again
    assert result.tables["rows"]["name"].to_pylist() == ["new", "b", "c", "c", "e", "e"]
    assert result.tables["rows"]["i"].to_pylist() == [0, 0, 0, 1, 0, 1]
    assert [e for e in result.extras if not isinstance(e, InputError)] == ["extra-a", "extra-new", "extra-b", "extra-c", "extra-e"]
    assert isinstance(result.extras[4], InputError) and result.extras[4].reason == "no provisions"
    unchanged = StageSnapshot(tmp_path, Stage("s", ())).combined(second, lambda i: made.append(second[i]), ["rows"])
    assert unchanged.tables["rows"].equals(result.tables["rows"]) and made == ["new"]
    other = StageSnapshot(tmp_path, Stage("s", ()))
    other.combined(second, make_for(second), ["rows", "other"])
    assert other.hits == 0  # a stage whose tables changed uses nothing stored


def test_a_stage_file_holds_under_the_same_rules_only(tmp_path, monkeypatch):
    from assets.engine import keys

    StageFile(tmp_path, Stage("s", ())).save({"x": 1})
    assert StageFile(tmp_path, Stage("s", ())).load(default={}) == {"x": 1}
    monkeypatch.setattr(keys, "stage_fingerprint", lambda stage: "edited code")
    changed = StageFile(tmp_path, Stage("s", ()))
    assert changed.load(default={}) == {}  # written under other rules: not used
    changed.save({"y": 2})
    assert [p.name for p in (tmp_path / "s").iterdir()] == [changed.path.name]  # the older version is removed


def test_records_are_the_rows_itertuples_gives():
    frame = pd.DataFrame(
        {
            "measure_id": pd.Series(["a-1", "a-2", None], dtype="str"),
            "seq": [1, 2, 3],
            "label": pd.Series(["1.", None, "3."], dtype="str"),
            "unused": [0.5, 1.5, 2.5],
        }
    )
    got = list(records(frame, ("measure_id", "label", "seq")))
    expected = list(frame[["measure_id", "label", "seq"]].itertuples(index=False))
    assert [r.seq for r in got] == [1, 2, 3] and got[0].measure_id == "a-1" and got[1].label != got[1].label  # NaN, as itertuples
    assert [tuple(map(str, r)) for r in got] == [tuple(map(str, r)) for r in expected]


def test_a_document_table_cut_from_a_corpus_column_is_sent_back_without_the_rest_of_it(tmp_path):
    import pickle

    from assets.domain.frames import owned_table

    corpus = pd.DataFrame({"doc_id": [f"d{i // 10:04d}" for i in range(100_000)], "target_id": [f"t-{i:08d}" for i in range(100_000)]})
    one = owned_table(corpus.iloc[500:510].reset_index(drop=True))
    assert one.column("target_id").to_pylist() == [f"t-{i:08d}" for i in range(500, 510)]
    assert len(pickle.dumps(one)) < 5_000  # not the corpus column's 1.5 MB


def test_a_grown_corpus_writes_only_the_new_documents_rows_and_segments_are_merged_in_time(tmp_path, monkeypatch):
    def make_for(names):
        return lambda i: ({"rows": pa.table({"name": [names[i]] * 3})}, None)

    def segment_files():
        return sorted(p.name for p in (tmp_path / "s").glob("rows.*.arrow"))

    names = [f"doc{i:02d}" for i in range(20)]
    StageSnapshot(tmp_path, Stage("s", ())).combined(names, make_for(names), ["rows"])
    first = segment_files()
    inode = (tmp_path / "s" / first[0]).stat().st_ino
    grown = names[:10] + ["new"] + names[10:] + [None]  # one added in the middle; a None key is computed, never kept
    result = StageSnapshot(tmp_path, Stage("s", ())).combined(grown, make_for([n or "unkept" for n in grown]), ["rows"])
    assert result.tables["rows"]["name"].to_pylist() == [n or "unkept" for n in grown for _ in range(3)]
    assert len(segment_files()) == 2 and (tmp_path / "s" / first[0]).stat().st_ino == inode  # the old segment untouched
    assert result.tables["rows"].column(0).num_chunks == 4  # slices of the two segments, not one chunk per document
    monkeypatch.setattr(StageSnapshot, "MAX_SEGMENTS", 3)
    for n in range(3):
        grown = grown[:-1] + [f"more{n}", None]
        again = StageSnapshot(tmp_path, Stage("s", ())).combined(grown, make_for([x or "unkept" for x in grown]), ["rows"])
        assert again.tables["rows"]["name"].to_pylist() == [x or "unkept" for x in grown for _ in range(3)]
    assert len(segment_files()) <= 3
    few = names[:3]  # most stored rows now belong to documents gone from the corpus: merged into one segment
    kept = StageSnapshot(tmp_path, Stage("s", ()))
    assert kept.combined(few, make_for(few), ["rows"]).tables["rows"]["name"].to_pylist() == [n for n in few for _ in range(3)]
    assert kept.hits == 3 and len(segment_files()) == 1
    assert StageSnapshot(tmp_path, Stage("s", ())).combined(few, make_for([]), ["rows"]).tables["rows"].num_rows == 9


def test_a_snapshot_names_its_tables_as_slices_of_its_segment_files_through_growth_and_merging(tmp_path, monkeypatch):
    def make_for(names):
        return lambda i: ({"rows": pa.table({"name": [names[i]] * (1 + i % 2)})}, None)

    monkeypatch.setattr(StageSnapshot, "MAX_SEGMENTS", 2)
    names = [f"doc{i:02d}" for i in range(6)]
    for step in range(4):  # grows past MAX_SEGMENTS, so the last builds merge the segments and remove the old files
        result = StageSnapshot(tmp_path, Stage("s", ())).combined(names, make_for(names), ["rows"])
        stored = result.stored["rows"]
        assert stored.read().equals(result.tables["rows"].combine_chunks())
        assert all((tmp_path / "s").joinpath(path).exists() for path, _, _ in stored.slices)
        names = names[:2] + [f"new{step}"] + names[2:]


def test_rows_taken_as_runs_of_slices_equal_rows_taken_by_position():
    import random

    from assets.domain.frames import rows_where, take_runs

    pieces = [pa.table({"id": [f"m{i}" for i in range(a, b)], "n": list(range(a, b))}) for a, b in ((0, 7), (7, 8), (8, 30))]
    frame = pa.concat_tables(pieces).to_pandas()  # Arrow-backed strings in three chunks, as a snapshot's slices give
    rng = random.Random(5)
    for _ in range(30):
        positions = sorted(rng.sample(range(30), rng.randint(0, 12)))
        pd.testing.assert_frame_equal(take_runs(frame, positions), frame.iloc[positions])
        pd.testing.assert_series_equal(take_runs(frame["id"], positions), frame["id"].iloc[positions])
    mask = frame["n"] % 3 == 0
    pd.testing.assert_frame_equal(rows_where(frame, mask), frame[mask])
    assert rows_where(frame, frame["n"] > 99).empty
