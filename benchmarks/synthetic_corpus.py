"""A realistic synthetic corpus: N plans recombined from the seeds' provisions, deterministic for a seed.

    .venv/bin/python benchmarks/synthetic_corpus.py OUT_DIR [--documents 1000] [--seed 1]

Each plan gets a made-up county/district, a year, a numbering scheme (一、/（一）/1., 一、/1./（1）, flat
1., 第X条), 3–6 sections of seed provisions with changed target values and names, a responsibility
annotation in one of the real forms (bracket with fields, `X牵头` phrase, own-line fields), and a
safeguard part; then the rendering real sources show: half- or full-width punctuation, PDF spacing,
Traditional script, a one-line scrape, GB18030 bytes. One document in twenty is a recent plan published
again by another source (rendered its own way), as real plans are mirrored across government sites.
"""

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.reading.decode import decode_bytes  # noqa: E402
from assets.domain.reading.normalize import normalize_text  # noqa: E402
from assets.domain.reading.outline import parse_outline  # noqa: E402

PLACES = ["青山", "河东", "新华", "城关", "东湖", "西岗", "南岸", "北塘", "金水", "高新", "龙泉", "白云", "长安", "临河", "清江"]
LEVELS = ["区", "县", "市"]
DEPARTMENTS = [
    "发改局",
    "市场监管局",
    "税务局",
    "人社局",
    "自然资源局",
    "住建局",
    "财政局",
    "商务局",
    "工信局",
    "政务服务局",
    "司法局",
    "公安局",
    "行政审批局",
    "交通运输局",
    "教育局",
]
SECTIONS = [
    "持续优化政务服务环境",
    "着力打造公平市场环境",
    "加快营造法治化营商环境",
    "提升要素保障水平",
    "激发市场主体活力",
    "优化创新创业生态",
]
SAFEGUARDS = [
    "加强组织领导。成立工作专班，统筹推进各项任务。",
    "强化督查考核。将优化营商环境纳入年度考核。",
    "加强宣传引导。及时总结推广典型经验。",
]
CN = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens]) + "十" if tens else "") + (CN[ones] if ones or not tens else "")


def seed_provisions() -> list[str]:
    bodies = []
    for path in sorted((ROOT / "raw").glob("*.txt")):
        for p in parse_outline(normalize_text(decode_bytes(path.read_bytes()).text).text).provisions:
            if p.kind == "measure" and len(p.text) > 20:
                bodies.append(p.text)
    return bodies


def vary_numbers(text: str, rng: random.Random) -> str:
    """Another plan's promises: every number of the provision scaled by one factor (so ranges stay
    ordered), percentages kept within 100, years unchanged."""
    factor = rng.choice([0.5, 0.8, 1, 1.2, 1.5])

    def change(m: re.Match) -> str:
        value = float(m.group(1))
        if 1900 <= value <= 2100 and value.is_integer():
            return m.group(0)  # years stay
        new = max(0.5, round(value * factor, 1))
        if m.group(2):
            new = min(new, 100.0)
        return (str(int(new)) if new.is_integer() else str(new)) + m.group(2)

    return re.sub(r"(\d+(?:\.\d+)?)(%?)", change, text)


def annotation(level: str, rng: random.Random) -> str:
    lead = level + rng.choice(DEPARTMENTS)
    partners = "、".join(rng.sample(DEPARTMENTS, rng.randint(1, 3)))
    form = rng.randrange(3)
    if form == 0:
        return f"（牵头单位：{lead}；配合单位：{level}{partners}）"
    if form == 1:
        return f"（{lead}牵头，{level}{partners}配合）"
    return f"\n牵头单位：{lead}\n配合单位：{level}{partners}\n完成时限：{rng.randint(2022, 2025)}年底"


def plan(i: int, pool: list[str], rng: random.Random) -> str:
    place, level = rng.choice(PLACES) + rng.choice(["", "新", "东"]), rng.choice(LEVELS)
    region, year = place + level, rng.randint(2019, 2025)
    scheme = rng.choice(["cn-paren-dot", "cn-dot-paren", "flat", "article"])
    lines = [
        f"{region}{year}年优化营商环境工作方案",
        f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        f"为深入贯彻优化营商环境决策部署，结合{region}实际，制定本方案。",
    ]
    number = 0
    sections = rng.sample(SECTIONS, rng.randint(3, 6))
    if scheme in ("flat", "article"):
        lines.append("一、主要任务" if scheme == "flat" else "第一章 主要任务")
    for s, section in enumerate(sections, start=1):
        if scheme == "cn-paren-dot":
            lines.append(f"{cn_number(s)}、{section}")
        elif scheme == "cn-dot-paren":
            lines += [f"{cn_number(s)}、{section}", f"{s}.{section}"]
        for _ in range(rng.randint(5, 15)):
            number += 1
            body = vary_numbers(rng.choice(pool), rng).replace("我区", f"我{level}")
            label = {
                "cn-paren-dot": f"{number}.",
                "cn-dot-paren": f"({number})",
                "flat": f"{number}.",
                "article": f"第{cn_number(number)}条 " if number < 100 else f"{number}.",
            }[scheme]
            lines.append(label + body + annotation(level, rng))
    lines.append(f"{cn_number(len(sections) + 1)}、保障措施" if scheme.startswith("cn") else "第二章 保障措施")
    for k, text in enumerate(SAFEGUARDS, start=1):
        lines.append(f"（{cn_number(k)}）{text}")
    return "\n".join(lines)


def render(text: str, rng: random.Random) -> tuple[bytes, str]:
    """The plan as some source would have it."""
    style = rng.choices(["plain", "fullwidth", "pdf", "traditional", "oneline", "gb18030"], [40, 15, 15, 10, 10, 10])[0]
    if style == "fullwidth":
        text = text.replace(",", "，").replace("(", "（").replace(")", "）").replace(":", "：")
    elif style == "pdf":
        text = "".join(ch + (" " if rng.random() < 0.06 and ch != "\n" else "") for ch in text)
    elif style == "traditional":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    elif style == "oneline":
        text = " ".join(text.split("\n"))
    return text.encode("gb18030" if style == "gb18030" else "utf-8"), style


REPUBLISHED = 0.05  # share of documents that are another source's copy of a recent plan


def generate(out: Path, documents: int, seed: int = 1) -> dict[Path, Path | None]:
    """Writes the plans under `out`; returns each path with the path of the plan it republishes (None if original)."""
    rng = random.Random(seed)
    pool = seed_provisions()
    out.mkdir(parents=True, exist_ok=True)
    written: dict[Path, Path | None] = {}
    recent: list[tuple[str, Path]] = []
    for i in range(documents):
        path = out / f"{i // 1000:02d}" / f"plan-{i:05d}"
        if recent and rng.random() < REPUBLISHED:  # the same plan again, as another site renders it
            text, original = rng.choice(recent)
        else:
            text, original = plan(i, pool, rng), None
        data, style = render(text, rng)
        path = path.with_name(f"{path.name}-{style}.txt")
        if original is None:
            recent = (recent + [(text, path)])[-50:]
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        written[path] = original
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.documents, args.seed)
    print(f"wrote {len(paths)} plans under {args.out}")


if __name__ == "__main__":
    main()
