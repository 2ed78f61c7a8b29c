"""Files written whole or not at all: written beside their final name, then renamed over it, so a reader sees the
old file or the new one, never half of one (the one helper every writer of the warehouse uses)."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` (`.<name>.<8 hex digits>`) for the block to write; renamed over `path` when the
    block ends, removed when it raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """`text` as the UTF-8 file `path`, replaced whole."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
