"""The published contract (shared/CONTRACT.md) is versioned: changing a contract column needs a major bump."""

import json
from pathlib import Path

from assets.catalog.schema import SCHEMA_VERSION, TABLES

SNAPSHOT = Path(__file__).parent / "data" / "contract_columns.json"
CONTRACT_TABLES = {
    "documents": [
        "doc_id",
        "source_file",
        "sha256",
        "title",
        "issuer",
        "issue_date",
        "doc_number",
        "region",
        "region_code",
        "province",
        "duplicate_of",
    ],
    "measures": ["measure_id", "doc_id", "seq", "kind", "number", "label", "section_path", "title", "text", "cluster_id"],
    "units": ["unit_id", "name"],
    "measure_units": ["measure_id", "unit_id", "role"],
    "targets": ["target_id", "measure_id", "value", "value_max", "unit", "comparator", "baseline", "year", "metric", "scope", "text"],
    "quarantine": ["source_file", "sha256", "stage", "reason"],
}


def current() -> dict:
    columns = {t.name: [[c.name, str(c.type), c.nullable] for c in t.columns if c.contract] for t in TABLES.values()}
    return {name: cols for name, cols in columns.items() if cols}


def test_every_contract_column_is_published():
    for table, columns in CONTRACT_TABLES.items():
        published = {c.name for c in TABLES[table].columns if c.contract}
        assert set(columns) <= published, table


def test_a_contract_change_comes_with_a_major_version_bump():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if current() != snapshot["contract_columns"]:
        assert SCHEMA_VERSION.split(".")[0] != snapshot["schema_version"].split(".")[0], (
            "a contract column changed: bump the major SCHEMA_VERSION, add a changelog entry, and refresh tests/data/contract_columns.json"
        )
    else:
        assert SCHEMA_VERSION.split(".")[0] == snapshot["schema_version"].split(".")[0]
