"""Case 9: nothing the build reads back from WAREHOUSE_DIR is unpickled: a pickle planted there runs no code."""

import pickle
from pathlib import Path

from tests.helpers import build


class Planted:
    """Unpickling this creates a file: the proof that a pickle someone put in the warehouse ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickles_planted_in_the_warehouse_run_no_code(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(Planted(marker))
    places = [p for p in warehouse.rglob("*") if p.is_file() and p.suffix in (".pkl", ".values")]
    folders = [p for p in (warehouse / "cache").iterdir() if p.is_dir()]
    folders += [p for p in (warehouse / "staging").rglob("*") if p.is_dir()]
    for path in places:
        path.write_bytes(payload)
    for folder in folders:  # where earlier versions kept their pickles
        for name in ("index.pkl", "rest.pkl"):
            (folder / name).write_bytes(payload)
    build(raw_copy, warehouse)
    assert not marker.exists()


def test_nothing_the_build_writes_is_a_pickle(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    pickles = [p for p in warehouse.rglob("*") if p.is_file() and p.read_bytes()[:1] == b"\x80"]
    assert pickles == []
