"""The raw files of a build: every document under RAW_DIR at any depth (`file_formats`: text, web pages, Word, PDF, and
formats that are listed only to be quarantined), hashed, with its manifest row."""

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from assets.catalog.file_formats import is_page_asset, listed_format
from assets.domain.reading.decode import InputError
from assets.engine.portable import register

MAX_BYTES = 50 * 1024 * 1024
MAX_SIDE_FILE_BYTES = 20 * 1024 * 1024  # sources.csv, dedup_overrides.csv: a row per file or pair, 10,000 plans ~2 MB


@dataclass(frozen=True)
class RawFile:
    source_file: str  # POSIX path relative to RAW_DIR
    path: Path
    sha256: str | None
    size: int
    manifest: dict = field(default_factory=dict, hash=False, compare=False)
    problem: InputError | None = None  # set when the file cannot even be read


register(RawFile)


def scan_raw_dir(raw_dir: Path, manifest_rows: dict[str, dict] | None = None) -> list[RawFile]:
    """All document files below `raw_dir`, sorted by relative path (so builds are deterministic). A file in a format
    that is not read (`.doc`, `.zip`, an image) is listed with its problem, so that it is quarantined, not skipped."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"RAW_DIR {raw_dir} is not a folder")
    root = raw_dir.resolve()
    manifest_rows = manifest_rows or {}
    files = []
    documents = [(path, fmt) for path in raw_dir.rglob("*") if (fmt := listed_format(path.name)) and not is_page_asset(path)]
    for path, fmt in sorted(documents, key=lambda item: item[0].relative_to(raw_dir).as_posix()):
        rel = path.relative_to(raw_dir).as_posix()
        row = manifest_rows.get(rel, {})
        problem = _problem(path, root)
        if problem:
            files.append(RawFile(rel, path, None, 0, row, problem))
            continue
        try:
            data = read_regular(path, MAX_BYTES)
        except InputError as error:
            files.append(RawFile(rel, path, None, 0, row, error))
            continue
        unread = None if fmt.read else InputError("inventory", fmt.what_to_do)
        files.append(RawFile(rel, path, hashlib.sha256(data).hexdigest(), len(data), row, unread))
    return files


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is (still) a regular file of at most `limit` bytes; else InputError('inventory'). Opened
    without blocking and checked on the open file: a FIFO or device put in its place after `_problem` looked at it is
    neither waited for nor read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError("inventory", f"cannot be read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("inventory", "is not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError("inventory", f"is over the {limit} byte limit")
    return data


def read_side_file(raw_dir: Path, name: str) -> bytes | None:
    """A file of settings beside the texts (`sources.csv`, `dedup_overrides.csv`): its bytes, None when there is none;
    InputError when it is not a regular file inside RAW_DIR of at most MAX_SIDE_FILE_BYTES (it is then not read at all)."""
    path = Path(raw_dir) / name
    if not os.path.lexists(path):
        return None
    problem = _problem(path, Path(raw_dir).resolve(), MAX_SIDE_FILE_BYTES)
    if problem:
        raise problem
    return read_regular(path, MAX_SIDE_FILE_BYTES)


def _problem(path: Path, root: Path, limit: int = MAX_BYTES) -> InputError | None:
    """Why `path` cannot be read as a policy text, or None. Only a symlink is resolved (resolving every path takes a
    stat per path component); a regular file found under RAW_DIR is where it was found."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            resolved = path.resolve(strict=True)
            if not resolved.is_relative_to(root):
                return InputError("inventory", f"is a symlink pointing outside RAW_DIR (to {resolved}); not read")
            info = resolved.stat()
    except (OSError, RuntimeError) as exc:
        return InputError("inventory", f"cannot be resolved ({exc.__class__.__name__}: {exc}); a broken or looping symlink?")
    if not stat.S_ISREG(info.st_mode):
        return InputError("inventory", "is not a regular file")
    if info.st_size > limit:
        return InputError("inventory", f"is {info.st_size} bytes, over the {limit} byte limit")
    if not os.access(path, os.R_OK):
        return InputError("inventory", "is not readable (permission denied)")
    return None
