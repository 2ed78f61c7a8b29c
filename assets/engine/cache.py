"""What the build keeps between runs: per-document results under their stage's key (`keys.Stage`: the document's
path, bytes and manifest row, and the code and data files of the stage and of the stages it reads from), so
unchanged documents are not computed again; and whole-stage values valid under the same code.

Nothing is unpickled: indexes and values are `portable` files (JSON and Arrow, with a SHA-256), segment files are Arrow
with their SHA-256 in the index. A file that is unreadable or fails its checksum is dropped with a warning naming it
(`problems`), and what it held is computed again: a damaged cache costs time, never a wrong table or a failed build.
"""

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa

import assets.engine.domain_types  # noqa: F401  (registers the domain's classes the values hold)
from assets.domain.reading.decode import InputError
from assets.engine.atomic import replacing
from assets.engine.keys import Stage
from assets.engine.parallel import parallel_map
from assets.engine.portable import DamagedFile, file_digest, read_values, write_values
from assets.engine.table_files import StoredTable, stack_tables


@dataclass
class Combined:
    """A per-document stage's results for a corpus: each table with every document's rows in the corpus's order, and
    each document's extra value (small: warnings, counts), or the InputError it raised, in the same order."""

    tables: dict[str, pa.Table]
    extras: list
    stored: dict[str, StoredTable]  # the same tables as slices of the snapshot's (immutable) segment files


Part = tuple[dict[str, pa.Table], object]  # one document's tables and extra value


