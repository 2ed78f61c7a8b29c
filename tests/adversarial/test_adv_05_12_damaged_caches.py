"""Cases 5 and 12: a cache or current-build file edited in place or damaged is dropped and recomputed with a warning
naming it: never published, never a failure that repeats."""

from tests.helpers import build, table, warnings_of


def cache_files(warehouse, pattern: str):
    return sorted((warehouse / "cache").rglob(pattern))


def edit_in_place(path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data and len(old) == len(new)
    path.write_bytes(data.replace(old, new))


def test_a_cache_segment_edited_in_place_is_recomputed_not_published(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    units = table(warehouse, "units")
    name = next(u["name"] for u in units if len(u["name"]) >= 4).encode("utf-8")
    [segment] = [p for p in cache_files(warehouse, "units.*.arrow") if name in p.read_bytes()]
    edit_in_place(segment, name, "假".encode("utf-8") * (len(name) // 3) + b"x" * (len(name) % 3))
    warnings = warnings_of(raw_copy, warehouse)
    assert table(warehouse, "units") == units
    assert any(segment.name in message and "damaged" in message for message in warnings)


def test_damaged_caches_and_current_build_files_never_fail_a_build_twice(raw_copy, tmp_path):
    import pickle

    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    measures, documents = table(warehouse, "measures"), table(warehouse, "documents")
    damages = ["truncate", "garbage", "delete"]  # each file of the cache gets one of these, in turn
    for i, path in enumerate(sorted(p for p in (warehouse / "cache").rglob("*") if p.is_file())):
        damage = damages[i % len(damages)]
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        elif damage == "garbage":
            path.write_bytes(b"Not an Arrow file" * 10)
        else:
            path.unlink()
    for state in (warehouse / "cache" / "dedup_state").iterdir():  # a well-formed file of the wrong shape, in the
        state.with_suffix(".pkl").write_bytes(pickle.dumps({"not": "a dedup state"}))  # pickle older versions read
        try:
            from assets.engine.portable import write_values
        except ImportError:  # a version before values files: the pickle above is what it reads
            continue
        write_values(state.with_suffix(".values"), {"not": "a dedup state"})
    hashes = warehouse / "current" / "row_hashes" / "measures.arrow"
    hashes.write_bytes(b"Not an Arrow file" * 10)  # the current build's own files damaged too
    build(raw_copy, warehouse)  # build() asserts success
    assert table(warehouse, "measures") == measures and table(warehouse, "documents") == documents
    build(raw_copy, warehouse)
    assert table(warehouse, "measures") == measures


def test_a_damaged_row_hash_file_of_the_current_build_makes_the_database_written_whole(raw_copy, tmp_path):
    import json

    import duckdb

    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    hashes = warehouse / "current" / "row_hashes" / "measures.arrow"
    data = bytearray(hashes.read_bytes())
    data[len(data) // 2] ^= 0x01  # a flipped bit: still an Arrow file, one hash wrong
    hashes.chmod(0o644)
    hashes.write_bytes(bytes(data))
    (raw_copy / "bayingolin-prefecture_2022_work-plan.txt").unlink()
    build(raw_copy, warehouse)
    info = json.loads((warehouse / "current" / "build_info.json").read_text())
    assert info["database"]["written"] == "whole"
    with duckdb.connect(str(warehouse / "policy_measures.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == len(table(warehouse, "measures"))


def test_a_validation_memo_edited_in_place_is_dropped(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    [memo] = [p for p in (warehouse / "cache" / "validation").iterdir() if not p.name.startswith(".")]
    data = bytearray(memo.read_bytes())
    data[-1] ^= 0xFF
    memo.write_bytes(bytes(data))
    assert any(memo.name in message and "checksum" in message for message in warnings_of(raw_copy, warehouse))
