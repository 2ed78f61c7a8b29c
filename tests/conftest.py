import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A temporary copy of the bundled raw/ folder."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def seed_texts() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(RAW.glob("*.txt"))}
