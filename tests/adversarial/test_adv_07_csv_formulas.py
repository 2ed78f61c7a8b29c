"""Case 7: release CSVs never hand a spreadsheet a formula: text cells that would start one are escaped, in the CSV
export only, with the rule in the release's README."""

import csv
import datetime as dt

import pyarrow.parquet as pq
import pytest

from assets.publishing.release_bundle import cut_release
from tests.helpers import build, plan

pytestmark = pytest.mark.slow  # builds a warehouse

TRIGGERS = ("=", "+", "-", "@")


def test_cells_that_would_start_a_formula_are_escaped_in_csv_only(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = plan('=HYPERLINK("http://x")优化营商环境方案', "@SUM(1+1)优化企业开办。时间压缩至1个工作日。", "-2+3强化监管。")
    (raw / "=cmd|' calc'!A0.txt").write_text(text, encoding="utf-8")
    (raw / "sources.csv").write_text("file,title,source_note\n=cmd|' calc'!A0.txt,+1+1 方案,@note\n", encoding="utf-8")
    build(raw, tmp_path / "w")
    release = cut_release(tmp_path / "w" / "current", tmp_path / "w" / "releases", dt.date(2026, 11, 22))
    starts = []
    for path in (release / "csv").glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            types = pq.read_schema(release / "data" / f"{path.stem}.parquet")
            for row in reader:
                starts += [
                    (path.name, column, cell)
                    for column, cell in zip(header, row)
                    if cell.startswith(TRIGGERS) and "string" in str(types.field(column).type)
                ]
    assert starts == []
    documents = pq.read_table(release / "data" / "documents.parquet").to_pylist()
    assert documents[0]["source_file"] == "=cmd|' calc'!A0.txt"  # Parquet keeps the value as it is
    with open(release / "csv" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["source_file"] == "'=cmd|' calc'!A0.txt"
    assert "formula" in (release / "README.md").read_text(encoding="utf-8")
