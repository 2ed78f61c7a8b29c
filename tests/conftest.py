import shutil
from pathlib import Path

import pytest

from tests.helpers import RAW, build


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A temporary copy of the bundled raw/ folder."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, release folder) of one build and release of the bundled raw/, shared by the read-only tests."""
    import datetime as dt

    from assets.publishing.release_bundle import cut_release

    root = tmp_path_factory.mktemp("seed")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    warehouse = root / "warehouse"
    build(raw, warehouse)
    release = cut_release(warehouse / "current", warehouse / "releases", dt.date(2026, 11, 22))
    return warehouse, release
