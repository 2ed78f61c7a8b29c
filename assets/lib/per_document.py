"""Run a per-document computation over a corpus frame through the parse cache, keeping the frame's order."""
from typing import Callable

import pandas as pd

from .cache import ParseCache, derived_key


def by_document(frame: pd.DataFrame, keys: dict[str, str | None], cache: ParseCache, stage: str,
                compute: Callable[[str, pd.DataFrame], pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance),
    cached under the document's parse key and the rules; the results concatenated."""
    parts = []
    for doc_id, rows in frame.groupby("doc_id", sort=False):
        part = cache.compute(derived_key(keys.get(doc_id), stage), lambda: compute(doc_id, rows.reset_index(drop=True)))
        if len(part):
            parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
