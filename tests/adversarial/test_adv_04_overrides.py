"""Case 4: dedup overrides are validated: a self-reference is rejected, unknown names and conflicts are warned about,
and no document or measure is ever published as its own duplicate."""

import pandas as pd
import pytest

from assets.domain.dedup.matching import OVERRIDES_NAME
from assets.publishing.derived_checks import check_frames
from tests.helpers import GOOD, OTHER, build, by_file, table


def overrides_build(tmp_path, lines: list[str]):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD, encoding="utf-8")
    (raw / "b.txt").write_text(OTHER, encoding="utf-8")
    (raw / OVERRIDES_NAME).write_text("level,a,b,decision,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    build(raw, tmp_path / "w")
    warnings = [w["message"] for w in table(tmp_path / "w", "parse_warnings") if w["source_file"] == OVERRIDES_NAME]
    return by_file(tmp_path / "w"), table(tmp_path / "w", "measures"), warnings


@pytest.mark.slow
def test_a_document_named_on_both_sides_is_not_made_a_copy_of_itself(tmp_path):
    docs, measures, warnings = overrides_build(tmp_path, ["document,a.txt,a.txt,same,"])
    assert docs["a.txt"]["duplicate_of"] is None
    assert all(m["duplicate_of"] != m["measure_id"] for m in measures)
    assert any("line 2" in w and "itself" in w for w in warnings)


@pytest.mark.slow
def test_a_measure_named_on_both_sides_is_rejected(tmp_path):
    docs, measures, warnings = overrides_build(tmp_path, [f"measure,{'x' * 12}-measure-001,{'x' * 12}-measure-001,same,"])
    assert any("line 2" in w and "itself" in w for w in warnings)


@pytest.mark.slow
def test_overrides_naming_unknown_documents_or_measures_are_warned_about(tmp_path):
    _, _, warnings = overrides_build(tmp_path, ["document,a.txt,missing.txt,different,", "measure,000000000000-measure-001,a.txt,same,"])
    assert any("line 2" in w and "missing.txt" in w for w in warnings)
    assert any("line 3" in w and "000000000000-measure-001" in w for w in warnings)


@pytest.mark.slow
def test_a_pair_marked_both_same_and_different_is_warned_about_and_not_applied(tmp_path):
    docs, _, warnings = overrides_build(tmp_path, ["document,a.txt,b.txt,same,", "document,b.txt,a.txt,different,"])
    assert docs["a.txt"]["duplicate_of"] is None and docs["b.txt"]["duplicate_of"] is None
    assert any("both" in w and "a.txt" in w and "b.txt" in w for w in warnings)


def test_validation_rejects_a_document_or_measure_that_is_its_own_duplicate():
    from assets.catalog.schema import TABLES

    frames = {name: pd.DataFrame(columns=spec.column_names) for name, spec in TABLES.items()}
    frames["documents"] = pd.DataFrame([{**dict.fromkeys(TABLES["documents"].column_names), "doc_id": "d1", "duplicate_of": "d1"}])
    frames["measures"] = pd.DataFrame(
        [
            {
                **dict.fromkeys(TABLES["measures"].column_names),
                "measure_id": "d1-measure-001",
                "doc_id": "d1",
                "duplicate_of": "d1-measure-001",
                "text": "",
                "char_start": 0,
                "char_end": 0,
                "seq": 1,
                "number": 1,
                "kind": "measure",
            }
        ]
    )
    checked = check_frames(frames)
    assert checked["documents"]["check_not_own_duplicate"].tolist() == [False]
    assert checked["measures"]["check_not_own_duplicate"].tolist() == [False]
