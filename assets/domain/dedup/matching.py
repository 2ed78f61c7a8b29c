"""Deduplication: the same document from several sources, and the same measure across plans.

Documents: a document is a copy of another when at least 90% of its provisions (all but a truncated
last one) appear in the other after normalization (so script, punctuation, spacing, preamble, annex
and truncation do not matter), unless their issue dates or 文号 differ. The kept copy is the more
complete one (more provisions, then longer text, then the smaller path); the other gets
`duplicate_of`, and each of its provisions is linked to the matching provision of the kept copy.

Measures: MinHash + LSH (rensa) over character 3-grams of the masked text proposes candidate pairs, which
`similarity.compare` verifies; verified pairs, document links and curated overrides are joined into
clusters (union-find that never joins a pair forced apart).
"""

import csv
import hashlib
from collections import defaultdict
from dataclasses import astuple, dataclass, field
from itertools import islice
from typing import Callable

import numpy as np
import pandas as pd

from assets.domain.dedup.similarity import (
    LSH_THRESHOLD,
    MAX_CONTENT_CHARS,
    MIN_RATIO,
    Verdict,
    compare_masked,
    mask_numbers,
    masked,
    masked_shingles,
)
from assets.domain.reading.squash import squash

OVERRIDES_NAME = "dedup_overrides.csv"
Mapper = Callable[[Callable[[int], object], int], list]  # (function of an index, count) → results in index order


def serial_map(function: Callable[[int], object], count: int) -> list:
    """`Mapper` on one core, in this process."""
    return [function(i) for i in range(count)]


MIN_SHARED = 0.9
VERDICT_BLOCK = 15_000  # candidate pairs compared together on every core (the fastest block size measured)


# ---------------------------------------------------------------------------------------------- overrides


@dataclass
class Overrides:
    """Curated decisions, applied on every run: pairs forced together (`same`) or apart (`different`)."""

    documents_same: list[tuple[str, str]] = field(default_factory=list)  # by source_file
    documents_different: set[frozenset] = field(default_factory=set)
    measures_same: list[tuple[str, str]] = field(default_factory=list)  # by measure_id
    measures_different: set[frozenset] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    lines: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # (line number, level, a, b, decision) applied

    def unknown_names(self, source_files: set[str], measure_ids: set[str]) -> list[str]:
        """A message for each line naming a document (by source_file) or measure (by measure_id) this build does not have:
        such a line has no effect, which a curator should know (a renamed file, a typo, an id from another parser version)."""
        messages = []
        for line, level, a, b, _ in self.lines:
            known = source_files if level == "document" else measure_ids
            missing = [name for name in (a, b) if name not in known]
            if missing:
                messages.append(f"{OVERRIDES_NAME} line {line}: no {level} {' or '.join(missing)} in this build; the line has no effect")
        return messages


def parse_overrides(data: bytes) -> Overrides:
    """The bytes of `dedup_overrides.csv`: columns `level` (document|measure), `a`, `b`, `decision` (same|different),
    `note`; a line that cannot be applied is left out with a problem naming it."""
    result = Overrides()
    try:
        rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    except (UnicodeDecodeError, csv.Error) as exc:
        result.problems.append(f"{OVERRIDES_NAME}: unreadable ({exc}); ignored")
        return result
    decisions: dict[tuple[str, frozenset], dict[str, int]] = {}  # (level, pair) → decision → first line
    for n, row in enumerate(rows, start=2):
        level, a, b, decision = ((row.get(k) or "").strip() for k in ("level", "a", "b", "decision"))
        if level not in ("document", "measure") or decision not in ("same", "different") or not a or not b:
            result.problems.append(f"{OVERRIDES_NAME} line {n}: needs level document|measure, a, b, decision same|different; ignored")
            continue
        if a == b:
            result.problems.append(f"{OVERRIDES_NAME} line {n}: names {a} on both sides; a {level} cannot be a copy of itself; ignored")
            continue
        decisions.setdefault((level, frozenset((a, b))), {}).setdefault(decision, n)
        result.lines.append((n, level, a, b, decision))
    for (level, pair), lines in decisions.items():
        if len(lines) > 1:
            a, b = sorted(pair)
            result.problems.append(
                f"{OVERRIDES_NAME} lines {lines['same']} and {lines['different']}: {a} and {b} marked both "
                "same and different; neither applied"
            )
    conflicting = {key for key, lines in decisions.items() if len(lines) > 1}
    result.lines = [entry for entry in result.lines if (entry[1], frozenset(entry[2:4])) not in conflicting]
    for _, level, a, b, decision in result.lines:
        same, different = (
            (result.documents_same, result.documents_different)
            if level == "document"
            else (result.measures_same, result.measures_different)
        )
        if decision == "same":
            same.append((a, b))
        else:
            different.add(frozenset((a, b)))
    return result


