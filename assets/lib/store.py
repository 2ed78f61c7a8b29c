"""Write the published tables (Parquet + DuckDB) atomically.

Each build is written to `WAREHOUSE_DIR/builds/<build_id>/` and becomes visible by one atomic
symlink swap of `WAREHOUSE_DIR/current`; `tables/` and the DuckDB file are fixed links through
`current`. Readers see the old build or the new one, never a half-written mix, and a crash at any
point leaves the previous build in place.
"""
import datetime as dt
import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES
from .views import VIEWS, column_description

DB_NAME = "policy_measures.duckdb"
KEEP_BUILDS = 3
DUCKDB_MEMORY = "512MB"  # memory DuckDB may use while writing the database file (1GB: 350–450 MB more at the peak, no faster)


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


def publish(frames: dict[str, pd.DataFrame], warehouse_dir: Path, info: dict | None = None,
            extra_files: dict[str, Path] | None = None) -> Path:
    """Write every table to a new build folder and switch `current` to it; return the build folder."""
    warehouse_dir = Path(warehouse_dir)
    builds = warehouse_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    _recover_layout(warehouse_dir)
    build_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    staging = builds / f".staging-{build_id}-{uuid.uuid4().hex[:6]}"
    (staging / "tables").mkdir(parents=True)
    counts = _write_tables(staging, frames)
    (staging / "build_info.json").write_text(json.dumps({"build_id": build_id, "row_counts": counts, **(info or {})},
                                                        ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    for name, source in (extra_files or {}).items():
        shutil.copyfile(source, staging / name)
    _fsync_tree(staging)
    final = builds / build_id
    os.rename(staging, final)
    _swap_symlink(warehouse_dir / "current", Path("builds") / build_id)
    _ensure_link(warehouse_dir / "tables", Path("current") / "tables")
    _ensure_link(warehouse_dir / DB_NAME, Path("current") / DB_NAME)
    _prune(builds, keep=KEEP_BUILDS, current=final)
    return final


def _write_tables(staging: Path, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Each table to Parquet and into the DuckDB file, one table at a time, so only one table's Arrow copy is alive;
    its Parquet file is written in a second thread while DuckDB takes the same table in (both release the GIL: on two
    cores the publishing step takes the longer of the two, not their sum). DuckDB writes to its file past
    DUCKDB_MEMORY instead of holding the whole database in memory. Returns row counts."""
    counts = {}
    with duckdb.connect(str(staging / DB_NAME), config={"memory_limit": DUCKDB_MEMORY}) as con, \
            ThreadPoolExecutor(1, thread_name_prefix="parquet") as parquet:
        writing = None
        for name, frame in frames.items():
            if writing:
                writing.result()  # the previous table's Parquet file is written: its Arrow copy can go
            table = to_arrow(name, frame)
            writing = parquet.submit(pq.write_table, table, staging / "tables" / f"{name}.parquet", compression="zstd")
            _add_table(con, name, table)
            counts[name] = table.num_rows
            del table
        if writing:
            writing.result()
        if set(TABLES) <= set(frames):
            _create_views(con)
    return counts


def _add_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """One table with its declared comments."""
    con.register("incoming", table)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
    con.unregister("incoming")
    spec = TABLES[name]
    con.execute(f"COMMENT ON TABLE \"{name}\" IS {_sql_literal(spec.description)}")
    for column in spec.columns:
        con.execute(f'COMMENT ON COLUMN "{name}"."{column.name}" IS {_sql_literal(column.description)}')


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The analyst views, each with its description and one for every column (a missing one is an error)."""
    for view in VIEWS:
        con.execute(f'CREATE VIEW "{view.name}" AS {view.query}')
        con.execute(f'COMMENT ON VIEW "{view.name}" IS {_sql_literal(view.description)}')
        columns = [row[0] for row in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                                                 [view.name]).fetchall()]
        for column in columns:
            description = column_description(view, column)
            if not description:
                raise ValueError(f"view {view.name}: column {column} has no description")
            con.execute(f'COMMENT ON COLUMN "{view.name}"."{column}" IS {_sql_literal(description)}')


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
    """Remove staging folders that a killed build left behind."""
    for leftover in (warehouse_dir / "builds").glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


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
