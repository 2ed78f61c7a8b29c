"""Write the published tables (Parquet + DuckDB) atomically.

Each build is written to `WAREHOUSE_DIR/builds/<build_id>/` and becomes visible by one atomic
symlink swap of `WAREHOUSE_DIR/current`; `tables/` and the DuckDB file are fixed links through
`current`. Readers see the old build or the new one, never a half-written mix, and a crash at any
point leaves the previous build in place.

The DuckDB file of a build is usually a copy of the previous build's, updated in place: only the rows
whose content changed are deleted and inserted (found by a hash of each row's key and a hash of the row, kept
per build in `row_hashes/`: two 64-bit integers a row, which DuckDB joins far faster than the key's strings), because writing every table again costs seconds at scale however little has
changed. Its tables then hold the same rows as a database written whole, not in the same physical order.
"""

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

from assets.catalog.schema import TABLES
from assets.engine.portable import file_digest
from assets.publishing.views import MACROS, VIEWS, column_description

_log = logging.getLogger("policy_measures")
DB_NAME = "policy_measures.duckdb"
KEEP_BUILDS = 3
DUCKDB_MEMORY = "512MB"  # memory DuckDB may use while writing the database file (more raises the peak, not the speed)
STAGING_PREFIX = ".staging-"  # builds/.staging-*: written, not yet (or never to be) published
ROW_HASHES = "row_hashes"  # in a build folder: each keyed table's key hash and row hash of each row, as Arrow files
ROW_HASH_LAYOUT = 2  # what a row-hash file holds (1: the key columns and the row hash; 2: key hash and row hash)
MAX_IN_PLACE_UPDATES = 10  # consecutive in-place updates before the database is written whole again (reclaims the space
# of deleted rows and puts the rows back in table order)


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """`frame` as an Arrow table with exactly the schema declared for `name` (column order, types)."""
    table = TABLES[name]
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name} lacks column(s) {', '.join(missing)}")
    schema = table.arrow_schema()
    if not len(frame):
        return schema.empty_table()
    return pa.Table.from_arrays([_column(frame[f.name], f.type) for f in schema], schema=schema)


