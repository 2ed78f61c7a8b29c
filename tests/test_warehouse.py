import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.catalog.schema import TABLES
from assets.publishing import warehouse as store
from tests.helpers import database_info, database_rows


def frames(n: int) -> dict[str, pd.DataFrame]:
    return {
        "quarantine": pd.DataFrame([{"source_file": f"f{i}.txt", "sha256": None, "stage": "decode", "reason": "bad"} for i in range(n)])
    }


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


def test_a_staged_build_is_invisible_until_switched_to_and_can_be_discarded(tmp_path):
    store.publish(frames(2), tmp_path)
    staged = store.stage_build(frames(4), tmp_path)
    assert staged.name.startswith(store.STAGING_PREFIX) and (staged / "tables" / "quarantine.parquet").exists()
    assert rows(tmp_path) == 2  # readers still see the published build
    store.discard(staged)
    assert not staged.exists() and rows(tmp_path) == 2
    leftover = store.stage_build(frames(5), tmp_path)  # e.g. a run killed between validating and publishing
    staged = store.stage_build(frames(6), tmp_path)
    assert not leftover.exists()  # staging removes what earlier builds left behind
    build = store.switch_to(staged, tmp_path)
    assert rows(tmp_path) == 6 and (tmp_path / "current").resolve() == build and not staged.exists()


def test_table_fingerprint_follows_contents_not_chunking():
    import pyarrow as pa

    import assets.validated_tables as validated

    def arrow(tables: dict[str, pd.DataFrame]) -> dict[str, pa.Table]:
        empty = {name: pd.DataFrame(columns=TABLES[name].column_names) for name in TABLES}
        return {name: store.to_arrow(name, frame) for name, frame in {**empty, **tables}.items()}

    whole = arrow(frames(5))
    quarantine = whole["quarantine"]
    pieces = {**whole, "quarantine": pa.concat_tables([quarantine.slice(0, 3), quarantine.slice(3)])}
    assert pieces["quarantine"].column(0).num_chunks == 2
    assert validated.fingerprint(whole) == validated.fingerprint(pieces)
    changed = arrow({**frames(5), "quarantine": frames(5)["quarantine"].assign(reason=["bad"] * 4 + ["worse"])})
    assert validated.fingerprint(changed) != validated.fingerprint(whole)
    assert validated.fingerprint(arrow(frames(4))) != validated.fingerprint(whole)


def test_table_fingerprint_is_the_same_for_any_chunking_and_slicing_of_the_same_rows():
    import datetime as dt
    import random

    import pyarrow as pa

    import assets.validated_tables as validated

    n = 61
    rows = pa.table(
        {
            "text": pa.array([None if i % 5 == 0 else "措施" * (i % 4) for i in range(n)], pa.string()),
            "number": pa.array([None if i % 7 == 0 else i * 3 for i in range(n)], pa.int64()),
            "flag": pa.array([None if i % 6 == 0 else i % 3 == 0 for i in range(n)], pa.bool_()),
            "share": pa.array([i / 7 for i in range(n)], pa.float64()),
            "path": pa.array([None if i % 9 == 0 else ["一、", "（二）"][: i % 3] for i in range(n)], pa.list_(pa.string())),
            "due": pa.array([dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(n)], pa.date32()),
        }
    )
    expected = validated.fingerprint({"t": rows})
    rng = random.Random(3)
    for _ in range(20):
        cuts = sorted(rng.sample(range(1, n), rng.randint(1, 8)))
        pieces = [rows.slice(a, b - a) for a, b in zip([0] + cuts, cuts + [n])]  # slices at odd offsets into the buffers
        assert validated.fingerprint({"t": pa.concat_tables(pieces)}) == expected
    padded = pa.concat_tables([rows.slice(0, 3), rows, rows.slice(0, 5)]).combine_chunks().slice(3, n)  # one chunk, offset 3
    assert validated.fingerprint({"t": padded}) == expected
    assert validated.fingerprint({"t": rows.slice(0, n - 1)}) != expected
    for column in rows.column_names:  # one value changed, in any column type, or set missing: another fingerprint
        values = rows.column(column).to_pylist()
        other = next(v for v in values if v is not None and v != values[1])
        for i, value in ((1, other), (1, None)):
            changed = rows.set_column(
                rows.schema.get_field_index(column),
                column,
                pa.array(values[:i] + [value] + values[i + 1 :], rows.schema.field(column).type),
            )
            assert validated.fingerprint({"t": changed}) != expected, (column, value)
    assert validated.fingerprint({"t": pa.concat_tables([rows.slice(1, 1), rows.slice(0, 1), rows.slice(2)])}) != expected  # order
    assert validated.fingerprint({"u": rows}) != expected  # another table name


