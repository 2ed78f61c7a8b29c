"""Analyst questions with their SQL, and docs/queries.md generated from running them on a build.

    python -m pipelines.queries            # rewrite docs/queries.md from WAREHOUSE_DIR's DuckDB file
    python -m pipelines.queries --check    # exit 1 when docs/queries.md differs from what the build gives
    python -m pipelines.queries --run 3    # print the answer to question 3

Every query orders its rows completely, so the document is the same on every run of the same inputs.
"""

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assets.publishing.warehouse import DB_NAME

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "queries.md"
MAX_ROWS = 15  # rows shown per answer in the document (the query itself has no limit unless it says so)


@dataclass(frozen=True)
class Question:
    title: str
    why: str
    sql: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "Which districts promise the fastest business registration?",
        "企业开办时间 across plans, in working days (a promise in hours is converted at 8 hours a day).",
        """SELECT region, value AS working_days, comparator, year AS due_year, text
FROM comparable_targets
WHERE metric_code = 'business_registration_time'
ORDER BY value, region, due_year NULLS LAST, text;""",
    ),
    Question(
        "What is the median business registration promise per province?",
        "企业开办时间 in working days, per province-level division of the issuing region (documents.province).",
        """SELECT province, count(*) AS targets, count(DISTINCT doc_id) AS plans,
       median(value) AS median_working_days, min(value) AS fastest
FROM comparable_targets
WHERE metric_code = 'business_registration_time'
GROUP BY province
ORDER BY median_working_days, province;""",
    ),
    Question(
        "How do plans of provinces, prefectures and counties differ?",
        "Plans, measures and targets per level of the issuing division (documents.admin_level).",
        """SELECT admin_level, sum(plans) AS plans, sum(measures) AS measures,
       round(sum(measures) / sum(plans), 1) AS measures_per_plan,
       round(sum(targets) / sum(plans), 1) AS targets_per_plan
FROM plans_by_province
GROUP BY admin_level
ORDER BY plans DESC, admin_level;""",
    ),
    Question(
        "Where do the plans come from?",
        "Unique plans per province and level, with the issuing divisions (view plans_by_province).",
        """SELECT province, admin_level, plans, measures, targets, region_names
FROM plans_by_province
ORDER BY province, admin_level;""",
    ),
    Question(
        "How many measures concern getting electricity, and who leads them?",
        "A measure can concern several indicators; `indicator_codes` lists them all.",
        """SELECT region, title, lead_units
FROM measures_overview
WHERE kind = 'measure' AND list_contains(indicator_codes, 'getting_electricity')
ORDER BY region, seq;""",
    ),
    Question(
        "What share of targets are time limits?",
        "Targets counted once (copies of a document left out), grouped by what their unit measures.",
        """SELECT CASE WHEN unit IN ('工作日', '日', '小时', '分钟', '月', '年') THEN 'time limit'
            WHEN unit IN ('%', '百分点') THEN 'share or rate'
            WHEN unit = '元' THEN 'money'
            ELSE 'count' END AS kind_of_target,
       count(*) AS targets,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent
FROM unique_targets
GROUP BY kind_of_target
ORDER BY targets DESC, kind_of_target;""",
    ),
    Question(
        "Which indicators do the plans spend their measures on?",
        "Provisions of kind measure per indicator, all plans together; `plans` is how many plans have at least one.",
        """SELECT indicator_code, name_zh, sum(measures) AS measures, count(*) FILTER (WHERE measures > 0) AS plans
FROM indicator_summary
GROUP BY indicator_code, name_zh
ORDER BY measures DESC, indicator_code;""",
    ),
    Question(
        "Which units lead the most measures?",
        "Units are per region: 市场监管局 of two districts are two units.",
        """SELECT name, region, function, measures_led, measures_cooperating
FROM unit_workload
ORDER BY measures_led DESC, measures_cooperating DESC, name, region
LIMIT 10;""",
    ),
    Question(
        "Which kinds of departments carry the work?",
        "units.function makes departments comparable across regions (发改委, 发展改革局 → development_reform).",
        """SELECT function, units, regions, measures_led, measures_cooperating, measures_responsible
FROM function_workload
ORDER BY measures_led + measures_cooperating + measures_responsible DESC, function;""",
    ),
    Question(
        "How far do plans promise to take online government services?",
        "全程网办率 and 网上可办率 by region and due year; `scope` says which services a share is of when the plan says.",
        """SELECT metric_name_zh, region, scope, year AS due_year, comparator, value AS percent
FROM comparable_targets
WHERE metric_code IN ('full_online_service_rate', 'online_service_rate')
ORDER BY metric_name_zh, region, scope NULLS FIRST, due_year NULLS LAST, value;""",
    ),
    Question(
        "How long may a construction project's approval take?",
        "工程建设项目审批时间 promises in working days, per class of project (`scope`: compare like with like); a range "
        "keeps its upper end in `value_max`.",
        """SELECT region, scope, value AS working_days, value_max, comparator, year AS due_year, metric
FROM comparable_targets
WHERE metric_code = 'construction_approval_time'
ORDER BY region, scope NULLS FIRST, value, due_year NULLS LAST, metric;""",
    ),
    Question(
        "By when are targets due?",
        "Per due year: targets whose text states it (`year`), targets whose year is inferred from the plan's period or "
        "goal section (`year_inferred`, never mixed into `year`), and plans; `(none)` where neither is known.",
        """SELECT coalesce(CAST(due_year AS VARCHAR), '(none)') AS due_year,
       count(*) FILTER (WHERE year IS NOT NULL) AS stated,
       count(*) FILTER (WHERE year IS NULL AND year_inferred IS NOT NULL) AS inferred,
       count(*) AS targets, count(DISTINCT doc_id) AS plans
FROM targets_overview
GROUP BY ALL
ORDER BY due_year;""",
    ),
    Question(
        "How many measures name a lead unit, per plan?",
        "Measures with no lead may still name responsible units (责任单位) when a plan does not distinguish roles.",
        """SELECT region, document_title,
       count(*) AS measures,
       count(*) FILTER (WHERE len(lead_units) > 0) AS with_lead,
       count(*) FILTER (WHERE len(lead_units) = 0 AND len(responsible_units) > 0) AS only_responsible,
       count(*) FILTER (WHERE len(lead_units) + len(cooperating_units) + len(responsible_units) = 0) AS no_unit
FROM measures_overview
WHERE kind = 'measure'
GROUP BY region, document_title
ORDER BY region, document_title;""",
    ),
    Question(
        "Which plans set the most quantitative targets?",
        "Targets per plan and the share of its measures that carry at least one.",
        """SELECT region, document_title,
       sum(target_count) AS targets,
       round(100.0 * count(*) FILTER (WHERE target_count > 0) / count(*), 1) AS percent_of_measures_with_target
FROM measures_overview
WHERE kind = 'measure'
GROUP BY region, document_title
ORDER BY targets DESC, region, document_title;""",
    ),
    Question(
        "How much faster do plans promise to become than today?",
        "Targets written as a cut from a stated baseline (由 X 压缩至 Y): the promised reduction.",
        """SELECT d.region, t.metric, t.baseline, t.value, t.unit,
       round(100.0 * (t.baseline - t.value) / t.baseline, 1) AS percent_cut
FROM unique_targets t JOIN documents d USING (doc_id)
WHERE t.baseline IS NOT NULL AND t.baseline > t.value
ORDER BY percent_cut DESC, d.region, t.target_id;""",
    ),
    Question(
        "Which plans say anything about 容缺受理, and where?",
        "Full-text search over every provision's whole text (jieba-segmented, BM25-ranked: docs/search.md); "
        "`search_measures` is a table macro of the DuckDB file.",
        """SELECT region, label, title, score
FROM search_measures('容缺受理')
ORDER BY score DESC, measure_id;""",
    ),
    Question(
        "Which measures of other plans resemble a plan's measures on business registration?",
        "related_measures compares measures by their TF-IDF keywords (measure_keywords), beyond exact copies.",
        """SELECT o.region, o.title, r.similarity, t.region AS related_region, t.title AS related_title, r.shared_keywords
FROM related_measures r
JOIN measures_overview o USING (measure_id)
JOIN measures_overview t ON t.measure_id = r.related_measure_id
WHERE r.rank = 1 AND o.primary_indicator = 'starting_business'
ORDER BY r.similarity DESC, o.region, o.title;""",
    ),
    Question(
        "What does each plan promise for getting electricity, and for whom?",
        "targets_overview holds every target with its plan, indicator, metric and scope: here the promises of measures "
        "about getting electricity, per customer class where the plan names one.",
        """SELECT region, metric, scope, comparator, value, unit, due_year
FROM targets_overview
WHERE indicator_code = 'getting_electricity'
ORDER BY region, scope NULLS FIRST, value, metric;""",
    ),
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value)
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "…"


