"""Targets that measure the same thing across regions (`企业开办时间` in working days, `全程网办率` in %).

Definitions are data (assets/catalog/data/comparable_metrics.csv): a metric code, the phrases that name
it, phrases that rule it out, and the units it may be stated in; unit_conversions.csv says how to
bring those units to the metric's own (8 working hours to a working day). The DuckDB view
`comparable_targets` applies the conversion, so the published numbers stay as written.
"""

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from assets.catalog import vocabulary_frame


@dataclass(frozen=True)
class MetricRule:
    code: str
    indicator: str
    any_of: tuple[str, ...]
    none_of: tuple[str, ...]
    units: tuple[str, ...]


@lru_cache(maxsize=None)
def metric_table() -> pd.DataFrame:
    """The comparable metrics: code, Chinese and English names, reporting unit, indicator."""
    return vocabulary_frame("comparable_metrics.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def conversion_table() -> pd.DataFrame:
    """Factors that bring a value from one unit to another (value × factor)."""
    table = vocabulary_frame("unit_conversions.csv", dtype={"from_unit": str, "to_unit": str, "note": str}, keep_default_na=False)
    table["factor"] = table["factor"].astype(float)
    return table


@lru_cache(maxsize=None)
def _rules() -> tuple[MetricRule, ...]:
    def split(cell: str) -> tuple[str, ...]:
        return tuple(p for p in cell.split("|") if p)

    convertible = set(zip(conversion_table()["from_unit"], conversion_table()["to_unit"]))
    rules = []
    for row in metric_table().itertuples(index=False):
        for unit in split(row.units):
            if (unit, row.unit) not in convertible:
                raise ValueError(
                    f"comparable_metrics.csv: {row.metric_code} accepts {unit} but unit_conversions.csv has no {unit} → {row.unit}"
                )
        rules.append(MetricRule(row.metric_code, row.indicator_code, split(row.any_of), split(row.none_of), split(row.units)))
    return tuple(rules)


def metric_code(metric: str, unit: str, measure_indicators: set[str]) -> str | None:
    """The comparable metric a target's metric phrase names, or None. The metric's indicator must be one of the
    measure's, so a bank's 平均审批时间 in a credit measure is not a construction approval time. The first matching
    rule in the table wins."""
    for rule in _rules():
        if (
            unit in rule.units
            and rule.indicator in measure_indicators
            and any(p in metric for p in rule.any_of)
            and not any(p in metric for p in rule.none_of)
        ):
            return rule.code
    return None