# ---------------------------------------------------------------------------------------------- documents


@dataclass
class DocumentDuplicates:
    duplicate_of: dict[str, str]  # doc_id → kept doc_id
    measure_links: dict[str, str]  # measure_id of a copy → measure_id of the kept copy's provision
    candidates: set[tuple[str, str]] = field(default_factory=set)  # the pairs of documents that were compared


def squashed_texts(measures: pd.DataFrame) -> dict[str, str]:
    """measure_id → `squash`ed text: the comparison key of both deduplication steps (worth caching per document)."""
    return {measure_id: squash(text) for measure_id, text in zip(measures["measure_id"], measures["text"])}


def document_keys(documents: pd.DataFrame, measures: pd.DataFrame, squashed: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """doc_id → [(squashed text, measure_id)] of its provisions, in order."""
    keys: dict[str, list[tuple[str, str]]] = {d: [] for d in documents["doc_id"].tolist()}
    for doc_id, measure_id in zip(measures["doc_id"].tolist(), measures["measure_id"].tolist()):
        keys[doc_id].append((squashed[measure_id], measure_id))
    return keys


def find_document_duplicates(
    documents: pd.DataFrame, measures: pd.DataFrame, overrides: Overrides, squashed: dict[str, str] | None = None
) -> DocumentDuplicates:
    if documents.empty:
        return DocumentDuplicates({}, {})
    keys = document_keys(documents, measures, squashed if squashed is not None else squashed_texts(measures))
    return resolve_duplicates(documents, keys, overlap_candidates(keys), overrides)


def resolve_duplicates(
    documents: pd.DataFrame, keys: dict[str, list[tuple[str, str]]], candidates: set[tuple[str, str]], overrides: Overrides
) -> DocumentDuplicates:
    """Which candidate pairs (and pairs forced together) are copies, taken in order of their ids; `keys` needs only the
    documents of those pairs."""
    docs = documents.set_index("doc_id")
    by_file = dict(zip(documents["source_file"].tolist(), documents["doc_id"].tolist()))
    forced = {tuple(sorted((by_file[a], by_file[b]))) for a, b in overrides.documents_same if a in by_file and b in by_file}
    apart = {frozenset(by_file[f] for f in pair) for pair in overrides.documents_different if all(f in by_file for f in pair)}
    duplicate_of: dict[str, str] = {}
    links: dict[str, str] = {}
    for a, b in sorted(candidates | forced):
        if frozenset((a, b)) in apart:
            continue
        copy, kept = sorted((a, b), key=lambda d: _completeness(docs.loc[d], keys[d]))  # the more complete sorts last
        matched = _match(keys[copy], keys[kept])
        if (a, b) not in forced and (len(matched) < MIN_SHARED * len(keys[copy]) or _contradict(docs.loc[a], docs.loc[b])):
            continue
        if copy in duplicate_of:
            continue
        duplicate_of[copy] = kept
        links.update(matched)
    # a copy of a copy points at the one finally kept
    for doc_id in list(duplicate_of):
        seen = {doc_id}
        while duplicate_of[doc_id] in duplicate_of and duplicate_of[doc_id] not in seen:
            seen.add(duplicate_of[doc_id])
            duplicate_of[doc_id] = duplicate_of[duplicate_of[doc_id]]
    return DocumentDuplicates(duplicate_of, links, candidates)


def overlap_candidates(keys: dict[str, list[tuple[str, str]]], postings: dict[str, list[str]] | None = None) -> set[tuple[str, str]]:
    """Pairs of documents (ids in order) sharing at least one provision and enough of them to be copies
    (`could_be_copies`). Counted exactly, one document at a time, as a bincount over the posting lists of its distinct
    provisions (`provision_postings` of `keys`, unless given); a counter of every pair of documents that share a
    provision grows with the square of how many plans repeat it."""
    doc_ids = list(keys)
    position = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    sizes = np.array([len(keys[d]) for d in doc_ids])
    postings = postings if postings is not None else provision_postings(keys)
    arrays = {text: np.array([position[d] for d in docs], dtype=np.int64) for text, docs in postings.items() if len(docs) > 1}
    pairs = set()
    for i, doc_id in enumerate(doc_ids):
        lists = [arrays[text] for text in dict.fromkeys(text for text, _ in keys[doc_id]) if text in arrays]
        if not lists:
            continue
        shared = np.bincount(np.concatenate(lists), minlength=len(doc_ids))
        others = np.flatnonzero(shared)
        others = others[others > i]
        enough = could_be_copies(shared[others], sizes[i], sizes[others])
        pairs.update(tuple(sorted((doc_ids[i], doc_ids[j]))) for j in others[enough])
    return pairs


def provision_postings(keys: dict[str, list[tuple[str, str]]]) -> dict[str, list[str]]:
    """Squashed provision text → the documents that have it (each once, in the order of `keys`)."""
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, items in keys.items():
        for text in dict.fromkeys(text for text, _ in items):
            postings[text].append(doc_id)
    return dict(postings)


def could_be_copies(shared, size_a, size_b):
    """Whether two documents sharing `shared` distinct provisions can be copies: they share, but for one (a copy cut
    short), MIN_SHARED of the smaller one's provisions (numbers or numpy arrays)."""
    return shared + 1 >= MIN_SHARED * np.minimum(size_a, size_b)


def _completeness(doc, items) -> tuple:
    """Sorts the copy to keep last: more provisions; simplified script (the original, not a mirror); more metadata;
    more normalized text (with preamble and annex); fewer raw bytes for the same text (PDF spaces and full-width
    punctuation add bytes); then the smaller path."""
    metadata = sum(isinstance(doc.get(c), str) or hasattr(doc.get(c), "year") for c in ("issuer", "issue_date", "doc_number", "region"))
    return (
        len(items),
        doc.get("script") == "simplified",
        metadata,
        int(doc["char_count"]),
        -int(doc.get("byte_count", 0)),
        [-ord(c) for c in doc["source_file"]],
    )


def _match(copy: list[tuple[str, str]], kept: list[tuple[str, str]]) -> dict[str, str]:
    """copy measure_id → kept measure_id, in order; the copy's last provision may be truncated."""
    available: dict[str, list[str]] = defaultdict(list)
    for key, measure_id in kept:
        available[key].append(measure_id)
    matched = {}
    for i, (key, measure_id) in enumerate(copy):
        if available.get(key):
            matched[measure_id] = available[key].pop(0)
        elif i == len(copy) - 1 and len(key) >= 10:
            prefix = next((k for k, ids in available.items() if ids and k.startswith(key)), None)
            if prefix:
                matched[measure_id] = available[prefix].pop(0)
    return matched


def _contradict(a, b) -> bool:
    """Two documents with different issue dates or document numbers are different documents."""
    for column in ("issue_date", "doc_number"):
        x, y = a.get(column), b.get(column)
        if isinstance(x, str) or hasattr(x, "year"):
            if (isinstance(y, str) or hasattr(y, "year")) and x != y:
                return True
    return False


# ---------------------------------------------------------------------------------------------- measures


@dataclass
class Clusters:
    frame: pd.DataFrame  # measure_id, cluster_id, is_representative, similarity
    candidate_pairs: int
    verified_pairs: int
    verdicts: dict[bytes, tuple] = field(default_factory=dict)  # the pair verdicts this clustering looked at (to reuse next build)
    search: "SearchState | None" = None


class _Components:
    """Union-find that refuses a union putting a pair forced apart into one component (members are tracked only where
    some pair is forced apart: a set per measure would grow with the corpus)."""

    def __init__(self, items, apart: set[frozenset]):
        self.parent = {i: i for i in items}
        self.size = dict.fromkeys(self.parent, 1)
        self.apart = defaultdict(set)
        for pair in apart:
            a, b = tuple(pair)
            if a in self.parent and b in self.parent:
                self.apart[a].add(b)
                self.apart[b].add(a)
        self.members = {i: {i} for i in self.parent} if self.apart else None

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, large = sorted((ra, rb), key=self.size.__getitem__)
        if self.members is not None:
            if any(self.apart[m] & self.members[large] for m in self.members[small]):
                return False
            self.members[large] |= self.members.pop(small)
        self.parent[small] = large
        self.size[large] += self.size.pop(small)
        return True


def candidate_pairs(texts: dict[str, str], threshold: float = LSH_THRESHOLD, num_perm: int = 64) -> set[tuple[str, str]]:
    """Pairs of ids whose 3-gram sets are likely to overlap by about `threshold` or more (MinHash LSH)."""
    return set(_stream_candidates({i: masked(t) for i, t in texts.items()}, threshold, num_perm))


def _stream_candidates(
    masked_texts: dict[str, str], threshold: float = LSH_THRESHOLD, num_perm: int = 64, index: "TextIndex | None" = None
):
    """Each LSH candidate pair of ids of masked texts once, (smaller id, larger id), without holding them all in memory;
    the texts are added to `index` (a new one by default)."""
    ids = sorted(masked_texts)
    index = index if index is not None else TextIndex(threshold, num_perm)
    for k, j in index.pairs_within([masked_texts[i] for i in ids]):
        yield ids[k], ids[j]


class TextIndex:
    """MinHash LSH over masked texts, each known by its position in `texts`: signatures over character 3-grams (rensa, a
    Rust implementation, much faster than a pure-Python MinHash); `num_perm / bands` rows per band put the LSH's
    S-curve at `threshold`. It is stored (`portable`, rensa's own serialization of the LSH), so a grown corpus can query last
    build's index with its new texts only."""

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = 64):
        from rensa import RMinHashLSH

        self.num_perm = num_perm
        self.texts: list[str] = []
        self.lsh = RMinHashLSH(threshold, num_perm, _bands(threshold, num_perm))

    def _signatures(self, texts: list[str]) -> list:
        from rensa import RMinHash

        return RMinHash.from_token_sets([sorted(masked_shingles(t)) for t in texts], self.num_perm, 1)

    def pairs_within(self, texts: list[str]):
        """Add `texts` to an empty index; yield each candidate pair of their positions once, (k, j) with k < j, by k then j."""
        signatures = self._signatures(texts)
        for k, signature in enumerate(signatures):
            self.lsh.insert(k, signature)
        self.texts = list(texts)
        for k, signature in enumerate(signatures):
            for j in sorted(self.lsh.query(signature)):
                if j > k:
                    yield k, j

    def add(self, texts: list[str]) -> list[tuple[int, int]]:
        """Add `texts`; every new candidate pair of positions (j, k), j < k, k one of the added (the same pairs, whichever
        order texts come in: a pair is a candidate when their signatures share a band)."""
        pairs = []
        for text, signature in zip(texts, self._signatures(texts)):
            k = len(self.texts)
            pairs += [(j, k) for j in sorted(self.lsh.query(signature))]
            self.lsh.insert(k, signature)
            self.texts.append(text)
        return pairs