def answer(con: duckdb.DuckDBPyConnection, question: Question) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(question.sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def render(db_path: Path) -> str:
    """docs/queries.md for the DuckDB file at `db_path`."""
    lines = [
        "# Questions analysts ask, answered with SQL",
        "",
        "Generated by `python -m pipelines.queries` from the build of the bundled `raw/` (`make build`); a test re-runs every",
        "query and fails when this file is out of date. The tables and views are documented in the DuckDB file itself",
        "(`SELECT table_name, column_name, comment FROM duckdb_columns()`) and in each release's `README.md`.",
        "",
        "Run a query from the DuckDB CLI:",
        "",
        "```sh",
        "duckdb -readonly warehouse/policy_measures.duckdb \"SELECT region, value FROM comparable_targets WHERE metric_code = 'business_registration_time'\"",
        "```",
        "",
        "or from Python (the project's virtual environment has `duckdb` and `pandas`):",
        "",
        "```python",
        "import duckdb",
        "con = duckdb.connect('warehouse/policy_measures.duckdb', read_only=True)",
        'con.sql("SELECT * FROM measures_overview LIMIT 5").df()',
        "```",
        "",
        "or print any answer below with `.venv/bin/python -m pipelines.queries --run N`.",
        "",
    ]
    with duckdb.connect(str(db_path), read_only=True) as con:
        for n, question in enumerate(QUESTIONS, start=1):
            columns, rows = answer(con, question)
            lines += [f"## {n}. {question.title}", "", question.why, "", "```sql", question.sql, "```", ""]
            lines.append("| " + " | ".join(columns) + " |")
            lines.append("|" + "---|" * len(columns))
            for row in rows[:MAX_ROWS]:
                lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
            more = len(rows) - MAX_ROWS
            lines += ["", f"_{len(rows)} rows{f', first {MAX_ROWS} shown' if more > 0 else ''}._", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with docs/queries.md instead of writing it")
    parser.add_argument("--run", type=int, metavar="N", help="print the answer to question N")
    args = parser.parse_args(argv)
    db = Path(os.environ.get("WAREHOUSE_DIR", ROOT / "warehouse")) / DB_NAME
    if not db.exists():
        print(f"{db}: no DuckDB file; run `make build` first", file=sys.stderr)
        return 1
    if args.run:
        if not 1 <= args.run <= len(QUESTIONS):
            print(f"there are questions 1 to {len(QUESTIONS)}", file=sys.stderr)
            return 1
        with duckdb.connect(str(db), read_only=True) as con:
            print(con.sql(QUESTIONS[args.run - 1].sql))
        return 0
    text = render(db)
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is out of date: run `python -m pipelines.queries`", file=sys.stderr)
            return 1
        print(f"{DOC} matches the build")
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC} ({len(QUESTIONS)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
