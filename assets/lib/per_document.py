"""Run a per-document computation over a corpus frame through the parse cache, keeping the frame's order."""
from typing import Callable, TypeVar

import pandas as pd

from .cache import ParseCache, derived_key

T = TypeVar("T")


def per_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                 compute: Callable[[str, pd.DataFrame], T]) -> list[T]:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance),
    cached under the document's parse key and the rules."""
    return [cache.compute(derived_key(keys.get(doc_id), stage), lambda: compute(doc_id, rows.reset_index(drop=True)))
            for doc_id, rows in frame.groupby("doc_id", sort=False)]


def by_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                compute: Callable[[str, pd.DataFrame], pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """`per_document` for computations that return rows: the results concatenated."""
    parts = [part for part in per_document(frame, keys, cache, stage, compute) if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