def _column(series: pd.Series, type_: pa.DataType) -> pa.Array:
    """One column in its declared type: converted directly, or value by value when pandas holds it loosely
    (objects, NaN standing for a missing integer)."""
    try:
        return pa.array(series, type=type_, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        values = series.astype(object).where(series.notna(), None).tolist()
        return pa.array(values, type=type_)


def publish(
    tables: dict[str, pd.DataFrame | pa.Table], warehouse_dir: Path, info: dict | None = None, extra_files: dict[str, Path] | None = None
) -> Path:
    """Write every table to a new build folder and switch `current` to it; return the build folder."""
    return switch_to(stage_build(tables, warehouse_dir, info), warehouse_dir, extra_files)


def stage_build(
    tables: dict[str, pd.DataFrame | pa.Table], warehouse_dir: Path, info: dict | None = None, hashes: dict[str, np.ndarray] | None = None
) -> Path:
    """Write every table (Parquet, DuckDB, build_info.json) to a new staging folder under WAREHOUSE_DIR/builds/, not
    yet visible to anyone; return it. Staging folders a killed or failed build left behind are removed first.
    `hashes`: each table's `row_hashes`, when the caller has them already."""
    builds = Path(warehouse_dir) / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    _recover_layout(Path(warehouse_dir))
    build_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    staging = builds / f"{STAGING_PREFIX}{build_id}-{uuid.uuid4().hex[:6]}"
    (staging / "tables").mkdir(parents=True)
    base = _updatable_build(Path(warehouse_dir), tables)
    try:
        counts, database = _write_tables(staging, tables, base, hashes or {})
    except RowsNotAsRecorded as error:
        _log.warning(f"{error}: the database is written whole instead of updated from build {base.name}")
        shutil.rmtree(staging)
        (staging / "tables").mkdir(parents=True)
        counts, database = _write_tables(staging, tables, None, hashes or {})
    (staging / "build_info.json").write_text(
        json.dumps(
            {"build_id": build_id, "row_counts": counts, **(info or {}), "database": database}, ensure_ascii=False, indent=2, default=str
        ),
        encoding="utf-8",
    )
    return staging


def switch_to(staging: Path, warehouse_dir: Path, extra_files: dict[str, Path] | None = None) -> Path:
    """Make a staged build the current one: add `extra_files`, flush everything to disk, move it to builds/<build_id>
    and swap the `current` link (readers see the old build or the new one, never a mix); return the build folder."""
    warehouse_dir = Path(warehouse_dir)
    for name, source in (extra_files or {}).items():
        shutil.copyfile(source, staging / name)
    _fsync_tree(staging)
    build_id = json.loads((staging / "build_info.json").read_text(encoding="utf-8"))["build_id"]
    final = staging.with_name(build_id)
    os.rename(staging, final)
    _swap_symlink(warehouse_dir / "current", Path("builds") / build_id)
    _ensure_link(warehouse_dir / "tables", Path("current") / "tables")
    _ensure_link(warehouse_dir / DB_NAME, Path("current") / DB_NAME)
    _prune(final.parent, keep=KEEP_BUILDS, current=final)
    return final


def discard(staging: Path) -> None:
    """Remove a staged build that is not to be published (its tables failed validation)."""
    shutil.rmtree(staging, ignore_errors=True)


def _write_tables(
    staging: Path, frames: dict[str, pd.DataFrame | pa.Table], base: Path | None, known_hashes: dict[str, np.ndarray]
) -> tuple[dict[str, int], dict]:
    """Each table to Parquet and into the DuckDB file, one table at a time (a DataFrame is converted to Arrow when its
    turn comes, so only one converted copy is alive); its Parquet file is written in a second thread while DuckDB takes
    the same table in (both release the GIL: on two cores this takes the longer of the two, not their sum). The database is `base`'s copied and updated
    in place where `base` is given, else written whole (DuckDB writes to its file past DUCKDB_MEMORY instead of
    holding the whole database in memory). Returns the row counts and what `build_info.json` says of the database."""
    counts, changed = {}, {}
    (staging / ROW_HASHES).mkdir()
    if base is not None:
        shutil.copyfile(base / DB_NAME, staging / DB_NAME)
    with (
        duckdb.connect(str(staging / DB_NAME), config={"memory_limit": DUCKDB_MEMORY}) as con,
        ThreadPoolExecutor(1, thread_name_prefix="parquet") as parquet,
        _transaction(con) if base is not None else nullcontext(),
    ):
        writing = None
        for name, frame in frames.items():
            if writing:
                writing.result()  # the previous table's Parquet file is written: its Arrow copy can go
            table = frame if isinstance(frame, pa.Table) else to_arrow(name, frame)
            writing = parquet.submit(pq.write_table, table, staging / "tables" / f"{name}.parquet", compression="zstd")
            hashes = _row_hashes(con, name, table, known_hashes.get(name))
            if hashes is not None:
                feather.write_feather(hashes, staging / ROW_HASHES / f"{name}.arrow", compression="uncompressed")
            if base is None:
                _add_table(con, name, table)
            else:
                changed[name] = _update_table(con, name, table, hashes, base)
            counts[name] = table.num_rows
            del table
        if writing:
            writing.result()
        if base is None and set(TABLES) <= set(frames):
            _create_views(con)
    file = (staging / DB_NAME).stat()
    database = {
        "layout": database_layout(),
        "file_size": file.st_size,
        "file_mtime_ns": file.st_mtime_ns,
        "row_hashes": {path.stem: file_digest(path) for path in sorted((staging / ROW_HASHES).iterdir())},
    }
    if base is None:
        return counts, {**database, "written": "whole", "updated_in_place": 0}
    previous = json.loads((base / "build_info.json").read_text(encoding="utf-8"))["database"]
    return counts, {
        **database,
        "written": f"in place, from build {base.name}",
        "updated_in_place": previous["updated_in_place"] + 1,
        "rows_deleted": {n: d for n, (d, _) in changed.items()},
        "rows_inserted": {n: i for n, (_, i) in changed.items()},
    }


def database_layout() -> str:
    """A hash of all that shapes the database besides its rows (tables, columns, types, comments, views, macros, DuckDB's
    version): a build's database is updated in place only from one of the same layout."""
    return hashlib.sha256(repr((TABLES, VIEWS, MACROS, duckdb.__version__, ROW_HASH_LAYOUT)).encode()).hexdigest()[:16]


def _updatable_build(warehouse_dir: Path, frames: dict) -> Path | None:
    """The current build when its database can be copied and updated in place: same tables and layout, row hashes of
    every keyed table present, fewer than MAX_IN_PLACE_UPDATES updates in a row, and the file exactly as that build
    wrote it (same size and modification time: a database someone wrote to is not taken over)."""
    current = warehouse_dir / "current"
    if set(frames) != set(TABLES) or not current.is_dir():
        return None
    try:
        database = json.loads((current / "build_info.json").read_text(encoding="utf-8")).get("database") or {}
        file = (current / DB_NAME).stat()
    except (OSError, ValueError):
        return None
    usable = (
        database.get("layout") == database_layout()
        and database.get("updated_in_place", MAX_IN_PLACE_UPDATES) < MAX_IN_PLACE_UPDATES
        and (database.get("file_size"), database.get("file_mtime_ns")) == (file.st_size, file.st_mtime_ns)
        and not current.joinpath(DB_NAME + ".wal").exists()
        and all((current / ROW_HASHES / f"{name}.arrow").is_file() for name, spec in TABLES.items() if spec.primary_key)
    )
    if not usable:
        return None
    recorded = database.get("row_hashes") or {}
    for name, spec in TABLES.items():
        path = current / ROW_HASHES / f"{name}.arrow"
        if spec.primary_key and file_digest(path) != recorded.get(name):
            _log.warning(
                f"damaged build file: {path.resolve()}: checksum differs from build_info.json; the database is written "
                "whole instead of updated from it"
            )
            return None
    return current.resolve()


def row_hashes(con: duckdb.DuckDBPyConnection, table: pa.Table, key: tuple[str, ...] = ()) -> pa.Table:
    """DuckDB's 64-bit hash of each row (`row_hash`), after the hash of its `key` columns (`key_hash`) when a key is
    given, in the table's order (DuckDB keeps insertion order): what the tables' fingerprint hashes and what the next
    build compares rows with."""
    con.register("hashed", table)
    try:
        return con.sql(
            f"SELECT {'hash(' + _names(key) + ') AS key_hash, ' if key else ''}hash({_names(table.schema.names)}) AS row_hash FROM hashed"
        ).to_arrow_table()
    finally:
        con.unregister("hashed")


def hashed_rows(table: pa.Table, with_hashes: np.ndarray | None = None) -> np.ndarray:
    """DuckDB's 64-bit hash of each row of `table` (and of `with_hashes`, one per row, when given), in order."""
    if with_hashes is not None:  # first: a table of no columns has no rows either
        table = pa.Table.from_arrays([pa.array(with_hashes, pa.uint64()), *table.columns], ["_with", *table.column_names])
    if table.num_rows == 0 or table.num_columns == 0:
        return np.zeros(table.num_rows, dtype=np.uint64)
    session = getattr(_hashing, "con", None)  # a `hashing_session`'s connection, else one for this call
    with nullcontext(session) if session is not None else duckdb.connect() as con:
        return row_hashes(con, table).column("row_hash").to_numpy().astype(np.uint64)


_hashing = threading.local()


@contextmanager
def hashing_session() -> Iterator[None]:
    """Within it, `hashed_rows` calls on this thread share one DuckDB connection: a validation hashes dozens of tables
    and columns, and opening a connection is not free. Closed at its end: a process must not fork while it holds an open
    DuckDB connection (DuckDB then hangs in the child), so the stages that fork workers run outside it."""
    if getattr(_hashing, "con", None) is not None:  # inside another session: that one's connection serves
        yield
        return
    with duckdb.connect() as con:
        _hashing.con = con
        try:
            yield
        finally:
            _hashing.con = None


def _row_hashes(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, known: np.ndarray | None) -> pa.Table | None:
    """`row_hashes` of a keyed table with its key hashes (None for a table without a key); `known`: the row hashes
    already computed."""
    key = TABLES[name].primary_key if name in TABLES else ()
    if not key:
        return None
    if known is None:
        return row_hashes(con, table, key)
    keys = row_hashes(con, table.select(list(key)))  # the hash of the key columns alone, as `row_hashes` gives it
    return pa.table({"key_hash": keys.column("row_hash"), "row_hash": pa.array(known, pa.uint64())})  # nullable, as DuckDB gives


class RowsNotAsRecorded(ValueError):
    """The copied database's rows do not hash as the previous build's row-hash file says (the rollback leaves it
    unusable, so the build writes it whole)."""


def _update_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, hashes: pa.Table | None, base: Path) -> tuple[int, int]:
    """Make the copied `name` hold `table`'s rows: delete the rows whose (key hash, row hash) the new table does not
    have, insert the new table's rows the old one did not have (in key order); a table without a key is replaced
    whole. A row is taken for another only when both 64-bit hashes agree. Returns (deleted, inserted)."""
    con.register("incoming", table)
    if hashes is None:
        deleted = con.execute(f"DELETE FROM {_names([name])}").fetchone()[0]
        con.execute(f"INSERT INTO {_names([name])} SELECT * FROM incoming")
        con.unregister("incoming")
        return deleted, table.num_rows
    key = _names(TABLES[name].primary_key)
    row = _names(table.schema.names)
    con.register("new_hashes", hashes)
    con.register("old_hashes", feather.read_table(base / ROW_HASHES / f"{name}.arrow", memory_map=True))
    con.execute("CREATE TEMP TABLE gone AS SELECT key_hash, row_hash FROM old_hashes ANTI JOIN new_hashes USING (key_hash, row_hash)")
    con.execute("CREATE TEMP TABLE added AS SELECT key_hash, row_hash FROM new_hashes ANTI JOIN old_hashes USING (key_hash, row_hash)")
    deleted = con.execute(
        f"DELETE FROM {_names([name])} AS t USING gone WHERE hash({_names(TABLES[name].primary_key, 't.')}) = gone.key_hash "
        f"AND hash({_names(table.schema.names, 't.')}) = gone.row_hash"
    ).fetchone()[0]
    expected = con.execute("SELECT count(*) FROM gone").fetchone()[0]
    if deleted != expected:  # the database's rows do not hash as their Arrow rows did: never leave a mix
        raise RowsNotAsRecorded(f"{name}: {deleted} rows deleted in place where {expected} were to go")
    inserted = con.execute(
        f"INSERT INTO {_names([name])} SELECT incoming.* FROM incoming SEMI JOIN added "
        f"ON hash({key}) = added.key_hash AND hash({row}) = added.row_hash ORDER BY {key}"
    ).fetchone()[0]
    con.execute("DROP TABLE gone")
    con.execute("DROP TABLE added")
    for view in ("incoming", "new_hashes", "old_hashes"):
        con.unregister(view)
    return deleted, inserted


