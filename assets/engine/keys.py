"""What a cached result is valid for: one key scheme for every per-document stage.

A document's key is its path, bytes and manifest row (`document_key`). A stage's key for a document is that key,
the key of the stage it reads from (`Stage.after`), and a fingerprint of the files that stage's code depends on:
its modules, the domain and catalog modules they import at any depth, and the vocabularies (CSV) they name. Editing
a normalization rule re-reads every text; editing an indicator keyword recomputes indicator tags only; editing the
publishing code or the release page recomputes nothing.
"""

import ast
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from assets.catalog import DATA_DIR
from assets.domain.reading.documents import PARSER_VERSION
from assets.engine.inventory import RawFile

ASSETS = Path(__file__).resolve().parents[1]  # the `assets` package: every module below is named relative to it
RULE_PACKAGES = ("assets.catalog", "assets.domain")  # the code and vocabularies that decide a document's rows
CSV_NAME = re.compile(r"[\"']([\w.-]+\.csv)[\"']")


def document_key(raw: RawFile) -> str:
    """What a document's results depend on besides code: its path (ids derive from it), bytes and manifest row."""
    manifest = json.dumps(raw.manifest, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{raw.source_file}\0{raw.sha256}\0{manifest}".encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stage:
    """A per-document stage as the engine keeps it: `name` (its folder in the cache), the modules whose code decides
    its rows (`code`, followed through their domain and catalog imports), and the stage whose results it reads."""

    name: str
    code: tuple[str, ...]
    after: "Stage | None" = None
    libraries: tuple[str, ...] = ()  # packages whose version decides its rows too (a segmenter's dictionary)

    def key(self, document: str | None) -> str | None:
        """The stage's key for a document with key `document` (None: never cached)."""
        if document is None:
            return None
        upstream = self.after.key(document) if self.after else document
        return hashlib.sha256(f"{upstream}\0{self.name}\0{self.fingerprint()}".encode()).hexdigest()

    def fingerprint(self) -> str:
        """A hash of the stage's code and data files and library versions (`stage_fingerprint`)."""
        return stage_fingerprint(self)

    def files(self) -> list[Path]:
        """The code and data files the stage's results depend on."""
        return code_files(self.code)


@lru_cache(maxsize=None)
def stage_fingerprint(stage: Stage) -> str:
    """A hash of `stage.files()` and the versions of `stage.libraries` (computed once per process)."""
    return files_fingerprint(stage.files(), "\0".join([PARSER_VERSION] + [f"{name}={version(name)}" for name in stage.libraries]))


@lru_cache(maxsize=None)
def rules_fingerprint() -> str:
    """A hash of all domain code and the catalog: what a value computed from every stage's rules (the validation memo)
    is kept under."""
    roots = [ASSETS.joinpath(*package.split(".")[1:]) for package in RULE_PACKAGES]
    paths = (p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv"))
    return files_fingerprint(sorted(paths), PARSER_VERSION)


def code_files(modules: tuple[str, ...]) -> list[Path]:
    """The files `modules` depend on: their source, the source of every domain or catalog module they import at any
    depth (imports inside functions included), and the catalog CSV files they name (not users' files: sources.csv)."""
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(_source_of(name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_rule(node.module or ""):
                todo += [f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module for a in node.names]
            elif isinstance(node, ast.Import):
                todo += [a.name for a in node.names if _is_rule(a.name)]
    sources = [_source_of(name) for name in seen]
    data = {n for path in sources for n in CSV_NAME.findall(path.read_text(encoding="utf-8")) if (DATA_DIR / n).is_file()}
    return sorted(set(sources) | {DATA_DIR / name for name in data})


def _is_rule(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in RULE_PACKAGES)


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


# Reading a document (file → text → normalized text and metadata): these modules, what they import (the readers of
# every format, imported inside source_text's functions, included) and the vocabularies they name.
READING = Stage(
    "normalized",
    (
        "assets.domain.reading.documents",
        "assets.domain.reading.source_text",
        "assets.domain.reading.decode",
        "assets.domain.reading.normalize",
        "assets.domain.reading.metadata",
    ),
)
