"""Case 13: `make release` refuses when the last build failed, naming the build it would have released; and a release
that cannot be cut is not retried."""

import os
import subprocess
import sys

from tests.helpers import ROOT, build


def run(command: str, raw, warehouse, home):
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", f"pipelines.{command}"] + (["cut"] if command == "release" else []),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_release_after_a_failed_build_is_refused_naming_the_build_it_would_release(raw_copy, tmp_path):
    warehouse, home = tmp_path / "w", tmp_path / "home"
    home.mkdir()
    build(raw_copy, warehouse)
    current = os.readlink(warehouse / "current").split("/")[-1]
    result = run("build", tmp_path / "no-such-folder", warehouse, home)
    assert result.returncode != 0
    release = run("release", raw_copy, warehouse, home)
    assert release.returncode != 0
    assert "the last build" in release.stderr and "failed" in release.stderr and current in release.stderr
    assert not (warehouse / "releases" / "latest").exists()
    assert "retry" not in release.stderr.lower()  # the same build would fail the same way
