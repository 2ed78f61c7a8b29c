"""Per-document cache of parse results, keyed by what determines them: the raw bytes, the path (ids
derive from it), the manifest row and PARSER_VERSION. Unchanged documents are not parsed again."""
import hashlib
import json
import os
import pickle
import uuid
from pathlib import Path

from .decode import InputError
from .documents import PARSER_VERSION
from .inventory import RawFile


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
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def compute(self, key: str | None, make):
        """`make()` through the cache. An InputError is remembered too and raised again: a bad file stays
        quarantined, without being parsed again, until its bytes change."""
        if key is None:
            return make()
        value = self.get(key)
        if value is None:
            try:
                value = make()
            except InputError as err:
                value = err
            self.put(key, value)
        if isinstance(value, InputError):
            raise value
        return value

    def prune(self) -> int:
        """Remove entries this build did not use (changed or removed documents, older parser versions)."""
        removed = 0
        for path in self.folder.glob("*/*.pkl"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
