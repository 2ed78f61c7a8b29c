"""The published tables as Dagster assets: one key per catalog table, its column schema, its checks and its lineage."""

import json
import shutil

import pyarrow.parquet as pq
import pytest
from dagster import AssetCheckSeverity, AssetKey, DagsterInstance

from assets.catalog.schema import TABLES
from assets.publishing.suites import CRITICAL, WARNING, load_suites
from assets.table_specs import CHECK_NAMES, SOURCES, TABLE_KEYS, table_key, type_name
from pipelines.definitions import build_job, defs
from tests.helpers import RAW, ROOT, build

GRAPH = defs.resolve_asset_graph()


def declared_columns(schema) -> list[tuple[str, str, str]]:
    return [(c.name, c.type, c.description) for c in schema.columns]


def test_every_catalog_table_is_an_asset_key_of_the_tables_group():
    for name in TABLES:
        node = GRAPH.get(table_key(name))
        assert node.group_name == "tables", name
        assert declared_columns(node.metadata["dagster/column_schema"]) == [
            (c.name, type_name(c.type), c.description) for c in TABLES[name].columns
        ], name
    assert {key for key in GRAPH.get_all_asset_keys() if key.path[0] == "tables"} == set(TABLE_KEYS)


def test_the_graph_runs_from_the_stages_through_the_tables_to_publication():
    stages = {node.key for node in GRAPH.asset_nodes if node.group_name not in ("tables", "publish", "release")}
    for name, sources in SOURCES.items():
        assert GRAPH.get(table_key(name)).parent_keys == {AssetKey(s) for s in sources}, name
        assert {AssetKey(s) for s in sources} <= stages
    assert set(SOURCES) == set(TABLES)
    assert GRAPH.get(AssetKey("staged_build")).parent_keys == set(TABLE_KEYS)
    assert GRAPH.get(AssetKey("published_tables")).parent_keys == set(TABLE_KEYS) | {AssetKey("staged_build")}
    assert GRAPH.get(AssetKey("dataset_release")).parent_keys == {AssetKey("published_tables")}


def test_each_table_has_a_blocking_check_of_its_critical_expectations_and_one_of_its_warnings():
    by_asset: dict[AssetKey, dict[str, bool]] = {}
    for key in GRAPH.asset_check_keys:
        by_asset.setdefault(key.asset_key, {})[key.name] = GRAPH.get_check_spec(key).blocking
    assert set(by_asset) <= set(TABLE_KEYS)  # every check is on a table asset
    for name, suite in load_suites().items():
        severities = {e.get("severity", CRITICAL) for e in suite["expectations"]}
        expected = {CHECK_NAMES[s]: s == CRITICAL for s in (CRITICAL, WARNING) if s in severities}
        assert by_asset.get(table_key(name)) == expected, name


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    """(warehouse, Dagster result, instance home) of one build of the bundled raw/, recorded by an instance configured
    as `make` configures .dagster_home/."""
    root = tmp_path_factory.mktemp("assets")
    shutil.copytree(RAW, root / "raw")
    home = root / "home"
    home.mkdir()
    shutil.copyfile(ROOT / "pipelines" / "dagster_home.yaml", home / "dagster.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        result = build(root / "raw", root / "w", instance=DagsterInstance.from_config(str(home)))
    return root / "w", result, home


@pytest.mark.slow
def test_each_table_materializes_with_its_row_count_schema_and_preview(seed_build):
    warehouse, result, _ = seed_build
    materialized = {m.asset_key: m.metadata for m in result.asset_materializations_for_node("validated_tables")}
    for name in TABLES:
        published = pq.read_table(warehouse / "tables" / f"{name}.parquet")
        metadata = materialized[table_key(name)]
        assert metadata["dagster/row_count"].value == published.num_rows, name
        columns = metadata["dagster/column_schema"].schema.columns
        assert [(c.name, c.type) for c in columns] == [(f.name, type_name(f.type)) for f in published.schema], name
        assert [c.description for c in columns] == [c.description for c in TABLES[name].columns], name
        preview = metadata["preview"].value  # a header line, then a line per row shown
        if published.num_rows:
            rows = [line for line in preview.splitlines() if line.startswith("| ")]
            assert len(rows) == 1 + min(published.num_rows, 5), name
        else:
            assert preview == "_(no rows)_", name


@pytest.mark.slow
def test_each_check_reports_its_tables_expectations_as_in_the_validation_report(seed_build):
    warehouse, result, _ = seed_build
    report = json.loads((warehouse / "current" / "validation_report.json").read_text(encoding="utf-8"))
    evaluations = {(e.asset_key, e.check_name): e for e in result.get_asset_check_evaluations()}
    assert set(evaluations) == {(key.asset_key, key.name) for key in GRAPH.asset_check_keys}
    counted = 0
    for (key, check), evaluation in evaluations.items():
        severity = next(s for s, n in CHECK_NAMES.items() if n == check)
        results = [r for r in report["results"] if table_key(r["table"]) == key and r["severity"] == severity]
        failed = {r["check"]: r for r in results if not r["success"]}
        assert evaluation.passed == (not failed), (key, check)
        assert evaluation.severity == (AssetCheckSeverity.ERROR if severity == CRITICAL else AssetCheckSeverity.WARN)
        assert evaluation.metadata["expectations"].value == len(results)
        failures = evaluation.metadata["failures"].value
        assert set(failures) == set(failed)
        for check_name, r in failed.items():
            assert failures[check_name]["unexpected_count"] == r["unexpected_count"]
            assert failures[check_name]["source_files"] == r["files"]
        shown = evaluation.metadata["results"].value.replace("\\_", "_")  # Markdown escapes underscores
        for r in results:
            assert f"| {r['check']} | {r['success']} |" in shown
        counted += len(results)
    assert counted == len(report["results"]) == sum(len(s["expectations"]) for s in load_suites().values())


def test_the_build_job_runs_every_asset_and_check():
    assert build_job.selection.resolve(GRAPH) == set(GRAPH.get_all_asset_keys()) - {AssetKey("dataset_release")}
    assert build_job.selection.resolve_checks(GRAPH) == set(GRAPH.asset_check_keys)


@pytest.mark.slow
def test_another_process_sees_each_tables_last_materialization_and_checks(seed_build, monkeypatch):
    warehouse, result, home = seed_build
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    reader = DagsterInstance.from_config(str(home))  # as the UI reads it: everything was committed
    assert (home / "event_log.db").is_file()  # every run's events in the one SQLite file the configuration names
    for name in TABLES:
        event = reader.get_latest_materialization_event(table_key(name))
        assert event.run_id == result.run_id
        rows = event.asset_materialization.metadata["dagster/row_count"].value
        assert rows == pq.read_metadata(warehouse / "tables" / f"{name}.parquet").num_rows, name
    for key in GRAPH.asset_check_keys:
        [record] = reader.event_log_storage.get_asset_check_execution_history(key, limit=1)
        assert record.run_id == result.run_id, key