def test_columns_joined_on_keys_in_the_same_order_equal_a_one_to_one_merge():
    from pandas.errors import MergeError

    from assets.validated_tables import joined

    left = pd.DataFrame({"measure_id": pd.Series(["a-1", "a-2", "b-1"], dtype="str"), "seq": [1, 2, 1]})
    right = pd.DataFrame({"measure_id": ["a-1", "a-2", "b-1"], "deadline_text": ["6月底", None, "年底"], "n": [1.5, None, 3.0]})
    expected = left.merge(right, on="measure_id", how="left", validate="one_to_one")
    pd.testing.assert_frame_equal(joined(left, right, "measure_id"), expected)  # same keys in the same order: taken over
    shuffled = right.iloc[[2, 0, 1]].reset_index(drop=True)
    pd.testing.assert_frame_equal(joined(left, shuffled, "measure_id"), expected)  # another order: merged
    with pytest.raises(MergeError):
        joined(left, pd.concat([right, right.iloc[:1]], ignore_index=True), "measure_id")  # not one to one


def test_looking_up_a_column_by_key_gives_what_reindex_gives():
    from assets.validated_tables import _looked_up

    clusters = pd.DataFrame({"measure_id": ["m3", "m1", "m2"], "cluster_id": ["c-m1", "c-m1", "c-m2"]})
    measures = pd.DataFrame({"measure_id": ["m1", "m2", "m3", "m4"]}, index=[10, 11, 12, 13])
    looked_up = _looked_up(measures["measure_id"], clusters, "measure_id", "cluster_id")
    expected = clusters.set_index("measure_id")["cluster_id"].reindex(measures["measure_id"])
    assert looked_up.tolist()[:3] == expected.tolist()[:3] == ["c-m1", "c-m2", "c-m1"]
    assert pd.isna(looked_up.iloc[3]) and pd.isna(expected.iloc[3]) and list(looked_up.index) == [10, 11, 12, 13]


def seed_frames(seed_release) -> dict[str, pd.DataFrame]:
    warehouse, _ = seed_release
    return {name: pq.read_table(warehouse / "tables" / f"{name}.parquet").to_pandas() for name in TABLES}


def test_the_database_is_updated_in_place_to_the_same_rows_as_a_database_written_whole(seed_release, tmp_path):
    import duckdb

    first = seed_frames(seed_release)
    second = {name: frame.copy() for name, frame in first.items()}
    measures = second["measures"]
    measures.loc[0, "text"] = measures.loc[0, "text"] + "（改）"  # one changed row
    second["measures"] = measures.drop(index=[1, 2]).reset_index(drop=True)  # two removed
    added = second["measures"].iloc[[5]].assign(measure_id="new-measure", seq=999)
    second["measures"] = pd.concat([second["measures"], added], ignore_index=True)  # one added
    texts = second["document_texts"]
    last = texts.loc[0, "text"][-1]
    texts.loc[0, "text"] = texts.loc[0, "text"][:-1] + ("！" if last != "！" else "。")  # the last character of a long text
    second["quarantine"] = frames(2)["quarantine"]  # a table without a key: replaced whole
    dropped = [n for n, spec in TABLES.items() if spec.primary_key and n not in ("measures", "document_texts") and len(second[n])]
    for name in dropped:  # every other keyed table loses its last row: the database's rows hash as their Arrow rows
        second[name] = second[name].iloc[:-1].reset_index(drop=True)

    updated = tmp_path / "updated"
    store.publish(first, updated)
    assert database_info(updated)["written"] == "whole"
    store.publish(second, updated)
    info = database_info(updated)
    assert info["written"].startswith("in place") and info["updated_in_place"] == 1
    assert (info["rows_deleted"]["measures"], info["rows_inserted"]["measures"]) == (3, 2)  # 1 changed, 2 removed; 1 changed, 1 added
    assert (info["rows_deleted"]["document_texts"], info["rows_inserted"]["document_texts"]) == (1, 1)
    assert all((info["rows_deleted"][n], info["rows_inserted"][n]) == (1, 0) for n in dropped), info
    whole = tmp_path / "whole"
    store.publish(second, whole)
    assert database_info(whole)["written"] == "whole"
    assert database_rows(updated) == database_rows(whole)  # tables and views
    with duckdb.connect(str(updated / store.DB_NAME), read_only=True) as con:  # comments were kept
        assert con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'measures' AND column_name = 'kind'").fetchone()[0]
    for name in TABLES:  # the Parquet files are written whole either way
        assert pq.read_table(updated / "tables" / f"{name}.parquet").equals(pq.read_table(whole / "tables" / f"{name}.parquet")), name


