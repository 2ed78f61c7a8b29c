"""Every published table and column, with types and descriptions: the one source for Parquet schemas,
DuckDB comments, and (later) validation suites and the data dictionary. Contract columns are marked."""

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "2.3.0"  # 1.1: measure_clusters, measures.duplicate_of and repeated_text_removed; 1.2: indicators,
# measure_indicators, comparable_metrics, unit_conversions, targets.indicator_code and metric_code (additions only);
# 2.0: documents.region is the official name of a GB/T 2260 division (was: the place as written), with region_code,
# province, prefecture, county, zone, doc_type, is_draft, source_url, retrieved_on; the regions table; targets.metric is a
# noun phrase (no verbs, values or trailing clauses), contract column targets.scope, and targets.year_inferred /
# year_inferred_from beside targets.year; 2.1: documents.format and page_count, measures.page_start, page_end,
# table_number and table_row (additions only); 2.2: measure_tokens and measure_keywords (additions only); 2.3: measures.label may be empty (unnumbered measures)
# (docs/schema_changelog.md)


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = False
    contract: bool = False  # listed in shared/CONTRACT.md: renaming or retyping needs a major version bump
    may_be_empty: bool = False  # a string column whose empty string means something (else blank values are errors)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, referenced table, referenced column)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def C(name, type_, description, nullable=False, contract=True) -> Column:
    return Column(name, type_, description, nullable, contract)


def X(name, type_, description, nullable=False) -> Column:
    """A column beyond the contract."""
    return Column(name, type_, description, nullable, contract=False)


