"""One writer per warehouse: the exclusive lock a build or a release holds on WAREHOUSE_DIR from its start to its end.

An advisory `flock` on `WAREHOUSE_DIR/.lock`, which the kernel releases when the holding process ends, however it ends
(so a killed build leaves no stale lock). The file names its holder (process, command, since when) for the message a
second writer gets. Within one process the lock is re-entrant: `make build` takes it before it starts the run, and the
run's resource, which takes it for runs started elsewhere (the Dagster UI, a sensor), finds it held already.
"""

import datetime as dt
import fcntl
import json
import os
import socket
import sys
import time
from pathlib import Path

LOCK_NAME = ".lock"
_held: dict[str, list[int]] = {}  # lock path → [file descriptor, depth], for the locks this process holds


class WarehouseBusy(RuntimeError):
    """Another process is writing the warehouse."""


def acquire(warehouse_dir: Path, what: str, wait: float = 0.0, on_wait=None) -> str:
    """Take the lock (waiting up to `wait` seconds; `on_wait(message)` is called once if it has to wait); return its
    path, for `release`. Raises WarehouseBusy, naming the holder, when it is still held after `wait` seconds."""
    warehouse_dir = Path(warehouse_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = str((warehouse_dir / LOCK_NAME).resolve())
    if path in _held:
        _held[path][1] += 1
        return path
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    deadline = time.monotonic() + max(0.0, wait)
    waited = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(fd)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WarehouseBusy(
                    f"{warehouse_dir} is being written by {holder}; {what} not started. Run it again when "
                    "that one has finished (or set WAREHOUSE_LOCK_WAIT=<seconds> to wait for it)"
                ) from None
            if not waited and on_wait is not None:
                on_wait(f"waiting for {holder} to finish writing {warehouse_dir}")
            waited = True
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "what": what,
        "command": " ".join(sys.argv)[:200],
        "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    _held[path] = [fd, 1]
    return path


def release(path: str) -> None:
    """Give back a lock `acquire` returned (the outermost release of this process unlocks it)."""
    entry = _held.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] == 0:
        del _held[path]
        fcntl.flock(entry[0], fcntl.LOCK_UN)
        os.close(entry[0])


def held_elsewhere(warehouse_dir: Path) -> bool:
    """Whether another process holds the lock now (a build or release is running)."""
    path = Path(warehouse_dir) / LOCK_NAME
    if str(path.resolve()) in _held or not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says."""
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return (
            f"{info.get('what', 'another process')} (process {info.get('pid')} on {info.get('host')}, since "
            f"{info.get('since')}: {info.get('command')})"
        )
    except (OSError, ValueError):
        return "another process"
