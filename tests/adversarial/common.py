"""Helpers shared by the adversarial tests: small plans, a build of a folder, a table read back."""

import logging
from pathlib import Path

import pyarrow.parquet as pq

from tests.test_pipeline import build  # noqa: F401  (re-exported for the tests here)


def plan(title: str, *measures: str) -> str:
    """A small plan: a title and numbered measures under one part."""
    return f"{title}\n一、主要任务\n" + "".join(f"{i}.{m}\n" for i, m in enumerate(measures, start=1))


GOOD = plan("某区优化营商环境实施方案", "优化企业开办。企业开办时间压缩至1个工作日以内。", "强化监管。检查率达到100%。")
OTHER = plan("另一个县深化放管服改革工作方案", "推行并联审批。审批时间压缩至5个工作日。", "建设政务服务中心。", "开展涉企收费清理。")


def warnings_of(raw: Path, warehouse: Path) -> list[str]:
    """Build, and return the warnings the run logged."""
    from dagster import DagsterInstance

    instance = DagsterInstance.ephemeral()
    result = build(raw, warehouse, instance)
    return [entry.user_message for entry in instance.all_logs(result.run_id) if entry.level >= logging.WARNING]


def table(warehouse: Path, name: str) -> list[dict]:
    return pq.read_table(warehouse / "tables" / f"{name}.parquet").to_pylist()


def by_file(warehouse: Path, name: str = "documents") -> dict[str, dict]:
    return {row["source_file"]: row for row in table(warehouse, name)}
