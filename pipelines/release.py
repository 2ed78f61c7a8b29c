"""`make release` / `make verify`: cut a dataset release (the Dagster `release` job) or verify one.

python -m pipelines.release cut
python -m pipelines.release verify [VERSION | PATH]     (default: the latest release)
"""

import argparse
import os
import sys
from pathlib import Path

from assets.publishing.release_bundle import recorded_release, verify_release


def cut() -> int:
    from dagster import DagsterInstance

    from assets.engine import lock
    from pipelines.build import lock_wait
    from pipelines.definitions import defs, release_job

    try:
        held = lock.acquire(
            defs.resources["settings"].warehouse_path,
            "a release (make release)",
            lock_wait(),
            on_wait=lambda message: print(f"release: {message}", file=sys.stderr),
        )
    except lock.WarehouseBusy as busy:
        print(f"release: {busy}", file=sys.stderr)
        return 75
    try:
        return _cut(defs, release_job, DagsterInstance.get())
    finally:
        lock.release(held)


def _cut(defs, release_job, instance) -> int:
    quiet = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    result = defs.resolve_job_def(release_job.name).execute_in_process(run_config=quiet, instance=instance, raise_on_error=False)
    if not result.success:
        for event in result.all_events:
            if event.is_failure:
                print(f"release: FAILED: {event.message}", file=sys.stderr)
        return 1
    version = result.output_for_node("dataset_release")
    print(f"released {version}: {Path(defs.resources['settings'].warehouse_dir) / 'releases' / version}")
    return 0


def verify(target: str | None) -> int:
    releases = Path(os.environ.get("WAREHOUSE_DIR") or "warehouse") / "releases"
    folder = Path(target) if target and Path(target).is_dir() else releases / (target or "latest")
    if not folder.is_dir():
        print(f"verify: no release at {folder}", file=sys.stderr)
        return 2
    problems = verify_release(folder)
    if not problems and recorded_release(folder) is None:
        print(
            f"verify: note: no index.json beside {folder.resolve()}: SHA256SUMS is checked against the files, but its own "
            "digest against nothing; compare it with the one the publisher announced",
            file=sys.stderr,
        )
    for problem in problems:
        print(f"verify: {folder.resolve().name}/{problem}", file=sys.stderr)
    print(f"verify: {folder.resolve()} {'FAILED: ' + str(len(problems)) + ' problem(s)' if problems else 'OK'}")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("cut", help="cut a release from the published build")
    check = sub.add_parser("verify", help="verify a release's checksums, datapackage and DuckDB file")
    check.add_argument("release", nargs="?", help="version (e.g. 2026.11.22) or path; default: latest")
    args = parser.parse_args()
    return cut() if args.command == "cut" else verify(args.release)


if __name__ == "__main__":
    sys.exit(main())
