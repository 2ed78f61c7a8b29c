"""Run a per-document computation over a corpus frame through the stage's snapshot, keeping the frame's order."""

from typing import Callable

import pandas as pd
import pyarrow as pa

from assets.domain.frames import frame_of, owned_table, rows_at
from assets.domain.reading.decode import InputError
from assets.engine.cache import Combined, StageSnapshot


def tables_by_document(
    frame: pd.DataFrame,
    keys: dict[str, str | None],
    snapshot: StageSnapshot,
    compute: Callable[[str, pd.DataFrame], dict[str, pd.DataFrame]],
    columns: dict[str, list[str]],
    workers: int = 1,
) -> dict[str, pd.DataFrame]:
    """`compute(doc_id, rows of that document)` for each document of `frame` (in order of first appearance), which
    returns tables of rows (named as in `columns`); each table combined over the documents, in that order, as one
    Arrow table would hold them (a column's type unified over the documents: one that is empty in some or whole
    numbers in some and fractions in others takes the wider type). Results are kept under the document's parse key
    (`keys`: doc_id → document key) under the snapshot's stage; documents the snapshot does not hold are computed on `workers` cores."""
    if frame.empty:
        return {name: pd.DataFrame(columns=names) for name, names in columns.items()}
    combined = combined_by_document(frame, keys, snapshot, compute, list(columns), workers)
    return {name: frame_of(combined.tables[name], names) for name, names in columns.items()}


def combined_by_document(
    frame: pd.DataFrame,
    keys: dict[str, str | None],
    snapshot: StageSnapshot,
    compute: Callable[[str, pd.DataFrame], dict[str, pd.DataFrame]],
    names: list[str],
    workers: int = 1,
) -> Combined:
    """`tables_by_document` as Arrow: the combined tables and the same as slices of the snapshot's files (for a table
    too large to turn into a frame or to write again for every step). `frame` must have rows."""
    positions = sorted(frame.groupby("doc_id", sort=False).indices.items(), key=lambda item: item[1][0])

    def make(i: int) -> tuple[dict[str, pa.Table], None]:
        doc_id, at = positions[i]
        return {name: owned_table(table) for name, table in compute(doc_id, rows_at(frame, at)).items()}, None

    combined = snapshot.combined([keys.get(doc_id) for doc_id, _ in positions], make, names, workers, progress=snapshot.stage.name)
    for extra in combined.extras:
        if isinstance(extra, InputError):
            raise extra
    return combined


def by_document(
    frame: pd.DataFrame,
    keys: dict[str, str | None],
    snapshot: StageSnapshot,
    compute: Callable[[str, pd.DataFrame], pd.DataFrame],
    columns: list[str],
    workers: int = 1,
) -> pd.DataFrame:
    """`tables_by_document` for computations that return one table."""
    return tables_by_document(frame, keys, snapshot, lambda doc_id, rows: {"rows": compute(doc_id, rows)}, {"rows": columns}, workers)[
        "rows"
    ]
