"""`index.html` of a release: downloads first, then a searchable, paged table of every provision, the plans, charts and
the changelog; one self-contained file (CSS, JavaScript and charts inline, no CDN) that works opened from the release
folder, from 360 px wide phones to desktops.

The page is the Jinja2 template `templates/release_page.html`, rendered with autoescaping: every string from the documents
is HTML-escaped. The data the page's script reads (provisions, search tokens) is JSON in `<script type="application/json">`
with `<`, `>` and `&` escaped (no `</script>` breakout), and is put on the page with textContent only. The search tokens
are the build's `measure_tokens`, so the page finds what `search_measures` finds, in the same order.
"""

import json
from functools import lru_cache
from pathlib import Path

import duckdb
from jinja2 import Environment

from assets.catalog.schema import SCHEMA_VERSION
from assets.publishing.templating import environment
from assets.publishing.views import BM25_B, BM25_K1

HEATMAP_MAX_PLANS = 30  # more plans than this: the heatmap shows those with the most measures
PAGE_SIZE = 20  # provisions per page of the measures table
RELATED_SHOWN = 3  # related measures of other plans listed under a provision
MAIN_DOWNLOADS = ("policy_measures.duckdb", "README.md", "datapackage.json", "csv/measures.csv", "csv/targets.csv", "data/measures.parquet")
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}
SYMBOLS = {"<=": "≤", ">=": "≥", "~": "≈", "=": "", "range": ""}


@lru_cache(maxsize=None)
def _environment() -> Environment:
    env = environment()
    env.filters["script_json"] = script_json
    env.filters["human_size"] = human_size
    return env


def script_json(data) -> str:
    """JSON safe inside a `<script>` element: `<`, `>` and `&` escaped, so no text can close the element."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _number(value: float) -> str:
    return f"{value:g}"


def promise(target: dict) -> str:
    """`≤ 0.5 工作日`, `30–60 工作日`: a target's comparator, value (or range) and unit for display."""
    value = _number(target["value"]) + (f"–{_number(target['value_max'])}" if target.get("value_max") is not None else "")
    return f"{SYMBOLS.get(target['comparator'], target['comparator'])} {value} {target['unit']}".strip()


def target_label(target: dict) -> str:
    """`企业开办时间 ≤ 0.5 工作日 (2022) · 低压居民`: what is measured, the promise, its due year and whom it is for."""
    due = f" ({target['year']})" if target.get("year") else ""
    scope = f" · {target['scope']}" if target.get("scope") else ""
    return f"{target['metric']} {promise(target)}{due}{scope}"


# ---------------------------------------------------------------------------------------------- charts' data


def indicator_totals(rows: list[dict]) -> list[dict]:
    """Provisions of kind measure per indicator, all plans together, most first (other last), with bar widths in %."""
    totals: dict[tuple[str, str, str], int] = {}
    for r in rows:
        key = (r["indicator_code"], r["name_zh"], r["name_en"])
        totals[key] = totals.get(key, 0) + r["measures"]
    items = sorted(totals.items(), key=lambda kv: (kv[0][0] == "other", -kv[1], kv[0][0]))
    top = max((v for _, v in items), default=1)
    return [{"code": code, "name_zh": zh, "name_en": en, "measures": v, "width": round(100 * v / top, 1)} for (code, zh, en), v in items]


def heatmap(rows: list[dict], plans: list[dict]) -> dict:
    """Plans × indicators: measures of each plan per indicator, with a shade from 0 to 1 (the plans with the most measures)."""
    chosen = sorted(plans, key=lambda p: (-p["measures"], p["doc_id"]))[:HEATMAP_MAX_PLANS]
    chosen.sort(key=lambda p: (p["region"] or "", p["title"]))
    indicators = [i for i in indicator_totals(rows)]
    counts = {(r["doc_id"], r["indicator_code"]): r["measures"] for r in rows}
    top = max(counts.values(), default=1)
    return {
        "indicators": indicators,
        "plans_total": len(plans),
        "shown": len(chosen),
        "rows": [
            {
                "plan": p,
                "cells": [
                    {"value": counts.get((p["doc_id"], i["code"]), 0), "shade": round(counts.get((p["doc_id"], i["code"]), 0) / top, 2)}
                    for i in indicators
                ],
            }
            for p in chosen
        ],
    }


