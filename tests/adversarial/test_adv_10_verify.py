"""Case 10: `verify` checks SHA256SUMS against the digest index.json recorded, and the CSVs against the Parquet files."""

import hashlib

from assets.publishing.release_bundle import verify_release


def rewrite(release, name: str, text: str) -> None:
    """Change a file of the release and recompute SHA256SUMS, as someone covering their tracks would."""
    (release / name).write_text(text, encoding="utf-8")
    lines = []
    for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, listed = line.partition("  ")
        if listed == name:
            digest = hashlib.sha256((release / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {listed}")
    (release / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_changed_file_with_recomputed_sums_fails_against_index_json(seed_release, tmp_path):
    import shutil

    _, release = seed_release
    copy = tmp_path / "releases"
    shutil.copytree(release.parent, copy, symlinks=True)
    release = copy / release.name
    rewrite(release, "README.md", "# nothing to see\n")
    problems = verify_release(release)
    assert any("SHA256SUMS" in p and "index.json" in p for p in problems)


def test_a_csv_with_rows_removed_fails_against_its_parquet_file(seed_release, tmp_path):
    import shutil

    _, release = seed_release
    copy = tmp_path / "one"
    shutil.copytree(release, copy)
    path = copy / "csv" / "measures.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    rewrite(copy, "csv/measures.csv", "\n".join(lines[:-10]))  # no index.json beside this copy: SHA256SUMS is trusted
    problems = verify_release(copy)
    assert any("csv/measures.csv" in p and "data/measures.parquet" in p for p in problems)
