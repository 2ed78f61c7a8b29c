"""Row-level helpers on the corpus frames (pandas over Arrow) that domain code and the layers above share."""

from collections import namedtuple
from functools import lru_cache
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa


def owned_table(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """`frame` as an Arrow table that owns its buffers: a column taken over from a corpus-wide one (as a slice) would
    otherwise carry the whole corpus column with it when a worker sends it back. An Arrow table is taken as it is
    (made from Python values, it owns its buffers)."""
    if isinstance(frame, pa.Table):
        return frame
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
    """`frame[mask]`, as `take_runs` takes them (pandas filters Arrow-backed columns with a boolean mask
    many times slower)."""
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
    class on every call and reads Arrow-backed columns one element at a time (slow in the responsibility and
    target stages)."""
    return map(_record_type(columns)._make, zip(*(frame[column].tolist() for column in columns)))


@lru_cache(maxsize=None)
def _record_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Record", columns)
