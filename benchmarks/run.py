"""Build-time benchmarks on a synthetic corpus: full build, incremental build, analyst queries.

    .venv/bin/python benchmarks/run.py [--documents 1000 10000] [--runs 3] [--keep DIR]

For each size: generates the corpus (benchmarks/synthetic_corpus.py), runs `python -m pipelines.build`
(what `make build` runs) in a fresh process and reports wall time and peak memory; then adds one
document and builds again (parse cache warm); then times five typical analyst queries on the DuckDB
file. With `--runs N` the builds are repeated N times on the same corpus, each from an empty warehouse, and the
table gives the median of each figure (every run's figures follow it). Figures are recorded in benchmarks/RESULTS.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
INSTANCE_CONFIG = ROOT / "pipelines" / "dagster_home.yaml"
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_corpus import generate  # noqa: E402

QUERIES = {
    "business-registration promises by region": """
        SELECT d.region, min(t.value) AS fastest_days FROM unique_targets t JOIN measures m USING (measure_id)
        JOIN documents d ON d.doc_id = m.doc_id WHERE t.metric LIKE '%开办%' AND t.unit = '工作日' GROUP BY 1 ORDER BY 2 LIMIT 20""",
    "measures led per unit function": """
        SELECT u.function, count(DISTINCT mu.measure_id) AS n FROM measure_units mu JOIN units u USING (unit_id)
        WHERE mu.role = 'lead' GROUP BY 1 ORDER BY 2 DESC""",
    "share of targets that are time limits": """
        SELECT avg(CASE WHEN unit IN ('工作日', '日', '小时', '分钟') THEN 1 ELSE 0 END) FROM unique_targets""",
    "measures without a lead unit": """
        SELECT count(*) FROM unique_measures m WHERE m.kind = 'measure' AND NOT EXISTS
        (SELECT 1 FROM measure_units mu WHERE mu.measure_id = m.measure_id AND mu.role = 'lead')""",
    "largest clusters of copied measures": """
        SELECT cluster_id, count(*) AS members FROM measure_clusters GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
}
ONE_MORE = "新增县优化营商环境方案\n一、主要任务\n1.压缩开办时间。企业开办时间压缩至1个工作日以内。（牵头单位：县市场监管局）\n2.提升网办率。网上可办率达到95%以上。\n"


FIGURES = ("full_s", "full_peak_mb", "incremental_s", "incremental_peak_mb", "slowest_query_s")


def measure(raw: Path, warehouse: Path, home: Path) -> dict:
    """One run on `raw`: a build into an empty warehouse, one added plan built again, the analyst queries."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_CONFIG, home / "dagster.yaml")  # the instance `make build` uses
    full_s, full_mb, full_stages = timed_build(raw, warehouse, home)
    one_more = raw / "one-more.txt"
    one_more.write_text(ONE_MORE, encoding="utf-8")
    try:
        inc_s, inc_mb, inc_stages = timed_build(raw, warehouse, home)
    finally:
        one_more.unlink()  # the next run builds the same corpus
    with duckdb.connect(str(warehouse / "policy_measures.duckdb"), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "measures", "targets", "measure_units")}
        query_s = {}
        for name, sql in QUERIES.items():
            t = time.perf_counter()
            con.execute(sql).fetchall()
            query_s[name] = time.perf_counter() - t
    return {
        "full_s": full_s,
        "full_peak_mb": full_mb,
        "incremental_s": inc_s,
        "incremental_peak_mb": inc_mb,
        "slowest_query_s": max(query_s.values()),
        "queries": query_s,
        "rows": counts,
        "full_stages": full_stages,
        "incremental_stages": inc_stages,
    }


def timed_build(raw: Path, warehouse: Path, home: Path) -> tuple[float, float, str]:
    """(seconds, peak MB, the build's "stage seconds" line) of one `python -m pipelines.build` in its own process.
    Peak memory is the largest sum of proportional set sizes (PSS) of the build and the worker processes it forks,
    sampled every 0.2 s: shared pages count once, so it is the memory the machine really needs."""
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(home)}
    started = time.perf_counter()
    build = subprocess.Popen(
        [sys.executable, "-m", "pipelines.build"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    output: dict[str, str] = {}
    reader = threading.Thread(target=lambda: output.update(zip(("stdout", "stderr"), build.communicate())))
    reader.start()
    while reader.is_alive():
        peak = max(peak, sum(_pss_kb(pid) for pid in _tree(build.pid)) / 1024)
        reader.join(0.2)
    seconds = time.perf_counter() - started
    if build.returncode != 0:
        raise SystemExit(f"build failed:\n{output['stderr'][-3000:]}")
    stages = next((line for line in output["stdout"].splitlines() if line.startswith("stage seconds")), "")
    return seconds, peak, stages


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # the process ended between listing and reading
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="builds per size, each from an empty warehouse (the table: medians)")
    parser.add_argument("--keep", type=Path, help="keep corpora and warehouses under this folder")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="policy-bench-"))
    rows = []
    for n in args.documents:
        raw = base / f"raw-{n}"
        started = time.perf_counter()
        generate(raw, n)
        generated = time.perf_counter() - started
        runs = [measure(raw, base / f"warehouse-{n}-{run}", base / f"home-{n}-{run}") for run in range(args.runs)]
        for run in runs:
            print(
                f"  {n:,} docs · run: full {run['full_s']:.1f} s, peak {run['full_peak_mb']:,.0f} MB, "
                f"+1 doc {run['incremental_s']:.1f} s, slowest query {run['slowest_query_s']:.3f} s"
            )
        rows.append(
            {
                "documents": n,
                "generate_s": generated,
                **{key: statistics.median(run[key] for run in runs) for key in FIGURES},
                "runs": runs,
                **{key: runs[-1][key] for key in ("queries", "rows", "full_stages", "incremental_stages")},
            }
        )
    print(f"{'documents':>9} {'full s':>8} {'peak MB':>8} {'+1 doc s':>9} {'slowest query s':>16}  rows")
    for r in rows:
        print(
            f"{r['documents']:>9,} {r['full_s']:>8.1f} {r['full_peak_mb']:>8,.0f} {r['incremental_s']:>9.1f} "
            f"{r['slowest_query_s']:>16.3f}  {r['rows']}"
        )
    if len(rows) > 1:
        print(f"cost ratio {rows[-1]['documents']:,} / {rows[0]['documents']:,} documents: {rows[-1]['full_s'] / rows[0]['full_s']:.1f}x")
    for r in rows:
        print(f"  {r['documents']:,} docs · full build {r['full_stages']}")
        print(f"  {r['documents']:,} docs · +1 document {r['incremental_stages']}")
    for r in rows:
        for name, seconds in r["queries"].items():
            print(f"  {r['documents']:,} docs · {name}: {seconds * 1000:.0f} ms")
    print(json.dumps(rows, ensure_ascii=False, default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
