"""The analyst views of the DuckDB file: the joins and categories people would otherwise rebuild every time.

Each view has a description and a description of every column; columns that a view passes through
from a table take that table's description (schema.py), so `duckdb_columns()` documents everything.
"""
from dataclasses import dataclass, field

from .schema import TABLES


@dataclass(frozen=True)
class View:
    name: str
    description: str
    query: str
    columns: dict[str, str] = field(default_factory=dict)  # descriptions of columns not taken from `inherits`
    inherits: tuple[str, ...] = ()  # tables whose column descriptions apply to same-named columns


VIEWS: tuple[View, ...] = (
    View("unique_documents", "Each document once: copies (documents.duplicate_of set) left out.",
         "SELECT * FROM documents WHERE duplicate_of IS NULL", inherits=("documents",)),
    View("unique_measures", "Each measure once: the provisions of copied documents left out (they are linked by measures.duplicate_of).",
         "SELECT m.* FROM measures m JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL", inherits=("measures",)),
    View("unique_targets", "Targets of unique_measures.",
         "SELECT t.* FROM targets t JOIN unique_measures m USING (measure_id)", inherits=("targets",)),
    View("measures_overview",
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
         }, inherits=("measures",)),
    View("targets_overview",
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
         }, inherits=("targets",)),
    View("comparable_targets",
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
         }, inherits=("targets",)),
    View("plans_by_province",
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
         }),
    View("unit_workload",
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
         }, inherits=("units",)),
    View("function_workload",
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
         }),
    View("indicator_summary",
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
         }, inherits=("documents",)),
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
