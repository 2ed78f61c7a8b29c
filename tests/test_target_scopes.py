"""Scopes on a labelled sample of real sentences (tests/data/target_scopes.jsonl: sentences of the bundled plans and of
the development set, each target's scope written by reading the sentence, null where the text names no class)."""

import json
from pathlib import Path

from assets.domain.extracting.target_extraction import extract_targets
from assets.domain.reading.normalize import normalize_text

SAMPLE = Path(__file__).parent / "data" / "target_scopes.jsonl"


def same_scope(got: str | None, want: str | None) -> bool:
    """The same class: equal, or one names the other with a few characters more (`低压非居民` / `低压非居民用户`)."""
    if got is None or want is None:
        return got is None and want is None
    short, long_ = sorted((got, want), key=len)
    return short in long_ and len(short) >= 0.5 * len(long_)


def scored_sample() -> tuple[int, int, int, int]:
    """(right, predicted, labelled, unmatched): scopes right, scopes predicted, scopes labelled, labelled targets the
    extractor did not find (their scopes count as missed)."""
    right = predicted = labelled = unmatched = 0
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found = extract_targets(normalize_text(item["text"]).text)
        used: set[int] = set()
        for want in item["targets"]:
            labelled += want["scope"] is not None
            hit = next(
                (i for i, t in enumerate(found) if i not in used and t.unit == want["unit"] and abs(t.value - want["value"]) < 1e-9), None
            )
            if hit is None:
                unmatched += 1
                continue
            used.add(hit)
            got = found[hit].scope
            predicted += got is not None
            right += got is not None and same_scope(got, want["scope"])
        predicted += sum(1 for i, t in enumerate(found) if i not in used and t.scope is not None)
    return right, predicted, labelled, unmatched


def test_scope_precision_and_recall_on_the_labelled_sample(capsys):
    right, predicted, labelled, unmatched = scored_sample()
    precision, recall = right / predicted, right / labelled
    with capsys.disabled():
        print(
            f"\nscopes: labelled sample of {labelled} scoped targets: precision {precision:.3f} ({right}/{predicted}), "
            f"recall {recall:.3f} ({right}/{labelled}); {unmatched} labelled target(s) not extracted"
        )
    assert labelled >= 40 and unmatched <= 2
    assert precision >= 0.85 and recall >= 0.7


def test_same_scope_accepts_a_longer_name_of_the_same_class_only():
    assert same_scope("低压非居民", "低压非居民用户")
    assert not same_scope("项目", "社会投资小型低风险项目")
    assert not same_scope(None, "低压居民") and same_scope(None, None)
