"""Operating the pipeline: incremental builds equal full rebuilds; the sensor notices changes."""

from pathlib import Path

import pyarrow.parquet as pq
from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from assets.catalog.schema import TABLES
from pipelines.automation import build_sensors
from pipelines.definitions import build_job
from tests.helpers import build, database_info, database_rows

NEW = "某县优化营商环境方案\n一、主要任务\n1.压缩开办时间。企业开办时间压缩至1个工作日以内。\n2.提升网办率。网上可办率达到95%以上。\n"


def tables(warehouse):
    return {name: pq.read_table(warehouse / "tables" / f"{name}.parquet") for name in TABLES}


def test_incremental_build_equals_a_full_rebuild(raw_copy, tmp_path):
    warehouse = tmp_path / "incremental"
    first = build(raw_copy, warehouse)
    assert first.asset_materializations_for_node("normalized_documents")[0].metadata["cache_hits"].value == 0
    (raw_copy / "new-county.txt").write_text(NEW, encoding="utf-8")  # added
    changed = raw_copy / "chengdu-qingyang-district_2020_implementation-plan.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("35 万平米", "40 万平米"), encoding="utf-8")  # changed
    (raw_copy / "taiyuan-xiaodian-district_2022_market-entity-plan.txt").unlink()  # removed
    instance = DagsterInstance.ephemeral()
    second = build(raw_copy, warehouse, instance)
    metadata = second.asset_materializations_for_node("normalized_documents")[0].metadata
    assert metadata["cache_hits"].value == 3 and metadata["parsed"].value == 2  # only the added and the changed file
    for stage in ("normalized_documents", "measures", "targets"):  # the log names the documents computed, counts the others
        messages = [e.user_message for e in instance.all_logs(second.run_id) if e.step_key == stage]
        named = {m.split(":")[0] for m in messages if m.endswith(".txt") or ".txt: " in m}
        assert named == {"new-county.txt", changed.name}, (stage, named)
        assert "3 document(s) unchanged since an earlier build: taken from the cache" in messages, stage
    messages = [e.user_message for e in instance.all_logs(second.run_id) if e.step_key == "responsibilities"]
    assert {m.split(":")[0] for m in messages if ".txt: " in m} <= {"new-county.txt", changed.name}  # warnings of these only
    assert "3 document(s) unchanged since an earlier build: taken from the cache" in messages
    for stage in ("responsibilities", "targets", "indicators", "duplicates"):  # results derived per document are reused too
        assert second.asset_materializations_for_node(stage)[0].metadata["cache_hits"].value == 3, stage
    full = tmp_path / "full"
    build(raw_copy, full)
    incremental, rebuilt = tables(warehouse), tables(full)
    for name in TABLES:
        assert incremental[name].equals(rebuilt[name]), name
    assert database_info(warehouse)["written"].startswith("in place") and database_info(full)["written"] == "whole"
    assert database_rows(warehouse) == database_rows(full)  # the database updated in place holds the same rows
    values = incremental["targets"].column("value").to_pylist()
    assert 400000.0 in values and 350000.0 not in values


def test_plans_only_added_update_the_deduplication_and_equal_a_full_rebuild(raw_copy, tmp_path):
    warehouse = tmp_path / "incremental"
    build(raw_copy, warehouse)
    seed = raw_copy / "urumqi-tianshan-district_2022_87-measures.txt"
    (raw_copy / "mirror").mkdir()
    (raw_copy / "mirror" / "tianshan-copy.txt").write_text(seed.read_text(encoding="utf-8").replace("。", "。 "), encoding="utf-8")
    (raw_copy / "new-county.txt").write_text(NEW, encoding="utf-8")
    second = build(raw_copy, warehouse)
    metadata = second.asset_materializations_for_node("duplicates")[0].metadata
    assert metadata["updated_last_build"].value is True and metadata["duplicate_documents"].value == 1
    full = tmp_path / "full"
    rebuilt = build(raw_copy, full)
    assert rebuilt.asset_materializations_for_node("duplicates")[0].metadata["updated_last_build"].value is False
    incremental, whole = tables(warehouse), tables(full)
    for name in TABLES:
        assert incremental[name].equals(whole[name]), name
    assert incremental["documents"].column("duplicate_of").drop_null().to_pylist()  # the copy was found


def test_a_parser_version_change_invalidates_the_cache(raw_copy, tmp_path, monkeypatch):
    from assets.engine import keys

    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    monkeypatch.setattr(keys, "PARSER_VERSION", "test-next")
    keys.stage_fingerprint.cache_clear()
    try:
        again = build(raw_copy, warehouse)
    finally:
        keys.stage_fingerprint.cache_clear()
    assert again.asset_materializations_for_node("normalized_documents")[0].metadata["cache_hits"].value == 0