def comparable_groups(rows: list[dict]) -> list[dict]:
    """One bar chart per comparable metric and scope (a value for 低压居民 is not compared with one for 高压双电源)."""
    by_metric: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        by_metric.setdefault((r["metric_code"], r.get("scope") or ""), []).append(r)
    order = sorted(by_metric, key=lambda key: (key[0] != "business_registration_time", key[0], key[1] != "", -len(by_metric[key]), key[1]))
    groups = []
    for code, scope in order:
        items = sorted(by_metric[(code, scope)], key=lambda r: (r["region"] or "", -(r["year"] or 0), r["value"]))
        top = max(r["value"] for r in items) or 1
        groups.append(
            {
                "code": code,
                "scope": scope,
                "name_zh": items[0]["metric_name_zh"],
                "name_en": items[0]["metric_name_en"],
                "unit": items[0]["unit"],
                "bars": [
                    {
                        "label": " · ".join(str(p) for p in (r["region"] or "?", scope, r["year"]) if p),
                        "promise": promise(r),
                        "text": r["text"],
                        "width": round(max(1.0, 100 * r["value"] / top), 1),
                    }
                    for r in items
                ],
            }
        )
    return groups


def plan_groups(plans: list[dict]) -> list[dict]:
    """The documents table: plans by province (plans the text does not place last), then level and region."""
    groups: dict[str, list[dict]] = {}
    for p in plans:
        groups.setdefault(p["province"] or "", []).append(p)
    return [
        {
            "province": province or "Not placed (the text does not say where it was issued)",
            "plans": sorted(groups[province], key=lambda p: (LEVEL_ORDER.get(p["admin_level"], 3), p["region"] or "", p["title"])),
        }
        for province in sorted(groups, key=lambda name: (name == "", name))
    ]


