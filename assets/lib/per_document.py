"""Run a per-document computation over a corpus frame through the parse cache, keeping the frame's order."""
from collections import namedtuple
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Callable, Iterator, TypeVar

import numpy as np
import pandas as pd

from .cache import ParseCache, derived_key
from .decode import InputError

T = TypeVar("T")


def per_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                 compute: Callable[[str, pd.DataFrame], T], workers: int = 1) -> list[T]:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance),
    cached under the document's parse key and the rules; the documents the cache misses are computed on `workers`
    cores. Rows are only cut out for those (a slice, not a copy, where a document's rows are contiguous, as the
    corpus keeps them)."""
    if frame.empty:
        return []
    positions = sorted(frame.groupby("doc_id", sort=False).indices.items(), key=lambda item: item[1][0])
    values = cache.compute_all([derived_key(keys.get(doc_id), stage) for doc_id, _ in positions],
                               lambda i: compute(positions[i][0], rows_at(frame, positions[i][1])), workers, progress=stage)
    for value in values:
        if isinstance(value, InputError):
            raise value
    return values


def rows_at(frame: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """The rows of `frame` at positions `at` (sorted), renumbered from 0: a slice, not a copy, where they are
    contiguous, as a document's rows are in the corpus frames."""
    contiguous = len(at) and at[-1] - at[0] + 1 == len(at)
    return (frame.iloc[at[0]:at[-1] + 1] if contiguous else frame.take(at)).reset_index(drop=True)


@dataclass(frozen=True)
class Rows:
    """A document's result rows column by column, with each column's dtype: lists unpickle about ten times faster
    than a DataFrame, and ten thousand of them combine without `pd.concat`."""

    columns: dict[str, list]
    dtypes: dict[str, str]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> "Rows":
        return cls({c: frame[c].tolist() for c in frame.columns}, {c: str(frame[c].dtype) for c in frame.columns})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


def tables_by_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                       compute: Callable[[str, pd.DataFrame], dict[str, pd.DataFrame]], columns: dict[str, list[str]],
                       workers: int = 1) -> dict[str, pd.DataFrame]:
    """`per_document` for computations that return tables of rows (named as in `columns`): each table combined over
    the documents as `pd.concat` would (a column's dtype where every document agrees on it, else object)."""
    parts = per_document(frame, keys, cache, stage,
                         lambda doc_id, rows: {name: Rows.of(table) for name, table in compute(doc_id, rows).items()}, workers)
    return {name: combine_rows([part[name] for part in parts], names) for name, names in columns.items()}


def by_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                compute: Callable[[str, pd.DataFrame], pd.DataFrame], columns: list[str], workers: int = 1) -> pd.DataFrame:
    """`tables_by_document` for computations that return one table."""
    return tables_by_document(frame, keys, cache, stage, lambda doc_id, rows: {"rows": compute(doc_id, rows)},
                              {"rows": columns}, workers)["rows"]


def combine_rows(parts: list[Rows], columns: list[str] | None = None) -> pd.DataFrame:
    """The parts' rows in order, as `pd.concat` of their frames would give (a column keeps its dtype where every part
    agrees on it, else it is object) but in one chunk per column: ten thousand small frames concatenate slowly, and
    leave each Arrow-backed column in ten thousand chunks, which every later filter pays for. With no rows: an empty
    frame with `columns`."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame(columns=columns)
    combined = {}
    for column in parts[0].columns:
        dtypes = {part.dtypes[column] for part in parts}
        values = list(chain.from_iterable(part.columns[column] for part in parts))
        combined[column] = pd.Series(values, dtype=dtypes.pop() if len(dtypes) == 1 else object)
    return pd.DataFrame(combined)


def records(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The frame's rows as named tuples of `columns`, read from Python lists: `itertuples` defines a new namedtuple
    class on every call and reads Arrow-backed columns one element at a time (at 10,000 plans, 19 s of the
    workers' time in the responsibility and target stages)."""
    return map(_record_type(columns)._make, zip(*(frame[column].tolist() for column in columns)))


@lru_cache(maxsize=None)
def _record_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Record", columns)
