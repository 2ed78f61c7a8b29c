"""Due years the text does not state: inferred from the plan's period or goal section, kept in their own column."""

import pandas as pd
import pytest

from assets.domain.extracting.due_years import goal_section_year, inferred_due_year, plan_period_end
from assets.domain.extracting.target_rows import target_rows


@pytest.mark.parametrize(
    "title, year",
    [
        ("2023年度某县优化营商环境工作要点", 2023),
        ("某区优化营商环境三年（2023—2025）行动方案", 2025),
        ("某市营商环境提升行动计划（2024-2026年）", 2026),
        ("某市优化营商环境条例", None),
        (None, None),
    ],
)
def test_plan_period_from_the_title(title, year):
    assert plan_period_end(title) == year


def test_goal_section_year_is_the_latest_it_sets():
    assert goal_section_year(["主要目标\n到2026年，营商环境进入全省前列。", "2024年，基本建成服务体系。"]) == 2026
    assert goal_section_year(["2020年以来，营商环境持续改善。"]) is None


def test_plan_period_comes_before_the_goal_section():
    assert inferred_due_year("2023年度某县工作要点", ["到2026年，…"]) == (2023, "plan_period")
    assert inferred_due_year("某县行动方案", ["到2026年，…"]) == (2026, "goal_section")
    assert inferred_due_year("某县行动方案", []) == (None, None)


def test_rows_keep_stated_and_inferred_years_apart():
    text = "总体目标\n到2026年，网办率达到95%。\n（一）压缩开办时间。企业开办时间压缩至1个工作日。2024年底前，网办率达到90%。"
    goal, measure = text[: text.index("（一）")], text[text.index("（一）") + 3 :]
    measures = pd.DataFrame(
        {
            "measure_id": ["d-goal-1", "d-measure-1"],
            "doc_id": ["d", "d"],
            "kind": ["goal", "measure"],
            "text": [goal, measure],
            "char_start": [0, text.index("（一）") + 3],
        }
    )
    rows = target_rows(measures, pd.DataFrame({"doc_id": ["d"], "text": [text], "title": ["某县优化营商环境行动方案"]}))
    picked = rows[["metric", "year", "year_inferred", "year_inferred_from"]].astype(object)
    got = [tuple(row) for row in picked.where(picked.notna(), None).itertuples(index=False)]
    assert got == [("网办率", 2026, None, None), ("企业开办时间", None, 2026, "goal_section"), ("网办率", 2024, None, None)]
