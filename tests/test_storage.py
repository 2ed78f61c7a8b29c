"""Step outputs kept between steps as Arrow files come back as they went in (assets/io_manager.py)."""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from dagster import AssetKey, build_input_context, build_output_context

from assets.engine.portable import register
from assets.io_manager import FrameStore, read_frame, write_frame


def awkward_frame() -> pd.DataFrame:
    """Columns Arrow would not give back unchanged on its own: ints and lists in object columns, tuples, dates, nulls."""
    return pd.DataFrame(
        {
            "text": ["一、主要任务", None, "（牵头单位：县市场监管局）"],
            "section_path": [["一、主要任务", "（一）"], [], None],
            "numbers_or_none": pd.Series([1, None, 3], dtype=object),
            "pair": [("甲", "乙"), None, ("丙",)],
            "due": [dt.date(2025, 12, 31), None, dt.date(2026, 6, 30)],
            "nothing": pd.Series([None, None, None], dtype=object),
            "flag": pd.Series([True, None, False], dtype=object),
            "value": [0.5, np.nan, 99.5],
            "count": np.array([1, 2, 3], dtype=np.int64),
            "kind": pd.Categorical(["measure", "goal", "measure"]),
            "arrow_lists": pd.Series([["一、主要任务"], [], None], dtype=pd.ArrowDtype(pa.list_(pa.large_string()))),
        }
    )


def assert_same(loaded: pd.DataFrame, original: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(loaded, original)
    for column in original.columns:  # exact Python values, not floats or numpy arrays standing in for them
        if original[column].dtype == object:
            assert [type(v) for v in loaded[column]] == [type(v) for v in original[column]], column
            assert loaded[column].tolist() == original[column].tolist(), column


def test_frame_round_trip_keeps_values_and_types(tmp_path):
    frame = awkward_frame()
    write_frame(frame, tmp_path / "f.arrow")
    assert_same(read_frame(tmp_path / "f.arrow"), frame)


@dataclass
class Corpus:
    documents: pd.DataFrame
    reference: dict[str, pd.DataFrame]
    mixed: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)


register(Corpus)


def output_folder(steps, asset: str):
    """The one run's output folder of `asset` (outputs are kept per run: `<asset>/<run id>/`)."""
    [folder] = (steps / asset).iterdir()
    return folder


def round_trip(store: FrameStore, value, asset: str = "measures"):
    store.handle_output(build_output_context(asset_key=AssetKey(asset)), value)
    return store.load_input(build_input_context(asset_key=AssetKey(asset)))


def test_dataclass_outputs_keep_frames_as_arrow_files_and_the_rest_as_a_values_file(tmp_path):
    store = FrameStore(folder=str(tmp_path / "steps"))
    corpus = Corpus(
        awkward_frame(),
        {"indicators": awkward_frame().head(1), "empty": pd.DataFrame()},
        pd.DataFrame({"v": [1]}),
        ["warning"],
        {"d1": "k1"},
    )
    loaded = round_trip(store, corpus)
    assert_same(loaded.documents, corpus.documents)
    assert list(loaded.reference) == ["indicators", "empty"]
    assert_same(loaded.reference["indicators"], corpus.reference["indicators"])
    assert loaded.reference["empty"].empty
    assert (loaded.notes, loaded.keys) == (["warning"], {"d1": "k1"})
    stored = sorted(p.name for p in output_folder(tmp_path / "steps", "measures").iterdir())
    assert stored == ["documents.arrow", "mixed.arrow", "reference.empty.arrow", "reference.indicators.arrow", "rest.values"]


def test_a_frame_arrow_cannot_hold_is_an_error_not_a_pickle(tmp_path):
    store = FrameStore(folder=str(tmp_path / "steps"))
    mixed = pd.DataFrame({"value": pd.Series([1, "一"], dtype=object)})
    with pytest.raises((TypeError, pa.ArrowException)):
        round_trip(store, Corpus(awkward_frame(), {}, mixed))


def test_frames_and_other_values_round_trip_and_replace_the_last_output_whole(tmp_path):
    store = FrameStore(folder=str(tmp_path / "steps"))
    assert_same(round_trip(store, awkward_frame(), "targets"), awkward_frame())
    assert [p.name for p in output_folder(tmp_path / "steps", "targets").iterdir()] == ["frame.arrow"]
    assert round_trip(store, {"rows": 3}, "targets") == {"rows": 3}  # a later output replaces the folder whole
    assert [p.name for p in output_folder(tmp_path / "steps", "targets").iterdir()] == ["rest.values"]
    assert sorted(p.name for p in (tmp_path / "steps").iterdir()) == ["targets"]  # nothing left beside it


def test_a_failed_write_keeps_the_previous_output(tmp_path):
    store = FrameStore(folder=str(tmp_path / "steps"))
    round_trip(store, awkward_frame(), "targets")

    class Unstorable:
        pass

    with pytest.raises(TypeError):
        store.handle_output(build_output_context(asset_key=AssetKey("targets")), Unstorable())
    assert_same(store.load_input(build_input_context(asset_key=AssetKey("targets"))), awkward_frame())
    assert sorted(p.name for p in (tmp_path / "steps").iterdir()) == ["targets"]


def test_columns_come_back_as_one_chunk(tmp_path):
    pieces = pd.concat([pd.DataFrame({"doc_id": pd.array([f"d{i}"], dtype="string[pyarrow]")}) for i in range(5)], ignore_index=True)
    assert pieces["doc_id"].array._pa_array.num_chunks == 5  # as a table assembled document by document
    write_frame(pieces, tmp_path / "f.arrow")
    loaded = read_frame(tmp_path / "f.arrow")
    assert loaded["doc_id"].tolist() == [f"d{i}" for i in range(5)]
    assert loaded["doc_id"].array._pa_array.num_chunks == 1


@dataclass
class Loaded:
    rows: pd.DataFrame
    names: list[str] = field(default_factory=list)


register(Loaded)


SEEN: list[tuple[str, int, list[str]]] = []  # (step, id of the input it was given, its names)


def test_steps_of_a_run_share_what_they_load_and_a_new_output_is_read_again(tmp_path):
    from dagster import asset, materialize

    version = {"names": ["甲"]}

    @asset
    def corpus() -> Loaded:
        return Loaded(pd.DataFrame({"n": [1, 2]}), list(version["names"]))

    @asset
    def first(corpus: Loaded) -> int:
        SEEN.append(("first", id(corpus), corpus.names))
        return 1

    @asset
    def second(corpus: Loaded) -> int:
        SEEN.append(("second", id(corpus), corpus.names))
        return 2

    store = FrameStore(folder=str(tmp_path / "steps"))
    SEEN.clear()
    assert materialize([corpus, first, second], resources={"io_manager": store}).success
    assert SEEN[0][1] == SEEN[1][1] and SEEN[0][2] == SEEN[1][2] == ["甲"]  # loaded once, given to both steps
    version["names"] = ["乙"]
    SEEN.clear()
    assert materialize([corpus, first, second], resources={"io_manager": store}).success
    assert SEEN[0][2] == SEEN[1][2] == ["乙"]  # the new output, not the first run's value
    SEEN.clear()
    assert materialize([corpus, first, second], selection=["first"], resources={"io_manager": store}).success  # read by a new run
    assert SEEN[0][2] == ["乙"]
