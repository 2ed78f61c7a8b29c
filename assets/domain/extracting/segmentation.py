"""Chinese word segmentation for search and keywords: jieba's dictionary and algorithm (rjieba, its Rust port) with a
user dictionary built from the project's own vocabularies, so domain terms (工程建设项目审批, 市场监管局) stay whole.

Search mode (`search_tokens`) yields each word and the dictionary words inside it (企业开办 → 企业, 开办, 企业开办), as
jieba's `cut_for_search`; `words` yields the words alone. Tokens are lower-cased; tokens without a letter or digit
(punctuation, spaces) are dropped. The segmenter is made on first use, never at import.
"""

import re
from collections import Counter
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from assets.catalog import vocabulary

WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or a digit of any script
TOKEN_COLUMNS = ["measure_id", "token", "tf", "word_tf"]

# (file, column, separator of several terms in one cell or None): where the user dictionary's terms come from.
VOCABULARIES = (
    ("search_terms.csv", "term", None),
    ("indicator_keywords.csv", "keyword", None),
    ("indicators.csv", "name_zh", None),
    ("comparable_metrics.csv", "name_zh", None),
    ("comparable_metrics.csv", "any_of", "|"),
    ("unit_aliases.csv", "alias", None),
    ("unit_functions.csv", "name_zh", None),
    ("unit_functions.csv", "keywords", "|"),
)
SCOPE_TERMS = ("target_words.csv", "scope_term")  # kind = scope_term rows: classes a target applies to (低压居民)


@lru_cache(maxsize=None)
def user_terms() -> tuple[str, ...]:
    """The user dictionary: every term of VOCABULARIES and the scope terms, of two characters or more, sorted."""
    terms: set[str] = set()
    for name, column, separator in VOCABULARIES:
        for row in vocabulary(name):
            cell = (row.get(column) or "").strip()
            terms.update(part.strip() for part in (cell.split(separator) if separator else [cell]))
    file, kind = SCOPE_TERMS
    terms.update(row["word"].strip() for row in vocabulary(file) if row["kind"] == kind)
    return tuple(sorted(t.lower() for t in terms if len(t) >= 2 and not any(c.isspace() for c in t)))


@lru_cache(maxsize=None)
def _segmenter():
    import rjieba  # loads jieba's dictionary: only when something is segmented

    segmenter = rjieba.Jieba()
    for term in user_terms():
        segmenter.add_word(term, None, None)  # frequency suggested so that the term stays one word
    return segmenter


def _kept(tokens: list[str]) -> list[str]:
    return [kept for kept in map(_token, tokens) if kept]


@lru_cache(maxsize=1 << 16)
def _token(token: str) -> str:
    """`token` trimmed and lower-cased, or '' when it has no letter or digit (the same few thousand tokens recur)."""
    token = token.strip().lower()
    return token if WORD_CHARACTER.search(token) else ""


def words(text: str) -> list[str]:
    """The words of `text` in order (jieba's precise mode with HMM for unknown words)."""
    return _kept(_segmenter().cut(text.lower()))


def search_tokens(text: str) -> list[str]:
    """The words of `text` and the dictionary words of two or three characters inside the longer ones (search mode)."""
    return _kept(_segmenter().cut_for_search(text.lower()))


def token_rows(measures: pd.DataFrame) -> pa.Table:
    """One row per provision and distinct search token of its text and responsibility annotation: `tf` times the token
    occurs in search mode, `word_tf` times it occurs as a whole word of the text (0 when only inside longer words or
    only in the annotation, so that keywords say what a provision is about, not who carries it out)."""
    ids, tokens, tfs, word_tfs = [], [], [], []
    for measure_id, text, annotation in zip(
        measures["measure_id"].tolist(), measures["text"].tolist(), measures["responsibility_text"].tolist()
    ):
        counts, whole_words = Counter(search_tokens(text if not annotation else f"{text}\n{annotation}")), Counter(words(text))
        for token in sorted(counts):
            ids.append(measure_id)
            tokens.append(token)
            tfs.append(counts[token])
            word_tfs.append(whole_words.get(token, 0))
    return pa.table(
        [pa.array(ids, pa.string()), pa.array(tokens, pa.string()), pa.array(tfs, pa.int64()), pa.array(word_tfs, pa.int64())],
        TOKEN_COLUMNS,
    )
