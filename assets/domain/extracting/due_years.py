"""The year a target is due by when its own text names none: the end of the plan's period as its title states it
(`2022年度…工作方案`, `三年（2022—2024）攻坚行动方案`), else the latest year its goal section sets (`到2025年，…`).
Kept apart from `targets.year`, which only holds years the text states for the target."""

import re

PERIOD = re.compile(r"(?P<y1>(?:19|20)\d{2})\s*年?\s*(?:[—\-－~～至到]\s*(?P<y2>(?:19|20)\d{2}))?\s*(?:年度?)?")
GOAL_YEAR = re.compile(
    r"(?:^|[到至于。；\n，]|——)\s*(?P<y1>(?:19|20)\d{2})(?:\s*[—\-－~至到]\s*(?P<y2>(?:19|20)\d{2}))?\s*年(?!代|以来|来)"
)


def plan_period_end(title: str | None) -> int | None:
    """The last year of the period a plan's title names (a range gives its end), or None."""
    if not title:
        return None
    years = [int(m.group("y2") or m.group("y1")) for m in PERIOD.finditer(title)]
    return max(years) if years else None


def goal_section_year(goal_texts: list[str]) -> int | None:
    """The latest year the goal provisions set targets for (`到2025年`, a paragraph opening `2024年，`), or None."""
    years = [int(m.group("y2") or m.group("y1")) for text in goal_texts for m in GOAL_YEAR.finditer(text)]
    return max(years) if years else None


def inferred_due_year(title: str | None, goal_texts: list[str]) -> tuple[int | None, str | None]:
    """(year, where it comes from: plan_period or goal_section) for the targets of one document."""
    period = plan_period_end(title)
    if period is not None:
        return period, "plan_period"
    goal = goal_section_year(goal_texts)
    return (goal, "goal_section") if goal is not None else (None, None)
