"""Deduplication of a corpus that grew: the last build's state updated with the added documents only.

It gives what `find_document_duplicates` and `cluster_measures` give on the whole corpus (tests check it on random
corpora), because whether two documents are candidate copies depends on those two alone, so the grown corpus's
candidates are the old ones plus those of the added documents; and, without "different" overrides, clusters are the
connected components of the pairs joined, whatever order they are joined in and whichever way round a pair is compared
(`compare_masked` takes the two texts in a fixed order). Anything else is computed whole: a removed or changed document,
edited overrides or rules, a "different" override between measures, or an added document that changes what an earlier
one is a copy of.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import assets.engine.domain_types  # noqa: F401  (registers the domain's classes the values hold)
from assets.domain.dedup.matching import (
    CLUSTER_COLUMNS,
    Clusters,
    DocumentDuplicates,
    Overrides,
    PairVerdicts,
    SearchState,
    cluster_measures,
    cluster_rows,
    could_be_copies,
    document_keys,
    overlap_candidates,
    provision_postings,
    representative_order,
    resolve_duplicates,
)
from assets.domain.dedup.similarity import MAX_CONTENT_CHARS, MIN_RATIO, mask_numbers
from assets.domain.frames import rows_where, take_runs
from assets.engine.parallel import on_cores
from assets.engine.portable import register


@dataclass
class DedupState:
    """What one build's deduplication leaves for the next: the corpus it saw and the structures that find the
    matches of a new document without looking at the others again."""

    doc_keys: dict[str, str]  # doc_id → parse key of every document deduplicated
    overrides: str  # fingerprint of the overrides applied
    postings: dict[str, list[str]]  # squashed provision text → the documents that have it
    sizes: dict[str, int]  # doc_id → provisions
    documents: DocumentDuplicates
    search: SearchState
    frame: pd.DataFrame  # the measure clusters


register(DedupState)


@dataclass
class Deduplicated:
    documents: DocumentDuplicates
    clusters: Clusters
    state: DedupState | None  # None where the next build must compute everything (a "different" override)
    incremental: bool


def deduplicate(
    documents: pd.DataFrame,
    measures: pd.DataFrame,
    doc_keys: dict[str, str | None],
    overrides: Overrides,
    squashed: pd.Series,
    known_verdicts: dict[bytes, tuple],
    state: DedupState | None = None,
    workers: int = 1,
) -> Deduplicated:
    """Copies of documents and clusters of measures: `state` updated where the corpus only grew, else computed whole.
    `squashed` is each measure's squashed text, indexed by measure_id (an update looks up only the ones it needs)."""
    measures = measures.reset_index(drop=True)  # row labels are positions (see `_texts`)
    squashed = _in_rows_order(squashed, measures)
    grown = _grown(state, documents, measures, doc_keys, overrides, squashed, known_verdicts, workers) if state else None
    return grown or _whole(documents, measures, doc_keys, overrides, squashed, known_verdicts, workers)


def overrides_fingerprint(overrides: Overrides) -> str:
    decisions = (
        sorted(overrides.documents_same),
        sorted(sorted(p) for p in overrides.documents_different),
        sorted(overrides.measures_same),
        sorted(sorted(p) for p in overrides.measures_different),
    )
    return hashlib.sha256(repr(decisions).encode()).hexdigest()


def _in_rows_order(squashed: pd.Series, measures: pd.DataFrame) -> pd.Series:
    """The squashed texts with the index of `measures`' rows: taken over where they list the same measures in the same
    order (as the stages make them), else looked up by measure_id (comparing the two id columns is far cheaper than
    building a lookup index of every measure id)."""
    ids = measures["measure_id"]
    same = len(squashed) == len(ids) and pa.array(squashed.index.array).equals(pa.array(ids.array))
    return pd.Series((squashed if same else squashed.reindex(ids)).array, index=measures.index)


