"""Case 14: the smaller holes: control characters in file names, huge values in log lines, a minus sign, leftover links."""

import os

import pytest

from assets.domain.extracting.quantities import find_quantities
from pipelines.build import summary
from tests.helpers import GOOD, build, plan, table, warnings_of


@pytest.mark.slow
def test_control_characters_in_file_names_do_not_break_the_summary_table(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "two\nlines\x1b[31m.txt").write_text(GOOD, encoding="utf-8")
    build(raw, tmp_path / "w")
    text = summary(tmp_path / "w")
    lines = text.splitlines()
    assert "\x1b" not in text
    assert [line.split()[0] for line in lines[1:3]] == ["good.txt", "two\\x0alines\\x1b[31m.txt"]  # one line each
    assert not any(line.startswith("lines") for line in lines)
    assert "two\\x0alines\\x1b[31m.txt" in text


@pytest.mark.slow
def test_a_30000_character_unit_name_is_not_written_whole_into_a_log_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    huge = "某" * 30000 + "局"
    (raw / "huge.txt").write_text(
        plan("某县优化营商环境方案", f"优化服务。（牵头单位：{huge}）", "强化监管。（牵头单位：县市场监管局）"), encoding="utf-8"
    )
    messages = warnings_of(raw, tmp_path / "w")
    assert messages and max(len(m) for m in messages) < 2000


@pytest.mark.slow
def test_a_minus_sign_before_a_number_is_kept_and_the_implausible_target_flagged(tmp_path):
    [quantity] = find_quantities("审批时间压缩至-3个工作日")
    assert quantity.value == -3
    [range_] = find_quantities("办理时间1-3个工作日")
    assert (range_.value, range_.value_max) == (1, 3)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "minus.txt").write_text(plan("某县优化营商环境方案", "审批时间压缩至-3个工作日。", "检查率达到100%。"), encoding="utf-8")
    build(raw, tmp_path / "w")
    assert not [t for t in table(tmp_path / "w", "targets") if t["unit"] == "工作日"]  # never published as 3
    assert any("-3" in w["message"] for w in table(tmp_path / "w", "parse_warnings"))


def test_temporary_links_a_killed_switch_left_are_removed_by_the_next_build(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    for name in (".current.0badc0de", ".tables.0badc0de", ".policy_measures.duckdb.0badc0de"):
        os.symlink("builds/nowhere", warehouse / name)
    build(raw_copy, warehouse)
    assert sorted(p.name for p in warehouse.iterdir() if p.name.startswith(".") and p.name != ".lock") == []
