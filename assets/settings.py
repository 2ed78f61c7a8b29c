"""Where the pipeline reads raw texts and writes the warehouse (RAW_DIR, WAREHOUSE_DIR)."""
import os
from pathlib import Path

from dagster import ConfigurableResource


class PipelineSettings(ConfigurableResource):
    """Folders of one build. Relative paths are taken from the working directory."""

    raw_dir: str
    warehouse_dir: str
    workers: int = 1  # processes for the per-document stages' cache misses (PIPELINE_WORKERS; default: every core)

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