def _bands(threshold: float, num_perm: int) -> int:
    """The number of bands (dividing num_perm) whose S-curve midpoint (1/b)^(1/r) is closest to threshold."""
    options = [b for b in range(1, num_perm + 1) if num_perm % b == 0]
    return min(options, key=lambda b: abs((1 / b) ** (b / num_perm) - threshold))


def cluster_measures(
    measures: pd.DataFrame,
    documents: pd.DataFrame,
    links: dict[str, str],
    overrides: Overrides,
    min_ratio: float = MIN_RATIO,
    max_content_chars: int = MAX_CONTENT_CHARS,
    squashed: dict[str, str] | None = None,
    known_verdicts: dict[bytes, tuple] | None = None,
    mapper: Mapper = serial_map,
) -> Clusters:
    """Join measures that say the same thing into clusters. `known_verdicts` are pair verdicts from an earlier build
    (`Clusters.verdicts`, keyed by the masked texts and thresholds): they spare re-comparing unchanged candidates.
    Candidates are taken in blocks: the comparisons a block needs are made by `mapper` (the engine passes one that
    runs them on several cores), then its pairs are
    joined in order exactly as one at a time would (a pair joined earlier in its block is not joined again)."""
    if measures.empty:
        return Clusters(pd.DataFrame(columns=CLUSTER_COLUMNS), 0, 0)
    ids = measures["measure_id"].tolist()
    squashed = squashed if squashed is not None else squashed_texts(measures)
    keys = {measure_id: mask_numbers(squashed[measure_id]) for measure_id in ids}
    verdicts = PairVerdicts(known_verdicts, min_ratio, max_content_chars, mapper)
    apart = set(overrides.measures_different)
    components = _Components(ids, apart)
    for a, b in list(links.items()) + [p for p in overrides.measures_same if p[0] in keys and p[1] in keys]:
        components.union(a, b)
    # Measures whose masked texts are equal are the same measure: join them directly and search candidates among
    # one text per group (copies across plans are common, so there are far fewer distinct texts than measures).
    # A measure named in a "different" override stays its own entry so the override is honoured pair by pair.
    constrained = {m for pair in apart for m in pair}
    entries: dict[str, str] = {}  # the measure that stands for its masked text → that text
    first_with: dict[str, str] = {}
    for measure_id in sorted(ids):
        key = keys[measure_id]
        if measure_id in constrained:
            entries[measure_id] = key
        elif key in first_with:
            components.union(first_with[key], measure_id)
        else:
            first_with[key] = measure_id
            entries[measure_id] = key
    candidates = verified = 0
    index = TextIndex()
    pairs = _stream_candidates(entries, index=index)
    while block := list(islice(pairs, VERDICT_BLOCK)):
        candidates += len(block)
        block = [(a, b) for a, b in block if components.find(a) != components.find(b)]  # together already: no comparing
        for (a, b), same in zip(block, verdicts.same([(keys[a], keys[b]) for a, b in block])):
            if components.find(a) != components.find(b) and same:
                verified += 1
                components.union(a, b)
    groups = defaultdict(list)
    for measure_id in ids:
        groups[components.find(measure_id)].append(measure_id)
    frame = cluster_frame(cluster_rows(groups.values(), representative_order(measures, documents), keys))
    search = None if constrained else SearchState(first_with, index)
    return Clusters(frame, candidates, verified, verdicts.seen, search)


