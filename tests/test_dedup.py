"""Deduplication of documents and measures, on seed copies rewritten the way sources differ."""

import re

import opencc
import pandas as pd
import pytest

from assets.domain.dedup.matching import Overrides, cluster_measures
from assets.domain.dedup.similarity import compare
from assets.domain.reading.repetition import remove_repetition
from assets.engine.overrides import read_overrides
from assets.engine.parallel import on_cores
from tests.helpers import build, pdf_spacing, table

BAYINGOLIN = "bayingolin-prefecture_2022_work-plan.txt"
TIANSHAN = "urumqi-tianshan-district_2022_87-measures.txt"
XIAODIAN = "taiyuan-xiaodian-district_2022_market-entity-plan.txt"
QINGYANG = "chengdu-qingyang-district_2020_implementation-plan.txt"


def test_repeated_sentence_is_removed_once():
    assert remove_repetition("简化审批程序。简化审批程序。配合梳理。") == ("简化审批程序。配合梳理。", True)
    assert remove_repetition("简化审批程序。配合梳理。简化审批程序。") == ("简化审批程序。配合梳理。简化审批程序。", False)


@pytest.mark.parametrize(
    "b, same",
    [
        ("推进用水报装服务，报装时间压缩至3个工作日以内。", False),  # a different promise: one keyword
        ("推进用电报装服务，报装时间压缩至5个工作日以内。", True),  # only the number differs
        ("大力推进用电报装服务，报装时间压缩至3个工作日以内。", True),  # a function word added
        ("推进用电报装，提升服务质量和群众满意度。", False),
    ],
)
def test_verification_looks_at_what_differs(b, same):
    assert compare("推进用电报装服务，报装时间压缩至3个工作日以内。", b).same is same


def test_place_names_and_levels_may_differ():
    assert compare("配合市属部门推动乌鲁木齐市信用平台互联互通。", "配合县属部门推动昌吉市信用平台互联互通。").same


@pytest.fixture
def corpus_with_copies(raw_copy):
    text = {p.name: p.read_text(encoding="utf-8") for p in raw_copy.glob("*.txt")}
    (raw_copy / "mirror").mkdir()
    (raw_copy / "mirror" / "traditional.txt").write_text(opencc.OpenCC("s2t").convert(text[BAYINGOLIN]), encoding="utf-8")
    truncated = pdf_spacing(text[TIANSHAN])
    (raw_copy / "mirror" / "tianshan-pdf-truncated.txt").write_text(truncated[: int(len(truncated) * 0.6)], encoding="utf-8")
    (raw_copy / "mirror" / "xiaodian-no-annex.txt").write_text(text[XIAODIAN].split("附件:")[0], encoding="utf-8")
    (raw_copy / "mirror" / "qingyang-fullwidth.txt").write_text(
        text[QINGYANG].replace(",", "，").replace("(", "（").replace(")", "）"), encoding="utf-8"
    )
    next_year = re.sub(r"(\d+)个工作日", lambda m: f"{max(1, int(m.group(1)) - 1)}个工作日", text[BAYINGOLIN])
    next_year = (
        re.sub(r"(\d+)%", lambda m: f"{max(0, int(m.group(1)) - 3)}%", next_year).replace("2022年", "2023年").replace("2月17日", "3月1日")
    )
    (raw_copy / "bayingolin-prefecture_2023_work-plan.txt").write_text(next_year, encoding="utf-8")
    return raw_copy


def test_near_copies_are_found_and_different_plans_are_not(corpus_with_copies, tmp_path):
    warehouse = tmp_path / "w"
    build(corpus_with_copies, warehouse)
    docs = {d["source_file"]: d for d in table(warehouse, "documents")}
    of = {name: docs[name]["duplicate_of"] for name in docs}
    assert of["mirror/traditional.txt"] == docs[BAYINGOLIN]["doc_id"]
    assert of["mirror/tianshan-pdf-truncated.txt"] == docs[TIANSHAN]["doc_id"]
    assert of["mirror/xiaodian-no-annex.txt"] == docs[XIAODIAN]["doc_id"]  # same provisions, more bytes: the original is kept
    assert of["mirror/qingyang-fullwidth.txt"] == docs[QINGYANG]["doc_id"]
    assert of["bayingolin-prefecture_2023_work-plan.txt"] is None  # next year's plan is not a copy
    originals = [name for name in docs if "/" not in name]
    assert all(of[name] is None for name in originals)  # every seed plan is kept, none merged with another
    measures = {m["measure_id"]: m for m in table(warehouse, "measures")}
    copy_measures = [m for m in measures.values() if m["doc_id"] == docs["mirror/traditional.txt"]["doc_id"]]
    assert len(copy_measures) == 47
    for m in copy_measures:
        kept = measures[m["duplicate_of"]]
        assert kept["doc_id"] == docs[BAYINGOLIN]["doc_id"] and (kept["kind"], kept["number"]) == (m["kind"], m["number"])
        assert kept["cluster_id"] == m["cluster_id"]
    import duckdb

    with duckdb.connect(str(warehouse / "policy_measures.duckdb"), read_only=True) as con:
        unique_docs = con.execute("SELECT count(*) FROM unique_documents").fetchone()[0]
        unique_measures = con.execute("SELECT count(*) FROM unique_measures").fetchone()[0]
    copies = [d for d in docs.values() if d["duplicate_of"]]
    assert unique_docs == len(docs) - len(copies) and unique_docs >= 6
    assert unique_measures == sum(1 for m in measures.values() if m["duplicate_of"] is None)
    clusters = table(warehouse, "measure_clusters")
    assert {c["measure_id"] for c in clusters} == set(measures)
    representative = {c["cluster_id"] for c in clusters if c["is_representative"]}
    assert representative == {m["cluster_id"] for m in measures.values()}


