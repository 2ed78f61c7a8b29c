"""Write tests/data/measure_pairs.jsonl: labelled pairs of seed measures for choosing dedup thresholds.

    .venv/bin/python benchmarks/make_pair_set.py

Positives (`same`): a seed measure and a rewrite of it the way sources and copying counties differ:
another region's names and level prefixes, changed numbers, added or dropped function words, the last
sentence cut off, PDF spacing and punctuation width. Negatives: the measure with one content keyword
swapped (a different promise in the same words: 用电→用水), and its most similar different measure in
the seeds (shared boilerplate). Deterministic for the seed number.
"""

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.dedup.similarity import shingles  # noqa: E402
from assets.domain.reading.decode import decode_bytes  # noqa: E402
from assets.domain.reading.normalize import normalize_text  # noqa: E402
from assets.domain.reading.outline import parse_outline  # noqa: E402

PLACES = [
    ("乌鲁木齐市", "克拉玛依市"),
    ("天山区", "沙依巴克区"),
    ("巴州", "昌吉州"),
    ("自治州", "地区"),
    ("西山区", "五华区"),
    ("昆明市", "曲靖市"),
    ("青羊区", "锦江区"),
    ("成都市", "绵阳市"),
    ("小店区", "迎泽区"),
    ("太原市", "大同市"),
    ("州直", "市直"),
    ("区属", "县属"),
    ("全州", "全市"),
    ("全区", "全县"),
    ("我区", "我县"),
    ("我州", "我市"),
]
KEYWORDS = [
    ("用电", "用水"),
    ("用水", "用气"),
    ("企业", "个体工商户"),
    ("开办", "注销"),
    ("线上", "线下"),
    ("省内", "跨省"),
    ("医疗", "养老"),
    ("教育", "文化"),
    ("税务", "社保"),
    ("招标", "采购"),
    ("商标", "专利"),
    ("土地", "房产"),
    ("出口", "进口"),
    ("科技", "金融"),
    ("人才", "资金"),
    ("监管", "服务"),
    ("审批", "备案"),
    ("融资", "用工"),
]
FUNCTION_WORDS = ["进一步", "全面", "持续", "加快", "大力", "积极"]


def seed_measures() -> list[str]:
    texts = []
    for path in sorted((ROOT / "raw").glob("*.txt")):
        outline = parse_outline(normalize_text(decode_bytes(path.read_bytes()).text).text)
        texts += [p.text for p in outline.provisions if len(p.text) >= 30]
    return texts


def rewrites(text: str, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    swapped = text
    for a, b in PLACES:
        swapped = swapped.replace(a, b)
    if swapped != text:
        out.append(("region", swapped))
    numbers = re.sub(r"\d+(?:\.\d+)?", lambda m: str(int(float(m.group(0)) * 2) + 1), text)
    if numbers != text:
        out.append(("numbers", numbers))
    word = rng.choice(FUNCTION_WORDS)
    verb = re.search(r"推进|加强|完善|提升|优化", text)
    if verb:
        out.append(("function_word", text[: verb.start()] + word + text[verb.start() :]))
    sentences = re.findall(r"[^。]+。?", text)
    if len(sentences) >= 3:
        out.append(("truncated", "".join(sentences[:-1])))
    spaced = "".join(ch + (" " if rng.random() < 0.1 else "") for ch in text).replace("，", ",").replace("（", "(").replace("）", ")")
    out.append(("rendering", spaced))
    return out


def keyword_swaps(text: str) -> list[tuple[str, str]]:
    out = []
    for a, b in KEYWORDS:
        if a in text and b not in text:
            i = text.index(a)
            out.append((f"keyword {a}→{b}", text[:i] + b + text[i + len(a) :]))
    return out[:2]


def main(seed: int = 7) -> None:
    rng = random.Random(seed)
    texts = seed_measures()
    sets = [shingles(t) for t in texts]
    sample = rng.sample(range(len(texts)), 120)
    pairs = []
    for i in sample:
        for why, other in rewrites(texts[i], rng):
            pairs.append({"a": texts[i], "b": other, "same": True, "why": why})
        for why, other in keyword_swaps(texts[i]):
            pairs.append({"a": texts[i], "b": other, "same": False, "why": why})
        nearest = max(
            (j for j in range(len(texts)) if j != i and texts[j] != texts[i]),
            key=lambda j: len(sets[i] & sets[j]) / max(1, len(sets[i] | sets[j])),
        )
        pairs.append({"a": texts[i], "b": texts[nearest], "same": False, "why": "nearest different measure"})
    path = ROOT / "tests" / "data" / "measure_pairs.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: {sum(p['same'] for p in pairs)} same, {sum(not p['same'] for p in pairs)} different")


if __name__ == "__main__":
    main()
