"""Case 2: one writer per warehouse (a second build or release stops with a clear message, or waits), and a run
never loads another run's step outputs."""

import fcntl
import json
import os
import subprocess
import sys

from dagster import AssetKey, build_input_context, build_output_context

from assets.io_manager import FrameStore
from tests.helpers import ROOT


def test_a_second_build_on_a_locked_warehouse_stops_naming_the_writer(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    warehouse.mkdir()
    with open(warehouse / ".lock", "w") as held:  # another build is running: it holds the lock, and says who it is
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(json.dumps({"pid": os.getpid(), "host": "here", "what": "a build (make build)", "since": "now"}))
        held.flush()
        env = {**os.environ, "RAW_DIR": str(raw_copy), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(tmp_path)}
        second = subprocess.run([sys.executable, "-m", "pipelines.build"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode != 0
    assert "is being written by a build (make build)" in second.stderr and f"process {os.getpid()}" in second.stderr
    assert not (warehouse / "current").exists()


def test_the_lock_is_exclusive_between_processes_and_waits_when_asked(tmp_path):
    from assets.engine import lock

    held = lock.acquire(tmp_path, "a build")
    try:
        probe = (
            "import sys; from assets.engine import lock\n"
            "try:\n    lock.acquire(sys.argv[1], 'a release', float(sys.argv[2]))\nexcept lock.WarehouseBusy as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        other = subprocess.run([sys.executable, "-c", probe, str(tmp_path), "0.5"], cwd=ROOT, capture_output=True, text=True)
        assert other.returncode == 3 and "a release not started" in other.stdout
        assert lock.held_elsewhere(tmp_path) is False  # this process holds it
    finally:
        lock.release(held)
    free = subprocess.run([sys.executable, "-c", probe, str(tmp_path), "0"], cwd=ROOT, capture_output=True, text=True)
    assert free.returncode == 0


def test_a_run_loads_its_own_step_output_never_another_runs(tmp_path):
    store = FrameStore(folder=str(tmp_path))
    key = AssetKey("measures")
    store.handle_output(build_output_context(asset_key=key, run_id="run-a"), {"corpus": "a"})
    store.handle_output(build_output_context(asset_key=key, run_id="run-b"), {"corpus": "b"})  # a second run at once
    upstream_of_a = build_input_context(asset_key=key, upstream_output=build_output_context(asset_key=key, run_id="run-a"))
    try:
        loaded = store.load_input(upstream_of_a)
    except Exception as error:  # run b removed it: run a fails, saying so
        assert "run-a" in str(error) and "gone" in str(error)
    else:
        assert loaded == {"corpus": "a"}
    upstream_of_b = build_input_context(asset_key=key, upstream_output=build_output_context(asset_key=key, run_id="run-b"))
    assert store.load_input(upstream_of_b) == {"corpus": "b"}
    assert store.load_input(build_input_context(asset_key=key)) == {"corpus": "b"}  # a later run of some assets only
