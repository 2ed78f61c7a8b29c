"""Case 8: sources.csv and dedup_overrides.csv are read only as regular files inside RAW_DIR, of a bounded size."""

import os
import threading

import pytest

from assets.domain.dedup.matching import OVERRIDES_NAME
from assets.engine.manifest import MANIFEST_NAME, read_manifest
from assets.engine.overrides import read_overrides
from tests.helpers import GOOD, build, by_file, table

SECRET = "secret-line-outside-raw-dir"


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def everything_published(warehouse) -> str:
    return repr([table(warehouse, name) for name in ("quarantine", "parse_warnings", "documents")])


@pytest.mark.slow
@pytest.mark.parametrize("name", [MANIFEST_NAME, OVERRIDES_NAME])
def test_a_side_file_that_links_outside_raw_dir_is_not_read(raw, tmp_path, name):
    outside = tmp_path / "outside.csv"
    outside.write_text(f"{SECRET},b\nx,y\n", encoding="utf-8")
    (raw / name).symlink_to(outside)
    build(raw, tmp_path / "w")
    published = everything_published(tmp_path / "w")
    assert SECRET not in published and "outside RAW_DIR" in published
    assert "good.txt" in by_file(tmp_path / "w")


@pytest.mark.slow
@pytest.mark.parametrize("name", [MANIFEST_NAME, OVERRIDES_NAME])
def test_a_side_file_that_is_a_folder_is_reported_not_a_crash(raw, tmp_path, name):
    (raw / name).mkdir()
    build(raw, tmp_path / "w")
    assert "not a regular file" in everything_published(tmp_path / "w")


@pytest.mark.parametrize("name, read", [(MANIFEST_NAME, read_manifest), (OVERRIDES_NAME, read_overrides)])
def test_a_side_file_that_is_a_fifo_does_not_hang_the_build(raw, name, read):
    os.mkfifo(raw / name)
    result = {}
    reader = threading.Thread(target=lambda: result.update(value=read(raw)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # blocked in open(): let it go before failing
        with open(raw / name, "w"):
            pass
        reader.join(10)
        pytest.fail(f"reading a FIFO {name} blocked")
    assert any("not a regular file" in problem for problem in result["value"].problems)


@pytest.mark.parametrize("name, read", [(MANIFEST_NAME, read_manifest), (OVERRIDES_NAME, read_overrides)])
def test_a_side_file_over_the_size_limit_is_not_read(raw, name, read, monkeypatch):
    import assets.engine.inventory as inventory

    monkeypatch.setattr(inventory, "MAX_SIDE_FILE_BYTES", 1000, raising=False)
    (raw / name).write_text("file,title\n" + "good.txt,标题\n" * 200, encoding="utf-8")
    assert any("byte limit" in problem for problem in read(raw).problems)
