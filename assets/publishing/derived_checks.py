"""The derived `check_*` columns some expectations read: facts about a row that need other rows or tables (does a
foreign key exist, does a provision's text stand at its offsets in its document, does its number follow the previous
one), computed here in pandas and Arrow and checked by great-expectations as plain column values."""

import re

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.catalog.schema import TABLES
from assets.catalog.vocabularies import GROWTH_OR_REDUCTION
from assets.domain.frames import rows_at
from assets.engine.row_memo import RowMemo
from assets.publishing.suites import fk_check_column
from assets.publishing.warehouse import hashed_rows


def check_frames(
    frames: dict[str, pd.DataFrame], memo: RowMemo | None = None, hashes: dict[str, np.ndarray] | None = None
) -> dict[str, pd.DataFrame]:
    """Each table with the derived `check_*` columns its suite looks at (computed here, in plain pandas). With a
    `memo` (and the row hashes of each table), span verdicts it holds are taken from it: only rows whose values or
    document text no earlier validation saw are looked up in the texts."""
    # Shallow copies: under pandas' copy-on-write, added columns never reach the caller's frames, and no data is copied.
    out = {name: frame.copy(deep=False) for name, frame in frames.items()}
    with duckdb.connect() as con:
        for name, table in TABLES.items():
            for column, ref_table, ref_column in table.foreign_keys:
                out[name][fk_check_column(column, ref_table)] = _exists(out[name][column], frames[ref_table][ref_column], con)
        documents = out["documents"]
        documents["check_duplicate_of_in_documents"] = _exists(documents["duplicate_of"], frames["documents"]["doc_id"], con)
        documents["check_not_own_duplicate"] = _not_itself(documents["duplicate_of"], documents["doc_id"])
        clusters = out["measure_clusters"]
        clusters["check_cluster_member"] = _named_after_member(clusters, con) if len(clusters) else pd.Series(dtype=bool)
    texts = frames["document_texts"]
    measures = out["measures"]
    if len(measures):
        measures["check_span"] = _spans(measures, texts, False, "measures", memo, hashes)
        measures["check_numbering"] = _numbering_ok(measures)
        measures["check_not_own_duplicate"] = _not_itself(measures["duplicate_of"], measures["measure_id"])
    else:
        for column in ("check_span", "check_numbering", "check_not_own_duplicate"):
            measures[column] = pd.Series(dtype=bool)
    tags = out["measure_indicators"]
    tags["check_one_primary"] = _one_primary(tags) if len(tags) else pd.Series(dtype=bool)
    targets = out["targets"]
    if len(targets):
        share = targets["unit"].eq("%") & ~targets["metric"].fillna("").str.contains(GROWTH_OR_REDUCTION)
        targets["check_share"] = targets["value"].where(share)
        has_max = targets["value_max"].notna()
        targets["check_range"] = (has_max == targets["comparator"].eq("range")) & (~has_max | (targets["value_max"] > targets["value"]))
        targets["check_span"] = _spans(targets, texts, True, "targets", memo, hashes)
    else:
        for column in ("check_share", "check_range", "check_span"):
            targets[column] = pd.Series(dtype=object)
    return out


def _not_itself(duplicate_of: pd.Series, ids: pd.Series) -> pd.Series:
    """False where a row names itself as the row it duplicates, True where it names another, None where it names none."""
    differs = pc.not_equal(*_same_type(_arrow(duplicate_of), _arrow(ids)))  # null where duplicate_of is
    return pd.Series(differs.to_pylist(), index=duplicate_of.index, dtype=object)


def _exists(values: pd.Series, keys: pd.Series, con: duckdb.DuckDBPyConnection | None = None) -> pd.Series:
    """True where the value is one of `keys`, None where it is null: a semi-join in DuckDB on the Arrow columns
    (`_found`), faster than Arrow's is_in on the largest reference columns.
    `con`: a connection to reuse (a new DuckDB database per check adds up over many checks)."""
    if con is None:
        with duckdb.connect() as own:
            return _exists(values, keys, own)
    arrow, key_set = _same_type(_arrow(values), _arrow(keys))
    exists = _found(
        con, {"checked": pa.table({"v": arrow}), "keys": pa.table({"k": key_set})}, "SELECT position FROM checked SEMI JOIN keys ON v = k"
    )
    return pd.Series(np.where(values.isna().to_numpy(), None, exists), index=values.index, dtype=object)


