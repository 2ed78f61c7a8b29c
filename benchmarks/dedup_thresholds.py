"""Precision/recall of measure-pair verification over thresholds, on tests/data/measure_pairs.jsonl.

    .venv/bin/python benchmarks/dedup_thresholds.py

Prints the curve (min_ratio × max_content_chars), the recall of the LSH candidate step on the same
pairs, and the defaults in assets/domain/dedup/similarity.py for comparison.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.dedup.matching import candidate_pairs  # noqa: E402
from assets.domain.dedup.similarity import LSH_THRESHOLD, MAX_CONTENT_CHARS, MIN_RATIO, compare  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "measure_pairs.jsonl"


def load() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]


def scores(pairs, min_ratio: float, max_content: int) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for p in pairs:
        got = compare(p["a"], p["b"], min_ratio, max_content).same
        tp += got and p["same"]
        fp += got and not p["same"]
        fn += (not got) and p["same"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def lsh_recall(pairs, threshold: float) -> float:
    texts, wanted = {}, []
    for k, p in enumerate(pairs):
        if p["same"]:
            texts[f"a{k}"], texts[f"b{k}"] = p["a"], p["b"]
            wanted.append((f"a{k}", f"b{k}"))
    found = candidate_pairs(texts, threshold)
    return sum(1 for a, b in wanted if (min(a, b), max(a, b)) in found or texts[a] == texts[b]) / len(wanted)


def main() -> None:
    pairs = load()
    print(f"{len(pairs)} labelled pairs ({sum(p['same'] for p in pairs)} same, {sum(not p['same'] for p in pairs)} different)\n")
    print(f"{'min_ratio':>9} {'max_content':>11} {'precision':>9} {'recall':>7} {'f1':>6}")
    for max_content in (0, 1, 2, 4):
        for min_ratio in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
            p, r, f = scores(pairs, min_ratio, max_content)
            mark = "  <- default" if (min_ratio, max_content) == (MIN_RATIO, MAX_CONTENT_CHARS) else ""
            print(f"{min_ratio:>9.2f} {max_content:>11} {p:>9.3f} {r:>7.3f} {f:>6.3f}{mark}")
    print()
    for threshold in (0.3, 0.4, LSH_THRESHOLD, 0.6, 0.7):
        print(
            f"LSH candidate recall at threshold {threshold:.2f}: {lsh_recall(pairs, threshold):.3f}"
            + ("  <- default" if threshold == LSH_THRESHOLD else "")
        )


if __name__ == "__main__":
    main()