def _whole(documents, measures, doc_keys, overrides, squashed, known, workers) -> Deduplicated:
    squashed = dict(zip(measures["measure_id"].tolist(), squashed.tolist()))
    keys = document_keys(documents, measures, squashed) if len(documents) else {}
    postings = provision_postings(keys)
    docs = resolve_duplicates(documents, keys, overlap_candidates(keys, postings), overrides) if keys else DocumentDuplicates({}, {})
    clusters = cluster_measures(
        measures,
        _with_copies(documents, docs),
        docs.measure_links,
        overrides,
        squashed=squashed,
        known_verdicts=known,
        mapper=on_cores(workers),
    )
    state = None
    if clusters.search is not None and all(doc_keys.get(d) for d in keys):
        state = DedupState(
            {d: doc_keys[d] for d in keys},
            overrides_fingerprint(overrides),
            postings,
            {d: len(items) for d, items in keys.items()},
            docs,
            clusters.search,
            clusters.frame,
        )
    return Deduplicated(docs, clusters, state, incremental=False)


def _with_copies(documents: pd.DataFrame, docs: DocumentDuplicates) -> pd.DataFrame:
    return documents.assign(duplicate_of=documents["doc_id"].map(docs.duplicate_of)) if len(documents) else documents


def _grown(state: DedupState, documents, measures, doc_keys, overrides, squashed, known, workers) -> Deduplicated | None:
    """The state updated (in place: it is the copy loaded for this build) with the added documents; None where the change
    is not only additions, and the whole corpus is deduplicated instead."""
    if state.overrides != overrides_fingerprint(overrides) or overrides.measures_different:
        return None
    current = set(documents["doc_id"].tolist())
    if any(doc_id not in current or doc_keys.get(doc_id) != key for doc_id, key in state.doc_keys.items()):
        return None  # a document removed or changed
    added = [d for d in documents["doc_id"].tolist() if d not in state.doc_keys]
    if any(not doc_keys.get(d) for d in added):
        return None
    measures = measures[["measure_id", "doc_id", "seq"]]  # all an update reads of them (their texts are `squashed`)
    new_measures = rows_where(measures, measures["doc_id"].isin(added))
    new_keys = document_keys(rows_where(documents, documents["doc_id"].isin(added)), new_measures, _texts(squashed, new_measures))
    # documents: the candidates the added ones make, then every candidate pair resolved in order as a whole build would
    state.sizes.update({doc_id: len(items) for doc_id, items in new_keys.items()})
    for text, holders in provision_postings(new_keys).items():
        state.postings.setdefault(text, []).extend(holders)
    candidates = set(state.documents.candidates)
    for doc_id, items in new_keys.items():
        shared = Counter(other for text in dict.fromkeys(text for text, _ in items) for other in state.postings[text] if other != doc_id)
        candidates |= {
            tuple(sorted((doc_id, other))) for other, n in shared.items() if could_be_copies(n, state.sizes[doc_id], state.sizes[other])
        }
    by_file = dict(zip(documents["source_file"].tolist(), documents["doc_id"].tolist()))
    involved = {d for pair in candidates for d in pair} | {by_file[f] for pair in overrides.documents_same for f in pair if f in by_file}
    of_involved = rows_where(measures, measures["doc_id"].isin(involved))
    docs = resolve_duplicates(
        documents,
        document_keys(rows_where(documents, documents["doc_id"].isin(involved)), of_involved, _texts(squashed, of_involved)),
        candidates,
        overrides,
    )
    new_ids = set(new_measures["measure_id"].tolist())
    if {d: k for d, k in docs.duplicate_of.items() if d in state.doc_keys} != state.documents.duplicate_of or {
        m: k for m, k in docs.measure_links.items() if m not in new_ids and k not in new_ids
    } != state.documents.measure_links:
        return None  # an added document changed what an earlier one is a copy of
    clusters = _grow_clusters(
        state,
        measures,
        _with_copies(documents, docs),
        docs,
        new_measures,
        new_ids,
        overrides,
        squashed,
        PairVerdicts(known, MIN_RATIO, MAX_CONTENT_CHARS, on_cores(workers)),
    )
    state.doc_keys.update({d: doc_keys[d] for d in added})
    state.documents, state.frame = docs, clusters.frame
    return Deduplicated(docs, clusters, state, incremental=True)


