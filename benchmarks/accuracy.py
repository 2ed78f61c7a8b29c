"""Precision and recall of structure, units, targets and metadata on the project's labelled samples, for each
release's README: builds each sample with `pipelines.build` into a temporary warehouse and scores it with
../shared/eval/score.py against its gold. Writes assets/publishing/measured_accuracy.json (read by release_bundle.py).

    .venv/bin/python -m benchmarks.accuracy
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "assets" / "publishing" / "measured_accuracy.json"
REAL, HELDOUT = ROOT / "tests" / "data" / "real_documents", ROOT / "tests" / "data" / "heldout_documents"

# (name, what it is, raw folder, {measure: gold file})
SAMPLES = (
    (
        "real_documents",
        "20 real texts of regions, levels and formats the parser was not written for, annotated by reading (tests/data/real_documents)",
        REAL / "raw",
        {what: REAL / f"gold_{what}.json" for what in ("structure", "units", "targets", "metadata")},
    ),
    (
        "heldout_documents",
        "20 further real texts held out from development (tests/data/heldout_documents)",
        HELDOUT / "raw",
        {what: HELDOUT / f"gold_{what}.json" for what in ("structure", "units", "targets", "metadata")},
    ),
    (
        "dev",
        "10 real excerpts the rules were developed on (shared/dev)",
        SHARED / "dev" / "raw",
        {what: SHARED / "gold" / f"dev_{what}.json" for what in ("structure", "units", "targets", "metadata")},
    ),
    (
        "seeds",
        "the 5 bundled plans of raw/ (public gold)",
        ROOT / "raw",
        {
            "structure": SHARED / "gold" / "seed_structure.json",
            "units": SHARED / "gold" / "seed_units_public.json",
            "targets": SHARED / "gold" / "seed_targets_public.json",
        },
    ),
)


def build(raw: Path, warehouse: Path) -> None:
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(ROOT / ".dagster_home")}
    subprocess.run([sys.executable, "-m", "pipelines.build"], cwd=ROOT, env=env, check=True, capture_output=True)


def score(what: str, tables: Path, gold: Path) -> dict[str, float]:
    """The last line of score.py (`structure: precision 0.98 recall 0.97 f1 0.975 …`) as numbers."""
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), what, "--tables", str(tables), "--gold", str(gold)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    last = result.stdout.strip().splitlines()[-1].split(":", 1)[1]
    words = last.split()
    return {words[i].removesuffix("_accuracy"): float(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def main() -> int:
    samples = []
    for name, what, raw, golds in SAMPLES:
        with tempfile.TemporaryDirectory() as warehouse:
            build(raw, Path(warehouse))
            scores = {measure: score(measure, Path(warehouse) / "tables", gold) for measure, gold in golds.items()}
        documents = len([p for p in raw.iterdir() if p.is_file() and p.name != "sources.csv"])
        samples.append({"sample": name, "what": what, "documents": documents, "scores": scores})
        print(name, json.dumps(scores))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    OUT.write_text(
        json.dumps(
            {"measured": dt.date.today().isoformat(), "commit": commit, "scorer": "shared/eval/score.py", "samples": samples},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
