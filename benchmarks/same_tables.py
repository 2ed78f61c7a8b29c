"""Do two versions of the code publish the same tables? The safety net of a refactoring.

    .venv/bin/python benchmarks/same_tables.py --against REV [--raw DIR | --documents N]

Checks out REV (a commit, tag or branch) in a temporary git worktree, builds the same raw folder with it and with the
working tree (each `python -m pipelines.build` in a fresh warehouse, this virtual environment), and compares every
published Parquet table with `pyarrow.Table.equals` (values, types, row order). `--documents N` builds a synthetic
corpus of N plans (benchmarks/synthetic_corpus.py, seed 1) instead of a raw folder. Prints one line per table and
exits 1 when any differs.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_corpus import generate  # noqa: E402


def build(code: Path, raw: Path, warehouse: Path, home: Path) -> None:
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(home), "PYTHONPATH": str(code)}
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_bytes((ROOT / "pipelines" / "dagster_home.yaml").read_bytes())
    result = subprocess.run([sys.executable, "-m", "pipelines.build"], cwd=code, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the build of {code} failed:\n{result.stderr[-3000:]}")


def differing(before: Path, after: Path) -> list[str]:
    """The tables that differ between two warehouses (missing from either counts as differing); prints each."""
    names = sorted({p.stem for p in (before / "tables").glob("*.parquet")} | {p.stem for p in (after / "tables").glob("*.parquet")})
    bad = []
    for name in names:
        a, b = before / "tables" / f"{name}.parquet", after / "tables" / f"{name}.parquet"
        same = a.exists() and b.exists() and pq.read_table(a).equals(pq.read_table(b))
        print(f"{name:22} {'equal' if same else 'DIFFERENT'}")
        bad += [] if same else [name]
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the git revision to compare the working tree with")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--raw", type=Path, default=ROOT / "raw", help="the raw folder to build (default: raw/)")
    group.add_argument("--documents", type=int, help="build a synthetic corpus of this many plans instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw = args.raw
        if args.documents:
            raw = tmp / "raw"
            generate(raw, args.documents, seed=1)
        other = tmp / "code"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), args.against], cwd=ROOT, check=True)
        try:
            build(other, raw, tmp / "before", tmp / "home-before")
            build(ROOT, raw, tmp / "after", tmp / "home-after")
            bad = differing(tmp / "before", tmp / "after")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    print(f"{args.against} and the working tree: " + (f"{len(bad)} table(s) differ" if bad else "every table equal"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