def _quoted(names) -> list[str]:
    return ['"' + n.replace('"', '""') + '"' for n in names]


def _names(names, prefix: str = "") -> str:
    return ", ".join(prefix + name for name in _quoted(names))


def _add_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """One table with its declared comments."""
    con.register("incoming", table)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
    con.unregister("incoming")
    spec = TABLES[name]
    with _transaction(con):  # one commit for all comments, not one each
        con.execute(f'COMMENT ON TABLE "{name}" IS {_sql_literal(spec.description)}')
        for column in spec.columns:
            con.execute(f'COMMENT ON COLUMN "{name}"."{column.name}" IS {_sql_literal(column.description)}')


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The analyst views, each with its description and one for every column (a missing one is an error), and the
    table macros (search_measures)."""
    with _transaction(con):
        for view in VIEWS:
            con.execute(f'CREATE VIEW "{view.name}" AS {view.query}')
            con.execute(f'COMMENT ON VIEW "{view.name}" IS {_sql_literal(view.description)}')
            columns = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [view.name]
                ).fetchall()
            ]
            for column in columns:
                description = column_description(view, column)
                if not description:
                    raise ValueError(f"view {view.name}: column {column} has no description")
                con.execute(f'COMMENT ON COLUMN "{view.name}"."{column}" IS {_sql_literal(description)}')
        for macro in MACROS:
            con.execute(f'CREATE MACRO "{macro.name}"({", ".join(macro.parameters)}) AS TABLE {macro.query}')
            con.execute(f'COMMENT ON MACRO TABLE "{macro.name}" IS {_sql_literal(macro.description)}')


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    """BEGIN … COMMIT around a block (ROLLBACK if it raises)."""
    con.execute("BEGIN")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _sql_literal(text: str) -> str:
    """Quote our own schema descriptions for DDL (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _swap_symlink(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex[:8]}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _ensure_link(link: Path, target: Path) -> None:
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    if link.exists() and not link.is_symlink():
        # A plain folder or file from an older layout: keep it aside rather than delete it.
        os.rename(link, link.with_name(f"{link.name}.pre-symlink-{uuid.uuid4().hex[:6]}"))
    _swap_symlink(link, target)


def _recover_layout(warehouse_dir: Path) -> None:
    """Remove what a killed build left behind: staging folders, and the temporary links of an unfinished switch
    (`.current.*`, `.tables.*`, `.policy_measures.duckdb.*`). The caller holds the warehouse's lock: no other build is
    writing them."""
    for leftover in (warehouse_dir / "builds").glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for name in ("current", "tables", DB_NAME):
        for link in warehouse_dir.glob(f".{name}.*"):
            if link.is_symlink():
                link.unlink(missing_ok=True)


def _prune(builds: Path, keep: int, current: Path) -> None:
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-keep]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
