"""Per-document work on several cores: the same results, in the same order, as in one process."""

import os

import pandas as pd

from assets.domain.reading.decode import InputError
from assets.engine import parallel
from assets.engine.cache import StageSnapshot
from assets.engine.keys import Stage
from assets.engine.per_document import by_document


def test_results_keep_their_order_and_input_errors_stay_results():
    items = [f"doc-{i}" for i in range(parallel.MIN_ITEMS * 2)]

    def work(i: int) -> tuple[str, int]:
        if i % 37 == 5:
            raise InputError("outline", f"{items[i]} has no provisions")
        return items[i].upper(), os.getpid()

    serial = parallel.parallel_map(work, len(items), workers=1)
    forked = parallel.parallel_map(work, len(items), workers=2)
    assert [r.reason if isinstance(r, InputError) else r[0] for r in forked] == [
        r.reason if isinstance(r, InputError) else r[0] for r in serial
    ]
    assert [isinstance(r, InputError) for r in forked] == [i % 37 == 5 for i in range(len(items))]
    assert [r[0] for r in forked if not isinstance(r, InputError)] == [s.upper() for i, s in enumerate(items) if i % 37 != 5]
    assert {r[1] for r in forked if not isinstance(r, InputError)} - {os.getpid()}  # really computed in other processes
    assert {r[1] for r in serial if not isinstance(r, InputError)} == {os.getpid()}


def test_a_corpus_computed_on_two_cores_equals_one_core(tmp_path):
    frame = pd.DataFrame({"doc_id": [f"d{i // 3:03d}" for i in range(300)], "n": range(300)})
    keys = {d: f"key-{d}" for d in frame["doc_id"].unique()}

    def compute(doc_id, rows):
        return pd.DataFrame({"doc_id": rows["doc_id"], "square": rows["n"] ** 2, "pid": os.getpid()})

    one = by_document(frame, keys, StageSnapshot(tmp_path / "one", Stage("t", ())), compute, ["doc_id", "square", "pid"], workers=1)
    two = by_document(frame, keys, StageSnapshot(tmp_path / "two", Stage("t", ())), compute, ["doc_id", "square", "pid"], workers=2)
    pd.testing.assert_frame_equal(one.drop(columns="pid"), two.drop(columns="pid"))
    assert set(two["pid"]) - {os.getpid()}
    cached = StageSnapshot(tmp_path / "two", Stage("t", ()))
    again = by_document(frame, keys, cached, compute, ["doc_id", "square", "pid"], workers=2)
    assert cached.hits == 100 and again.equals(two)  # the workers' results were kept
