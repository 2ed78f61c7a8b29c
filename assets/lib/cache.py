"""Per-document cache of parse results, keyed by what determines them: the raw bytes, the path (ids
derive from it), the manifest row and PARSER_VERSION. Unchanged documents are not parsed again."""
import hashlib
import json
import os
import pickle
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Callable

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


class ParseCache:
    """Pickled results in `folder/<stage>/<key[:2]>/<key>.pkl`, written atomically; entries no build used are pruned."""

    def __init__(self, folder: Path, stage: str):
        self.folder = Path(folder) / stage
        self.hits = self.misses = 0
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str):
        self.used.add(key)
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value) -> None:
        _write_pickle(self._path(key), value)

    def compute_all(self, keys: list[str | None], make: Callable[[int], object], workers: int = 1,
                    progress: str | None = None) -> list:
        """The cached value of each key, and `make(i)` for the items the cache misses, computed on `workers` cores and
        cached. An InputError is remembered like a result and returned in its item's place: a bad file stays
        quarantined, without being parsed again, until its bytes change. A None key is computed, never cached."""
        values = [None if key is None else self.get(key) for key in keys]
        missing = [i for i, value in enumerate(values) if value is None]

        def make_and_keep(j: int):
            """Computed and cached where it is computed: the workers write their entries side by side, instead of
            the collecting process writing them one after another (9 s of a 10,000-plan build)."""
            i = missing[j]
            try:
                value = make(i)
            except InputError as err:
                value = err
            if keys[i] is not None:
                self.put(keys[i], value)
            return value

        for i, value in zip(missing, parallel_map(make_and_keep, len(missing), workers, progress)):
            values[i] = value
        return values

    def prune(self) -> int:
        """Remove entries this build did not use (changed or removed documents, older parser versions)."""
        removed = 0
        for path in self.folder.glob("*/*.pkl"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


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
