"""Case 1: a raw file replaced while a build runs is never published under the other version's hash."""

import hashlib

import pytest

import assets.raw_files
from assets.domain.reading.decode import InputError
from assets.engine.inventory import scan_raw_dir
from assets.engine.raw_documents import read_document
from tests.helpers import GOOD, OTHER, build, by_file, table

pytestmark = pytest.mark.slow  # both tests build a warehouse


def test_a_file_replaced_after_hashing_is_not_parsed_under_the_first_hash(tmp_path):
    (tmp_path / "plan.txt").write_text(GOOD, encoding="utf-8")
    [raw] = scan_raw_dir(tmp_path)
    (tmp_path / "plan.txt").write_text(OTHER, encoding="utf-8")  # replaced between hashing and parsing
    with pytest.raises(InputError) as caught:
        read_document(raw)
    assert "changed while" in caught.value.reason


def test_the_published_sha256_is_always_the_hash_of_the_published_text(tmp_path, monkeypatch):
    raw, warehouse = tmp_path / "raw", tmp_path / "w"
    raw.mkdir()
    path = raw / "plan.txt"
    path.write_text(GOOD, encoding="utf-8")
    scan = assets.raw_files.scan_raw_dir

    def racing_scan(*args, **kwargs):
        files = scan(*args, **kwargs)
        path.write_text(OTHER, encoding="utf-8")  # another program replaces the file once it is hashed
        return files

    monkeypatch.setattr(assets.raw_files, "scan_raw_dir", racing_scan)
    build(raw, warehouse)
    monkeypatch.undo()
    published = by_file(warehouse).get("plan.txt")
    if published is not None:  # published only if what was parsed is what was hashed
        assert published["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    else:
        [quarantined] = table(warehouse, "quarantine")
        assert "changed while" in quarantined["reason"]
    path.write_text(GOOD, encoding="utf-8")  # back to the first version: its hash must not find the other text
    build(raw, warehouse)
    doc = by_file(warehouse)["plan.txt"]
    assert doc["sha256"] == hashlib.sha256(GOOD.encode()).hexdigest() and doc["title"] == "某区优化营商环境实施方案"
