"""The analyst views of the DuckDB file: the joins and categories people would otherwise rebuild every time.

Each view has a description and a description of every column; columns that a view passes through
from a table take that table's description (schema.py), so `duckdb_columns()` documents everything.
"""

from dataclasses import dataclass, field

from assets.catalog.schema import TABLES

RELATED_PER_MEASURE = 5  # related_measures: measures of other plans listed per measure


@dataclass(frozen=True)
class View:
    name: str
    description: str
    query: str
    columns: dict[str, str] = field(default_factory=dict)  # descriptions of columns not taken from `inherits`
    inherits: tuple[str, ...] = ()  # tables whose column descriptions apply to same-named columns


VIEWS: tuple[View, ...] = (
    View(
        "unique_documents",
        "Each document once: copies (documents.duplicate_of set) left out.",
        "SELECT * FROM documents WHERE duplicate_of IS NULL",
        inherits=("documents",),
    ),
    View(
        "unique_measures",
        "Each measure once: the provisions of copied documents left out (they are linked by measures.duplicate_of).",
        "SELECT m.* FROM measures m JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL",
        inherits=("measures",),
    ),
    View(
        "unique_targets",
        "Targets of unique_measures.",
        "SELECT t.* FROM targets t JOIN unique_measures m USING (measure_id)",
        inherits=("targets",),
    ),
    View(
        "measures_overview",
        "One row per provision of a unique document, with its document, region, indicators, responsible units and target count: "
        "the table most questions start from.",
        """
         WITH tags AS (
             SELECT measure_id,
                    list(indicator_code ORDER BY score DESC, indicator_code) AS indicator_codes,
                    any_value(indicator_code) FILTER (WHERE is_primary) AS primary_indicator
             FROM measure_indicators GROUP BY measure_id),
         roles AS (
             SELECT mu.measure_id,
                    list(DISTINCT u.name ORDER BY u.name) FILTER (WHERE mu.role = 'lead') AS lead_units,
                    list(DISTINCT u.name ORDER BY u.name) FILTER (WHERE mu.role = 'cooperating') AS cooperating_units,
                    list(DISTINCT u.name ORDER BY u.name) FILTER (WHERE mu.role = 'responsible') AS responsible_units
             FROM measure_units mu JOIN units u USING (unit_id) GROUP BY mu.measure_id),
         target_counts AS (SELECT measure_id, count(*) AS target_count FROM targets GROUP BY measure_id)
         SELECT m.measure_id, m.doc_id, d.title AS document_title, d.region, d.admin_level, d.province,
                year(d.issue_date) AS issue_year, m.kind, m.seq, m.label, m.title, m.text,
                tags.primary_indicator, i.name_zh AS primary_indicator_zh, i.name_en AS primary_indicator_en,
                tags.indicator_codes,
                coalesce(roles.lead_units, []) AS lead_units,
                coalesce(roles.cooperating_units, []) AS cooperating_units,
                coalesce(roles.responsible_units, []) AS responsible_units,
                coalesce(target_counts.target_count, 0) AS target_count,
                m.cluster_id
         FROM measures m
         JOIN documents d USING (doc_id)
         LEFT JOIN tags USING (measure_id)
         LEFT JOIN indicators i ON i.code = tags.primary_indicator
         LEFT JOIN roles USING (measure_id)
         LEFT JOIN target_counts USING (measure_id)
         WHERE d.duplicate_of IS NULL
         """,
        columns={
            "document_title": "Title of the document (documents.title).",
            "region": "Issuing region (documents.region).",
            "admin_level": "province, prefecture or county (documents.admin_level).",
            "province": "Province-level division of the issuing region (documents.province).",
            "issue_year": "Year the document was issued, when known.",
            "title": "The provision's heading (measures.title).",
            "text": "The provision's whole text (measures.text).",
            "primary_indicator": "Code of the provision's highest-scoring indicator (measure_indicators.is_primary).",
            "primary_indicator_zh": "Chinese name of the primary indicator.",
            "primary_indicator_en": "English name of the primary indicator.",
            "indicator_codes": "Every indicator the provision is tagged with, highest score first.",
            "lead_units": "Names of the units that lead it (牵头).",
            "cooperating_units": "Names of the units that cooperate (配合).",
            "responsible_units": "Names of the units responsible (责任单位) where a plan does not say lead or cooperate.",
            "target_count": "Number of quantitative targets read from it.",
        },
        inherits=("measures",),
    ),
    View(
        "targets_overview",
        "One row per target of a unique document, with the plan, its region, the indicator and comparable metric, what is "
        "measured (metric) and for whom (scope), the promise, and its due year as stated or, failing that, as inferred.",
        """
         SELECT t.target_id, t.measure_id, t.doc_id, d.region, d.title AS document_title, m.label AS measure_label,
                m.title AS measure_title, t.indicator_code, i.name_zh AS indicator_zh, i.name_en AS indicator_en,
                t.metric, t.scope, t.metric_code, t.comparator, t.value, t.value_max, t.unit, t.baseline, t.year,
                t.year_inferred, t.year_inferred_from, coalesce(t.year, t.year_inferred) AS due_year, t.text
         FROM targets t
         JOIN measures m USING (measure_id)
         JOIN documents d ON d.doc_id = t.doc_id
         LEFT JOIN indicators i ON i.code = t.indicator_code
         WHERE d.duplicate_of IS NULL
         """,
        columns={
            "region": "Issuing region (documents.region).",
            "document_title": "Title of the document (documents.title).",
            "measure_label": "The provision's number as written (measures.label).",
            "measure_title": "The provision's heading (measures.title).",
            "indicator_zh": "Chinese name of the target's indicator.",
            "indicator_en": "English name of the target's indicator.",
            "due_year": "year when the text states it, else year_inferred (check year_inferred_from before relying on it).",
        },
        inherits=("targets",),
    ),
    View(
        "comparable_targets",
        "Targets that state the same metric in different plans, converted to the metric's unit (企业开办时间 in working days, "
        "全程网办率 in %), from unique documents only. Compare values only within one scope (null: the metric's whole "
        "population): 低压居民 and 高压双电源 are different promises of the same metric.",
        """
         SELECT t.target_id, t.measure_id, t.doc_id, d.region, d.admin_level, d.province, d.title AS document_title,
                year(d.issue_date) AS issue_year,
                t.metric_code, c.name_zh AS metric_name_zh, c.name_en AS metric_name_en, c.indicator_code,
                t.scope, t.value * f.factor AS value, t.value_max * f.factor AS value_max, c.unit, t.comparator, t.year,
                t.year_inferred, t.value AS value_as_written, t.unit AS unit_as_written, t.metric, t.text
         FROM targets t
         JOIN comparable_metrics c USING (metric_code)
         JOIN unit_conversions f ON f.from_unit = t.unit AND f.to_unit = c.unit
         JOIN documents d ON d.doc_id = t.doc_id
         WHERE d.duplicate_of IS NULL
         """,
        columns={
            "region": "Issuing region (documents.region).",
            "admin_level": "province, prefecture or county (documents.admin_level).",
            "province": "Province-level division of the issuing region (documents.province).",
            "document_title": "Title of the document (documents.title).",
            "issue_year": "Year the document was issued, when known.",
            "metric_name_zh": "Chinese name of the comparable metric.",
            "metric_name_en": "English name of the comparable metric.",
            "indicator_code": "The indicator the metric belongs to.",
            "value": "The target's value converted to `unit` (value_as_written × unit_conversions.factor).",
            "value_max": "Upper end of a range, converted to `unit`.",
            "unit": "The metric's unit (comparable_metrics.unit).",
            "value_as_written": "The value as published in targets.value.",
            "unit_as_written": "The unit as published in targets.unit.",
        },
        inherits=("targets",),
    ),
    View(
        "plans_by_province",
        "Unique documents per province and level (province, prefecture, county), with their measures and targets: where the "
        "plans come from, and how plans of each level differ. Documents the text does not place are `(not placed)`.",
        """
         WITH measure_counts AS (
             SELECT doc_id, count(*) FILTER (WHERE kind = 'measure') AS measures FROM measures GROUP BY doc_id),
         target_counts AS (SELECT doc_id, count(*) AS targets FROM targets GROUP BY doc_id)
         SELECT coalesce(d.province, '(not placed)') AS province, coalesce(d.admin_level, '(not placed)') AS admin_level,
                count(*) AS plans, count(DISTINCT d.region_code) AS regions,
                coalesce(sum(mc.measures), 0)::BIGINT AS measures, coalesce(sum(tc.targets), 0)::BIGINT AS targets,
                list(DISTINCT d.region ORDER BY d.region) FILTER (WHERE d.region IS NOT NULL) AS region_names
         FROM documents d
         LEFT JOIN measure_counts mc USING (doc_id)
         LEFT JOIN target_counts tc USING (doc_id)
         WHERE d.duplicate_of IS NULL
         GROUP BY ALL
         """,
        columns={
            "province": "documents.province, or (not placed).",
            "admin_level": "documents.admin_level: province, prefecture, county, or (not placed).",
            "plans": "Unique documents.",
            "regions": "Distinct issuing divisions (region_code).",
            "measures": "Their provisions of kind measure.",
            "targets": "Their quantitative targets.",
            "region_names": "The issuing divisions' official names.",
        },
    ),
    View(
        "unit_workload",
        "Each responsible unit with the number of provisions it leads, cooperates on and is responsible for (unique documents only).",
        """
         SELECT u.unit_id, u.name, u.region, u.unit_type, u.function,
                count(DISTINCT mu.measure_id) FILTER (WHERE mu.role = 'lead') AS measures_led,
                count(DISTINCT mu.measure_id) FILTER (WHERE mu.role = 'cooperating') AS measures_cooperating,
                count(DISTINCT mu.measure_id) FILTER (WHERE mu.role = 'responsible') AS measures_responsible,
                count(DISTINCT mu.measure_id) AS measures_total
         FROM units u
         LEFT JOIN (SELECT mu.* FROM measure_units mu JOIN unique_measures USING (measure_id)) mu USING (unit_id)
         GROUP BY ALL
         """,
        columns={
            "measures_led": "Provisions it leads (role lead).",
            "measures_cooperating": "Provisions it cooperates on (role cooperating).",
            "measures_responsible": "Provisions it is responsible for without a lead/cooperate distinction (role responsible).",
            "measures_total": "Provisions it has any role in.",
        },
        inherits=("units",),
    ),
    View(
        "function_workload",
        "Responsibility by what units do (units.function), comparable across regions: units and provisions led or cooperated on.",
        """
         SELECT coalesce(function, 'unclassified') AS function, count(*) AS units,
                sum(measures_led)::BIGINT AS measures_led, sum(measures_cooperating)::BIGINT AS measures_cooperating,
                sum(measures_responsible)::BIGINT AS measures_responsible, count(DISTINCT region) AS regions
         FROM unit_workload GROUP BY ALL
         """,
        columns={
            "function": "units.function (unclassified when the unit has none).",
            "units": "Units with this function.",
            "measures_led": "Sum of their provisions led (a provision led by two such units counts twice).",
            "measures_cooperating": "Sum of their provisions cooperated on.",
            "measures_responsible": "Sum of their provisions with role responsible.",
            "regions": "Regions where units with this function are named.",
        },
    ),
    View(
        "indicator_summary",
        "Per unique document and indicator: how many provisions of kind measure are tagged with it, and for how many it is primary.",
        """
         SELECT d.doc_id, d.title AS document_title, d.region, i.code AS indicator_code, i.name_zh, i.name_en,
                count(DISTINCT mi.measure_id) AS measures,
                count(DISTINCT mi.measure_id) FILTER (WHERE mi.is_primary) AS primary_measures
         FROM measure_indicators mi
         JOIN measures m USING (measure_id)
         JOIN documents d ON d.doc_id = m.doc_id
         JOIN indicators i ON i.code = mi.indicator_code
         WHERE d.duplicate_of IS NULL AND m.kind = 'measure'
         GROUP BY ALL
         """,
        columns={
            "document_title": "Title of the document (documents.title).",
            "region": "Issuing region (documents.region).",
            "indicator_code": "The indicator (indicators.code).",
            "name_zh": "Chinese name of the indicator.",
            "name_en": "English name of the indicator.",
            "measures": "Provisions of kind measure tagged with the indicator.",
            "primary_measures": "Of those, the ones where it is the primary indicator.",
        },
        inherits=("documents",),
    ),
    View(
        "related_measures",
        f"For each provision of kind measure, the {RELATED_PER_MEASURE} most similar measures of other plans by their keywords "
        "(cosine of measure_keywords' TF-IDF weights), unique documents only: how a measure travels between plans beyond "
        "exact copies (same_cluster marks those measure_clusters already joins).",
        f"""
         WITH k AS (
             SELECT mk.measure_id, m.doc_id, m.cluster_id, mk.keyword, mk.weight
             FROM measure_keywords mk JOIN unique_measures m USING (measure_id) WHERE m.kind = 'measure'),
         norms AS (SELECT measure_id, sqrt(sum(weight * weight)) AS norm FROM k GROUP BY measure_id),
         pairs AS (
             SELECT a.measure_id, b.measure_id AS related_measure_id, b.doc_id AS related_doc_id,
                    a.cluster_id = b.cluster_id AS same_cluster, sum(a.weight * b.weight) AS dot,
                    list(a.keyword ORDER BY a.weight * b.weight DESC, a.keyword) AS shared_keywords
             FROM k a JOIN k b ON a.keyword = b.keyword AND a.doc_id <> b.doc_id
             GROUP BY ALL)
         SELECT p.measure_id, p.related_measure_id, p.related_doc_id,
                round(p.dot / (na.norm * nb.norm), 4) AS similarity,
                row_number() OVER (PARTITION BY p.measure_id ORDER BY p.dot / (na.norm * nb.norm) DESC, p.related_measure_id) AS rank,
                p.shared_keywords, p.same_cluster
         FROM pairs p JOIN norms na ON na.measure_id = p.measure_id JOIN norms nb ON nb.measure_id = p.related_measure_id
         QUALIFY rank <= {RELATED_PER_MEASURE}
         """,
        columns={
            "measure_id": "The measure (kind measure, of a unique document).",
            "related_measure_id": "A measure of another plan that shares keywords with it.",
            "related_doc_id": "The plan of the related measure.",
            "similarity": "Cosine similarity (0..1) of the two measures' keyword weights.",
            "rank": "1 for the most similar, then 2, …",
            "shared_keywords": "The keywords they share, the heaviest in both first.",
            "same_cluster": "True when measure_clusters already puts them together (the same text, near enough).",
        },
    ),
)


