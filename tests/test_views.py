"""The analyst views of the DuckDB file: documented, consistent with the tables, units made comparable."""

import duckdb
import pytest

from assets.publishing.views import VIEWS
from assets.publishing.warehouse import DB_NAME
from tests.helpers import build

MADE_UP_PLAN = """东湖区进一步优化营商环境若干措施
一、提升开办便利度
1.压缩企业开办时间。企业开办全程网上办理，企业开办时间压缩至4个小时以内。（牵头单位：区市场监管局；配合单位：区税务局）
2.提升办电效率。低压小微企业全过程办电时间压缩至3个工作日以内。（牵头单位：区发展改革局）
二、提升政务服务水平
3.推进“一网通办”。2025年底前政务服务事项全程网办率达到90%以上。（牵头单位：区政务服务局）
"""


def test_every_table_view_and_column_is_documented(seed_release):
    warehouse, _ = seed_release
    with duckdb.connect(str(warehouse / DB_NAME), read_only=True) as con:
        undocumented = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND coalesce(comment, '') = ''"
        ).fetchall()
        views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
        tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert undocumented == []
    assert set(views) == {v.name for v in VIEWS} and all(views.values())
    assert all(tables.values())


def test_measures_overview_agrees_with_the_tables(seed_release):
    warehouse, _ = seed_release
    with duckdb.connect(str(warehouse / DB_NAME), read_only=True) as con:
        overview = con.execute("SELECT count(*), count(DISTINCT measure_id) FROM measures_overview").fetchone()
        assert overview[0] == overview[1] == con.execute("SELECT count(*) FROM unique_measures").fetchone()[0]
        mismatched = con.execute("""
            SELECT count(*) FROM measures_overview o JOIN measure_indicators mi
              ON mi.measure_id = o.measure_id AND mi.is_primary
            WHERE mi.indicator_code <> o.primary_indicator OR NOT list_contains(o.indicator_codes, mi.indicator_code)""").fetchone()[0]
        assert mismatched == 0
        led = con.execute("SELECT sum(measures_led) FROM unit_workload").fetchone()[0]
        lead_rows = con.execute(
            "SELECT count(DISTINCT (measure_id, unit_id)) FROM measure_units JOIN unique_measures USING (measure_id) WHERE role = 'lead'"
        ).fetchone()[0]
        assert led == lead_rows == con.execute("SELECT sum(measures_led) FROM function_workload").fetchone()[0]


@pytest.mark.slow
def test_comparable_targets_convert_units(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "donghu-district_2025_measures.txt").write_text(MADE_UP_PLAN, encoding="utf-8")
    build(raw, tmp_path / "w")
    with duckdb.connect(str(tmp_path / "w" / DB_NAME), read_only=True) as con:
        rows = con.execute(
            "SELECT metric_code, value, unit, value_as_written, unit_as_written, year FROM comparable_targets ORDER BY metric_code"
        ).fetchall()
        leads = con.execute("SELECT lead_units FROM measures_overview WHERE primary_indicator = 'starting_business'").fetchall()
    assert rows == [
        ("business_registration_time", 0.5, "工作日", 4.0, "小时", None),
        ("electricity_connection_time", 3.0, "工作日", 3.0, "工作日", None),
        ("full_online_service_rate", 90.0, "%", 90.0, "%", 2025),
    ]
    assert leads == [(["区市场监管局"],)]
