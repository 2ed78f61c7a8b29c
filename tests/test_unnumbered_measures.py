"""A plan whose measures include paragraphs without numbers (each ending in its responsibility annotation) is
published whole, beside the other plans: the unnumbered ones have an empty label (schema 2.3.0)."""

import pytest

from tests.helpers import build, table

PLAN = """某县优化营商环境行动方案
为优化营商环境，制定本方案。
推进工程建设项目审批制度改革，审批时间压缩至60个工作日以内。（牵头单位：县住建局；配合单位：县自然资源局）
推行不动产登记一窗受理。（牵头单位：县自然资源局；配合单位：县税务局）
"""
OTHER = """某区优化营商环境实施方案
一、主要任务
（一）优化企业开办。企业开办时间压缩至0.5个工作日。（牵头单位：区市场监管局）
（二）提升纳税便利度。（牵头单位：区税务局）
"""


@pytest.mark.slow
def test_unnumbered_measures_are_published_with_an_empty_label_and_do_not_block_other_plans(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "county.txt").write_text(PLAN, encoding="utf-8")
    (raw / "district.txt").write_text(OTHER, encoding="utf-8")
    result = build(raw, tmp_path / "w")
    assert result.success
    measures = table(tmp_path / "w", "measures")
    assert len({m["doc_id"] for m in measures}) == 2
    unnumbered = [m for m in measures if m["label"] == ""]
    assert [(m["number"], m["text"][:6]) for m in unnumbered] == [(1, "推进工程建设"), (2, "推行不动产登")]
    assert all(m["label"] for m in measures if m not in unnumbered)
    assert not table(tmp_path / "w", "quarantine")
