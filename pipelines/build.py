"""`make build`: run the build job in-process on RAW_DIR and print a summary of what was published."""

import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
from dagster import DagsterInstance, execute_job, reconstructable

from assets.engine import build_status, lock
from assets.publishing.warehouse import DB_NAME
from pipelines.definitions import build_job_definition, defs


def main() -> int:
    settings = defs.resources["settings"]
    try:
        held = lock.acquire(
            settings.warehouse_path,
            "a build (make build)",
            lock_wait(),
            on_wait=lambda message: print(f"build: {message}", file=sys.stderr),
        )
    except lock.WarehouseBusy as busy:
        print(f"build: {busy}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: nothing was done; try again later
    try:
        return run_build(settings)
    finally:
        lock.release(held)


def lock_wait() -> float:
    """Seconds to wait for another writer of the warehouse (WAREHOUSE_LOCK_WAIT; default 0: stop at once)."""
    return float(os.environ.get("WAREHOUSE_LOCK_WAIT") or 0)


def run_build(settings) -> int:
    started = time.perf_counter()
    print(f"build: RAW_DIR={settings.raw_dir} WAREHOUSE_DIR={settings.warehouse_dir}", file=sys.stderr)
    # In this process (it starts much faster than one process per step), without output capture: the
    # step outputs live in the run's storage, not all at once in memory (a lower peak).
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}, "execution": {"config": {"in_process": {}}}}
    result = execute_job(reconstructable(build_job_definition), instance=DagsterInstance.get(), run_config=run_config, raise_on_error=False)
    elapsed = time.perf_counter() - started
    if not result.success:
        failures = [_failure_message(event) for event in result.all_events if event.is_failure]
        for message in failures:
            print(f"build: FAILED: {message}", file=sys.stderr)
        build_status.record(settings.warehouse_path, result.run_id, "failed", message=(failures[0] if failures else "the run failed")[:500])
        print(f"build: failed after {elapsed:.1f}s; the previously published tables are unchanged", file=sys.stderr)
        return 1
    print(summary(Path(settings.warehouse_dir)))
    print("\n" + step_timings(result))
    print(f"\nbuilt in {elapsed:.1f}s → {settings.warehouse_dir}/tables/*.parquet and {settings.warehouse_dir}/{DB_NAME}")
    return 0


def _failure_message(event) -> str:
    """What failed: the step's error where there is one, else Dagster's message."""
    error = event.step_failure_data.error if event.event_type_value == "STEP_FAILURE" and event.step_failure_data else None
    return f"{event.step_key}: {error.message.strip()}" if error is not None else event.message


def step_timings(result) -> str:
    """One line per stage: how long its step took (from Dagster's step events), slowest first."""
    durations = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.event_type_value == "STEP_SUCCESS"
    }
    return "stage seconds: " + ", ".join(f"{step} {seconds:.1f}" for step, seconds in sorted(durations.items(), key=lambda kv: -kv[1]))


SUMMARY_DOCUMENTS = 50  # documents listed one per line; the rest are counted (documents.parquet lists them all)


def summary(warehouse_dir: Path, limit: int = SUMMARY_DOCUMENTS) -> str:
    """A plain-text table: one line per document (the first `limit`), then the totals and the quarantine."""
    tables = warehouse_dir / "tables"
    docs = pq.read_table(tables / "documents.parquet", columns=["doc_id", "source_file", "encoding", "script", "duplicate_of"])
    measures = pq.read_table(tables / "measures.parquet", columns=["doc_id", "kind"])
    quarantine = pq.read_table(tables / "quarantine.parquet").to_pylist()
    warnings = pq.read_table(tables / "parse_warnings.parquet", columns=["doc_id"])
    targets = pq.read_table(tables / "targets.parquet", columns=["target_id"]).num_rows
    units = pq.read_table(tables / "units.parquet", columns=["unit_id"]).num_rows
    report = json.loads((warehouse_dir / "current" / "validation_report.json").read_text(encoding="utf-8"))
    counts = {
        (row["doc_id"], row["kind"]): row["count_all"]
        for row in measures.group_by(["doc_id", "kind"]).aggregate([([], "count_all")]).to_pylist()
    }
    kinds = sorted({kind for _, kind in counts})
    warnings_per_doc = Counter(warnings.column("doc_id").to_pylist())
    listed = [{**d, "source_file": printable(d["source_file"])} for d in docs.slice(0, limit).to_pylist()]
    width = max([len(d["source_file"]) for d in listed] + [len("document")])
    lines = [f"{'document':<{width}}  {'enc':<9} {'script':<11} " + " ".join(f"{k:>9}" for k in kinds) + "  warnings"]
    for d in listed:
        lines.append(
            f"{d['source_file']:<{width}}  {d['encoding']:<9} {d['script']:<11} "
            + " ".join(f"{counts.get((d['doc_id'], k), 0):>9}" for k in kinds)
            + f"  {warnings_per_doc[d['doc_id']]:>8}"
        )
    if docs.num_rows > limit:
        lines.append(f"… and {docs.num_rows - limit} more documents (all of them: tables/documents.parquet)")
    copies = set(docs.filter(docs.column("duplicate_of").is_valid()).column("doc_id").to_pylist())
    unique = sum(n for (doc_id, _), n in counts.items() if doc_id not in copies)
    lines.append(
        f"{docs.num_rows} documents published ({docs.num_rows - len(copies)} unique), {measures.num_rows} provisions "
        f"({unique} unique), {units} units, {targets} targets, {len(quarantine)} quarantined"
    )
    lines.append(
        f"validation passed: {len(report['results'])} expectations, {report['warnings']} warning(s)"
        + "".join(
            f"\n  warning: {r['check']}: {r['description']}" for r in report["results"] if not r["success"] and r["severity"] == "warning"
        )
    )
    for q in quarantine:
        lines.append(f"  quarantined {printable(q['source_file'])} [{q['stage']}]: {printable(q['reason'])}")
    return "\n".join(lines)


def printable(text: str, limit: int = 200) -> str:
    """`text` on one line of a terminal table: control characters (line breaks, escapes) shown as `\\xNN`, cut at
    `limit` characters."""
    shown = "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, as mypy's `hard_exit` does: the teardown frees one by one
    the objects dagster, great-expectations and scipy hold, and `gc.freeze()`, which avoids that, makes DuckDB's
    bindings print leak warnings (benchmarks/RESULTS.md). Everything the build writes is written, renamed and committed
    before `main` returns; only the standard streams and log handlers are flushed here."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
