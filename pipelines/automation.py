"""Runs without anyone remembering to: a sensor for new or changed files in RAW_DIR, and a daily schedule.

Both are off until turned on (UI: Automation, or `dagster sensor start raw_files_changed` /
`dagster schedule start daily_build` with `make dev` running, which starts the daemon too).
"""

import hashlib
from pathlib import Path

from dagster import DefaultScheduleStatus, DefaultSensorStatus, RunRequest, ScheduleDefinition, SensorEvaluationContext, SkipReason, sensor

WATCHED = ("*.txt", "sources.csv", "dedup_overrides.csv")


def raw_dir_fingerprint(raw_dir: Path) -> tuple[str, int]:
    """(fingerprint, file count) of what a build reads: paths, sizes and modification times, sorted."""
    entries = []
    for pattern in WATCHED:
        for path in Path(raw_dir).rglob(pattern):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append(f"{path.relative_to(raw_dir).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}")
    entries.sort()
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest(), len(entries)


def build_sensors(job, raw_dir_of):
    @sensor(
        job=job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.STOPPED,
        description="Requests a build when a *.txt file, sources.csv or dedup_overrides.csv under RAW_DIR is added, changed or removed.",
    )
    def raw_files_changed(context: SensorEvaluationContext):
        raw_dir = raw_dir_of()
        if not Path(raw_dir).is_dir():
            return SkipReason(f"RAW_DIR {raw_dir} does not exist")
        fingerprint, count = raw_dir_fingerprint(raw_dir)
        if fingerprint == context.cursor:
            return SkipReason(f"no change in {count} file(s) under {raw_dir}")
        context.update_cursor(fingerprint)
        return RunRequest(run_key=fingerprint, tags={"trigger": "raw_files_changed", "raw_files": str(count)})

    daily = ScheduleDefinition(
        name="daily_build",
        job=job,
        cron_schedule="0 3 * * *",
        execution_timezone="Asia/Shanghai",
        default_status=DefaultScheduleStatus.STOPPED,
        description="Rebuilds every day at 03:00 Beijing time (unchanged documents come from the parse cache).",
    )
    return [raw_files_changed], [daily]
