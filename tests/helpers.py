"""What the tests share: the repository's paths and seeds, a build of a folder and its tables read back, small plans,
and texts rewritten the way other sources render them. Test modules import from here, never from each other
(`tests/test_test_modules.py` checks)."""

import json
import logging
import random
import re
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
in_fast_test = False  # set by tests/conftest.py for each test: True while a test not marked `slow` runs


def seed_texts() -> dict[str, bytes]:
    """The bundled seed plans (raw/*.txt) by file name."""
    return {p.name: p.read_bytes() for p in sorted(RAW.glob("*.txt"))}


# ------------------------------------------------------------------------------------------- builds and tables


def build(raw_dir: Path, warehouse: Path, instance=None):
    """Materialize every asset on `raw_dir` into `warehouse` (in this process); the run must succeed. Only a test
    marked `slow` may build (tests/conftest.py)."""
    if in_fast_test:
        raise AssertionError("this test builds a warehouse: mark it `slow` (@pytest.mark.slow; see tests/conftest.py)")
    from dagster import materialize

    from assets.settings import PipelineSettings
    from pipelines.definitions import ALL_ASSETS, pipeline_resources

    settings = PipelineSettings(raw_dir=str(raw_dir), warehouse_dir=str(warehouse))
    result = materialize(ALL_ASSETS, resources=pipeline_resources(settings), raise_on_error=False, instance=instance)
    assert result.success
    return result


def warnings_of(raw: Path, warehouse: Path) -> list[str]:
    """Build, and return the warnings the run logged."""
    from dagster import DagsterInstance

    instance = DagsterInstance.ephemeral()
    result = build(raw, warehouse, instance)
    return [entry.user_message for entry in instance.all_logs(result.run_id) if entry.level >= logging.WARNING]


def table(warehouse: Path, name: str) -> list[dict]:
    """A published table's rows."""
    return pq.read_table(warehouse / "tables" / f"{name}.parquet").to_pylist()


def by_file(warehouse: Path, name: str = "documents") -> dict[str, dict]:
    """A published table's rows by source file."""
    return {row["source_file"]: row for row in table(warehouse, name)}


def database_rows(warehouse: Path) -> dict[str, list]:
    """Every table and view of a published database as sorted rows (a relation: row order left aside)."""
    import duckdb

    from assets.publishing.warehouse import DB_NAME

    with duckdb.connect(str(warehouse / DB_NAME), read_only=True) as con:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
            ).fetchall()
        ]
        return {name: sorted(map(repr, con.execute(f'SELECT * FROM "{name}"').fetchall())) for name in names}


def database_info(warehouse: Path) -> dict:
    """How the current build wrote its database (build_info.json's `database`)."""
    return json.loads((warehouse / "current" / "build_info.json").read_text(encoding="utf-8"))["database"]


# ------------------------------------------------------------------------------------------- small plans


def plan(title: str, *measures: str) -> str:
    """A small plan: a title and numbered measures under one part."""
    return f"{title}\n一、主要任务\n" + "".join(f"{i}.{m}\n" for i, m in enumerate(measures, start=1))


GOOD = plan("某区优化营商环境实施方案", "优化企业开办。企业开办时间压缩至1个工作日以内。", "强化监管。检查率达到100%。")
OTHER = plan("另一个县深化放管服改革工作方案", "推行并联审批。审批时间压缩至5个工作日。", "建设政务服务中心。", "开展涉企收费清理。")


# ------------------------------------------------------------------------------------------- rewritten texts


def squash(text: str) -> str:
    """`text` without whitespace, punctuation or symbols, NFKC-normalized: what two renderings of a title share."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PZS")


def provisions(raw: str) -> list[tuple[str, int, str]]:
    """(kind, number, squashed title) of each provision the outline parser finds in `raw`."""
    from assets.domain.reading.normalize import normalize_text
    from assets.domain.reading.outline import parse_outline

    return [(p.kind, p.number, squash(p.title)) for p in parse_outline(normalize_text(raw).text).provisions]


def traditional(text: str) -> str:
    """`text` in Traditional script (OpenCC s2t)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def pdf_spacing(text: str, seed: int = 7) -> str:
    """Spaces inserted between characters, as PDF extraction does (never inside a Latin word or number)."""
    rng = random.Random(seed)
    out = []
    for a, b in zip(text, text[1:] + " "):
        out.append(a)
        if a != "\n" and b != "\n" and not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) and rng.random() < 0.08:
            out.append(" ")
    return "".join(out)


def full_width(text: str) -> str:
    """Full-width punctuation and digits, as some sources type them (a comma inside a number stays)."""
    table = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；"}
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = "".join(table.get(ch, ch) for ch in text)
    return re.sub(r"[0-9]", lambda m: chr(ord(m.group(0)) + 0xFEE0), text)


def lost_spaces(text: str) -> str:
    """Each paragraph behind `??`, where a scraper lost the full-width spaces that indented it."""
    return "\n".join("??" + line if line.strip() else line for line in text.split("\n"))


def indented_crlf(text: str) -> str:
    """Windows line ends and full-width indentation, as a Word copy gives."""
    return "\r\n".join("\u3000\u3000" + line for line in text.split("\n"))
