"""Clustering at scale, and LSH against exhaustive comparison.

    .venv/bin/python benchmarks/dedup_scale.py [--measures 100000] [--sample 5000]

1. Generates N synthetic measures from the seeds' provisions with the rewrites real copies show
   (other regions, changed numbers, function words, truncation, PDF spacing, keyword swaps), and
   clusters them with the pipeline's `cluster_measures` (MinHash LSH candidates + verification):
   wall time and peak memory.
2. On a sample, finds every pair whose exact 3-gram Jaccard similarity is at or above the LSH
   threshold by comparing all pairs, and reports how many of them LSH proposes, and both times.
"""

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.dedup.matching import Overrides, candidate_pairs, cluster_measures  # noqa: E402
from assets.domain.dedup.similarity import LSH_THRESHOLD, shingles  # noqa: E402
from benchmarks.make_pair_set import keyword_swaps, rewrites, seed_measures  # noqa: E402


def synthetic(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    base = seed_measures()
    out = []
    while len(out) < n:
        text = rng.choice(base)
        options = rewrites(text, rng) + keyword_swaps(text)
        for _ in range(rng.randint(0, 2)):
            if options:
                text = rng.choice(options)[1]
        out.append(text)
    return out


def cluster_at_scale(n: int) -> None:
    texts = synthetic(n)
    measures = pd.DataFrame(
        {
            "measure_id": [f"m{i:06d}" for i in range(n)],
            "doc_id": [f"d{i // 50:05d}" for i in range(n)],
            "seq": [i % 50 + 1 for i in range(n)],
            "text": texts,
        }
    )
    documents = pd.DataFrame({"doc_id": sorted(set(measures["doc_id"])), "duplicate_of": None})
    documents["source_file"] = documents["doc_id"] + ".txt"
    started = time.perf_counter()
    clusters = cluster_measures(measures, documents, {}, Overrides())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"cluster {n:,} measures: {elapsed:.1f} s, peak RSS {peak:,.0f} MB; {clusters.candidate_pairs:,} LSH candidate pairs, "
        f"{clusters.frame['cluster_id'].nunique():,} clusters"
    )


def lsh_vs_exhaustive(n: int) -> None:
    texts = dict(enumerate(synthetic(n, seed=23)))
    texts = {f"s{i:05d}": t for i, t in texts.items()}
    ids = sorted(texts)
    started = time.perf_counter()
    sets = [shingles(texts[i]) for i in ids]
    above = set()
    for x in range(len(ids)):
        sx = sets[x]
        for y in range(x + 1, len(ids)):
            sy = sets[y]
            inter = len(sx & sy)
            if inter and inter >= LSH_THRESHOLD * (len(sx) + len(sy) - inter):
                above.add((ids[x], ids[y]))
    exhaustive = time.perf_counter() - started
    started = time.perf_counter()
    found = candidate_pairs(texts, LSH_THRESHOLD)
    lsh = time.perf_counter() - started
    recall = len(above & found) / len(above) if above else 1.0
    print(
        f"sample {n:,} measures: {len(above):,} pairs with exact Jaccard >= {LSH_THRESHOLD}; "
        f"exhaustive {exhaustive:.1f} s, LSH {lsh:.2f} s ({exhaustive / lsh:.0f}x less time), LSH recall {recall:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000)
    args = parser.parse_args()
    lsh_vs_exhaustive(args.sample)
    cluster_at_scale(args.measures)


if __name__ == "__main__":
    main()