def source_link(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


# ---------------------------------------------------------------------------------------------- the measures' data


def measures_data(con: duckdb.DuckDBPyConnection) -> dict:
    """What the measures table's script reads: one compact row per provision of a unique document, the search
    vocabulary, and the BM25 constants of `search_measures`."""
    targets: dict[str, list[str]] = {}
    for t in _rows(
        con, "SELECT measure_id, metric, scope, comparator, value, value_max, unit, year FROM unique_targets ORDER BY target_id"
    ):
        targets.setdefault(t["measure_id"], []).append(target_label(t))
    keywords: dict[str, list[str]] = {}
    for k in _rows(con, "SELECT measure_id, keyword FROM measure_keywords ORDER BY measure_id, rank"):
        keywords.setdefault(k["measure_id"], []).append(k["keyword"])
    rows = _rows(
        con,
        """
        SELECT o.measure_id, o.doc_id, o.region, o.province, o.admin_level, o.document_title, o.kind, o.label, o.title, o.text,
               o.indicator_codes, o.lead_units, o.cooperating_units, o.responsible_units,
               NOT EXISTS (SELECT 1 FROM measure_units mu JOIN measures m2 USING (measure_id) WHERE m2.doc_id = o.doc_id) AS plan_names_no_units
        FROM measures_overview o ORDER BY o.doc_id, o.seq""",
    )
    position = {r["measure_id"]: n for n, r in enumerate(rows)}
    related: dict[str, list[int]] = {}
    for r in _rows(
        con, f"SELECT measure_id, related_measure_id FROM related_measures WHERE rank <= {RELATED_SHOWN} ORDER BY measure_id, rank"
    ):
        if r["related_measure_id"] in position:
            related.setdefault(r["measure_id"], []).append(position[r["related_measure_id"]])
    vocabulary: dict[str, int] = {}
    tokens: dict[str, list[int]] = {}
    for t in _rows(
        con, "SELECT measure_id, token, tf FROM measure_tokens SEMI JOIN unique_measures USING (measure_id) ORDER BY measure_id, token"
    ):
        tokens.setdefault(t["measure_id"], []).extend((vocabulary.setdefault(t["token"], len(vocabulary)), t["tf"]))
    return {
        "columns": [
            "measure_id",
            "region",
            "province",
            "level",
            "document",
            "kind",
            "label",
            "title",
            "text",
            "indicators",
            "lead",
            "cooperating",
            "targets",
            "keywords",
            "related",
            "tokens",
            "no_units",
        ],
        "rows": [
            [
                r["measure_id"],
                r["region"] or "",
                r["province"] or "",
                r["admin_level"] or "",
                r["document_title"],
                r["kind"],
                r["label"],
                r["title"],
                r["text"],
                list(r["indicator_codes"] or []),
                list(r["lead_units"]),
                list(r["cooperating_units"]) + list(r["responsible_units"]),
                targets.get(r["measure_id"], []),
                keywords.get(r["measure_id"], []),
                related.get(r["measure_id"], []),
                tokens.get(r["measure_id"], []),
                bool(r["plan_names_no_units"]),
            ]
            for r in rows
        ],
        "vocabulary": list(vocabulary),
        "bm25": {"k1": BM25_K1, "b": BM25_B},
        "page_size": PAGE_SIZE,
    }


# ---------------------------------------------------------------------------------------------- page


def downloads(folder: Path, sums: dict[str, str]) -> list[dict]:
    return [{"path": path, "size": (folder / path).stat().st_size, "sha256": digest} for path, digest in sorted(sums.items())]


def render_page(folder: Path, version: str, sums: dict[str, str], changelog: str, counts: dict[str, int]) -> str:
    """The page's HTML for the release folder `folder` (its DuckDB file is read for the figures)."""
    with duckdb.connect(str(folder / "policy_measures.duckdb"), read_only=True) as con:
        plans = _rows(
            con,
            """
            SELECT d.doc_id, d.title, d.region, d.admin_level, d.province, d.issue_date, d.source_file, d.source_url,
                   count(DISTINCT m.measure_id) FILTER (WHERE m.kind = 'measure') AS measures,
                   count(DISTINCT t.target_id) AS targets, count(DISTINCT mu.unit_id) AS units
            FROM unique_documents d
            LEFT JOIN measures m USING (doc_id)
            LEFT JOIN targets t ON t.measure_id = m.measure_id
            LEFT JOIN measure_units mu ON mu.measure_id = m.measure_id
            GROUP BY ALL ORDER BY d.region, d.title""",
        )
        summary = _rows(con, "SELECT doc_id, indicator_code, name_zh, name_en, measures FROM indicator_summary")
        comparable = _rows(con, "SELECT * FROM comparable_targets ORDER BY metric_code, scope NULLS FIRST, region, year, target_id")
        indicator_names = _rows(con, "SELECT code, name_zh, name_en FROM indicators ORDER BY code")
        data = measures_data(con)
    for p in plans:
        p["source_link"] = source_link(p["source_url"])
    files = downloads(folder, sums)
    main = [f for name in MAIN_DOWNLOADS for f in files if f["path"] == name]
    figures = [
        ("Documents", counts.get("unique_documents", len(plans))),
        ("Regions", len({p["region"] for p in plans if p["region"]})),
        ("Provisions", counts.get("unique_measures", 0)),
        ("Responsible units", counts.get("units", 0)),
        ("Targets", counts.get("targets", 0)),
        ("Comparable targets", len(comparable)),
    ]
    options = {
        "regions": sorted({p["region"] for p in plans if p["region"]}),
        "provinces": sorted({p["province"] for p in plans if p["province"]}),
        "levels": [level for level in LEVEL_ORDER if any(p["admin_level"] == level for p in plans)],
        "kinds": sorted({row[5] for row in data["rows"]}, key=lambda k: (k != "measure", k)),
    }
    return (
        _environment()
        .get_template("release_page.html")
        .render(
            version=version,
            schema=SCHEMA_VERSION,
            figures=figures,
            plan_groups=plan_groups(plans),
            plans_without_units=[p for p in plans if p["units"] == 0],
            indicator_totals=indicator_totals(summary),
            heatmap=heatmap(summary, plans),
            comparable=comparable_groups(comparable),
            indicators=indicator_names,
            options=options,
            main_downloads=main,
            files=files,
            archive=f"../{version}.tar.gz",
            changelog=changelog,
            data=data,
            names={i["code"]: i["name_zh"] for i in indicator_names},
        )
    )


def write_page(folder: Path, version: str, sums: dict[str, str], changelog: str, counts: dict[str, int]) -> Path:
    path = folder / "index.html"
    path.write_text(render_page(folder, version, sums, changelog, counts), encoding="utf-8")
    return path
