"""Bad and unusual inputs: each bad file is quarantined with a reason, every other document is published."""

import codecs
import os
import shutil
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from tests.helpers import GOOD, ROOT, build, table

pytestmark = pytest.mark.slow  # every test builds a warehouse


@pytest.fixture
def corpus(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    return raw


def quarantine_of(raw, tmp_path):
    warehouse = tmp_path / "w"
    build(raw, warehouse)
    return {q["source_file"]: q for q in table(warehouse, "quarantine")}, {d["source_file"]: d for d in table(warehouse, "documents")}


@pytest.mark.parametrize(
    "name, data, stage, words",
    [
        ("empty.txt", b"", "decode", "empty"),
        ("blank.txt", b" \n\t\r\n  ", "decode", "only whitespace"),
        ("nul.txt", b"abc\x00def" * 10, "decode", "NUL byte"),
        ("undecodable.txt", bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 30, "decode", "not decodable"),
        ("prose.txt", "为优化营商环境，现将有关事项通知如下。请认真落实。".encode("utf-8"), "outline", "no provisions found"),
        ("markup only.txt", b"<html><body><div></div><p>   </p></body></html>", "normalize", "no text left"),
    ],
)
def test_bad_file_is_quarantined_with_a_reason(corpus, tmp_path, name, data, stage, words):
    (corpus / name).write_bytes(data)
    quarantine, docs = quarantine_of(corpus, tmp_path)
    assert quarantine[name]["stage"] == stage and words in quarantine[name]["reason"]
    assert "good.txt" in docs


@pytest.mark.parametrize(
    "name, data, encoding",
    [
        ("gb18030.txt", GOOD.encode("gb18030"), "gb18030"),
        ("utf16.txt", GOOD.encode("utf-16"), "utf-16"),
        ("bom.txt", codecs.BOM_UTF8 + GOOD.encode("utf-8"), "utf-8-sig"),
        ("网页 副本.txt", f"<html><body><p>{GOOD.replace(chr(10), '</p><p>')}</p></body></html>".encode("utf-8"), "utf-8"),
    ],
)
def test_unusual_but_good_files_are_published(corpus, tmp_path, name, data, encoding):
    (corpus / name).write_bytes(data)
    quarantine, docs = quarantine_of(corpus, tmp_path)
    assert quarantine == {}
    assert docs[name]["encoding"] == encoding and docs[name]["measure_count"] == 2


def test_a_5_mb_single_line_is_handled(corpus, tmp_path):
    padding = "持续推进改革创新，" * 125
    items = " ".join(f"{i}.第{i}项措施。审批时间压缩至{i % 9 + 1}个工作日以内，{padding}。" for i in range(1, 101))
    (corpus / "huge.txt").write_text(" ".join(f"第{c}章 第{c}方面任务 {items}" for c in range(1, 16)), encoding="utf-8")
    assert (corpus / "huge.txt").stat().st_size > 5_000_000
    quarantine, docs = quarantine_of(corpus, tmp_path)
    assert quarantine == {} and docs["huge.txt"]["measure_count"] == 1500


def test_a_file_with_thousands_of_provisions_is_quarantined(corpus, tmp_path):
    items = " ".join(f"{i}.第{i}项。内容。" for i in range(1, 101))
    (corpus / "dump.txt").write_text(" ".join(f"第{c}章 方面 {items}" for c in range(1, 31)), encoding="utf-8")
    quarantine, docs = quarantine_of(corpus, tmp_path)
    assert quarantine["dump.txt"]["stage"] == "outline" and "3000 numbered provisions" in quarantine["dump.txt"]["reason"]
    assert "good.txt" in docs


def test_malformed_manifest_is_quarantined_and_ignored(corpus, tmp_path):
    (corpus / "sources.csv").write_text('file,title\n"good.txt,unclosed quote\n', encoding="utf-8")
    quarantine, docs = quarantine_of(corpus, tmp_path)
    assert quarantine["sources.csv"]["stage"] == "manifest" and "sources.csv" in quarantine["sources.csv"]["reason"]
    assert docs["good.txt"]["title"] == "某区优化营商环境实施方案"


def test_killed_build_leaves_previous_tables_and_next_build_succeeds(raw_copy, tmp_path):
    """Kill `make build`'s command at several moments: the published tables are always the last good ones."""
    warehouse = tmp_path / "w"
    env = {**os.environ, "RAW_DIR": str(raw_copy), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    shutil.copyfile(ROOT / "pipelines" / "dagster_home.yaml", tmp_path / "home" / "dagster.yaml")  # as `make` sets it up
    command = [sys.executable, "-m", "pipelines.build"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    good = {p.name: pq.read_table(p) for p in (warehouse / "tables").glob("*.parquet")}
    (raw_copy / "extra.txt").write_text(GOOD, encoding="utf-8")  # the next build would change the tables
    for delay in (2.0, 4.0, 6.0, 8.0):
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        current = {p.name: pq.read_table(p) for p in (warehouse / "tables").glob("*.parquet")}
        if current.keys() == good.keys() and all(current[k].equals(good[k]) for k in good):
            continue
        # the build got as far as the atomic switch: then it must be the complete new build
        assert pq.read_table(warehouse / "tables" / "documents.parquet").num_rows == 6
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert pq.read_table(warehouse / "tables" / "documents.parquet").num_rows == 6
    assert (tmp_path / "home" / "event_log.db").is_file()  # every run's events in the one SQLite file the config names
    assert not list((warehouse / "builds").glob(".staging-*"))


def test_the_build_command_reports_and_exits_with_its_status(corpus, tmp_path):
    """`python -m pipelines.build` ends without the interpreter's teardown (`exit_now`): its summary still reaches a
    pipe, and its exit status says whether the build was published."""
    (tmp_path / "home").mkdir()
    shutil.copyfile(ROOT / "pipelines" / "dagster_home.yaml", tmp_path / "home" / "dagster.yaml")
    env = {**os.environ, "RAW_DIR": str(corpus), "WAREHOUSE_DIR": str(tmp_path / "w"), "DAGSTER_HOME": str(tmp_path / "home")}
    env.pop("PYTHONUNBUFFERED", None)  # output to a pipe is buffered, as it is for a scheduler or `make build | tee`
    command = [sys.executable, "-m", "pipelines.build"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 documents published" in done.stdout and "built in" in done.stdout
    failed = subprocess.run(
        command, cwd=ROOT, env={**env, "RAW_DIR": str(tmp_path / "missing")}, capture_output=True, text=True, timeout=300
    )
    assert failed.returncode == 1
    assert "build: FAILED" in failed.stderr and "previously published tables are unchanged" in failed.stderr
