"""`index.html` of a release: what is inside, charts, a searchable table of measures, downloads, changelog.

One self-contained file (CSS, JavaScript and SVG charts inline, no CDN) that works opened from the
release folder. Every string from the documents is HTML-escaped; the measures table's data is
embedded as JSON with `<`, `>` and `&` escaped and is put on the page with textContent only.
"""
import html
import json
from pathlib import Path

import duckdb

from .schema import SCHEMA_VERSION

HEATMAP_MAX_PLANS = 30  # more plans than this: the heatmap shows those with the most measures
TEXT_PREVIEW = 160  # characters of a measure's text embedded in the page (the full text is in the data files)


def e(value) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _json_for_script(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _number(value: float) -> str:
    return f"{value:g}"


SYMBOLS = {"<=": "≤", ">=": "≥", "~": "≈", "=": "", "range": ""}


def _promise(target: dict) -> str:
    """`≤ 0.5 工作日`, `30–60 工作日`: a target's comparator, value (or range) and unit for display."""
    value = _number(target["value"]) + (f"–{_number(target['value_max'])}" if target.get("value_max") is not None else "")
    return f"{SYMBOLS.get(target['comparator'], target['comparator'])} {value} {target['unit']}".strip()


# ---------------------------------------------------------------------------------------------- charts


def indicator_bars(rows: list[dict]) -> str:
    """Horizontal bars: provisions of kind measure per indicator, all plans together."""
    totals = {}
    for r in rows:
        key = (r["indicator_code"], r["name_zh"], r["name_en"])
        totals[key] = totals.get(key, 0) + r["measures"]
    items = sorted(totals.items(), key=lambda kv: (kv[0][0] == "other", -kv[1], kv[0][0]))  # other last
    if not items:
        return "<p>No measures.</p>"
    top, bar_h, label_w, width = max(v for _, v in items), 22, 540, 1000
    height = bar_h * len(items) + 10
    parts = [f'<svg class="chart" id="chart-indicators" role="img" aria-label="Measures by indicator" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">']
    for n, ((code, zh, en), value) in enumerate(items):
        y = 5 + n * bar_h
        w = max(1.0, (width - label_w - 60) * value / top)
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{e(zh)} · {e(en)}</text>'
                     f'<rect class="bar" data-indicator="{e(code)}" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}">'
                     f'<title>{e(zh)}: {value}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def indicator_heatmap(rows: list[dict], plans: list[dict]) -> str:
    """Plans × indicators: how many measures of each plan concern each indicator (darker = more)."""
    if not plans:
        return ""
    chosen = sorted(plans, key=lambda p: (-p["measures"], p["doc_id"]))[:HEATMAP_MAX_PLANS]
    chosen.sort(key=lambda p: (p["region"] or "", p["title"]))
    totals: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r["indicator_code"], r["name_zh"])] = totals.get((r["indicator_code"], r["name_zh"]), 0) + r["measures"]
    codes = sorted(totals, key=lambda k: (k[0] == "other", -totals[k], k[0]))  # as in the bar chart: most measures first
    counts = {(r["doc_id"], r["indicator_code"]): r["measures"] for r in rows}
    top = max(counts.values(), default=1)
    cell, label_w, head_h = 26, 420, 150
    width, height = label_w + cell * len(codes) + 10, head_h + cell * len(chosen) + 10
    parts = [f'<svg class="chart" id="chart-heatmap" role="img" aria-label="Measures by indicator per plan" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">']
    for k, (code, zh) in enumerate(codes):
        x = label_w + k * cell + cell / 2
        short = zh if len(zh) <= 8 else zh[:7] + "…"
        parts.append(f'<text x="{x:.0f}" y="{head_h - 6}" transform="rotate(-60 {x:.0f} {head_h - 6})">{e(short)}<title>{e(zh)}</title></text>')
    for n, plan in enumerate(chosen):
        y = head_h + n * cell
        label = f"{plan['region'] or ''} {plan['title']}"
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{e(label if len(label) <= 30 else label[:29] + "…")}'
                     f'<title>{e(label)}</title></text>')
        for k, (code, zh) in enumerate(codes):
            value = counts.get((plan["doc_id"], code), 0)
            opacity = 0.06 if value == 0 else 0.2 + 0.8 * value / top
            parts.append(f'<rect class="cell" x="{label_w + k * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill-opacity="{opacity:.2f}"><title>{e(label)} · {e(zh)}: {value}</title></rect>')
            if value:
                parts.append(f'<text class="cell-label" x="{label_w + k * cell + (cell - 2) / 2:.0f}" y="{y + 17}" '
                             f'text-anchor="middle">{value}</text>')
    parts.append("</svg>")
    note = (f"<p class='note'>The {HEATMAP_MAX_PLANS} plans with the most measures of {len(plans)}.</p>"
            if len(plans) > HEATMAP_MAX_PLANS else "")
    return "".join(parts) + note


