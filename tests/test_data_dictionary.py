"""docs/data_dictionary.md is what the catalog's schema gives, and names every published table and column."""

import re
import subprocess
import sys

from assets.catalog.schema import TABLES
from pipelines.data_dictionary import DOC, data_dictionary
from tests.helpers import ROOT


def test_the_committed_dictionary_is_the_generated_one():
    assert DOC.read_text(encoding="utf-8") == data_dictionary(), "run `python -m pipelines.data_dictionary` and commit the doc"
    check = subprocess.run([sys.executable, "-m", "pipelines.data_dictionary", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_every_table_and_column_is_described_once_in_schema_order():
    text = data_dictionary()
    assert re.findall(r"^### `(\w+)`", text, flags=re.M) == list(TABLES)
    for name, spec in TABLES.items():
        section = text.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        rows = re.findall(r"^\| `(\w+)` \| ", section, flags=re.M)
        assert rows == [c.name for c in spec.columns], name
        assert spec.description in section


def test_a_description_with_a_pipe_does_not_break_the_table(monkeypatch):
    from dataclasses import replace

    from pipelines import data_dictionary as module

    documents = TABLES["documents"]
    columns = (replace(documents.columns[0], description="a | b"),) + tuple(documents.columns[1:])
    monkeypatch.setattr(module, "TABLES", {"documents": replace(documents, columns=columns)})
    line = next(line for line in module.data_dictionary().splitlines() if line.startswith("| `doc_id`"))
    assert line.count("|") == 4 and "a / b" in line