def test_sensor_requests_a_run_only_when_raw_files_change(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(NEW, encoding="utf-8")
    [sensor], [schedule] = build_sensors(build_job, lambda: str(raw))
    instance = DagsterInstance.ephemeral()
    first = sensor(build_sensor_context(instance=instance))
    assert isinstance(first, RunRequest)
    cursor = first.run_key
    assert isinstance(sensor(build_sensor_context(instance=instance, cursor=cursor)), SkipReason)
    (raw / "sub").mkdir()
    (raw / "sub" / "b.txt").write_text(NEW, encoding="utf-8")
    second = sensor(build_sensor_context(instance=instance, cursor=cursor))
    assert isinstance(second, RunRequest) and second.run_key != cursor
    assert schedule.cron_schedule == "0 3 * * *"


def test_editing_a_vocabulary_recomputes_the_stages_that_name_it_and_no_other(raw_copy, tmp_path, monkeypatch):
    """Keys follow the files a stage depends on: the same files elsewhere change nothing; an edited indicator keyword
    table recomputes the stages that read it only (not parsing, outlines, targets or responsibilities)."""
    import shutil

    from assets.engine import keys

    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    copy = tmp_path / "assets"
    shutil.copytree(keys.ASSETS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "ASSETS", copy)
    monkeypatch.setattr(keys, "DATA_DIR", copy / "catalog" / "data")
    stages = ("normalized_documents", "measures", "targets", "responsibilities", "indicators", "search_index")

    def hits(result) -> dict[str, int]:
        return {node: result.asset_materializations_for_node(node)[0].metadata["cache_hits"].value for node in stages}

    try:
        keys.stage_fingerprint.cache_clear()
        moved = hits(build(raw_copy, warehouse))
        edited = {}
        for name in ("unit_conversions.csv", "indicator_keywords.csv"):
            with open(copy / "catalog" / "data" / name, "a", encoding="utf-8") as fh:
                fh.write("\n")
            keys.stage_fingerprint.cache_clear()
            edited[name] = hits(build(raw_copy, warehouse))
    finally:
        keys.stage_fingerprint.cache_clear()
    assert moved == dict.fromkeys(stages, 5)
    assert edited["unit_conversions.csv"] == {**dict.fromkeys(stages, 5), "indicators": 0}
    # the keywords are also the segmenter's user dictionary: search tokens are recomputed too
    assert edited["indicator_keywords.csv"] == {**dict.fromkeys(stages, 5), "indicators": 0, "search_index": 0}


def test_the_rules_fingerprint_changes_with_domain_code_and_vocabularies_not_with_publishing(monkeypatch, tmp_path):
    import shutil

    from assets.engine import keys as cache

    for package in ("catalog", "domain", "publishing"):
        shutil.copytree(cache.ASSETS / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "ASSETS", tmp_path)

    def fingerprint_after(edit: str | None) -> str:
        if edit:
            with open(tmp_path / edit, "a", encoding="utf-8") as fh:
                fh.write("\n")
        cache.rules_fingerprint.cache_clear()
        return cache.rules_fingerprint()

    try:
        before = fingerprint_after(None)
        after_rule = fingerprint_after("domain/extracting/target_extraction.py")
        after_keyword = fingerprint_after("catalog/data/indicator_keywords.csv")
        after_page = fingerprint_after("publishing/release_page.py")
    finally:
        cache.rules_fingerprint.cache_clear()
    assert len({before, after_rule, after_keyword}) == 3
    assert after_page == after_keyword


def test_instance_configurations_are_valid_and_name_classes_that_exist(tmp_path):
    """The local instance (`pipelines/dagster_home.yaml`) and the deployment example (`pipelines/deploy/dagster.yaml`)
    pass Dagster's own schema, and every module/class they name imports, unless its package is one the deployment
    installs and this machine does not (dagster-k8s)."""
    import importlib
    import importlib.util
    import shutil

    import yaml
    from dagster._core.instance.config import dagster_instance_config

    root = Path(__file__).resolve().parents[1]
    not_installed = set()
    for source in (root / "pipelines" / "dagster_home.yaml", root / "pipelines" / "deploy" / "dagster.yaml"):
        home = tmp_path / source.parent.name
        home.mkdir()
        shutil.copyfile(source, home / "dagster.yaml")
        dagster_instance_config(str(home))  # raises DagsterInvalidConfigError on a schema error
        for section in yaml.safe_load(source.read_text(encoding="utf-8")).values():
            if isinstance(section, dict) and "module" in section:
                package = section["module"].split(".")[0]
                if importlib.util.find_spec(package) is None:
                    not_installed.add(package)
                    continue
                assert hasattr(importlib.import_module(section["module"]), section["class"]), (source.name, section)
    assert not_installed <= {"dagster_k8s"}


def test_a_change_to_the_reading_rules_changes_the_keys_of_every_stage_after_reading(monkeypatch, tmp_path):
    from assets.engine import keys
    from assets.engine.inventory import RawFile
    from assets.targets import TARGETS

    document = keys.document_key(RawFile("a.txt", tmp_path / "a.txt", "0" * 64, 3))
    before = keys.READING.key(document), TARGETS.key(document)
    original = keys.stage_fingerprint
    monkeypatch.setattr(keys, "stage_fingerprint", lambda stage: "edited normalize.py" if stage == keys.READING else original(stage))
    after = keys.READING.key(document), TARGETS.key(document)
    assert before[0] != after[0] and before[1] != after[1]
    assert keys.document_key(RawFile("a.txt", tmp_path / "a.txt", "1" * 64, 3)) != document  # other bytes, other key


def test_the_reading_fingerprint_covers_what_reading_imports_and_names_but_not_later_stages():
    from assets.engine import keys

    covered = {path.relative_to(keys.ASSETS).as_posix() for path in keys.READING.files()}
    assert {
        "domain/reading/normalize.py",
        "domain/reading/labels.py",
        "domain/reading/metadata.py",
        "domain/reading/html_reader.py",
        "catalog/role_fields.py",
        "catalog/data/taiwan_phrases.csv",
        "catalog/data/responsibility_fields.csv",
    } <= covered
    assert not covered & {
        "domain/extracting/target_extraction.py",
        "domain/extracting/indicator_rules.py",
        "catalog/data/indicator_keywords.csv",
    }