def _grow_clusters(
    state: DedupState,
    measures: pd.DataFrame,
    documents: pd.DataFrame,
    docs: DocumentDuplicates,
    new_measures: pd.DataFrame,
    new_ids: set[str],
    overrides: Overrides,
    squashed: pd.Series,
    verdicts: PairVerdicts,
) -> Clusters:
    """The added measures joined to last build's clusters (each old cluster one node) and to each other; the clusters
    they touch get their representative and similarities again, the others keep their rows."""
    old = state.frame
    cluster_at = dict(zip(old["measure_id"].tolist(), old["cluster_id"].tolist()))
    parent: dict[tuple, tuple] = {}  # over nodes joined to something: an old cluster as a whole, or an added measure

    def node(measure_id: str) -> tuple:
        return ("measure", measure_id) if measure_id in new_ids else ("cluster", cluster_at[measure_id])

    def find(x: tuple) -> tuple:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(node(a)), find(node(b))
        parent.setdefault(ra, ra)
        parent.setdefault(rb, rb)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    present = new_ids | cluster_at.keys()
    for a, b in [(m, k) for m, k in docs.measure_links.items() if m in new_ids or k in new_ids] + [
        p for p in overrides.measures_same if (p[0] in new_ids or p[1] in new_ids) and p[0] in present and p[1] in present
    ]:
        union(a, b)
    masked = {m: mask_numbers(text) for m, text in sorted(_texts(squashed, new_measures).items())}
    entries, fresh = state.search.entry_of_text, []
    for measure_id, text in masked.items():
        if text in entries:
            union(entries[text], measure_id)
        else:
            entries[text] = measure_id
            fresh.append(text)
    pairs = [(state.search.index.texts[j], state.search.index.texts[k]) for j, k in state.search.index.add(fresh)]
    pairs = [(a, b) for a, b in pairs if find(node(entries[a])) != find(node(entries[b]))]
    verified = 0
    for (a, b), same in zip(pairs, verdicts.same(pairs)):
        if same and find(node(entries[a])) != find(node(entries[b])):
            verified += 1
            union(entries[a], entries[b])
    touched = {find(("measure", m)) for m in new_ids}
    merged = {x[1] for x in parent if x[0] == "cluster" and find(x) in touched}  # old clusters joined to new measures
    groups: dict[tuple, list[str]] = defaultdict(list)
    for measure_id, cluster_id in zip(old["measure_id"].tolist(), old["cluster_id"].tolist()) if merged else ():
        if cluster_id in merged:
            groups[find(("cluster", cluster_id))].append(measure_id)
    for measure_id in new_ids:
        groups[find(("measure", measure_id))].append(measure_id)
    members = [m for group in groups.values() for m in group]
    rows = rows_where(measures, measures["measure_id"].isin(members))
    keys = {m: mask_numbers(text) for m, text in _texts(squashed, rows).items()}
    rows = cluster_rows(groups.values(), representative_order(rows, documents), keys)
    kept = rows_where(old, ~old["cluster_id"].isin(merged)) if merged else old
    frame = pd.concat([kept, pd.DataFrame(rows, columns=CLUSTER_COLUMNS)], ignore_index=True)
    # sorted in Arrow (pandas factorizes both string keys of every row first)
    order = pc.sort_indices(
        pa.table({"cluster_id": pa.array(frame["cluster_id"].array), "measure_id": pa.array(frame["measure_id"].array)}),
        sort_keys=[("cluster_id", "ascending"), ("measure_id", "ascending")],
    )
    frame = frame.iloc[order.to_numpy()].reset_index(drop=True)
    return Clusters(frame, len(pairs), verified, {**verdicts.known, **verdicts.seen}, state.search)


def _texts(squashed: pd.Series, measures: pd.DataFrame) -> dict[str, str]:
    """measure_id → squashed text of these measures (rows of the corpus frame, whose index labels are their positions,
    as `squashed`'s are)."""
    return dict(zip(measures["measure_id"].tolist(), take_runs(squashed, measures.index.to_numpy()).tolist()))
