"""Rows of `measure_indicators`, `indicators`, `comparable_metrics`, `unit_conversions`, and the indicator
and comparable metric of each target."""

import pandas as pd

from assets.catalog.schema import TABLES
from assets.domain.extracting.comparable import conversion_table, metric_code, metric_table
from assets.domain.extracting.indicator_rules import best_indicator, tag_provision, taxonomy


def measure_indicator_rows(measures: pd.DataFrame) -> pd.DataFrame:
    """One row per provision and indicator; the first of each provision is its primary one."""
    rows = []
    columns = (measures[c].tolist() for c in ("measure_id", "kind", "title", "text"))
    for measure_id, kind, title, text in zip(*columns):
        for n, match in enumerate(tag_provision(kind, title, text)):
            rows.append(
                {
                    "measure_id": measure_id,
                    "indicator_code": match.indicator,
                    "score": match.score,
                    "is_primary": n == 0,
                    "evidence": match.evidence,
                }
            )
    return pd.DataFrame(rows, columns=TABLES["measure_indicators"].column_names)


TARGET_CLASS_COLUMNS = ["target_id", "indicator_code", "metric_code"]


def classify_targets(targets: pd.DataFrame, measure_indicators: pd.DataFrame) -> pd.DataFrame:
    """target_id, indicator_code and metric_code of every target."""
    if targets.empty:
        return pd.DataFrame(columns=TARGET_CLASS_COLUMNS)
    tagged: dict[str, set[str]] = {}
    primary: dict[str, str] = {}
    for measure_id, code, is_primary in zip(*(measure_indicators[c].tolist() for c in ("measure_id", "indicator_code", "is_primary"))):
        tagged.setdefault(measure_id, set()).add(code)
        if is_primary:
            primary[measure_id] = code
    metric_indicator = dict(zip(metric_table()["metric_code"].tolist(), metric_table()["indicator_code"].tolist()))
    codes, indicators = [], []
    for measure_id, metric, unit in zip(*(targets[c].tolist() for c in ("measure_id", "metric", "unit"))):
        code = metric_code(metric, unit, tagged.get(measure_id, set()))
        codes.append(code)
        indicators.append(metric_indicator[code] if code else best_indicator(metric) or primary[measure_id])
    return pd.DataFrame({"target_id": targets["target_id"], "indicator_code": indicators, "metric_code": codes})


def reference_tables() -> dict[str, pd.DataFrame]:
    """The taxonomy and comparable-metric definitions, published so the data explains itself."""
    return {
        "indicators": taxonomy()[TABLES["indicators"].column_names],
        "comparable_metrics": metric_table()[TABLES["comparable_metrics"].column_names],
        "unit_conversions": conversion_table()[TABLES["unit_conversions"].column_names].replace({"note": {"": None}}),
    }
