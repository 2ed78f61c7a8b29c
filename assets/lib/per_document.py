"""Run a per-document computation over a corpus frame through the stage's snapshot, keeping the frame's order."""

from collections import namedtuple
from functools import lru_cache
from typing import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from .cache import StageSnapshot, derived_key
from .decode import InputError


def tables_by_document(
    frame: pd.DataFrame,
    keys: dict[str, str | None],
    snapshot: StageSnapshot,
    stage: str,
    compute: Callable[[str, pd.DataFrame], dict[str, pd.DataFrame]],
    columns: dict[str, list[str]],
    workers: int = 1,
) -> dict[str, pd.DataFrame]:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance), which
    returns tables of rows (named as in `columns`); each table combined over the documents, in that order, as one
    Arrow table would hold them (a column's type unified over the documents: one that is empty in some or whole
    numbers in some and fractions in others takes the wider type). Results are kept under the document's parse key
    and the rules; documents the snapshot does not hold are computed on `workers` cores."""
    if frame.empty:
        return {name: pd.DataFrame(columns=names) for name, names in columns.items()}
    positions = sorted(frame.groupby("doc_id", sort=False).indices.items(), key=lambda item: item[1][0])

    def make(i: int) -> tuple[dict[str, pa.Table], None]:
        doc_id, at = positions[i]
        return {name: owned_table(table) for name, table in compute(doc_id, rows_at(frame, at)).items()}, None

    combined = snapshot.combined(
        [derived_key(keys.get(doc_id), stage) for doc_id, _ in positions], make, list(columns), workers, progress=stage
    )
    for extra in combined.extras:
        if isinstance(extra, InputError):
            raise extra
    return {name: frame_of(combined.tables[name], names) for name, names in columns.items()}


def by_document(
    frame: pd.DataFrame,
    keys: dict[str, str | None],
    snapshot: StageSnapshot,
    stage: str,
    compute: Callable[[str, pd.DataFrame], pd.DataFrame],
    columns: list[str],
    workers: int = 1,
) -> pd.DataFrame:
    """`tables_by_document` for computations that return one table."""
    return tables_by_document(
        frame, keys, snapshot, stage, lambda doc_id, rows: {"rows": compute(doc_id, rows)}, {"rows": columns}, workers
    )["rows"]


def owned_table(frame: pd.DataFrame) -> pa.Table:
    """`frame` as an Arrow table that owns its buffers: a column taken over from a corpus-wide one (as a slice) would
    otherwise carry the whole corpus column with it when a worker sends it back (10,000 plans: 21 GB)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.take(np.arange(table.num_rows))


def frame_of(table: pa.Table, columns: list[str]) -> pd.DataFrame:
    """A combined table as a frame (strings stay in Arrow); with no rows, an empty frame with `columns`."""
    return table.to_pandas() if table.num_rows else pd.DataFrame(columns=columns)


def rows_at(frame: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """The rows of `frame` at positions `at`, renumbered from 0 (`take_runs`: one slice, not a copy, where they are
    contiguous, as a document's rows are in the corpus frames)."""
    return take_runs(frame, at).reset_index(drop=True)


def rows_where(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """`frame[mask]`, as `take_runs` takes them (pandas filters Arrow-backed columns with a boolean mask ten times slower:
    1.3 s for the provisions of 10,000 plans)."""
    return take_runs(frame, np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False)))


def take_runs(rows: pd.DataFrame | pd.Series, positions: np.ndarray) -> pd.DataFrame | pd.Series:
    """The rows at `positions`, index labels kept, as slices of each run of consecutive positions put together: Arrow
    takes rows from a column of several chunks (slices of a stage snapshot's segments) by first concatenating all of
    them, a copy of the whole column each time; a slice copies nothing."""
    positions = np.asarray(positions, dtype=np.int64)
    if not len(positions):
        return rows.iloc[:0]
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    starts = positions[np.concatenate(([0], breaks))]
    stops = positions[np.concatenate((breaks - 1, [len(positions) - 1]))] + 1
    parts = [rows.iloc[start:stop] for start, stop in zip(starts, stops)]
    return parts[0] if len(parts) == 1 else pd.concat(parts)


def records(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The frame's rows as named tuples of `columns`, read from Python lists: `itertuples` defines a new namedtuple
    class on every call and reads Arrow-backed columns one element at a time (at 10,000 plans, 19 s of the
    workers' time in the responsibility and target stages)."""
    return map(_record_type(columns)._make, zip(*(frame[column].tolist() for column in columns)))


@lru_cache(maxsize=None)
def _record_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Record", columns)
