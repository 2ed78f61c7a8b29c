"""Where the pipeline reads raw texts and writes the warehouse (RAW_DIR, WAREHOUSE_DIR)."""

import os
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from assets.engine import lock


class PipelineSettings(ConfigurableResource):
    """Folders of one build. Relative paths are taken from the working directory. A run using them holds the
    warehouse's lock (`engine/lock.py`) from its start to its end: one writer at a time."""

    raw_dir: str
    warehouse_dir: str
    workers: int = 1  # processes for the per-document stages' cache misses (PIPELINE_WORKERS; default: every core)
    lock_wait: float = 3600.0  # seconds a run waits for another writer of the warehouse to finish before it fails
    _lock: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Take the warehouse's lock for the run (for each step's process under the multiprocess executor, whose steps
        then wait for one another's lock; the deployment's run queue lets one writing run in at a time)."""
        log = context.log.warning if context.log is not None else None
        self._lock = lock.acquire(self.warehouse_path, f"run {context.run.run_id if context.run else None}", self.lock_wait, on_wait=log)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._lock is not None:
            lock.release(self._lock)
            self._lock = None

    @classmethod
    def from_env(cls) -> "PipelineSettings":
        return cls(
            raw_dir=str(Path(os.environ.get("RAW_DIR") or "raw").resolve()),
            warehouse_dir=str(Path(os.environ.get("WAREHOUSE_DIR") or "warehouse").resolve()),
            workers=int(os.environ.get("PIPELINE_WORKERS") or os.cpu_count() or 1),
        )

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse_dir)