CLUSTER_COLUMNS = ["measure_id", "cluster_id", "is_representative", "similarity"]


class PairVerdicts:
    """Verdicts on pairs of masked texts, each pair compared once: taken from `known` (an earlier build's, keyed by
    the texts and thresholds) where it has them, else computed by `mapper`. `seen` holds every verdict used."""

    def __init__(self, known: dict[bytes, tuple] | None, min_ratio: float, max_content_chars: int, mapper: Mapper = serial_map):
        self.known, self.min_ratio, self.max_content_chars, self.mapper = known or {}, min_ratio, max_content_chars, mapper
        self.seen: dict[bytes, tuple] = {}

    def key(self, a: str, b: str) -> bytes:
        a, b = sorted((a, b))  # a verdict does not depend on the order of the texts
        return hashlib.blake2b(f"{a}\0{b}\0{self.min_ratio}\0{self.max_content_chars}".encode(), digest_size=16).digest()

    def same(self, pairs: list[tuple[str, str]]) -> list[bool]:
        """Whether each pair of masked texts says the same thing."""
        keys = [self.key(a, b) for a, b in pairs]
        todo: dict[bytes, tuple[str, str]] = {}
        for pair, key in zip(pairs, keys):
            if key in self.seen:
                continue
            if key in self.known:
                self.seen[key] = self.known[key]
            else:
                todo.setdefault(key, pair)
        missing, missing_pairs = list(todo), list(todo.values())

        def compare(i: int) -> tuple:
            return astuple(compare_masked(*missing_pairs[i], self.min_ratio, self.max_content_chars))

        self.seen.update(zip(missing, self.mapper(compare, len(missing))))
        return [Verdict(*self.seen[key]).same for key in keys]


