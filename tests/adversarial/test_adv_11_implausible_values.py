"""Case 11: one implausible value flags or quarantines its own document instead of blocking the corpus, and every
failing check names the source file."""

import json

import pyarrow.parquet as pq
import pytest

from tests.helpers import GOOD, build, by_file, plan, table


def corpus_with(tmp_path, name: str, text: str, manifest: str | None = None):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / name).write_text(text, encoding="utf-8")
    if manifest:
        (raw / "sources.csv").write_text(manifest, encoding="utf-8")
    build(raw, tmp_path / "w")  # asserts the build published
    return by_file(tmp_path / "w"), table(tmp_path / "w", "parse_warnings"), table(tmp_path / "w", "quarantine")


def flagged(name: str, warnings: list[dict], quarantine: list[dict], words: str) -> bool:
    return any(w["source_file"] == name and words in w["message"] for w in warnings) or any(
        q["source_file"] == name and words in q["reason"] for q in quarantine
    )


@pytest.mark.slow
def test_an_issue_date_of_1985_flags_its_document_and_the_corpus_is_published(tmp_path):
    docs, warnings, quarantine = corpus_with(tmp_path, "old.txt", plan("某县优化营商环境方案", "优化服务。") + "1985年3月1日\n")
    assert "good.txt" in docs
    assert "old.txt" not in docs or docs["old.txt"]["issue_date"] is None
    assert flagged("old.txt", warnings, quarantine, "1985")


@pytest.mark.slow
def test_a_150_percent_share_flags_its_document_and_the_corpus_is_published(tmp_path):
    docs, warnings, quarantine = corpus_with(tmp_path, "share.txt", plan("某县优化营商环境方案", "政务服务事项网上可办率达到150%。"))
    assert "good.txt" in docs
    targets = table(tmp_path / "w", "targets")
    assert not [t for t in targets if t["unit"] == "%" and t["value"] == 150]
    assert flagged("share.txt", warnings, quarantine, "150")


@pytest.mark.slow
def test_a_manifest_date_of_1800_is_reported_and_ignored(tmp_path):
    docs, warnings, _ = corpus_with(
        tmp_path, "dated.txt", plan("某县优化营商环境方案", "优化服务。"), "file,issue_date\ndated.txt,1800-01-01\n"
    )
    assert docs["dated.txt"]["issue_date"] is None
    assert any(w["source_file"] == "sources.csv" and "1800-01-01" in w["message"] and "dated.txt" in w["message"] for w in warnings)


def test_a_failing_row_check_names_the_source_file(seed_release):
    from assets.publishing.suites import load_suites
    from assets.publishing.validation import validate
    from assets.validated_tables import frames_to_check

    warehouse, _ = seed_release
    tables = {name: pq.read_table(warehouse / "tables" / f"{name}.parquet") for name in load_suites()}
    measures = tables["measures"].to_pandas()
    measures.loc[3, "char_end"] = measures.loc[3, "char_start"] + 1  # the span no longer holds the text
    frames = frames_to_check(tables) | {"measures": measures}
    report = validate(frames, load_suites())
    [failed] = [r for r in report.results if r.check == "measures__check_span__inside_text"]
    source = by_file(warehouse)
    doc = next(name for name, d in source.items() if d["doc_id"] == measures.loc[3, "doc_id"])
    assert not failed.success and failed.files == [doc]
    assert doc in json.dumps(report.to_json(), ensure_ascii=False)
