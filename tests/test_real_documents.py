"""Real plans and regulations the parser was not written for (tests/data/real_documents, annotated by reading):
structure, units and metadata scored against their gold, the figures printed, and floors that must hold."""

import collections
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
import pandas as pd
import pytest

from assets.domain.extracting.responsibility_tables import build_responsibility_tables
from assets.domain.reading.decode import decode_bytes
from assets.domain.reading.metadata import infer_metadata
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.outline import parse_outline
from assets.domain.reading.provisions import measure_rows

CORPORA = [Path(__file__).parent / "data" / name for name in ("real_documents", "heldout_documents")]
CORPORA = [c for c in CORPORA if (c / "gold_structure.json").exists()]


def _gold(corpus: Path, what: str) -> dict:
    return json.loads((corpus / f"gold_{what}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _parsed(path: Path):
    """(metadata, measures rows) of one raw file, read as the pipeline reads it."""
    normalized = normalize_text(decode_bytes(path.read_bytes()).text)
    return infer_metadata(normalized.text, normalized.file_name), measure_rows(path.stem, parse_outline(normalized.text))


def _documents(corpus: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted((corpus / "raw").glob("*.txt"))}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _keyed(rows: list[dict], kinds: set[str]) -> dict[tuple, dict]:
    """Provisions by (kind, number, occurrence), as the project's scorer matches them."""
    seen, out = collections.Counter(), {}
    for row in rows:
        if row["kind"] in kinds:
            seen[(row["kind"], row["number"])] += 1
            out[(row["kind"], row["number"], seen[(row["kind"], row["number"])])] = row
    return out


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_structure_of_real_documents(corpus):
    gold, docs = _gold(corpus, "structure"), _documents(corpus)
    tp = fp = fn = titles = 0
    for name, entry in gold.items():
        _, rows = _parsed(docs[name])
        kinds = {item["kind"] for item in entry["items"]}
        got = _keyed(rows, kinds)
        seen, wanted = collections.Counter(), set()
        for item in entry["items"]:
            seen[(item["kind"], item["number"])] += 1
            key = (item["kind"], item["number"], seen[(item["kind"], item["number"])])
            wanted.add(key)
            if key in got:
                tp += 1
                titles += _squash(got[key]["title"]) == _squash(item["title"])
            else:
                fn += 1
        fp += len(set(got) - wanted)
    p, r, f = _prf(tp, fp, fn)
    print(f"{corpus.name} structure: precision {p:.3f} recall {r:.3f} f1 {f:.3f} titles {titles}/{tp}")
    assert f >= 0.97 and titles >= 0.95 * tp


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_units_of_real_documents(corpus):
    gold, docs = _gold(corpus, "units"), _documents(corpus)
    tp = fp = fn = 0
    by_doc = collections.defaultdict(list)
    for entry in gold["measures"]:
        by_doc[entry["doc"]].append(entry)
    for name, entries in by_doc.items():
        _, rows = _parsed(docs[name])
        frame = pd.DataFrame(rows)
        tables = build_responsibility_tables(frame, pd.DataFrame([{"doc_id": name, "source_file": name, "region": None}]))
        links = (
            tables.measure_units.merge(tables.units, on="unit_id")
            if len(tables.measure_units)
            else pd.DataFrame(columns=["measure_id", "role", "name"])
        )
        measure_ids = {key[1]: row["measure_id"] for key, row in _keyed(rows, {"measure"}).items() if key[2] == 1}
        for entry in entries:
            mid = measure_ids.get(entry["measure"])
            for role in ("lead", "cooperating", "responsible"):
                have = set(links[(links.measure_id == mid) & (links.role == role)]["name"].map(_squash))
                for name_or_spellings in entry["roles"].get(role, []):
                    spellings = [name_or_spellings] if isinstance(name_or_spellings, str) else name_or_spellings
                    optional = spellings[0].startswith("?")
                    found = {_squash(s.lstrip("?")) for s in spellings} & have
                    have -= found
                    if not optional:
                        tp, fn = tp + bool(found), fn + (not found)
                fp += len(have)
    p, r, f = _prf(tp, fp, fn)
    print(f"{corpus.name} units: precision {p:.3f} recall {r:.3f} f1 {f:.3f}")
    assert f >= 0.92


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_metadata_of_real_documents(corpus):
    gold, docs = _gold(corpus, "metadata"), _documents(corpus)
    right, asked = collections.Counter(), collections.Counter()
    for name, want in gold["metadata"].items():
        metadata, rows = _parsed(docs[name])
        if not rows:
            continue  # a document without provisions is quarantined, its metadata with it
        for field in ("title", "issue_date", "doc_number", "region", "province"):
            if want.get(field) is None:
                continue
            asked[field] += 1
            got = metadata.place.province if field == "province" else getattr(metadata, field)
            right[field] += got is not None and _squash(str(got)) == _squash(str(want[field]))
    accuracy = {field: right[field] / asked[field] for field in asked}
    print(f"{corpus.name} metadata: " + " ".join(f"{k} {v:.3f}" for k, v in accuracy.items()))
    assert all(value >= 0.9 for value in accuracy.values())


def _squash(text: str) -> str:
    """Text compared as the project's scorer compares it: Simplified, without whitespace and punctuation."""
    text = _to_simplified(unicodedata.normalize("NFKC", text or ""))
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PZS")


_to_simplified = opencc.OpenCC("t2s").convert


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda c: c.name)
def test_real_documents_read_the_same_in_other_renderings(corpus):
    """Each real document rewritten the way other sources render it (Traditional script, full width, `??` where
    indentation was lost, Word's full-width indentation and CRLF) gives the same provisions."""
    from tests.helpers import full_width, indented_crlf, lost_spaces, provisions, traditional

    for path in _documents(corpus).values():
        original = path.read_text(encoding="utf-8")
        expected = provisions(original)
        for rewrite in (traditional, full_width, lost_spaces, indented_crlf):
            assert provisions(rewrite(original)) == expected, (path.name, rewrite.__name__)
