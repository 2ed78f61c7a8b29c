"""What the build keeps between runs: per-document results keyed by what determines them (the raw bytes, the path
(ids derive from it), the manifest row, PARSER_VERSION and, for derived stages, the rules), so unchanged documents are
not parsed again; and whole-stage values valid under the same rules."""
import hashlib
import json
import os
import pickle
import shutil
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pyarrow as pa

from .decode import InputError
from .documents import PARSER_VERSION
from .inventory import RawFile
from .parallel import parallel_map


LIB = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def rules_fingerprint() -> str:
    """A hash of the extraction code and its data tables (assets/lib/**.py, assets/lib/data/*): results derived
    from a document's provisions are cached under it, so changing a rule or a keyword recomputes them."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for path in sorted(p for p in LIB.rglob("*") if p.is_file() and p.suffix in (".py", ".csv")):
        digest.update(path.relative_to(LIB).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def derived_key(document_key: str | None, stage: str) -> str | None:
    """Cache key of a stage's results for one document (targets, indicator tags): its parse key plus the rules."""
    if document_key is None:
        return None
    return hashlib.sha256(f"{document_key}\0{stage}\0{rules_fingerprint()}".encode()).hexdigest()


def cache_key(raw: RawFile) -> str:
    manifest = json.dumps(raw.manifest, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{PARSER_VERSION}\0{raw.source_file}\0{raw.sha256}\0{manifest}".encode("utf-8")).hexdigest()


@dataclass
class Combined:
    """A per-document stage's results for a corpus: each table with every document's rows in the corpus's order, and
    each document's extra value (small: warnings, counts), or the InputError it raised, in the same order."""

    tables: dict[str, pa.Table]
    extras: list


Part = tuple[dict[str, pa.Table], object]  # one document's tables and extra value


class StageSnapshot:
    """A per-document stage's results kept between builds in `folder/<stage>/snapshot/`: each table as one Arrow IPC
    file holding every document's rows in corpus order, and an index of each document's key (its parse key and the
    rules), row range in each table and extra value. A build takes the rows of documents whose key it finds as slices
    of the memory-mapped files, computes only the others, and writes the snapshot of the new corpus: reading ten
    thousand cached entries one file each and combining them took most of a one-document rebuild."""

    INDEX = "index.pkl"

    def __init__(self, folder: Path, stage: str):
        self.folder = Path(folder) / stage
        self.path = self.folder / "snapshot"
        self.hits = 0  # documents the last `combined` took from the snapshot

    def combined(self, keys: list[str | None], make: Callable[[int], Part], names: list[str], workers: int = 1,
                 progress: str | None = None) -> Combined:
        """The tables `names` and extras of the documents with these keys: the stored ones where the snapshot holds
        the key, `make(i)` (on `workers` cores) for the others. An InputError is kept like a result, so a bad file stays
        quarantined without being parsed again until its bytes change; a None key is computed and never kept."""
        index, stored = self._load(names)
        missing = [i for i, key in enumerate(keys) if key is None or key not in index]
        made = dict(zip(missing, parallel_map(lambda j: make(missing[j]), len(missing), workers, progress)))
        pieces: dict[str, _Pieces] = {name: _Pieces(stored.get(name)) for name in names}
        extras, ranges = [], {}
        for i, key in enumerate(keys):
            if i in made:
                tables, extra = ({}, made[i]) if isinstance(made[i], InputError) else made[i]
                counts = {name: pieces[name].add_table(tables.get(name)) for name in names}
            else:
                extra, rows = index[key]
                counts = {name: pieces[name].add_stored(*rows[name]) for name in names}
            extras.append(extra)
            if key is not None:
                ranges[key] = (extra, counts)
        combined = {name: pieces[name].table() for name in names}
        if missing or len(ranges) != len(index):
            self._save(combined, ranges)
        self.hits = len(keys) - len(missing)
        return Combined(combined, extras)

    def _load(self, names: list[str]) -> tuple[dict, dict[str, pa.Table]]:
        """The stored index and tables (memory mapped); empty when there is none or it is unreadable."""
        try:
            with open(self.path / self.INDEX, "rb") as fh:
                stored = pickle.load(fh)
            if stored["names"] != names:  # the stage's tables changed: nothing stored fits
                return {}, {}
            index = stored["ranges"]
            tables = {name: pa.ipc.open_file(pa.memory_map(str(self.path / f"{name}.arrow"))).read_all() for name in names}
        except (OSError, EOFError, KeyError, TypeError, pickle.UnpicklingError, AttributeError, ImportError, pa.ArrowInvalid):
            return {}, {}
        return index, tables

    def _save(self, tables: dict[str, pa.Table], ranges: dict[str, tuple]) -> None:
        """The new snapshot, written beside the old one and swapped in; cache entries of older layouts removed."""
        staging = self.folder / f".snapshot-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        for name, table in tables.items():
            with pa.ipc.new_file(str(staging / f"{name}.arrow"), table.schema) as writer:
                writer.write_table(table, max_chunksize=max(1, table.num_rows))
        with open(staging / self.INDEX, "wb") as fh:
            pickle.dump({"names": list(tables), "ranges": ranges}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        previous = self.folder / f".old-{uuid.uuid4().hex[:8]}"
        if self.path.exists():
            os.rename(self.path, previous)
        os.rename(staging, self.path)
        for old in [previous, *self.folder.glob("??")]:  # the replaced snapshot; one-file-per-document entries
            shutil.rmtree(old, ignore_errors=True)


class _Pieces:
    """One table being assembled from stored row ranges (consecutive ones joined into one slice) and new tables."""

    def __init__(self, stored: pa.Table | None):
        self.stored, self.parts, self.rows = stored, [], 0
        self.run: list[int] | None = None  # [start, stop) of the stored rows being gathered

    def add_stored(self, start: int, count: int) -> tuple[int, int]:
        if count:
            if self.run and self.run[1] == start:
                self.run[1] += count
            else:
                self._close_run()
                self.run = [start, start + count]
        self.rows += count
        return self.rows - count, count

    def add_table(self, table: pa.Table | None) -> tuple[int, int]:
        count = table.num_rows if table is not None else 0
        if count:
            self._close_run()
            self.parts.append(table.replace_schema_metadata(None))
        self.rows += count
        return self.rows - count, count

    def _close_run(self) -> None:
        if self.run:
            self.parts.append(self.stored.slice(self.run[0], self.run[1] - self.run[0]))
            self.run = None

    def table(self) -> pa.Table:
        """The rows in order as one table of one chunk per column (types unified: null and int widen to the
        other documents' type); a table without columns when no document has rows."""
        self._close_run()
        if not self.parts:
            return pa.table({})
        return pa.concat_tables(self.parts, promote_options="permissive").combine_chunks()


class StageFile:
    """One pickled value for a whole stage (such as the dedup verdicts of the last build), valid while the rules
    are unchanged: `folder/<stage>/<rules fingerprint>.pkl`, written atomically, older versions removed."""

    def __init__(self, folder: Path, stage: str):
        self.folder = Path(folder) / stage
        self.path = self.folder / f"{rules_fingerprint()[:16]}.pkl"

    def load(self, default):
        try:
            with open(self.path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return default

    def save(self, value) -> None:
        _write_pickle(self.path, value)
        for old in self.folder.glob("*.pkl"):
            if old != self.path:
                old.unlink(missing_ok=True)


def _write_pickle(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
