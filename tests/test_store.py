import pandas as pd
import pyarrow.parquet as pq
import pytest

from assets.lib import store
from assets.lib.schema import TABLES


def frames(n: int) -> dict[str, pd.DataFrame]:
    return {"quarantine": pd.DataFrame([{"source_file": f"f{i}.txt", "sha256": None, "stage": "decode", "reason": "bad"} for i in range(n)])}


def rows(warehouse) -> int:
    return pq.read_table(warehouse / "tables" / "quarantine.parquet").num_rows


def test_publish_switches_to_the_new_build_and_prunes(tmp_path):
    for n in range(1, 6):
        store.publish(frames(n), tmp_path)
        assert rows(tmp_path) == n
    assert len([p for p in (tmp_path / "builds").iterdir()]) == store.KEEP_BUILDS


def test_failure_while_writing_leaves_previous_build(tmp_path, monkeypatch):
    store.publish(frames(2), tmp_path)

    def broken(con, name, table):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_add_table", broken)
    with pytest.raises(OSError):
        store.publish(frames(7), tmp_path)
    assert rows(tmp_path) == 2
    monkeypatch.undo()
    store.publish(frames(3), tmp_path)  # the next build succeeds and cleans the leftover staging folder
    assert rows(tmp_path) == 3
    assert not list((tmp_path / "builds").glob(".staging-*"))


def test_schema_is_enforced(tmp_path):
    with pytest.raises(ValueError, match="lacks column"):
        store.to_arrow("quarantine", pd.DataFrame([{"source_file": "a"}]))
    empty = store.to_arrow("measures", pd.DataFrame(columns=TABLES["measures"].column_names))
    assert empty.schema == TABLES["measures"].arrow_schema()


def test_validated_tables_wait_as_arrow_files_in_their_declared_schema(tmp_path):
    from dagster import build_input_context, build_output_context

    from assets.storage import TableStore
    from assets.validated_tables import ValidatedTables

    empty = {name: pd.DataFrame(columns=TABLES[name].column_names) for name in TABLES}
    table_store = TableStore(folder=str(tmp_path / "staging" / "validated_tables"))
    for n in (3, 2):  # the second build replaces the first whole
        tables = ValidatedTables({**empty, **frames(n)}, f"fingerprint-{n}")
        table_store.handle_output(build_output_context(), tables)
        loaded = table_store.load_input(build_input_context())
        assert loaded.fingerprint == f"fingerprint-{n}"
        assert set(loaded.frames) == set(TABLES)
        for name in TABLES:
            assert store.to_arrow(name, loaded.frames[name]).equals(store.to_arrow(name, tables.frames[name])), name
    assert [p.name for p in (tmp_path / "staging").iterdir()] == ["validated_tables"]  # nothing left beside it


def test_table_fingerprint_follows_contents_not_chunking(monkeypatch):
    import assets.validated_tables as validated

    monkeypatch.setattr(validated, "FINGERPRINT_BATCH_ROWS", 2)  # several batches even for a small table
    empty = {name: pd.DataFrame(columns=TABLES[name].column_names) for name in TABLES}
    whole = {**empty, **frames(5)}
    pieces = {**empty, "quarantine": pd.concat([frames(5)["quarantine"].iloc[:3], frames(5)["quarantine"].iloc[3:]])}
    assert store.to_arrow("quarantine", pieces["quarantine"]).column(0).num_chunks >= 1
    assert validated.fingerprint(whole) == validated.fingerprint(pieces)
    changed = {**empty, "quarantine": frames(5)["quarantine"].assign(reason=["bad"] * 4 + ["worse"])}
    assert validated.fingerprint(changed) != validated.fingerprint(whole)
    assert validated.fingerprint({**empty, **frames(4)}) != validated.fingerprint(whole)