def test_overrides_force_pairs_apart_and_together(corpus_with_copies, tmp_path):
    (corpus_with_copies / "dedup_overrides.csv").write_text(
        "level,a,b,decision,note\n"
        f"document,mirror/traditional.txt,{BAYINGOLIN},different,a curator says these differ\n"
        f"document,{QINGYANG},bayingolin-prefecture_2023_work-plan.txt,same,test only\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "w"
    build(corpus_with_copies, warehouse)
    docs = {d["source_file"]: d for d in table(warehouse, "documents")}
    assert docs["mirror/traditional.txt"]["duplicate_of"] is None
    pair = {docs[QINGYANG]["duplicate_of"], docs["bayingolin-prefecture_2023_work-plan.txt"]["duplicate_of"]}
    assert pair - {None} and pair - {None} <= {docs[QINGYANG]["doc_id"], docs["bayingolin-prefecture_2023_work-plan.txt"]["doc_id"]}


def test_measure_overrides_and_clusters_never_join_pairs_forced_apart():
    measures = pd.DataFrame(
        [
            {"measure_id": "a-1", "doc_id": "a", "seq": 1, "text": "推进用电报装服务，报装时间压缩至3个工作日以内。"},
            {"measure_id": "b-1", "doc_id": "b", "seq": 1, "text": "推进用电报装服务，报装时间压缩至5个工作日以内。"},
            {"measure_id": "c-1", "doc_id": "c", "seq": 1, "text": "加强知识产权保护，建设维权援助中心。"},
        ]
    )
    documents = pd.DataFrame([{"doc_id": d, "source_file": f"{d}.txt", "duplicate_of": None} for d in "abc"])
    together = cluster_measures(measures, documents, {}, Overrides()).frame.set_index("measure_id")["cluster_id"]
    assert together["a-1"] == together["b-1"] != together["c-1"]
    apart = Overrides(measures_different={frozenset(("a-1", "b-1"))}, measures_same=[("a-1", "c-1")])
    forced = cluster_measures(measures, documents, {}, apart).frame.set_index("measure_id")["cluster_id"]
    assert forced["a-1"] != forced["b-1"] and forced["a-1"] == forced["c-1"]


def test_verdicts_of_an_earlier_build_are_reused_under_the_same_thresholds(monkeypatch):
    from assets.domain.dedup import matching as dedup

    measures = pd.DataFrame(
        [
            {"measure_id": "a-1", "doc_id": "a", "seq": 1, "text": "推进用电报装服务，报装时间压缩至3个工作日以内，实行全程网办。"},
            {"measure_id": "b-1", "doc_id": "b", "seq": 1, "text": "推进用水报装服务，报装时间压缩至3个工作日以内，实行全程网办。"},
            {"measure_id": "c-1", "doc_id": "c", "seq": 1, "text": "推进用电报装服务，报装时间压缩至5个工作日内，实行全程网办。"},
        ]
    )
    documents = pd.DataFrame([{"doc_id": d, "source_file": f"{d}.txt", "duplicate_of": None} for d in "abc"])
    first = cluster_measures(measures, documents, {}, Overrides())
    assert first.verdicts and first.verified_pairs == 1  # 用电 ~ 用电 joined; 用水 compared and kept apart

    def no_comparison(*args):
        raise AssertionError("a known pair was compared again")

    monkeypatch.setattr(dedup, "compare_masked", no_comparison)
    again = cluster_measures(measures, documents, {}, Overrides(), known_verdicts=first.verdicts)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert again.verdicts == first.verdicts
    with pytest.raises(AssertionError, match="compared again"):  # other thresholds: the old verdicts do not apply
        cluster_measures(measures, documents, {}, Overrides(), min_ratio=0.5, known_verdicts=first.verdicts)


def test_malformed_override_rows_are_reported(tmp_path):
    (tmp_path / "dedup_overrides.csv").write_text("level,a,b,decision\ndocument,x.txt,,same\nmeasure,a,b,maybe\n", encoding="utf-8")
    overrides = read_overrides(tmp_path)
    assert len(overrides.problems) == 2 and overrides.documents_same == [] and overrides.measures_same == []


def test_thresholds_hold_on_the_labelled_pair_set(capsys):
    from assets.domain.dedup.similarity import LSH_THRESHOLD, MAX_CONTENT_CHARS, MIN_RATIO
    from benchmarks.dedup_thresholds import load, lsh_recall, scores

    pairs = load()
    assert len(pairs) > 500 and {p["same"] for p in pairs} == {True, False}
    precision, recall, f1 = scores(pairs, MIN_RATIO, MAX_CONTENT_CHARS)
    candidates = lsh_recall(pairs, LSH_THRESHOLD)
    with capsys.disabled():
        print(f"\n  measure pairs: precision {precision:.3f} recall {recall:.3f} f1 {f1:.3f}; LSH candidate recall {candidates:.3f}")
    assert precision >= 0.98 and recall >= 0.95 and candidates >= 0.95


def test_comparisons_in_blocks_on_two_cores_join_as_one_at_a_time(monkeypatch):
    from assets.domain.dedup import matching as dedup
    from assets.engine import parallel

    templates = [
        "推进{p}用电报装服务，报装时间压缩至{n}个工作日以内，实行全程网办。",
        "推进{p}用水报装服务，报装时间压缩至{n}个工作日以内，实行全程网办。",
        "深化{p}工程建设项目审批制度改革，审批时间压缩至{n}个工作日。",
        "加强{p}知识产权保护，建设维权援助中心，办理时限不超过{n}日。",
    ]
    places, rows = ["天山区", "沙依巴克区", "小店区", "青羊区", "库尔勒市"], []
    for i in range(120):
        text = templates[i % 4].format(p=places[i % 5], n=i % 7 + 1) + ("" if i % 3 else "强化部门协同。")
        rows.append({"measure_id": f"d{i:03d}-1", "doc_id": f"d{i:03d}", "seq": 1, "text": text})
    measures = pd.DataFrame(rows)
    documents = pd.DataFrame([{"doc_id": r["doc_id"], "source_file": f"{r['doc_id']}.txt", "duplicate_of": None} for r in rows])
    one_at_a_time = cluster_measures(measures, documents, {}, Overrides())
    monkeypatch.setattr(dedup, "VERDICT_BLOCK", 5)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    blocks = cluster_measures(measures, documents, {}, Overrides(), mapper=on_cores(2))
    assert one_at_a_time.verified_pairs > 0 and one_at_a_time.frame["cluster_id"].nunique() < len(rows)
    pd.testing.assert_frame_equal(blocks.frame, one_at_a_time.frame)
    assert (blocks.candidate_pairs, blocks.verified_pairs) == (one_at_a_time.candidate_pairs, one_at_a_time.verified_pairs)


def _random_corpus(rng, n_docs: int, start: int = 0, prefix: str = "doc"):
    """Plans recombined from a few templates: copies of whole plans (some truncated), shared provisions with other
    numbers, provisions of their own; documents and measures frames as the pipeline hands them to deduplication."""
    templates = [
        "推进{p}用电报装服务，报装时间压缩至{n}个工作日以内。",
        "推进{p}用水报装服务，报装时间压缩至{n}个工作日以内。",
        "深化{p}工程建设项目审批制度改革，审批时间压缩至{n}个工作日。",
        "加强{p}知识产权保护，办理时限不超过{n}日。",
        "优化{p}企业开办流程，开办时间压缩至{n}个工作日。",
        "提升{p}政务服务网上可办率达到{n}0%以上。",
    ]
    places = ["天山区", "小店区", "青羊区", "库尔勒市"]
    docs, measures = [], []
    for d in range(start, start + n_docs):
        doc_id = f"{prefix}{d:04d}"
        if d > 0 and rng.random() < 0.25:  # a copy of an earlier plan, sometimes missing its last provisions
            source = rng.choice(measures or [None])
            texts = [m["text"] for m in measures if source and m["doc_id"] == source["doc_id"]]
            texts = texts[: len(texts) - rng.choice([0, 0, 1])] or [templates[0].format(p="天山区", n=1)]
        else:
            texts = [
                rng.choice(["", "大力"])
                + rng.choice(templates).format(p=rng.choice(places), n=rng.randint(1, 9))
                + rng.choice(["", "强化部门协同。", "实行全程网办。"])
                for _ in range(rng.randint(2, 6))
            ]
            texts += [f"建立第{d}号专项工作机制，每季度调度一次。"] * rng.choice([0, 1])
        docs.append(
            {
                "doc_id": doc_id,
                "source_file": f"{d % 3}/plan-{d:04d}.txt",
                "script": "simplified",
                "issuer": None,
                "issue_date": None,
                "doc_number": None,
                "region": None,
                "char_count": sum(map(len, texts)),
                "byte_count": 100,
            }
        )
        measures += [{"measure_id": f"{doc_id}-measure-{i:03d}", "doc_id": doc_id, "seq": i, "text": t} for i, t in enumerate(texts, 1)]
    return docs, measures


@pytest.mark.parametrize("seed", range(6))
def test_a_grown_corpus_deduplicated_from_the_last_state_equals_a_whole_deduplication(seed):
    import random

    from assets.domain.dedup.matching import squashed_texts
    from assets.engine.dedup_update import deduplicate

    rng = random.Random(seed)
    docs, measures = _random_corpus(rng, 40)
    state, updated = None, 0
    for round_ in range(4):
        # added plans' ids sort before or after the others' (which measure stands for a text, and which way round a
        # pair is compared, follow the ids)
        more_docs, more_measures = _random_corpus(rng, rng.randint(1, 3), start=len(docs), prefix=rng.choice(["add", "new"]))
        if round_:
            docs, measures = docs + more_docs, measures + more_measures
        order = sorted(range(len(docs)), key=lambda i: docs[i]["source_file"])  # added plans fall anywhere in path order
        documents = pd.DataFrame([docs[i] for i in order])
        frame = pd.DataFrame(measures).set_index("doc_id", drop=False).loc[documents["doc_id"]].reset_index(drop=True)
        keys = {d["doc_id"]: f"key-{d['doc_id']}" for d in docs}
        squashed = pd.Series(squashed_texts(frame))
        whole = deduplicate(documents, frame, keys, Overrides(), squashed, {})
        grown = deduplicate(documents, frame, keys, Overrides(), squashed, {}, state)
        assert grown.documents.duplicate_of == whole.documents.duplicate_of
        assert grown.documents.measure_links == whole.documents.measure_links
        pd.testing.assert_frame_equal(grown.clusters.frame, whole.clusters.frame)
        updated += grown.incremental
        state = grown.state
    assert whole.clusters.frame["cluster_id"].nunique() < len(frame) and whole.documents.duplicate_of
    assert updated >= 1  # most rounds are updates of the last state (an added copy that outranks an old one is not)


def test_a_removed_document_or_a_different_override_deduplicates_the_whole_corpus():
    import random

    from assets.domain.dedup.matching import squashed_texts
    from assets.engine.dedup_update import deduplicate

    docs, measures = _random_corpus(random.Random(7), 30)
    documents, frame = pd.DataFrame(docs), pd.DataFrame(measures)
    keys = {d["doc_id"]: f"key-{d['doc_id']}" for d in docs}
    first = deduplicate(documents, frame, keys, Overrides(), pd.Series(squashed_texts(frame)), {})
    assert not first.incremental and first.state is not None
    fewer = documents.iloc[1:], frame[frame["doc_id"] != docs[0]["doc_id"]]
    assert not deduplicate(*fewer, keys, Overrides(), pd.Series(squashed_texts(fewer[1])), {}, first.state).incremental
    changed = deduplicate(
        documents, frame, {**keys, docs[3]["doc_id"]: "edited"}, Overrides(), pd.Series(squashed_texts(frame)), {}, first.state
    )
    assert not changed.incremental
    apart = Overrides(measures_different={frozenset((measures[0]["measure_id"], measures[1]["measure_id"]))})
    forced_apart = deduplicate(documents, frame, keys, apart, pd.Series(squashed_texts(frame)), {}, changed.state)
    assert not forced_apart.incremental and forced_apart.state is None  # the order of joins matters: never updated


def test_a_verdict_does_not_depend_on_which_text_comes_first():
    import random

    from assets.domain.dedup.similarity import compare_masked, masked

    rng = random.Random(3)
    docs, measures = _random_corpus(rng, 60)
    texts = sorted({masked(m["text"]) for m in measures})
    pairs = [tuple(rng.sample(texts, 2)) for _ in range(400)]
    pairs += [("推进用电报装服务压缩至0个工作日以内强化部门协同", "推进用电报装服务压缩至0个工作日以内实行全程网办强化协同")]
    assert sum(compare_masked(a, b).same for a, b in pairs) > 10  # some pairs are the same provision
    assert all(compare_masked(a, b) == compare_masked(b, a) for a, b in pairs)
