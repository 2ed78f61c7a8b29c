"""The raw files of a build (`scan_raw_dir`): what is read, and why a file is not."""

import hashlib

from assets.engine import inventory
from assets.engine.inventory import scan_raw_dir


def test_files_are_hashed_and_unreadable_ones_say_why(tmp_path, monkeypatch):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    (raw / "sub").mkdir(parents=True)
    outside.mkdir()
    (raw / "plain.txt").write_bytes(b"plain")
    (raw / "sub" / "nested.txt").write_bytes(b"nested")
    (raw / "big.txt").write_bytes(b"x" * 11)
    (raw / "inside-link.txt").symlink_to(raw / "plain.txt")
    (outside / "secret.txt").write_bytes(b"secret")
    (raw / "outside-link.txt").symlink_to(outside / "secret.txt")
    (raw / "broken-link.txt").symlink_to(raw / "gone.txt")
    (raw / "folder.txt").mkdir()
    (raw / "notes.md").write_bytes(b"not a policy text")
    monkeypatch.setattr(inventory, "MAX_BYTES", 10)
    files = {f.source_file: f for f in scan_raw_dir(raw)}
    assert list(files) == sorted(files) and "notes.md" not in files
    assert files["plain.txt"].sha256 == hashlib.sha256(b"plain").hexdigest() and files["plain.txt"].problem is None
    assert files["sub/nested.txt"].size == 6 and files["sub/nested.txt"].problem is None
    assert files["inside-link.txt"].sha256 == files["plain.txt"].sha256  # a link within RAW_DIR is followed
    reasons = {name: f.problem.reason for name, f in files.items() if f.problem}
    assert set(reasons) == {"big.txt", "outside-link.txt", "broken-link.txt", "folder.txt"}
    assert "over the 10 byte limit" in reasons["big.txt"]
    assert "outside RAW_DIR" in reasons["outside-link.txt"] and str(outside / "secret.txt") in reasons["outside-link.txt"]
    assert "broken or looping symlink" in reasons["broken-link.txt"]
    assert reasons["folder.txt"] == "is not a regular file"
    assert all(files[name].sha256 is None for name in reasons)


def test_a_link_to_a_folder_is_not_a_policy_text(tmp_path):
    raw = tmp_path / "raw"
    (raw / "real").mkdir(parents=True)
    (raw / "dir-link.txt").symlink_to(raw / "real")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    reasons = {f.source_file: f.problem.reason for f in scan_raw_dir(raw)}
    assert reasons["dir-link.txt"] == "is not a regular file"
    assert "broken or looping symlink" in reasons["loop.txt"]