def _found(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], query: str) -> np.ndarray:
    """Which rows of the first of `tables` `query` selects (by the `position` column it is given, 0, 1, …): a mask in
    the rows' order. DuckDB does not keep the input order through a join, and sorting its result back costs more
    than the join."""
    (first, table), *others = tables.items()
    con.register(first, table.append_column("position", pa.array(np.arange(table.num_rows))))
    for name, other in others:
        con.register(name, other)
    try:
        positions = con.sql(query).to_arrow_table().column("position").to_numpy()
    finally:
        for name in tables:
            con.unregister(name)
    found = np.zeros(table.num_rows, dtype=bool)
    found[positions] = True
    return found


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of keys in Arrow (taken over where pandas already holds it in Arrow); nulls stay null."""
    array = values.array
    if hasattr(array, "__arrow_array__"):
        return pa.array(array)
    return pa.array(values.to_numpy(dtype=object, na_value=None), from_pandas=True, type=pa.large_string())


def _same_type(values: pa.Array | pa.ChunkedArray, keys: pa.Array | pa.ChunkedArray) -> tuple:
    """Both as large strings when their types differ (a cast copies every string, so only then)."""
    if values.type != keys.type:
        return values.cast(pa.large_string()), keys.cast(pa.large_string())
    return values, keys


def _one_array(arrow: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A lookup set as one array (Arrow's is_in and index_in take no chunked value set)."""
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def _named_after_member(clusters: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> pd.Series:
    """True where a row's cluster_id, less its first two characters (`c-`), is the measure_id of a row of the same
    cluster (a cluster is named after its representative): a semi-join of the table with itself in DuckDB (faster than
    Arrow's index_in)."""
    rows = pa.table({"cluster_id": _arrow(clusters["cluster_id"]), "measure_id": _arrow(clusters["measure_id"])})
    named = _found(
        con,
        {"c": rows, "m": rows},
        "SELECT position FROM c SEMI JOIN m ON m.measure_id = substr(c.cluster_id, 3) AND m.cluster_id = c.cluster_id",
    )
    return pd.Series(named, index=clusters.index, dtype=bool)


def _spans(
    rows: pd.DataFrame, texts: pd.DataFrame, strict: bool, table: str, memo: RowMemo | None, hashes: dict[str, np.ndarray] | None
) -> list[bool] | np.ndarray:
    """`_spans_ok` of the rows of `table`; with a memo, computed only for rows it holds no verdict on, by key: the
    row's hash with the hash of its document's text row."""
    if memo is None:
        return _spans_ok(rows, texts, strict)
    text_hash = np.zeros(len(rows), np.uint64)
    if len(texts):
        at = pc.index_in(*_same_type(_arrow(rows["doc_id"]), _one_array(_arrow(texts["doc_id"]))))
        found = pc.is_valid(at).to_numpy(zero_copy_only=False)
        text_hash[found] = hashes["document_texts"][pc.drop_null(at).to_numpy(zero_copy_only=False)]
    keys = hashed_rows(pa.table({"text_hash": pa.array(text_hash)}), with_hashes=hashes[table])
    return memo.spans(table, keys, lambda positions: _spans_ok(rows_at(rows, positions), texts, strict))


def _spans_ok(rows: pd.DataFrame, texts: pd.DataFrame, strict: bool) -> list[bool]:
    """`_span_ok` of each row against its document's text. A text becomes a Python string when the rows reach its
    document and is dropped when they leave it (rows come grouped by document): all texts at once as Python strings
    were the build's memory peak at scale."""
    row_of = dict(zip(texts["doc_id"].tolist(), range(len(texts)))) if len(texts) else {}
    strings = texts["text"].dtype == object  # Python strings already: taken as they are
    column = texts["text"].to_numpy() if strings else pa.array(texts["text"].array) if len(texts) else None
    out, current, text = [], object(), None
    for doc_id, start, end, value in zip(*(rows[c].tolist() for c in ("doc_id", "char_start", "char_end", "text"))):
        if doc_id != current:
            current, at = doc_id, row_of.get(doc_id)
            text = None if at is None else column[at] if strings else column[at].as_py()
        out.append(_span_ok(text, start, end, value, strict))
    return out


def _span_ok(text: str | None, start, end, value: str, strict: bool) -> bool:
    """text equals the document at its offsets; for measures, each of its lines stands there in order
    (own-line annotations and a removed repeated sentence are skipped)."""
    if text is None or not (0 <= start <= end <= len(text)):
        return False
    if text[start:end] == value:
        return True
    if strict:
        return False
    position, span = 0, text[start:end]
    for piece in (p for line in value.split("\n") for p in re.findall(r"[^。！？；]+[。！？；]?", line)):
        found = span.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _one_primary(tags: pd.DataFrame) -> pd.Series:
    """True where the row's measure has exactly one primary tag: counted over the measure ids' dictionary codes
    (pandas' groupby on Arrow-backed strings is much slower)."""
    codes = pc.dictionary_encode(_one_array(_arrow(tags["measure_id"]))).indices
    valid = pc.is_valid(codes).to_numpy(zero_copy_only=False)
    at = pc.fill_null(codes, 0).to_numpy(zero_copy_only=False)
    primary = tags["is_primary"].fillna(False).to_numpy(dtype=bool)
    counts = np.bincount(at[valid], weights=primary[valid], minlength=int(at.max(initial=-1)) + 1)
    return pd.Series(valid & (counts[at] == 1), index=tags.index, dtype=bool)


def _numbering_ok(measures: pd.DataFrame) -> pd.Series:
    """True where a provision's number follows the previous one of the same document and kind, starts again at 1, or
    is the first of them."""
    previous = measures.groupby(["doc_id", "kind"], sort=False, dropna=False)["number"].shift()
    number = measures["number"]
    return (previous.isna() | number.eq(previous + 1) | number.eq(1)).astype(bool)
