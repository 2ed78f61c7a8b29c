"""StoredTable: a table named by slices of immutable Arrow files, handed on by linking the files (assets/engine/table_files.py)."""

from dataclasses import dataclass

import pyarrow as pa
from dagster import AssetKey, build_input_context, build_output_context

from assets.engine.portable import register
from assets.engine.table_files import StoredTable
from assets.io_manager import FrameStore


def ipc_file(path, table: pa.Table) -> str:
    with pa.ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table, max_chunksize=table.num_rows)
    return str(path)


def two_files(folder) -> tuple[StoredTable, pa.Table]:
    """Rows 1-3 of one file, then rows 0-1 of another, and the table they make."""
    a = pa.table({"doc_id": [f"a{i}" for i in range(5)], "text": [f"甲{i}" for i in range(5)], "chars": list(range(5))})
    b = pa.table({"doc_id": ["b0", "b1", "b2"], "text": ["乙0", "乙1", "乙2"], "chars": [10, 11, 12]})
    stored = StoredTable(a.schema, ((ipc_file(folder / "a.arrow", a), 1, 3), (ipc_file(folder / "b.arrow", b), 0, 2)))
    return stored, pa.concat_tables([a.slice(1, 3), b.slice(0, 2)])


def test_a_stored_table_reads_its_slices_in_order(tmp_path):
    stored, expected = two_files(tmp_path)
    assert stored.num_rows == 5 and stored.read().equals(expected)
    assert stored.select(["doc_id", "text"]).read().equals(expected.select(["doc_id", "text"]))
    assert StoredTable(expected.schema, ()).read().equals(expected.schema.empty_table())


def test_taking_rows_keeps_runs_of_one_file_as_one_slice(tmp_path):
    stored, expected = two_files(tmp_path)
    taken = stored.take([0, 1, 3, 4])  # a1 a2 | b0 b1: two runs, across the files' boundary
    assert taken.read().equals(expected.take([0, 1, 3, 4]))
    assert [(start, count) for _, start, count in taken.slices] == [(1, 2), (0, 2)]
    gap = stored.take([0, 2, 3])  # a1, a3, b0: the gap splits a file's rows
    assert gap.read()["doc_id"].to_pylist() == ["a1", "a3", "b0"] and len(gap.slices) == 3
    assert stored.take([]).read().num_rows == 0


def test_a_linked_table_outlives_the_files_it_was_linked_from(tmp_path):
    stored, expected = two_files(tmp_path)
    (tmp_path / "out").mkdir()
    linked = stored.linked_into(tmp_path / "out", "texts")
    for path, _, _ in stored.slices:
        (tmp_path / path).unlink()  # the snapshot merged its segments and removed these
    assert linked.located_in(tmp_path / "out").read().equals(expected)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["texts.0.arrow", "texts.1.arrow"]


@dataclass
class WithTexts:
    texts: StoredTable
    count: int


register(WithTexts)


def test_the_step_store_links_a_stored_table_instead_of_writing_its_rows(tmp_path):
    stored, expected = two_files(tmp_path)
    store = FrameStore(folder=str(tmp_path / "steps"))
    store.handle_output(build_output_context(asset_key=AssetKey("normalized")), WithTexts(stored, 7))
    source_inode = (tmp_path / "a.arrow").stat().st_ino
    [folder] = (tmp_path / "steps" / "normalized").iterdir()  # this run's output
    assert (folder / "texts.0.arrow").stat().st_ino == source_inode  # linked, not a copy of the bytes
    loaded = store.load_input(build_input_context(asset_key=AssetKey("normalized")))
    assert loaded.count == 7 and loaded.texts.read().equals(expected)
    assert all(path.startswith(str(folder)) for path, _, _ in loaded.texts.slices)