def column_description(view: View, column: str) -> str | None:
    """The description of one of a view's columns: its own, else the inherited table's."""
    if column in view.columns:
        return view.columns[column]
    for table in view.inherits:
        for c in TABLES[table].columns:
            if c.name == column:
                return c.description
    return None


@dataclass(frozen=True)
class Macro:
    """A table macro of the DuckDB file: a query with parameters, called like a table (`FROM name(args)`)."""

    name: str
    parameters: tuple[str, ...]
    description: str
    query: str


BM25_K1, BM25_B = 1.2, 0.75  # Okapi BM25's usual constants: term-frequency saturation, length normalization

MACROS: tuple[Macro, ...] = (
    Macro(
        "search_measures",
        ("query",),
        "Full-text search: the provisions of unique documents that match every whitespace-separated part of `query`, "
        "best first by BM25 over measure_tokens. A provision matches a part when the tokens it shares with the part "
        "cover every letter and digit of it (企业开办: the token 企业开办, or 企业 and 开办; a number only by the "
        "same number: 12 does not cover 12345), or when one of its tokens contains the part (容缺 in 容缺受理). Returns measure_id, doc_id, score, title, region, kind, label (docs/search.md).",
        f"""
          WITH parts AS (
              SELECT DISTINCT lower(part) AS part FROM (SELECT unnest(string_split_regex(trim(query), '\\s+')) AS part)
              WHERE regexp_matches(part, '[\\p{{L}}\\p{{N}}]')),
          indexed AS (SELECT t.measure_id, t.token, t.tf FROM measure_tokens t SEMI JOIN unique_measures USING (measure_id)),
          lengths AS (SELECT measure_id, sum(tf) AS dl FROM indexed GROUP BY measure_id),
          corpus AS (SELECT count(*) AS n, avg(dl) AS avgdl FROM lengths),
          vocabulary AS (SELECT token, count(*) AS df FROM indexed GROUP BY token),
          needed AS (
              SELECT part, list_filter(range(1, length(part) + 1),
                                       lambda i: regexp_matches(substr(part, i, 1), '[\\p{{L}}\\p{{N}}]')) AS positions
              FROM parts),
          terms AS (
              SELECT p.part, v.token, v.df, contains(p.part, v.token) AS inside,
                     CASE WHEN contains(p.part, v.token) THEN flatten(list_transform(
                         list_filter(range(1, length(p.part) - length(v.token) + 2),
                                     lambda s: substr(p.part, s, length(v.token)) = v.token
                                         AND NOT (regexp_matches(v.token, '^[0-9]') AND s > 1
                                                  AND regexp_matches(substr(p.part, s - 1, 1), '[0-9]'))
                                         AND NOT (regexp_matches(v.token, '[0-9]$')
                                                  AND regexp_matches(substr(p.part, s + length(v.token), 1), '[0-9]'))),
                         lambda s: range(s, s + length(v.token)))) ELSE [] END AS covers
              FROM parts p JOIN vocabulary v ON contains(p.part, v.token) OR contains(v.token, p.part)),
          hits AS (SELECT i.measure_id, t.part, t.token, t.df, t.inside, t.covers, i.tf FROM terms t JOIN indexed i USING (token)),
          matches AS (
              SELECT h.measure_id, h.part FROM hits h JOIN needed n USING (part)
              GROUP BY h.measure_id, h.part, n.positions
              HAVING bool_or(NOT h.inside)
                  OR length(list_intersect(list_distinct(flatten(list(h.covers))), n.positions)) = length(n.positions)),
          matched AS (
              SELECT measure_id FROM matches GROUP BY measure_id HAVING count(*) = (SELECT count(*) FROM parts)),
          scored AS (
              SELECT h.measure_id,
                     sum(ln(1 + (c.n - h.df + 0.5) / (h.df + 0.5))
                         * h.tf * {BM25_K1 + 1} / (h.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * l.dl / c.avgdl))) AS score
              FROM (SELECT DISTINCT measure_id, token, df, tf FROM hits) h
              SEMI JOIN matched USING (measure_id)
              JOIN lengths l USING (measure_id) CROSS JOIN corpus c
              GROUP BY h.measure_id)
          SELECT s.measure_id, m.doc_id, round(s.score, 4) AS score, m.title, d.region, m.kind, m.label
          FROM scored s JOIN measures m USING (measure_id) JOIN documents d ON d.doc_id = m.doc_id
          ORDER BY score DESC, s.measure_id
          """,
    ),
)
