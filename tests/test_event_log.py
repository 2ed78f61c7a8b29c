"""The local instance's event log (`pipelines/event_log.py`): Dagster's SQLite event log on pooled connections."""

import multiprocessing
import shutil
import time
from pathlib import Path

from dagster import AssetCheckResult, DagsterEventType, DagsterInstance, Definitions, asset, asset_check, define_asset_job
from dagster._core.events.log import EventLogEntry

import pipelines.event_log as event_log

ROOT = Path(__file__).resolve().parents[1]


def instance_at(home: Path, monkeypatch) -> DagsterInstance:
    """A persistent instance configured as `make` configures `.dagster_home/`."""
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    home.mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "pipelines" / "dagster_home.yaml", home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


def _check(name: str):
    @asset_check(asset=numbers, name=name, blocking=True)
    def positive(numbers: list[int]) -> AssetCheckResult:
        return AssetCheckResult(passed=all(n > 0 for n in numbers), metadata={"rows": len(numbers)})

    return positive


CHECKS = [_check(f"check_{i}") for i in range(20)]
JOB = Definitions(assets=[numbers], asset_checks=CHECKS, jobs=[define_asset_job("numbers_job")]).resolve_job_def("numbers_job")


def test_a_run_with_asset_checks_is_recorded_on_one_engine(tmp_path, monkeypatch):
    engines = []
    real = event_log.create_engine
    monkeypatch.setattr(event_log, "create_engine", lambda *a, **k: engines.append(1) or real(*a, **k))
    instance = instance_at(tmp_path / "home", monkeypatch)
    assert isinstance(instance.event_log_storage, event_log.PooledSqliteEventLogStorage)
    result = JOB.execute_in_process(instance=instance)
    assert result.success
    assert len(engines) == 1  # ~100 events, each several statements, all on the one pooled engine

    reader = DagsterInstance.from_config(str(tmp_path / "home"))  # another process's view: everything was committed
    records = reader.event_log_storage.get_asset_check_execution_history(CHECKS[7].check_key, limit=5)
    assert [r.run_id for r in records] == [result.run_id]
    assert records[0].event.dagster_event.event_specific_data.passed
    assert reader.get_latest_materialization_event(numbers.key).run_id == result.run_id
    assert {r.dagster_event.event_type for r in reader.all_logs(result.run_id) if r.dagster_event} >= {
        DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
        DagsterEventType.ASSET_CHECK_EVALUATION,
        DagsterEventType.ASSET_MATERIALIZATION,
        DagsterEventType.RUN_SUCCESS,
    }


def _log(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(
        error_info=None,
        level=20,
        user_message=message,
        run_id=run_id,
        timestamp=time.time(),
        step_key=None,
        job_name=None,
        dagster_event=None,
    )


STORAGE: list = []  # the parent's storage object, inherited by the forked child


def _store_in_child() -> None:
    STORAGE[0].store_event(_log("child", "from the forked process"))


def test_a_forked_process_writes_on_its_own_engine(tmp_path, monkeypatch):
    instance = instance_at(tmp_path / "home", monkeypatch)
    storage = instance.event_log_storage
    storage.store_event(_log("parent", "before the fork"))  # the parent's engine holds a pooled connection now
    STORAGE[:] = [storage]
    child = multiprocessing.get_context("fork").Process(target=_store_in_child)
    child.start()
    child.join(30)
    assert child.exitcode == 0
    storage.store_event(_log("parent", "after the fork"))
    assert [e.user_message for e in storage.get_logs_for_run("parent")] == ["before the fork", "after the fork"]
    assert [e.user_message for e in DagsterInstance.from_config(str(tmp_path / "home")).event_log_storage.get_logs_for_run("child")] == [
        "from the forked process"
    ]