@dataclass
class SearchState:
    """What finds a new provision's matches without the rest of the corpus: one measure for each masked text, and the
    LSH index of those texts (kept only where no "different" override makes the order of joins matter)."""

    entry_of_text: dict[str, str]
    index: TextIndex


def lsh_state(lsh) -> list:
    """rensa's LSH index as its constructor's arguments and the bytes of its own serialization (no pickle)."""
    return [list(lsh.__getnewargs__()), lsh.__getstate__()]


def lsh_from(state: list):
    from rensa import RMinHashLSH

    lsh = RMinHashLSH.__new__(RMinHashLSH, *state[0])
    lsh.__setstate__(state[1])
    return lsh


def cluster_rows(groups, order: dict[str, tuple], keys: dict[str, str]) -> list[dict]:
    """`measure_clusters` rows of groups of measure ids: the representative is the first by `order`, the others have
    their similarity to it."""
    grams: dict[str, set[str]] = {}
    rows = []
    for members in groups:
        representative = min(members, key=order.__getitem__)
        for measure_id in sorted(members, key=order.__getitem__):
            similarity = 1.0 if measure_id == representative else _jaccard(grams, keys[measure_id], keys[representative])
            rows.append(
                {
                    "measure_id": measure_id,
                    "cluster_id": f"c-{representative}",
                    "is_representative": measure_id == representative,
                    "similarity": round(similarity, 4),
                }
            )
    return rows