def comparable_charts(rows: list[dict]) -> str:
    """One small bar chart per comparable metric and scope (a value for 低压居民 is not compared with one for 高压双电源):
    the promised value in each region (latest due year first), each bar labelled with its region, scope and year."""
    by_metric: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        by_metric.setdefault((r["metric_code"], r.get("scope") or ""), []).append(r)
    order = sorted(by_metric, key=lambda key: (key[0] != "business_registration_time", key[0], key[1] != "", -len(by_metric[key]),
                                               key[1]))
    out = []
    for code, scope in order:
        items = sorted(by_metric[(code, scope)], key=lambda r: (r["region"] or "", -(r["year"] or 0), r["value"]))
        first = items[0]
        top = max(r["value"] for r in items) or 1
        bar_h, label_w, width = 22, 300, 760
        height = bar_h * len(items) + 10
        parts = [f'<figure class="metric"><figcaption>{e(first["metric_name_zh"])}{" · " + e(scope) if scope else ""} · '
                 f'{e(first["metric_name_en"])} ({e(first["unit"])})</figcaption>'
                 f'<svg class="chart" data-metric="{e(code)}" data-scope="{e(scope)}" role="img" '
                 f'aria-label="{e(first["metric_name_en"])}{" (" + e(scope) + ")" if scope else ""} by region" '
                 f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">']
        for n, r in enumerate(items):
            y = 5 + n * bar_h
            w = max(1.0, (width - label_w - 120) * r["value"] / top)
            label = " · ".join(str(part) for part in (r["region"] or "?", scope, r["year"]) if part)
            parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{e(label)}</text>'
                         f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}">'
                         f'<title>{e(r["text"])}</title></rect>'
                         f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{e(_promise(r))}</text>')
        parts.append("</svg></figure>")
        out.append("".join(parts))
    return "".join(out) or "<p>No comparable targets in this release.</p>"


# ---------------------------------------------------------------------------------------------- page


def measures_data(con: duckdb.DuckDBPyConnection) -> list[list]:
    """Compact rows for the measures table: region, document, label, title, preview, indicators, leads, cooperating, targets."""
    targets: dict[str, list[str]] = {}
    for t in _rows(con, "SELECT measure_id, comparator, value, value_max, unit, year FROM unique_targets ORDER BY target_id"):
        due = f" ({t['year']})" if t["year"] else ""
        targets.setdefault(t["measure_id"], []).append(_promise(t) + due)
    rows = _rows(con, "SELECT measure_id, region, document_title, label, title, text, indicator_codes, lead_units, "
                      "cooperating_units, responsible_units FROM measures_overview ORDER BY doc_id, seq")
    return [[r["region"] or "", r["document_title"], r["label"], r["title"],
             r["text"][:TEXT_PREVIEW] + ("…" if len(r["text"]) > TEXT_PREVIEW else ""),
             r["indicator_codes"] or [], r["lead_units"], (r["cooperating_units"] or []) + (r["responsible_units"] or []),
             targets.get(r["measure_id"], [])] for r in rows]


LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def plans_by_province(plans: list[dict]) -> str:
    """The documents table's rows: a heading row per province (plans the text does not place last), its plans by level
    and region; each links to the page it was downloaded from (an http(s) address, checked when sources.csv is read)."""
    groups: dict[str, list[dict]] = {}
    for p in plans:
        groups.setdefault(p["province"] or "", []).append(p)
    rows = []
    for province in sorted(groups, key=lambda name: (name == "", name)):
        members = sorted(groups[province], key=lambda p: (LEVEL_ORDER.get(p["admin_level"], 3), p["region"] or "", p["title"]))
        label = province or "Not placed (the text does not say where it was issued)"
        rows.append(f"<tr class='province'><th colspan='8'>{e(label)} · {len(members)} plan{'s' if len(members) != 1 else ''}</th></tr>")
        rows += [f"<tr><td>{e(p['region'])}</td><td>{e(p['title'])}</td><td>{e(p['admin_level'])}</td><td>{e(p['issue_date'])}</td>"
                 f"<td class='num'>{p['measures']}</td><td class='num'>{p['targets']}</td><td class='num'>{p['units']}</td>"
                 f"<td>{_source_link(p['source_url'])}</td></tr>" for p in members]
    return "".join(rows)


def _source_link(url: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return ""
    return f"<a class='source' href='{e(url)}' rel='noopener noreferrer nofollow'>source</a>"


def downloads(folder: Path, sums: dict[str, str]) -> list[dict]:
    return [{"path": path, "size": (folder / path).stat().st_size, "sha256": digest} for path, digest in sorted(sums.items())]


def render_page(folder: Path, version: str, sums: dict[str, str], changelog: str, counts: dict[str, int]) -> str:
    """The page's HTML for the release folder `folder` (its DuckDB file is read for the figures)."""
    with duckdb.connect(str(folder / "policy_measures.duckdb"), read_only=True) as con:
        plans = _rows(con, """
            SELECT d.doc_id, d.title, d.region, d.admin_level, d.province, d.issue_date, d.source_file, d.source_url,
                   count(DISTINCT m.measure_id) FILTER (WHERE m.kind = 'measure') AS measures,
                   count(DISTINCT t.target_id) AS targets, count(DISTINCT mu.unit_id) AS units
            FROM unique_documents d
            LEFT JOIN measures m USING (doc_id)
            LEFT JOIN targets t ON t.measure_id = m.measure_id
            LEFT JOIN measure_units mu ON mu.measure_id = m.measure_id
            GROUP BY ALL ORDER BY d.region, d.title""")
        summary = _rows(con, "SELECT doc_id, indicator_code, name_zh, name_en, measures FROM indicator_summary")
        comparable = _rows(con, "SELECT * FROM comparable_targets ORDER BY metric_code, scope NULLS FIRST, region, year, target_id")
        indicator_names = _rows(con, "SELECT code, name_zh, name_en FROM indicators ORDER BY code")
        data = measures_data(con)
    regions = sorted({p["region"] for p in plans if p["region"]})
    files = downloads(folder, sums)
    figures = [("Documents", counts.get("unique_documents", len(plans))), ("Regions", len(regions)),
               ("Provisions", counts.get("unique_measures", 0)), ("Responsible units", counts.get("units", 0)),
               ("Targets", counts.get("targets", 0)), ("Comparable targets", len(comparable))]
    plan_rows = plans_by_province(plans)
    file_rows = "".join(
        f"<tr><td><a class='download' href='{e(f['path'])}'>{e(f['path'])}</a></td><td class='num'>{_human_size(f['size'])}</td>"
        f"<td><code>{e(f['sha256'])}</code></td></tr>" for f in files)
    options = "".join(f"<option value='{e(i['code'])}'>{e(i['name_zh'])} · {e(i['name_en'])}</option>" for i in indicator_names)
    region_options = "".join(f"<option value='{e(r)}'>{e(r)}</option>" for r in regions)
    return PAGE.format(
        version=e(version), schema=e(SCHEMA_VERSION),
        figures="".join(f"<div class='figure'><span class='value'>{v:,}</span><span class='label'>{e(k)}</span></div>" for k, v in figures),
        plan_rows=plan_rows, indicator_chart=indicator_bars(summary), heatmap=indicator_heatmap(summary, plans),
        comparable=comparable_charts(comparable), indicator_options=options, region_options=region_options,
        file_rows=file_rows, changelog=e(changelog), data=_json_for_script(data),
        names=_json_for_script({i["code"]: i["name_zh"] for i in indicator_names}))


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>China local business-environment policy measures · release {version}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem; color: #1d2733; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }} h2 {{ margin-top: 2.2rem; border-bottom: 1px solid #d5dbe3; padding-bottom: .3rem; }}
.figures {{ display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }}
.figure {{ background: #f1f5f9; border-radius: 6px; padding: .6rem 1rem; min-width: 120px; }}
.figure .value {{ display: block; font-size: 1.5rem; font-weight: 600; }} .figure .label {{ color: #52606d; font-size: .85rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .88rem; }} th, td {{ border-bottom: 1px solid #e4e8ee; padding: .35rem .4rem; text-align: left; vertical-align: top; }}
th {{ background: #f7f9fb; }} tr.province th {{ background: #e6eef6; }} td.num {{ text-align: right; }} code {{ font-size: .75rem; word-break: break-all; }}
svg.chart text {{ font-size: 12px; fill: #1d2733; }} svg.chart rect.bar {{ fill: #2f6f9f; }} svg.chart rect.cell {{ fill: #2f6f9f; }}
svg.chart text.cell-label {{ font-size: 10px; fill: #0b1f33; }} figure.metric {{ margin: 1rem 0; }} figcaption {{ font-weight: 600; margin-bottom: .3rem; }}
.controls {{ display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; }} .controls input {{ flex: 1; min-width: 240px; padding: .4rem; }}
.tag {{ display: inline-block; background: #e6eef6; border-radius: 3px; padding: 0 .3rem; margin: 1px; font-size: .78rem; }}
.note {{ color: #52606d; font-size: .85rem; }} pre {{ background: #f7f9fb; padding: .8rem; white-space: pre-wrap; }}
</style>
</head>
<body>
<header>
<h1>China local business-environment policy measures</h1>
<p>Release <strong id="version">{version}</strong> · schema {schema}. Local action plans for 优化营商环境 (cities, prefectures,
counties, districts) turned into tables: every numbered measure, who leads and who cooperates, the quantitative targets
(<em>企业开办时间压缩至0.5个工作日</em>), and the indicators of China's business-environment evaluation system each measure is about.
Copies of the same document are counted once. This page works offline; everything it shows is in the files below.</p>
<div class="figures">{figures}</div>
</header>

<section id="documents">
<h2>Documents</h2>
<p class="note">By province; each plan's region is the official name of the division that issued it (table <code>regions</code>,
GB/T 2260 codes), and <em>source</em> opens the page it was downloaded from.</p>
<table><thead><tr><th>Region</th><th>Title</th><th>Level</th><th>Issued</th><th>Measures</th><th>Targets</th><th>Units</th><th>Source</th></tr></thead>
<tbody>{plan_rows}</tbody></table>
</section>

<section id="indicators">
<h2>Measures by indicator</h2>
<p class="note">Provisions of kind <em>measure</em> tagged with each indicator (one measure can concern several), by the keyword rules
published with the data (tables <code>indicators</code> and <code>measure_indicators</code>, with the matching evidence).</p>
{indicator_chart}
<h3>Per plan</h3>
{heatmap}
</section>

<section id="comparable">
<h2>Comparable targets across regions</h2>
<p class="note">Targets that state the same metric, converted to one unit (view <code>comparable_targets</code>); hover a bar for the sentence.</p>
{comparable}
</section>

<section id="measures">
<h2>Measures</h2>
<div class="controls">
<input id="search" type="search" placeholder="Search titles, text, units, targets… (e.g. 企业开办, 市场监管局)" aria-label="Search measures">
<select id="indicator-filter" aria-label="Filter by indicator"><option value="">All indicators</option>{indicator_options}</select>
<select id="region-filter" aria-label="Filter by region"><option value="">All regions</option>{region_options}</select>
</div>
<p class="note" id="match-count"></p>
<table id="measures-table"><thead><tr><th>Region</th><th>No.</th><th>Measure</th><th>Indicators</th><th>Lead</th><th>Cooperating</th><th>Targets</th></tr></thead>
<tbody></tbody></table>
</section>

<section id="downloads">
<h2>Downloads</h2>
<p class="note">Check a download with <code>sha256sum -c SHA256SUMS</code> in the release folder. Tables come as Parquet (<code>data/</code>),
CSV with BOM (<code>csv/</code>) and one DuckDB file with documented views; <code>README.md</code> is the data dictionary.</p>
<table><thead><tr><th>File</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>{file_rows}</tbody></table>
</section>

<section id="changelog">
<h2>Changelog</h2>
<pre>{changelog}</pre>
</section>

<script type="application/json" id="measures-data">{data}</script>
<script type="application/json" id="indicator-names">{names}</script>
<script>
(function () {{
  "use strict";
  var rows = JSON.parse(document.getElementById("measures-data").textContent);
  var names = JSON.parse(document.getElementById("indicator-names").textContent);
  var body = document.querySelector("#measures-table tbody");
  var search = document.getElementById("search");
  var indicator = document.getElementById("indicator-filter");
  var region = document.getElementById("region-filter");
  var count = document.getElementById("match-count");
  var LIMIT = 300;
  var haystacks = rows.map(function (r) {{
    return [r[0], r[1], r[2], r[3], r[4], r[6].join(" "), r[7].join(" "), r[8].join(" ")].join(" ").toLowerCase();
  }});
  function cell(tr, text, className) {{
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }}
  function render() {{
    var q = search.value.trim().toLowerCase();
    var terms = q ? q.split(/\\s+/) : [];
    var ind = indicator.value, reg = region.value;
    var shown = 0, matched = 0;
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < rows.length; i++) {{
      var r = rows[i];
      if (ind && r[5].indexOf(ind) < 0) continue;
      if (reg && r[0] !== reg) continue;
      if (terms.some(function (t) {{ return haystacks[i].indexOf(t) < 0; }})) continue;
      matched++;
      if (shown >= LIMIT) continue;
      shown++;
      var tr = document.createElement("tr");
      cell(tr, r[0]);
      cell(tr, r[2]);
      var td = cell(tr, "");
      var strong = document.createElement("strong");
      strong.textContent = r[3];
      td.appendChild(strong);
      td.appendChild(document.createElement("br"));
      td.appendChild(document.createTextNode(r[4]));
      var tags = cell(tr, "");
      r[5].forEach(function (code) {{
        var span = document.createElement("span");
        span.className = "tag";
        span.textContent = names[code] || code;
        tags.appendChild(span);
      }});
      cell(tr, r[6].join("、"));
      cell(tr, r[7].join("、"));
      cell(tr, r[8].join("; "));
      fragment.appendChild(tr);
    }}
    body.replaceChildren(fragment);
    count.textContent = matched + " of " + rows.length + " measures" + (matched > shown ? " (first " + shown + " shown)" : "");
  }}
  search.addEventListener("input", render);
  indicator.addEventListener("change", render);
  region.addEventListener("change", render);
  render();
}})();
</script>
</body>
</html>
"""


def write_page(folder: Path, version: str, sums: dict[str, str], changelog: str, counts: dict[str, int]) -> Path:
    path = folder / "index.html"
    path.write_text(render_page(folder, version, sums, changelog, counts), encoding="utf-8")
    return path
