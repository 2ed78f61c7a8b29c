"""Run a per-document computation over a corpus frame through the parse cache, keeping the frame's order."""
from typing import Callable, TypeVar

import numpy as np
import pandas as pd

from .cache import ParseCache, derived_key

T = TypeVar("T")


def per_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                 compute: Callable[[str, pd.DataFrame], T]) -> list[T]:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance),
    cached under the document's parse key and the rules. Rows are only cut out for documents the cache misses
    (a slice, not a copy, where a document's rows are contiguous, as the corpus keeps them)."""
    if frame.empty:
        return []
    positions = sorted(frame.groupby("doc_id", sort=False).indices.items(), key=lambda item: item[1][0])

    def rows(at: np.ndarray) -> pd.DataFrame:
        contiguous = at[-1] - at[0] + 1 == len(at)
        return (frame.iloc[at[0]:at[-1] + 1] if contiguous else frame.take(at)).reset_index(drop=True)

    return [cache.compute(derived_key(keys.get(doc_id), stage), lambda: compute(doc_id, rows(at))) for doc_id, at in positions]


def by_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                compute: Callable[[str, pd.DataFrame], pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """`per_document` for computations that return rows: the results concatenated."""
    parts = [part for part in per_document(frame, keys, cache, stage, compute) if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
