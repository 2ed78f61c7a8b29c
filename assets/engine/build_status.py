"""What the last build run did, in `WAREHOUSE_DIR/last_build.json` (running, published or failed): a release refuses
to cut the current build when a later build did not publish, since the current build then no longer stands for RAW_DIR."""

import datetime as dt
import json
from pathlib import Path

from assets.engine.atomic import write_text

STATUS_NAME = "last_build.json"


def record(warehouse_dir: Path, run_id: str, state: str, **details) -> None:
    """Write the last build's state (`running`, `published` or `failed`), keeping what was recorded of the same run."""
    path = Path(warehouse_dir) / STATUS_NAME
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    previous = read(warehouse_dir) or {}
    status = {
        **(previous if previous.get("run_id") == run_id else {"started": now}),
        "run_id": run_id,
        "state": state,
        "updated": now,
        **details,
    }
    write_text(path, json.dumps(status, ensure_ascii=False, indent=2) + "\n")


def read(warehouse_dir: Path) -> dict | None:
    """The recorded state, or None when no build recorded one (or the file is unreadable)."""
    try:
        status = json.loads((Path(warehouse_dir) / STATUS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return status if isinstance(status, dict) else None


def release_blocker(warehouse_dir: Path) -> str | None:
    """Why the current build must not be released now (naming it and the build that did not publish), or None."""
    status = read(warehouse_dir)
    if status is None or status.get("state") == "published":
        return None
    try:
        current = json.loads((Path(warehouse_dir) / "current" / "build_info.json").read_text(encoding="utf-8"))["build_id"]
    except (OSError, ValueError, KeyError):
        current = "(none)"
    what = {"running": "started and did not finish", "failed": "failed"}.get(status.get("state"), status.get("state"))
    reason = f": {status['message']}" if status.get("message") else ""
    return (
        f"the last build (run {status.get('run_id')}, started {status.get('started')}) {what}{reason}. A release now "
        f"would be build {current}, published before it, which may not match RAW_DIR any more: run `make build` "
        "until it succeeds, then release"
    )
