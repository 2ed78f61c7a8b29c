"""rjieba against jieba on the provisions of a build: speed, start-up, and how many provisions segment identically in
search mode with the same user dictionary (assets/domain/extracting/segmentation.py).

    .venv/bin/python -m benchmarks.segmentation [WAREHOUSE_DIR]     # default: warehouse/ (make build first)
"""

import sys
import time
import warnings
from pathlib import Path

import pyarrow.parquet as pq

from assets.domain.extracting.segmentation import user_terms


def main(argv: list[str]) -> int:
    warehouse = Path(argv[0] if argv else "warehouse")
    texts = pq.read_table(warehouse / "tables" / "measures.parquet", columns=["text"]).column("text").to_pylist()
    size = sum(len(t.encode("utf-8")) for t in texts)
    started = time.perf_counter()
    import rjieba

    fast = rjieba.Jieba()
    for term in user_terms():
        fast.add_word(term, None, None)
    fast_start = time.perf_counter() - started
    started = time.perf_counter()
    fast_out = [fast.cut_for_search(t) for t in texts]
    fast_time = time.perf_counter() - started
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba 0.42 warns about pkg_resources on import
        import jieba
    jieba.setLogLevel(60)
    reference = jieba.Tokenizer()
    reference.initialize()
    for term in user_terms():
        reference.add_word(term)
    ref_start = time.perf_counter() - started
    started = time.perf_counter()
    ref_out = [list(reference.cut_for_search(t)) for t in texts]
    ref_time = time.perf_counter() - started
    same = sum(a == b for a, b in zip(fast_out, ref_out))
    print(f"{len(texts)} provisions, {size / 1e6:.2f} MB")
    print(f"rjieba: start {fast_start:.2f} s, {fast_time:.3f} s ({size / fast_time / 1e6:.1f} MB/s)")
    print(f"jieba:  start {ref_start:.2f} s, {ref_time:.3f} s ({size / ref_time / 1e6:.2f} MB/s)")
    print(f"identical in search mode: {same} of {len(texts)} provisions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