class StageSnapshot:
    """A per-document stage's results kept between builds in `folder/<stage>/`: each table in Arrow IPC segment files
    (`<table>.<segment>.arrow`), and an index of each document's key (its parse key and the rules), extra value and
    row range in a segment of each table. A build takes the rows of documents whose key it finds as slices of the
    memory-mapped segments, computes only the others and writes their rows as a new segment: a one-document rebuild
    writes one document's rows, not the corpus's (reading ten thousand cached entries one file each, then rewriting
    the whole stage, took most of such a rebuild). Segments are merged into one when there are more than
    MAX_SEGMENTS or when documents no longer in the corpus hold most of their rows."""

    INDEX = "index.values"
    MAX_SEGMENTS = 16

    def __init__(self, folder: Path, stage: Stage):
        self.stage = stage
        self.folder = Path(folder) / stage.name
        self.hits = 0  # documents the last `combined` took from the snapshot
        self.computed: set[str | None] = set()  # the document keys the last `combined` computed (None: never cached)
        self.problems: list[str] = []  # damaged files the last `combined` dropped (their documents were computed again)
        self._digests: dict[str, dict[str, str]] = {}  # segment → table → SHA-256 of its file

    def combined(
        self, documents: list[str | None], make: Callable[[int], Part], names: list[str], workers: int = 1, progress: str | None = None
    ) -> Combined:
        """The tables `names` and extras of the documents with these document keys (`keys.document_key`): the stored
        ones where the snapshot holds the stage's key for the document, `make(i)` (on `workers` cores) for the others. An InputError is kept like a result, so a bad file stays
        quarantined without being parsed again until its bytes change (a `transient` one is not kept); a None key is
        computed and never kept."""
        self.problems = []
        keys = [self.stage.key(document) for document in documents]
        index = self._load(names)
        ranges, segments = index["ranges"], index["segments"]
        stored_segments = set(segments)
        missing = [i for i, key in enumerate(keys) if key is None or key not in ranges]
        made = parallel_map(lambda j: make(missing[j]), len(missing), workers, progress)
        entries = [ranges.get(key) for key in keys]  # (extra, {name: (segment, start, count)}) of each document
        if missing:
            segment, written = self._write_segment(names, made)
            segments[segment] = {name: self._open(name, segment) for name in names}
            self._digests[segment] = {name: file_digest(self._path(name, segment)) for name in names}
            for i, entry in zip(missing, written):
                entries[i] = entry
        self.hits = len(keys) - len(missing)
        self.computed = {documents[i] for i in missing}
        runs = {name: _runs([places[name] for _, places in entries]) for name in names}
        tables = {
            name: stack_tables([segments[segment][name].slice(start, count) for segment, start, count in runs[name]]) for name in names
        }
        used = {place[0] for _, places in entries for place in places.values()}
        stored_rows = sum(t.num_rows for segment in used for t in segments[segment].values())
        if len(used) > self.MAX_SEGMENTS or sum(t.num_rows for t in tables.values()) * 2 < stored_rows:
            entries = self._compact(names, tables, entries)
            runs = {name: _runs([places[name] for _, places in entries]) for name in names}
        kept = {key: entry for key, entry in zip(keys, entries) if key is not None and not getattr(entry[0], "transient", False)}
        used = {place[0] for _, places in kept.values() for place in places.values()}
        if missing or kept.keys() != ranges.keys() or used != stored_segments:
            self._save_index(names, kept, used)
        stored = {
            name: StoredTable(
                tables[name].schema, tuple((str(self._path(name, segment)), start, count) for segment, start, count in runs[name])
            )
            for name in names
        }
        return Combined(tables, [extra for extra, _ in entries], stored)

    def _path(self, name: str, segment: str) -> Path:
        return self.folder / f"{name}.{segment}.arrow"

    def _open(self, name: str, segment: str) -> pa.Table:
        return pa.ipc.open_file(pa.memory_map(str(self._path(name, segment)))).read_all()

    def _load(self, names: list[str]) -> dict:
        """The stored index with its segments' tables (memory mapped): empty when there is none or it was written for
        other tables; without the entries of a segment file that is missing, unreadable or fails its checksum, and empty
        when the index itself is so (each such file named in `problems`)."""
        empty = {"names": names, "ranges": {}, "segments": {}}
        path = self.folder / self.INDEX
        try:
            index = read_values(path)
        except FileNotFoundError:
            return empty
        except (OSError, DamagedFile) as error:
            self.problems.append(f"{error}; the stage's cache is dropped and its documents computed again")
            return empty
        if not isinstance(index, dict) or index.get("names") != names:
            return empty
        self._digests, segments = {}, {}
        for segment, digests in index["segments"].items():
            try:
                for name in names:
                    if file_digest(self._path(name, segment)) != digests[name]:
                        raise DamagedFile(
                            self._path(name, segment), "checksum differs from the cache index: the file was changed or damaged"
                        )
                segments[segment] = {name: self._open(name, segment) for name in names}
                self._digests[segment] = digests
            except (OSError, KeyError, TypeError, DamagedFile, pa.ArrowException) as error:
                damaged = error if isinstance(error, DamagedFile) else f"{self.folder}/*.{segment}.arrow: unreadable ({error!r})"
                self.problems.append(f"{damaged}; the documents it held are computed again")
        ranges = {key: entry for key, entry in index["ranges"].items() if all(place[0] in segments for place in entry[1].values())}
        return {"names": names, "ranges": ranges, "segments": segments}

    def _write_segment(self, names: list[str], made: list) -> tuple[str, list[tuple]]:
        """The rows of newly computed documents as a new segment; each document's entry (extra, row ranges)."""
        segment = uuid.uuid4().hex[:12]
        parts: dict[str, list[pa.Table]] = {name: [] for name in names}
        entries, rows = [], dict.fromkeys(names, 0)
        for value in made:
            tables, extra = ({}, value) if isinstance(value, InputError) else value
            places = {}
            for name in names:
                table = tables.get(name)
                count = table.num_rows if table is not None else 0
                if count:
                    parts[name].append(table.replace_schema_metadata(None))
                places[name] = (segment, rows[name], count)
                rows[name] += count
            entries.append((extra, places))
        for name in names:
            _write_ipc(stack_tables(parts[name]).combine_chunks(), self._path(name, segment))
        return segment, entries

    def _compact(self, names: list[str], tables: dict[str, pa.Table], entries: list[tuple]) -> list[tuple]:
        """The corpus's rows rewritten as one segment, in corpus order; the documents' entries pointing into it."""
        segment = uuid.uuid4().hex[:12]
        for name in names:
            _write_ipc(tables[name].combine_chunks(), self._path(name, segment))
        self._digests[segment] = {name: file_digest(self._path(name, segment)) for name in names}
        rows, compacted = dict.fromkeys(names, 0), []
        for extra, places in entries:
            compacted.append((extra, {name: (segment, rows[name], places[name][2]) for name in names}))
            for name in names:
                rows[name] += places[name][2]
        return compacted

    def _save_index(self, names: list[str], ranges: dict, segments: set[str]) -> None:
        """The new index, swapped in atomically; then segment files it no longer names, and cache entries of older
        layouts, removed."""
        write_values(
            self.folder / self.INDEX,
            {"names": names, "ranges": ranges, "segments": {segment: self._digests[segment] for segment in sorted(segments)}},
        )
        for path in self.folder.iterdir():
            if (
                path.is_dir() or path.suffix == ".arrow" and path.name.split(".")[-2] not in segments or path.suffix == ".pkl"
            ):  # and the pickled index of older versions
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _runs(where: list) -> list[tuple[str, int, int]]:
    """The documents' row ranges (segment, start, count) in order, consecutive ranges of a segment joined into one: a
    table assembled from them has a few chunks, not one per document."""
    runs: list[list] = []
    for segment, start, count in where:
        if not count:
            continue
        if runs and runs[-1][0] == segment and runs[-1][1] + runs[-1][2] == start:
            runs[-1][2] += count
        else:
            runs.append([segment, start, count])
    return [tuple(run) for run in runs]


def _write_ipc(table: pa.Table, path: Path) -> None:
    """An Arrow IPC file of one record batch, replaced whole."""
    with replacing(path) as tmp, pa.ipc.new_file(str(tmp), table.schema) as writer:
        writer.write_table(table, max_chunksize=max(1, table.num_rows))


class StageFile:
    """One value for a whole stage (such as the dedup verdicts of the last build), valid while the stage's code is
    unchanged: `folder/<stage>/<stage fingerprint>.values` (a `portable` file), written atomically, older ones removed."""

    def __init__(self, folder: Path, stage: Stage):
        self.folder = Path(folder) / stage.name
        self.path = self.folder / f"{stage.fingerprint()[:16]}.values"
        self.problems: list[str] = []  # a damaged file `load` dropped

    def load(self, default):
        """The stored value; `default` when there is none, or when it is damaged or unreadable (named in `problems`)."""
        try:
            return read_values(self.path)
        except FileNotFoundError:
            return default
        except (OSError, DamagedFile) as error:
            self.problems.append(f"{error}; computed again")
            return default

    def save(self, value) -> None:
        write_values(self.path, value)
        for old in self.folder.iterdir():
            if old != self.path and old.suffix in (".values", ".pkl"):
                old.unlink(missing_ok=True)
