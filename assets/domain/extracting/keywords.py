"""Keywords per provision: jieba's TF-IDF (extract_tags' weighting) with the inverse document frequency computed from
this corpus's own provisions instead of jieba's general-language table, which knows nothing of 容缺受理 or 拿地即开工."""

from functools import lru_cache

import duckdb
import pandas as pd
import pyarrow as pa

from assets.catalog import vocabulary

KEYWORDS_PER_MEASURE = 8
KEYWORD_COLUMNS = ["measure_id", "keyword", "weight", "rank"]


@lru_cache(maxsize=None)
def stopwords() -> tuple[str, ...]:
    return tuple(sorted(row["word"].strip() for row in vocabulary("keyword_stopwords.csv")))


def keyword_rows(tokens: pd.DataFrame | pa.Table, counted: list[str], per_measure: int = KEYWORDS_PER_MEASURE) -> pd.DataFrame:
    """The top `per_measure` keywords of every provision of `tokens` (measure_tokens rows). Candidates are whole words
    (word_tf > 0) of two characters or more with a letter, not stop words; a candidate's weight is its share of the
    provision's candidate words times ln(N / df), N and df counted over the provisions `counted` (those of unique
    documents, so a copied plan does not halve its words' weight). Words in every counted provision weigh 0 and are
    left out; a word no counted provision uses takes the highest idf. Weights are rounded to 4 decimals, so adding a
    plan to a large corpus leaves most rows as they were."""
    if not len(tokens):
        return pd.DataFrame(columns=KEYWORD_COLUMNS)
    with duckdb.connect() as con:
        read = ["measure_id", "token", "word_tf"]
        con.register("tokens", tokens.select(read) if isinstance(tokens, pa.Table) else tokens[read])
        con.register("counted", pd.DataFrame({"measure_id": pd.Series(counted, dtype=object)}))
        con.register("stopwords", pd.DataFrame({"word": pd.Series(stopwords(), dtype=object)}))
        return con.execute(
            """
            WITH candidates AS (
                SELECT measure_id, token AS keyword, word_tf FROM tokens
                WHERE word_tf > 0 AND length(token) >= 2 AND regexp_matches(token, '\\p{L}')
                  AND token NOT IN (SELECT word FROM stopwords)),
            n AS (SELECT greatest(count(*), 1) AS n FROM counted),
            df AS (SELECT keyword, count(*) AS df FROM candidates SEMI JOIN counted USING (measure_id) GROUP BY keyword),
            weighted AS (
                SELECT c.measure_id, c.keyword,
                       round(c.word_tf / sum(c.word_tf) OVER (PARTITION BY c.measure_id)
                             * ln(n.n / coalesce(df.df, 1)), 4) AS weight
                FROM candidates c CROSS JOIN n LEFT JOIN df USING (keyword))
            SELECT measure_id, keyword, weight,
                   row_number() OVER (PARTITION BY measure_id ORDER BY weight DESC, keyword) AS rank
            FROM weighted WHERE weight > 0
            QUALIFY rank <= ?
            ORDER BY measure_id, rank""",
            [per_measure],
        ).df()