def cluster_frame(rows: list[dict]) -> pd.DataFrame:
    """Cluster rows as the published table orders them: by cluster, then measure."""
    return pd.DataFrame(rows, columns=CLUSTER_COLUMNS).sort_values(["cluster_id", "measure_id"], kind="stable").reset_index(drop=True)


def _jaccard(grams: dict[str, set[str]], a: str, b: str) -> float:
    """3-gram Jaccard similarity of two masked texts (what the LSH step estimates); k-gram sets cached by text."""
    if a == b:
        return 1.0
    for key in (a, b):
        if key not in grams:
            grams[key] = masked_shingles(key)
    x, y = grams[a], grams[b]
    return len(x & y) / len(x | y) if x | y else 1.0


def representative_order(measures: pd.DataFrame, documents: pd.DataFrame) -> dict[str, tuple]:
    """A cluster's representative: from a kept (not duplicate) document, earliest path, then order in it."""
    copies = (
        dict(zip(documents["doc_id"], documents["duplicate_of"].map(lambda v: isinstance(v, str)))) if "duplicate_of" in documents else {}
    )
    paths = dict(zip(documents["doc_id"], documents["source_file"]))
    return {
        measure_id: (copies.get(doc_id, False), paths[doc_id], seq)
        for measure_id, doc_id, seq in zip(measures["measure_id"].tolist(), measures["doc_id"].tolist(), measures["seq"].tolist())
    }