def test_the_database_is_written_whole_when_it_cannot_be_updated_in_place(seed_release, tmp_path, monkeypatch):
    import duckdb

    tables = seed_frames(seed_release)
    store.publish(tables, tmp_path)
    store.publish(tables, tmp_path)
    assert database_info(tmp_path)["written"].startswith("in place")
    with duckdb.connect(str(tmp_path / store.DB_NAME)) as con:  # somebody wrote to the published database
        con.execute("DELETE FROM measures WHERE seq = 1")
    store.publish(tables, tmp_path)
    assert database_info(tmp_path)["written"] == "whole"
    with duckdb.connect(str(tmp_path / store.DB_NAME), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == len(tables["measures"])
    monkeypatch.setattr(store, "database_layout", lambda: "another layout")  # a new column, view or DuckDB version
    store.publish(tables, tmp_path)
    assert database_info(tmp_path)["written"] == "whole"
    monkeypatch.setattr(store, "MAX_IN_PLACE_UPDATES", 2)
    for expected in ("in place", "in place", "whole", "in place"):  # updates in a row are bounded
        store.publish(tables, tmp_path)
        assert database_info(tmp_path)["written"].startswith(expected)


def test_a_database_whose_rows_do_not_hash_as_recorded_is_written_whole(seed_release, tmp_path, caplog):
    import json

    import pyarrow.feather as feather

    from assets.engine.portable import file_digest

    tables = seed_frames(seed_release)
    store.publish(tables, tmp_path)
    current = (tmp_path / "current").resolve()
    path = current / store.ROW_HASHES / "measures.arrow"
    recorded = feather.read_table(path)
    shifted = pa.array([h + 1 for h in recorded.column("row_hash").to_pylist()], pa.uint64())
    path.chmod(0o644)
    feather.write_feather(recorded.set_column(1, "row_hash", shifted), path, compression="uncompressed")  # well formed, all wrong
    info = json.loads((current / "build_info.json").read_text(encoding="utf-8"))
    info["database"]["row_hashes"]["measures"] = file_digest(path)  # and recorded as the build's own
    (current / "build_info.json").write_text(json.dumps(info), encoding="utf-8")
    changed = {**tables, "measures": tables["measures"].iloc[1:].reset_index(drop=True)}
    store.publish(changed, tmp_path)
    assert database_info(tmp_path)["written"] == "whole"
    assert "measures: 0 rows deleted in place where" in caplog.text  # found by the in-place update, not before it
    assert database_rows(tmp_path)["measures"] == database_rows(_published(changed, tmp_path / "whole"))["measures"]


def _published(tables: dict, warehouse):
    store.publish(tables, warehouse)
    return warehouse


def test_row_hashes_handed_to_the_store_are_the_ones_it_would_compute(seed_release, tmp_path):
    import pyarrow.feather as feather

    tables = {name: store.to_arrow(name, frame) for name, frame in seed_frames(seed_release).items()}
    computed = store.stage_build(tables, tmp_path / "computed")
    handed = store.stage_build(tables, tmp_path / "handed", hashes={name: store.hashed_rows(t) for name, t in tables.items()})
    files = sorted(p.name for p in (computed / store.ROW_HASHES).iterdir())
    assert files and files == sorted(p.name for p in (handed / store.ROW_HASHES).iterdir())
    for name in files:
        assert feather.read_table(computed / store.ROW_HASHES / name).equals(feather.read_table(handed / store.ROW_HASHES / name)), name


def _hash_in_child(table, queue) -> None:
    queue.put(store.hashed_rows(table).tolist())


def test_row_hashes_are_the_same_with_a_shared_connection_in_any_thread_and_after_it_in_a_forked_process():
    """`hashing_session` lends `hashed_rows` one DuckDB connection on its thread and closes it at its end: hashes are
    those a fresh database gives, and a process forked afterwards can still use DuckDB."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    import duckdb

    table = pa.table({"id": ["a", "b", None, "a"], "n": [1, 2, 3, 1]})
    with duckdb.connect() as fresh:
        expected = store.row_hashes(fresh, table).column("row_hash").to_pylist()
    assert expected[0] == expected[3] and len(set(expected)) == 3
    with store.hashing_session():
        with store.hashing_session():  # nested: the outer connection serves
            assert store.hashed_rows(table).tolist() == expected
        assert store.hashed_rows(table).tolist() == expected
        with ThreadPoolExecutor(2) as pool:  # other threads open their own
            assert [h.tolist() for h in pool.map(store.hashed_rows, [table] * 4)] == [expected] * 4
    assert store.hashed_rows(table).tolist() == expected
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_hash_in_child, args=(table, queue))
    child.start()
    assert queue.get(timeout=60) == expected
    child.join(30)
    assert child.exitcode == 0
