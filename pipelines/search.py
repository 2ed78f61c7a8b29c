"""`make search Q=企业开办`: the best matches of a full-text query in the last build, with region and title.

    python -m pipelines.search 企业开办            # top 10
    python -m pipelines.search "企业开办 0.5个工作日" --limit 20

It calls the DuckDB macro `search_measures` (BM25 over measure_tokens: docs/search.md), as an analyst would.
"""

import argparse
import os
import sys
from pathlib import Path

import duckdb

from assets.publishing.warehouse import DB_NAME

ROOT = Path(__file__).resolve().parents[1]


def top_hits(db: Path, query: str, limit: int) -> tuple[int, list[tuple]]:
    """How many provisions match `query`, and the first `limit` as (score, region, label, title, measure_id)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT score, region, label, title, measure_id FROM search_measures(?)", [query]).fetchall()
    return len(rows), rows[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "query",
        nargs="?",
        default=os.environ.get("SEARCH_QUERY", ""),
        help="words to find; every whitespace-separated part must match (default: $SEARCH_QUERY, as `make search` sets it)",
    )
    parser.add_argument("--limit", type=int, default=10, help="hits printed (default 10)")
    args = parser.parse_args(argv)
    db = Path(os.environ.get("WAREHOUSE_DIR", ROOT / "warehouse")) / DB_NAME
    if not db.exists():
        print(f"{db}: no DuckDB file; run `make build` first", file=sys.stderr)
        return 1
    if not args.query.strip():
        print("give a query: make search Q=企业开办", file=sys.stderr)
        return 1
    total, hits = top_hits(db, args.query, args.limit)
    print(f"{total} provision(s) match {args.query!r}" + (f"; the best {len(hits)}:" if hits else ""))
    for score, region, label, title, measure_id in hits:
        print(f"{score:8.2f}  {region or '(not placed)'}  {label}  {title}  [{measure_id}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
