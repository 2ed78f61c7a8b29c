"""Our target extractor against a general-purpose peer (cn2an + regular expressions), on the public gold.

    .venv/bin/python benchmarks/targets_vs_peer.py [--tables warehouse/tables] [--gold ../shared/gold/seed_targets_public.json]

The peer finds every number followed by a unit (Chinese numerals converted with cn2an, 万/亿
applied), takes the comparator from the words next to it and keeps everything: what a careful
user of a general number-with-unit library would build. Both are scored by the project's scorer
(`shared/eval/score.py targets`) on the same published measures, and timed on every measure.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.extracting.target_extraction import extract_targets  # noqa: E402
from assets.domain.extracting.target_rows import target_rows  # noqa: E402

PEER_UNITS = {
    "个工作日": "工作日",
    "工作日": "工作日",
    "个小时": "小时",
    "小时": "小时",
    "分钟": "分钟",
    "天": "日",
    "日": "日",
    "%": "%",
    "元": "元",
    "户": "户",
    "家": "家",
    "个": "个",
    "套": "套",
    "项": "项",
    "次": "次",
    "所": "所",
    "台": "台",
    "人": "人",
    "件": "件",
    "条": "条",
    "年": "年",
}
PEER = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?P<mult>[万亿])?(?:(?:-|至|到)(?P<num2>\d+(?:\.\d+)?))?"
    r"(?P<unit>" + "|".join(sorted(map(re.escape, PEER_UNITS), key=len, reverse=True)) + ")"
)


def peer_extract(text: str) -> list[dict]:
    import cn2an

    rows = []
    for m in PEER.finditer(text):
        try:
            value = float(cn2an.cn2an(m.group("num") + (m.group("mult") or ""), "smart"))
        except (ValueError, KeyError):
            continue
        after, before = text[m.end() : m.end() + 3], text[max(0, m.start() - 4) : m.start()]
        if m.group("num2"):
            comparator = "range"
        elif after.startswith(("以内", "内", "以下")) or re.search("不超过|压缩至|降至", before):
            comparator = "<="
        elif after.startswith("以上") or re.search("不低于|不少于|达到|达", before):
            comparator = ">="
        elif after.startswith("左右"):
            comparator = "~"
        else:
            comparator = "="
        rows.append(
            {
                "value": value,
                "value_max": float(m.group("num2")) if m.group("num2") else None,
                "unit": PEER_UNITS[m.group("unit")],
                "comparator": comparator,
                "baseline": None,
                "year": None,
                "metric": "",
                "text": m.group(0),
            }
        )
    return rows


def score(tables: Path, gold: Path) -> str:
    scorer = ROOT.parent / "shared" / "eval" / "score.py"
    out = (
        subprocess.run(
            [sys.executable, str(scorer), "targets", "--tables", str(tables), "--gold", str(gold)],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    return "\n".join(out[-2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=ROOT / "warehouse" / "tables")
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "seed_targets_public.json")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions over all measures")
    args = parser.parse_args()
    measures = pq.read_table(args.tables / "measures.parquet").to_pandas()
    texts = (
        pq.read_table(args.tables / "document_texts.parquet")
        .to_pandas()
        .merge(pq.read_table(args.tables / "documents.parquet", columns=["doc_id", "title"]).to_pandas(), on="doc_id")
    )
    chars = int(measures["text"].str.len().sum())

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            for text in measures["text"]:
                fn(text)
            best = min(best, time.perf_counter() - started)
        return best

    ours_s, peer_s = timed(extract_targets), timed(peer_extract)
    with tempfile.TemporaryDirectory() as tmp:
        ours_dir, peer_dir = Path(tmp) / "ours", Path(tmp) / "peer"
        for folder in (ours_dir, peer_dir):
            folder.mkdir()
            for name in ("documents", "measures"):
                shutil.copy(args.tables / f"{name}.parquet", folder / f"{name}.parquet")
        target_rows(measures, texts).to_parquet(ours_dir / "targets.parquet")
        peer_rows = [
            dict(row, measure_id=m.measure_id, target_id=f"{m.measure_id}-p{k}")
            for m in measures.itertuples()
            for k, row in enumerate(peer_extract(m.text))
        ]
        pd.DataFrame(peer_rows).to_parquet(peer_dir / "targets.parquet")
        print(f"{len(measures)} provisions, {chars} characters; best of {args.repeat} runs\n")
        print(f"{'extractor':<28} {'seconds':>8} {'chars/s':>10}  score on {args.gold.name}")
        for name, seconds, folder in (
            ("ours (assets/domain/extracting/target_extraction)", ours_s, ours_dir),
            ("peer (cn2an + regex)", peer_s, peer_dir),
        ):
            lines = score(folder, args.gold).splitlines()
            print(f"{name:<28} {seconds:>8.3f} {chars / seconds:>10,.0f}  {lines[-1]}")
            print(f"{'':<49}{lines[0]}")


if __name__ == "__main__":
    main()
