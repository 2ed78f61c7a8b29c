"""Releases: cut, verify, version, describe changes, reproduce."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from assets.catalog.schema import TABLES
from assets.publishing.release_bundle import cut_release, next_version, verify_release
from tests.helpers import ROOT, build

DAY = dt.date(2026, 11, 22)


@pytest.fixture
def released(raw_copy, tmp_path):
    warehouse = tmp_path / "w"
    build(raw_copy, warehouse)
    release = cut_release(warehouse / "current", warehouse / "releases", DAY)
    return raw_copy, warehouse, release


def test_release_contents_verify(released):
    _, warehouse, release = released
    names = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    for expected in (
        "data/measures.parquet",
        "csv/measures.csv",
        "policy_measures.duckdb",
        "datapackage.json",
        "README.md",
        "validation_report.json",
        "CHANGELOG.md",
        "changes.json",
        "SHA256SUMS",
    ):
        assert expected in names
    assert (release / "csv" / "measures.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    assert verify_release(release) == []
    assert (warehouse / "releases" / f"{release.name}.tar.gz").exists()
    index = json.loads((warehouse / "releases" / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == ["2026.11.22"] and index["releases"][0]["archive_sha256"]
    assert os.readlink(warehouse / "releases" / "latest") == "2026.11.22"
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert "How to cite" in readme and "`measure_units`" in readme and "SELECT" in readme
    cited = readme[readme.index("## How to cite") :].splitlines()[2]
    assert "release 2026.11.22" in cited and "project" in cited and "https://creativecommons.org/licenses/by/4.0/" in cited
    accuracy = readme[readme.index("## Measured accuracy") : readme.index("## How to cite")]
    measured = json.loads((ROOT / "assets" / "publishing" / "measured_accuracy.json").read_text(encoding="utf-8"))
    for sample in measured["samples"]:  # precision and recall of each labelled sample, as benchmarks/accuracy.py measured
        structure = sample["scores"]["structure"]
        assert f"| {sample['what']} | {sample['documents']} | {structure['precision']:.2f} / {structure['recall']:.2f} |" in accuracy
    assert {"real_documents", "heldout_documents"} <= {s["sample"] for s in measured["samples"]}


def test_frictionless_cli_accepts_the_datapackage(released):
    _, _, release = released
    cli = ROOT / ".venv" / "bin" / "frictionless"
    result = subprocess.run([str(cli), "validate", str(release / "datapackage.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.parametrize("name", ["csv/targets.csv", "data/units.parquet", "policy_measures.duckdb", "datapackage.json", "README.md"])
def test_one_flipped_byte_fails_verification_naming_the_file(released, name):
    _, _, release = released
    path = release / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    problems = verify_release(release)
    assert problems and all(name in p for p in problems)


def test_make_verify_exits_non_zero_on_a_damaged_release(released):
    _, warehouse, release = released
    env = {**os.environ, "WAREHOUSE_DIR": str(warehouse)}
    command = [sys.executable, "-m", "pipelines.release", "verify"]
    assert subprocess.run(command + [release.name], cwd=ROOT, env=env, capture_output=True).returncode == 0
    (release / "extra.txt").write_text("not part of the release")
    damaged = subprocess.run(command + [release.name], cwd=ROOT, env=env, capture_output=True, text=True)
    assert damaged.returncode == 1 and "extra.txt: not listed in SHA256SUMS" in damaged.stderr


def test_versions_are_never_reused(tmp_path):
    releases = tmp_path / "releases"
    releases.mkdir()
    assert next_version(releases, DAY) == "2026.11.22"
    (releases / "2026.11.22").mkdir()
    assert next_version(releases, DAY) == "2026.11.22.1"
    (releases / "2026.11.22.1.tar.gz").write_text("")
    assert next_version(releases, DAY) == "2026.11.22.2"


def test_second_release_lists_exactly_the_added_document(released, tmp_path):
    raw, warehouse, first = released
    shutil.copy(raw / "bayingolin-prefecture_2022_work-plan.txt", tmp_path / "copy.txt")
    new = "某县优化营商环境方案\n一、主要任务\n1.压缩开办时间。企业开办时间压缩至1个工作日以内。（牵头单位：县市场监管局）\n2.提升网办率。网上可办率达到95%以上。\n"
    (raw / "new-county_2023.txt").write_text(new, encoding="utf-8")
    build(raw, warehouse)
    second = cut_release(warehouse / "current", warehouse / "releases", DAY)
    assert second.name == "2026.11.22.1"
    delta = json.loads((second / "changes.json").read_text())
    assert delta["previous"] == first.name
    assert len(delta["documents"]["added"]) == 1 and delta["documents"]["removed"] == delta["documents"]["changed"] == []
    doc_id = delta["documents"]["added"][0]
    assert len(delta["measures"]["added"]) == 2 and all(m.startswith(doc_id) for m in delta["measures"]["added"])
    assert all(t.startswith(doc_id) for t in delta["targets"]["added"]) and len(delta["targets"]["added"]) == 2
    assert len(delta["units"]["added"]) == 1
    for table in ("measures", "units", "targets"):
        assert delta[table]["removed"] == [] and delta[table]["changed"] == []
    assert "## 2026.11.22.1" in (second / "CHANGELOG.md").read_text() and "## 2026.11.22\n" in (second / "CHANGELOG.md").read_text()
    assert verify_release(first) == []  # the earlier release is untouched


def test_releases_are_reproducible(raw_copy, tmp_path):
    sums = []
    for name in ("a", "b"):
        warehouse = tmp_path / name
        build(raw_copy, warehouse)
        release = cut_release(warehouse / "current", warehouse / "releases", DAY)
        lines = (release / "SHA256SUMS").read_text().splitlines()
        sums.append({line.split("  ")[1]: line.split("  ")[0] for line in lines if line.split("  ")[1].startswith(("data/", "csv/"))})
    assert sums[0] == sums[1] and len(sums[0]) == 2 * len(TABLES)


def test_page_groups_plans_by_province_and_links_sources(seed_release):
    _, release = seed_release
    page = (release / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="documents">') : page.index('<section id="indicators">')]
    plans = section[section.index("<table") :]  # the table, after the note on plans that name no units
    assert "新疆维吾尔自治区 · 2 plans" in plans and "云南省 · 1 plan<" in plans
    assert plans.index("巴音郭楞蒙古自治州") < plans.index("天山区")  # the prefecture's plan before the county's
    assert '<a class="source" href="http://www.kmxs.gov.cn/c/2022-12-30/6432858.shtml"' in plans


def test_datapackage_sources_carry_where_each_text_came_from():
    from assets.publishing.release_bundle import document_sources

    sources = document_sources(
        [
            {"title": "甲方案", "source_file": "a.txt", "sha256": "ab" * 32, "source_url": "https://example.gov.cn/a", "retrieved_on": DAY},
            {"title": "乙方案", "source_file": "b.txt", "sha256": "cd" * 32, "source_url": None, "retrieved_on": None},
        ]
    )
    assert sources == [
        {"title": "甲方案 (a.txt, sha256 abababababab, retrieved 2026-11-22)", "path": "https://example.gov.cn/a"},
        {"title": "乙方案 (b.txt, sha256 cdcdcdcdcdcd)"},
    ]