STR, INT, DBL = pa.string(), pa.int64(), pa.float64()

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "documents",
            "One row per raw file that was parsed and published.",
            (
                C("doc_id", STR, "Stable id of the document: a hash of its path relative to RAW_DIR."),
                C("source_file", STR, "Path of the raw file relative to RAW_DIR."),
                C("sha256", STR, "Lowercase hex SHA-256 of the raw file's bytes."),
                C("title", STR, "The plan's title, from the sources manifest or inferred from the text (file stem as last resort)."),
                X(
                    "title_source",
                    STR,
                    "Where the title comes from: manifest, text, or file_name (the text names none; a warning says so).",
                ),
                X(
                    "inferred_fields",
                    pa.list_(STR),
                    "Which of title, issuer, issue_date, doc_number, region were read from the text "
                    "(the others are from sources.csv or unknown).",
                ),
                C("issuer", STR, "Issuing body or bodies (joined with 、).", nullable=True),
                C("issue_date", pa.date32(), "Date of issue.", nullable=True),
                C("doc_number", STR, "Document number (文号), e.g. 青委办字〔2020〕55号.", nullable=True),
                C(
                    "region",
                    STR,
                    "Official name of the most specific administrative division that issued it, e.g. 巴音郭楞蒙古自治州, "
                    "湘阴县, 山东省 (null when the text does not say: see parse_warnings).",
                    nullable=True,
                ),
                C("region_code", STR, "Its GB/T 2260 six-digit code, e.g. 652800 (see regions).", nullable=True),
                C("province", STR, "Official name of its province-level division, e.g. 新疆维吾尔自治区.", nullable=True),
                C("duplicate_of", STR, "doc_id of the copy kept when this file is the same document.", nullable=True),
                X("admin_level", STR, "The region's level: province, prefecture or county.", nullable=True),
                X(
                    "prefecture",
                    STR,
                    "Its prefecture-level division (for a district of a municipality: the municipality); "
                    "null for a province or a county-level city under its province.",
                    nullable=True,
                ),
                X("county", STR, "Its county-level division, when the region is one.", nullable=True),
                X(
                    "zone",
                    STR,
                    "The functional zone the issuer names with or instead of the region (广州开发区 with 黄埔区).",
                    nullable=True,
                ),
                X(
                    "region_evidence",
                    STR,
                    "Where the region was read: sources.csv, the issuer, the title, a head line, the 文号's abbreviation, the body.",
                    nullable=True,
                ),
                X(
                    "doc_type",
                    STR,
                    "plan (方案, 计划, 要点, 规划), measures (措施, 举措), opinion (意见), regulation (条例, 办法, 规定, 细则) "
                    "or notice (通知): the last such word of the title.",
                    nullable=True,
                ),
                X("is_draft", pa.bool_(), "True when the title or the first lines call it a draft (征求意见稿, 草案, 送审稿, 讨论稿)."),
                X("source_url", STR, "Where the text was downloaded from (sources.csv).", nullable=True),
                X("retrieved_on", pa.date32(), "When it was downloaded (sources.csv).", nullable=True),
                X(
                    "encoding",
                    STR,
                    "Encoding the raw bytes were decoded from (utf-8, utf-8-sig, gb18030, utf-16, ...; utf-8 for the XML "
                    "of a .docx, pdf for a PDF's text layer).",
                ),
                X("script", STR, "Script of the raw text: simplified or traditional (published text is always simplified)."),
                X("source_format", STR, "How the text was obtained (manifest 'format'; 'html' when markup was stripped).", nullable=True),
                X("format", STR, "What was read: text, html (a saved web page), docx (Word) or pdf (its text layer); see docs/formats.md."),
                X("page_count", INT, "Pages of a PDF.", nullable=True),
                X("byte_count", INT, "Bytes of the raw file."),
                X("char_count", INT, "Characters in the normalized text."),
                X("measure_count", INT, "Provisions of kind 'measure' in the document."),
                X("provision_count", INT, "Provisions of any kind in the document."),
            ),
            primary_key=("doc_id",),
            foreign_keys=(("region_code", "regions", "region_code"),),
        ),
        Table(
            "regions",
            "China's administrative divisions (GB/T 2260) that documents can be placed in, from "
            "assets/catalog/data/divisions.csv: the official list as of 2025, and divisions abolished since 2014.",
            (
                X("region_code", STR, "GB/T 2260 six-digit code."),
                X("name", STR, "Official name, e.g. 湘西土家族苗族自治州."),
                X("level", STR, "province, prefecture or county."),
                X(
                    "kind",
                    STR,
                    "省, 自治区, 直辖市, 特别行政区, 地级市, 自治州, 地区, 盟, 市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区 or 特区.",
                ),
                X("parent_code", STR, "The division it lies in (a county-level city under its province: the province).", nullable=True),
                X("province", STR, "Official name of its province-level division."),
                X("listed_until", INT, "For a division since abolished: the year of the last official list naming it.", nullable=True),
            ),
            primary_key=("region_code",),
            foreign_keys=(("parent_code", "regions", "region_code"),),
        ),
        Table(
            "document_texts",
            "The normalized text of each document; measures and targets point into it by character offsets.",
            (
                C("doc_id", STR, "The document.", contract=False),
                X("text", STR, "Normalized text: one paragraph per line, simplified script, full-width Chinese punctuation."),
            ),
            primary_key=("doc_id",),
            foreign_keys=(("doc_id", "documents", "doc_id"),),
        ),
        Table(
            "measures",
            "One row per numbered provision of a document (measures, safeguards, goals, ...).",
            (
                C("measure_id", STR, "Stable id: doc_id, kind, number and (for a repeated label) its occurrence."),
                C("doc_id", STR, "The document."),
                C("seq", INT, "Order within the document, from 1."),
                C(
                    "kind",
                    STR,
                    "measure (a task of the plan's main part), safeguard (保障/组织实施 items), goal (目标 parts), principle (指导思想/总体要求).",
                ),
                C("number", INT, "The provision's own number as written, Chinese numerals converted: (三十一) → 31."),
                Column(
                    "label",
                    STR,
                    "The number as written in the normalized text, e.g. （4）, 43., （七）; empty for a paragraph the plan "
                    "presents as a measure without numbering it (it ends in a responsibility annotation; number counts them).",
                    contract=True,
                    may_be_empty=True,
                ),
                C("section_path", pa.list_(STR), "The headings above the provision, outermost first."),
                C("title", STR, "Its heading: the text up to the first 。, or the heading line when it stands alone."),
                C("text", STR, "Its whole normalized text, without the responsibility annotation."),
                C("cluster_id", STR, "Measures with the same value say the same thing, within or across documents (see measure_clusters)."),
                X(
                    "duplicate_of",
                    STR,
                    "When the document is a copy: the measure_id of the corresponding provision of the kept copy.",
                    nullable=True,
                ),
                X("repeated_text_removed", pa.bool_(), "True when a sentence repeated word for word was removed from `text`."),
                X("char_start", INT, "Offset of `text` in the document's normalized text (document_texts.text)."),
                X("char_end", INT, "End offset (exclusive) of `text` in the document's normalized text."),
                X(
                    "responsibility_text",
                    STR,
                    "The responsibility annotation as written (bracketed, or own-line fields), removed from `text`.",
                    nullable=True,
                ),
                X(
                    "section_responsibility_text",
                    STR,
                    "Responsibility fields written once for the provision's whole section.",
                    nullable=True,
                ),
                X("page_start", INT, "PDF page (from 1) where the provision's text starts.", nullable=True),
                X("page_end", INT, "PDF page where the provision's text ends.", nullable=True),
                X(
                    "table_number",
                    INT,
                    "The task table (from 1, in document order) the provision was read from: one row, one measure.",
                    nullable=True,
                ),
                X("table_row", INT, "Its row in that table as the file has it (the header row is 1).", nullable=True),
                X(
                    "deadline_text",
                    STR,
                    "Deadline stated with the responsibility annotation (…，6月底完成; 完成时限：…), as written.",
                    nullable=True,
                ),
                X(
                    "supervisors",
                    STR,
                    "Supervising leaders (督办领导) named for the provision's section, people not units, joined with 、.",
                    nullable=True,
                ),
            ),
            primary_key=("measure_id",),
            foreign_keys=(("doc_id", "documents", "doc_id"),),
        ),
        Table(
            "units",
            "One row per distinct responsible body in a region.",
            (
                C("unit_id", STR, "Stable id: a hash of the region and the name (the same name in two regions is two units)."),
                C(
                    "name",
                    STR,
                    "The body's name as written, completed with the level prefix or shared suffix it takes from its neighbours.",
                ),
                X("region", STR, "Region of the documents that name it (documents.region).", nullable=True),
                X(
                    "unit_type",
                    STR,
                    "government_department, party_organ, court_or_procuratorate, peoples_government, "
                    "development_zone_committee, state_enterprise, financial_institution_or_regulator, collective.",
                ),
                X(
                    "function",
                    STR,
                    "What the body does, comparable across regions (market_regulation, tax, development_reform, ...): "
                    "see assets/catalog/data/unit_functions.csv.",
                    nullable=True,
                ),
            ),
            primary_key=("unit_id",),
        ),
        Table(
            "measure_units",
            "Who is responsible for what: one row per measure, unit and role.",
            (
                C("measure_id", STR, "The measure."),
                C("unit_id", STR, "The body."),
                C("role", STR, "lead (牵头单位, 总牵头单位), cooperating (配合单位, 协办单位), responsible (责任单位)."),
                X("source", STR, "measure: from the provision's own annotation; section: from a block written once for its section."),
            ),
            primary_key=("measure_id", "unit_id", "role"),
            foreign_keys=(("measure_id", "measures", "measure_id"), ("unit_id", "units", "unit_id")),
        ),
        Table(
            "targets",
            "One row per quantitative target (a numeric promise) of a measure or goal.",
            (
                C("target_id", STR, "Stable id: the measure's id and the target's order within it."),
                C("measure_id", STR, "The provision it belongs to."),
                C("value", DBL, "The number, multipliers applied: 26万户 → 260000, 1亿元 → 100000000."),
                C("value_max", DBL, "Upper end of a range (30-60个工作日 → value 30, value_max 60).", nullable=True),
                C(
                    "unit",
                    STR,
                    "工作日, 日 (for 日 and 天), 小时, 分钟, 月, 年, %, 百分点, 元, 平方米, or the counted noun (个, 家, 户, 套, 项, 次, ...).",
                ),
                C("comparator", STR, "<= (以内, 不超过, 压缩至), >= (以上, 不低于, 达到), = , ~ (左右), range."),
                C("baseline", DBL, "The starting value in 由/从 X 缩短至 Y.", nullable=True),
                C("year", INT, "The year by which it is due, when the text says.", nullable=True),
                C(
                    "metric",
                    STR,
                    "What is measured, as a noun phrase without the promise's verbs, values or times, e.g. 企业开办时间, "
                    "低压居民办电时间, 全程网办率, 园位数量.",
                ),
                C(
                    "scope",
                    STR,
                    "Whom or what the value applies to when the text says, e.g. 高压双电源, 社会投资小型低风险项目.",
                    nullable=True,
                ),
                C("text", STR, "The exact span of the normalized text the target was read from."),
                X(
                    "year_inferred",
                    INT,
                    "When `year` is null: the year it is due by as inferred from the plan's period (its title) "
                    "or its goal section; never copied into `year`.",
                    nullable=True,
                ),
                X("year_inferred_from", STR, "plan_period or goal_section: where year_inferred comes from.", nullable=True),
                X("doc_id", STR, "The document."),
                X("char_start", INT, "Offset of `text` in the document's normalized text (document_texts.text)."),
                X("char_end", INT, "End offset (exclusive) of `text` in the document's normalized text."),
                X(
                    "indicator_code",
                    STR,
                    "The indicator the target measures: its comparable metric's, else the one its metric phrase names, "
                    "else its measure's primary indicator (see indicators).",
                ),
                X(
                    "metric_code",
                    STR,
                    "The comparable metric it states (see comparable_metrics and the view comparable_targets), when it is one.",
                    nullable=True,
                ),
            ),
            primary_key=("target_id",),
            foreign_keys=(
                ("measure_id", "measures", "measure_id"),
                ("doc_id", "documents", "doc_id"),
                ("indicator_code", "indicators", "code"),
                ("metric_code", "comparable_metrics", "metric_code"),
            ),
        ),
        Table(
            "indicators",
            "The indicators of China's business-environment evaluation system that measures are tagged with "
            "(from assets/catalog/data/indicators.csv), plus other.",
            (
                X("code", STR, "Indicator code, e.g. starting_business, getting_electricity, other."),
                X("name_zh", STR, "Chinese name as used by the evaluation system, e.g. 开办企业."),
                X("name_en", STR, "English name, e.g. Starting a business."),
                X("scope", STR, "What counts as this indicator when measures are tagged."),
            ),
            primary_key=("code",),
        ),
        Table(
            "measure_indicators",
            "Which indicators each provision is about: one row per provision and indicator, with the keywords "
            "that matched (rules in assets/catalog/data/indicator_keywords.csv).",
            (
                X("measure_id", STR, "The provision."),
                X("indicator_code", STR, "The indicator (other when no indicator's keywords reach the threshold)."),
                X("score", DBL, "Keyword weights summed: 3× in the title, 1× in the text, ½× as one item of an enumeration."),
                X("is_primary", pa.bool_(), "True for the provision's highest-scoring indicator (exactly one per provision)."),
                X("evidence", STR, "Where each keyword was found: title:企业开办; text:营业执照; text:政府采购(list)."),
            ),
            primary_key=("measure_id", "indicator_code"),
            foreign_keys=(("measure_id", "measures", "measure_id"), ("indicator_code", "indicators", "code")),
        ),
        Table(
            "comparable_metrics",
            "Metrics that mean the same in every plan, so targets can be compared across regions "
            "(from assets/catalog/data/comparable_metrics.csv).",
            (
                X("metric_code", STR, "Metric code, e.g. business_registration_time."),
                X("name_zh", STR, "Chinese name, e.g. 企业开办时间."),
                X("name_en", STR, "English name, e.g. Time to start a business."),
                X("unit", STR, "The unit every target of this metric is converted to in comparable_targets."),
                X("indicator_code", STR, "The indicator the metric belongs to."),
            ),
            primary_key=("metric_code",),
            foreign_keys=(("indicator_code", "indicators", "code"),),
        ),
        Table(
            "unit_conversions",
            "Factors that bring a target's value to its comparable metric's unit (value × factor).",
            (
                X("from_unit", STR, "Unit as published in targets.unit."),
                X("to_unit", STR, "Unit of the comparable metric."),
                X("factor", DBL, "Multiply by this."),
                X("note", STR, "The assumption behind the factor, when there is one.", nullable=True),
            ),
            primary_key=("from_unit", "to_unit"),
        ),
        Table(
            "measure_clusters",
            "Which measures say the same thing: one row per measure, with its similarity to the cluster's representative.",
            (
                X("cluster_id", STR, "The cluster (c- and its representative's measure_id)."),
                X("measure_id", STR, "The member."),
                X(
                    "is_representative",
                    pa.bool_(),
                    "The member the cluster is named after: from a kept document, earliest path, first in it.",
                ),
                X(
                    "similarity",
                    DBL,
                    "Jaccard similarity (0..1) of the member's character 3-grams (numbers masked) to the representative's.",
                ),
            ),
            primary_key=("measure_id",),
            foreign_keys=(("measure_id", "measures", "measure_id"),),
        ),
        Table(
            "measure_tokens",
            "The search index: each provision's text and responsibility annotation segmented by jieba in search "
            "mode (assets/domain/extracting/segmentation.py, with a user dictionary of the project's vocabularies), one row "
            "per provision and distinct token. The DuckDB macro search_measures(query) ranks provisions by BM25 "
            "over it (docs/search.md).",
            (
                X("measure_id", STR, "The provision."),
                X(
                    "token",
                    STR,
                    "A word, or a dictionary word inside a longer one (企业开办 → 企业, 开办, 企业开办), lower-cased; "
                    "punctuation and spaces are not tokens.",
                ),
                X("tf", INT, "Times the token occurs in the provision (search mode)."),
                X(
                    "word_tf",
                    INT,
                    "Times it occurs as a whole word of the text (precise mode); 0 when only inside longer words or only "
                    "in the responsibility annotation.",
                ),
            ),
            primary_key=("measure_id", "token"),
            foreign_keys=(("measure_id", "measures", "measure_id"),),
        ),
        Table(
            "measure_keywords",
            "The words that characterise each provision: jieba's TF-IDF over measure_tokens' whole words, "
            "with the inverse document frequency computed from this corpus (provisions of unique documents), "
            "the top few per provision. The view related_measures compares provisions by them.",
            (
                X("measure_id", STR, "The provision."),
                X(
                    "keyword",
                    STR,
                    "A whole word of two characters or more, not a number, not in assets/catalog/data/keyword_stopwords.csv.",
                ),
                X("weight", DBL, "Its TF-IDF: occurrences / the provision's words × ln(provisions / provisions that use it), 4 decimals."),
                X("rank", INT, "1 for the provision's heaviest keyword, then 2, …; ties by keyword."),
            ),
            primary_key=("measure_id", "keyword"),
            foreign_keys=(("measure_id", "measures", "measure_id"),),
        ),
        Table(
            "quarantine",
            "Raw files that could not be published, with the reason.",
            (
                C("source_file", STR, "Path relative to RAW_DIR."),
                C("sha256", STR, "Hex SHA-256 of its bytes, when they could be read.", nullable=True),
                C(
                    "stage",
                    STR,
                    "Where it failed: inventory (a format not read, an unreadable file), manifest, read (a scan, a password, "
                    "a damaged file), decode, normalize, outline.",
                ),
                C("reason", STR, "What is wrong, in words a person understands."),
            ),
        ),
        Table(
            "parse_warnings",
            "Things the parser noticed but published anyway (numbering gaps, repeated labels, manifest issues, "
            "a region the text does not say).",
            (
                X("source_file", STR, "Path relative to RAW_DIR."),
                X("doc_id", STR, "The document, when it was published.", nullable=True),
                X("stage", STR, "Where it was noticed."),
                X("message", STR, "What was noticed."),
            ),
        ),
    )
}
