"""docs/queries.md is what the queries give on the bundled raw/, and every query runs."""

import subprocess
import sys

from assets.publishing.warehouse import DB_NAME
from pipelines.queries import DOC, QUESTIONS, render
from tests.helpers import ROOT


def test_queries_doc_matches_a_fresh_build(seed_release):
    warehouse, _ = seed_release
    assert len(QUESTIONS) >= 10
    assert render(warehouse / DB_NAME) == DOC.read_text(encoding="utf-8"), "run `python -m pipelines.queries` and commit docs/queries.md"


def test_every_answer_has_rows_and_the_cli_prints_one(seed_release):
    warehouse, _ = seed_release
    text = render(warehouse / DB_NAME)
    assert "_0 rows" not in text
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.queries", "--run", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"WAREHOUSE_DIR": str(warehouse), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert "business" not in result.stderr and "企业开办" in result.stdout
