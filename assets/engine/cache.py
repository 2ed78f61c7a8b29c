"""What the build keeps between runs: per-document results keyed by what determines them (the raw bytes, the path
(ids derive from it), the manifest row, PARSER_VERSION and the reading and extraction code and data), so unchanged documents are
not parsed again; and whole-stage values valid under the same rules.

Nothing is unpickled: indexes and values are `portable` files (JSON and Arrow, with a SHA-256), segment files are Arrow
with their SHA-256 in the index. A file that is unreadable or fails its checksum is dropped with a warning naming it
(`problems`), and what it held is computed again: a damaged cache costs time, never a wrong table or a failed build.
"""

import ast
import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pyarrow as pa

import assets.engine.domain_types  # noqa: F401  (registers the domain's classes the values hold)
from assets.catalog import DATA_DIR
from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import PARSER_VERSION
from assets.engine.inventory import RawFile
from assets.engine.parallel import parallel_map
from assets.engine.portable import DamagedFile, file_digest, read_values, write_values
from assets.engine.table_files import StoredTable, stack_tables

ASSETS = Path(__file__).resolve().parents[1]  # the `assets` package: every module below is named relative to it
RULE_PACKAGES = ("catalog", "domain")  # the code and vocabularies that decide a document's rows


@lru_cache(maxsize=None)
def rules_fingerprint() -> str:
    """A hash of the domain code and the catalog (assets/domain/**.py, assets/catalog/**): results derived from a
    document's provisions are cached under it, so changing a rule or a keyword recomputes them, and editing the
    publishing code or the release page does not."""
    paths = (p for package in RULE_PACKAGES for p in (ASSETS / package).rglob("*") if p.is_file() and p.suffix in (".py", ".csv"))
    return files_fingerprint(sorted(paths), PARSER_VERSION)


# Reading a document (file → text → normalized text and metadata) runs these modules, what they import (the readers of
# every format, imported inside source_text's functions, included), and the data files they name.
READING_MODULES = (
    "assets.domain.reading.source_text",
    "assets.domain.reading.decode",
    "assets.domain.reading.normalize",
    "assets.domain.reading.metadata",
)


def code_files(modules: tuple[str, ...]) -> list[Path]:
    """The files `modules` depend on: their source, the source of every `assets` module they import at any depth
    (imports inside functions included), and the catalog CSV files they name."""
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse(_source_of(name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("assets."):
                todo += [f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module for a in node.names]
            elif isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("assets.")]
    sources = [_source_of(name) for name in seen]
    data = {n for path in sources for n in CSV_NAME.findall(path.read_text(encoding="utf-8")) if (DATA_DIR / n).is_file()}
    return sorted(set(sources) | {DATA_DIR / name for name in data})  # not the names of users' files (sources.csv)


def _source_of(module: str) -> Path:
    relative = ASSETS.joinpath(*module.split(".")[1:])
    return relative / "__init__.py" if relative.is_dir() else relative.with_suffix(".py")


def _is_module(module: str) -> bool:
    relative = ASSETS.joinpath(*module.split(".")[1:])
    return relative.is_dir() or relative.with_suffix(".py").is_file()


def files_fingerprint(paths: list[Path], salt: str = "") -> str:
    """SHA-256 over each file's path (relative to the assets package) and bytes, in the given order."""
    digest = hashlib.sha256(salt.encode())
    for path in paths:
        digest.update(path.relative_to(ASSETS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def reading_files() -> list[Path]:
    """The code and data tables reading a document depends on (`code_files` of READING_MODULES)."""
    return code_files(READING_MODULES)


@lru_cache(maxsize=None)
def reading_fingerprint() -> str:
    """A hash of `reading_files()`: a parse is cached under it, so editing a normalization rule re-reads every
    document, and editing a keyword table of a later stage does not."""
    return files_fingerprint(reading_files())


CSV_NAME = re.compile(r"[\"']([\w.-]+\.csv)[\"']")


def derived_key(document_key: str | None, stage: str) -> str | None:
    """Cache key of a stage's results for one document (targets, indicator tags): its parse key plus the rules."""
    if document_key is None:
        return None
    return hashlib.sha256(f"{document_key}\0{stage}\0{rules_fingerprint()}".encode()).hexdigest()


def cache_key(raw: RawFile) -> str:
    """Cache key of a document's parse: its path, bytes and manifest row, and the reading code and data (a change to
    normalization or metadata rules must not reuse texts read by the old rules)."""
    manifest = json.dumps(raw.manifest, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(
        f"{PARSER_VERSION}\0{reading_fingerprint()}\0{raw.source_file}\0{raw.sha256}\0{manifest}".encode("utf-8")
    ).hexdigest()


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

    def __init__(self, folder: Path, stage: str):
        self.folder = Path(folder) / stage
        self.hits = 0  # documents the last `combined` took from the snapshot
        self.computed: set[str | None] = set()  # the keys the last `combined` computed (None: a document never cached)
        self.problems: list[str] = []  # damaged files the last `combined` dropped (their documents were computed again)
        self._digests: dict[str, dict[str, str]] = {}  # segment → table → SHA-256 of its file

    def combined(
        self, keys: list[str | None], make: Callable[[int], Part], names: list[str], workers: int = 1, progress: str | None = None
    ) -> Combined:
        """The tables `names` and extras of the documents with these keys: the stored ones where the snapshot holds
        the key, `make(i)` (on `workers` cores) for the others. An InputError is kept like a result, so a bad file stays
        quarantined without being parsed again until its bytes change (a `transient` one is not kept); a None key is
        computed and never kept."""
        self.problems = []
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
        self.computed = {keys[i] for i in missing}
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
    """An Arrow IPC file of one record batch, written beside its final name and renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
    with pa.ipc.new_file(str(tmp), table.schema) as writer:
        writer.write_table(table, max_chunksize=max(1, table.num_rows))
    os.replace(tmp, path)


class StageFile:
    """One value for a whole stage (such as the dedup verdicts of the last build), valid while the rules are unchanged:
    `folder/<stage>/<rules fingerprint>.values` (a `portable` file), written atomically, older versions removed."""

    def __init__(self, folder: Path, stage: str):
        self.folder = Path(folder) / stage
        self.path = self.folder / f"{rules_fingerprint()[:16]}.values"
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
