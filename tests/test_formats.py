"""Files as governments publish them: saved web pages, Word and PDF files give the same provisions, units and targets
as the text they were made from; task tables give one measure per row; what cannot be read is quarantined with why."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from assets.domain.extracting.responsibility_tables import build_responsibility_tables
from assets.domain.reading.decode import InputError
from assets.domain.reading.html_reader import read_html
from assets.domain.reading.pdf_reader import read_pdf
from assets.domain.reading.provisions import document_provisions, document_row, measures_frame
from assets.domain.reading.source_text import read_source
from assets.engine.inventory import RawFile, scan_raw_dir
from assets.engine.raw_documents import read_document
from tests.helpers import RAW, build, table
from tests.renderings import as_docx, as_pdf, as_web_page

PLAN = json.loads((Path(__file__).parent / "data" / "task_table_plan.json").read_text(encoding="utf-8"))
SEEDS = sorted(RAW.glob("*.txt"))


def _raw(path: Path, data: bytes) -> RawFile:
    import hashlib

    path.write_bytes(data)
    return RawFile(path.name, path, hashlib.sha256(data).hexdigest(), len(data), {})


def _plan_forms() -> dict[str, bytes]:
    """The task-table plan as tab-, pipe- and one-cell-per-line text, Word (merged 重点任务 cells) and a web page
    (rowspan); in the text forms a merged cell is written once and an empty cell is left out."""
    header, rows = PLAN["header"], PLAN["rows"]
    head = f"{PLAN['title']}\n{PLAN['intro']}\n"
    once = [[cell if not (j == 1 and i and rows[i - 1][1] == cell) else "" for j, cell in enumerate(row)] for i, row in enumerate(rows)]
    html_rows = ["<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"]
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if j == 1 and i and rows[i - 1][1] == cell:
                continue
            span = next((k for k in range(i, len(rows)) if rows[k][1] != cell), len(rows)) - i if j == 1 else 1
            cells.append(f'<td rowspan="{span}">{cell}</td>')
        html_rows.append("<tr>" + "".join(cells) + "</tr>")
    return {
        "plan-tab.txt": (head + "\n".join("\t".join(row) for row in [header] + once)).encode(),
        "plan-pipe.txt": (head + "\n".join("| " + " | ".join(row) + " |" for row in [header, ["---"] * 6] + once)).encode(),
        "plan-cells.txt": (head + "\n".join(cell for row in [header] + once for cell in row if cell)).encode(),
        "plan.docx": as_docx(head, [header] + rows, merge_column=1),
        "plan.html": as_web_page(head, table_html="<table border='1'>" + "".join(html_rows) + "</table>"),
    }


@pytest.mark.parametrize("name", ["plan-tab.txt", "plan-pipe.txt", "plan-cells.txt", "plan.docx", "plan.html"])
def test_a_task_table_gives_one_measure_per_row_with_its_roles_and_deadline(tmp_path, name):
    doc = read_document(_raw(tmp_path / name, _plan_forms()[name]))
    provisions = document_provisions(doc)
    measures = measures_frame(provisions.rows)
    tables = build_responsibility_tables(measures, pd.DataFrame([document_row(doc, provisions.kinds)]))
    rows = PLAN["rows"]
    assert doc.metadata.title == PLAN["title"]
    assert list(measures["kind"]) == ["measure"] * len(rows)
    assert list(measures["number"]) == [int(row[0]) for row in rows]
    assert list(measures["text"]) == [row[2] for row in rows]
    assert [list(path)[0][2:] for path in measures["section_path"]] == [row[1] for row in rows]
    assert list(measures["table_number"]) == [1] * len(rows) and list(measures["table_row"]) == list(range(2, len(rows) + 2))
    names = dict(zip(tables.units["unit_id"], tables.units["name"]))
    number_of = dict(zip(measures["measure_id"], measures["number"]))
    links = tables.measure_units[["measure_id", "unit_id", "role"]].itertuples(index=False)
    got = {(number_of[m], names[u], role) for m, u, role in links}
    expected = {
        (int(row[0]), unit, role)
        for row in rows
        for column, role in ((3, "lead"), (4, "cooperating"))
        for unit in row[column].split("、")
        if unit
    }
    assert got == expected
    assert list(tables.measure_fields["deadline_text"]) == [row[5] for row in rows]


def test_a_web_page_loses_its_chrome_and_keeps_the_articles_title():
    text = (
        "某某区优化营商环境实施方案\n一、主要任务\n（一）压缩开办时间。企业开办时间压缩至1个工作日。\n（二）推行网办。全程网办率达到90%。"
    )
    page = as_web_page(text)
    lines = read_html(page).text.split("\n")
    assert lines[0] == "某某区优化营商环境实施方案"
    assert set(text.split("\n")) <= set(lines)
    chrome = ("首页", "当前位置", "发布时间", "浏览次数", "分享到", "打印", "ICP备", "公网安备", "网站标识码", "主办单位", "人民政府网")
    assert not [line for line in lines if any(word in line for word in chrome)]
    without_heading = page.decode().replace("<h1>某某区优化营商环境实施方案</h1>", "").replace("<p>某某区优化营商环境实施方案</p>", "")
    lines = read_html(without_heading.encode()).text.split("\n")
    assert lines[:2] == ["某某区优化营商环境实施方案", "一、主要任务"]  # <title> without the site's name


def test_a_pdf_is_read_as_paragraphs_without_page_numbers_and_with_pages():
    text = SEEDS[0].read_text(encoding="utf-8")
    source = read_pdf(as_pdf(text))
    assert source.format == "pdf" and source.page_count > 3
    assert source.text.replace(" ", "") == "\n".join(line.strip() for line in text.split("\n") if line.strip()).replace(" ", "")
    assert [o.page for o in source.origins] == list(range(1, source.page_count + 1))
    assert source.origins[0].start == 0 and all(a.end <= b.start for a, b in zip(source.origins, source.origins[1:]))


def test_what_cannot_be_read_is_named_with_what_to_do(tmp_path):
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 150, style="F")  # a page with a picture and no text layer
    locked = FPDF()
    locked.add_page()
    locked.set_font("helvetica", size=12)
    locked.cell(0, 10, "locked")
    locked.set_encryption(owner_password="owner", user_password="user")
    cases = {
        "scan.pdf": (bytes(scan.output()), "scanned PDF: none of its 1 page(s) has a text layer; OCR it first"),
        "locked.pdf": (bytes(locked.output()), "encrypted PDF"),
        "broken.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "damaged or unreadable PDF"),
        "locked.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected (encrypted) Word document"),
        "archive.docx": (_zip({"a.txt": "x"}), "is a ZIP archive, not docx"),
        "old.txt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Microsoft Office or WPS file"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image: not read; OCR it"),
    }
    for name, (data, reason) in cases.items():
        with pytest.raises(InputError) as raised:
            read_source(name, data)
        assert raised.value.stage == "read" and reason in raised.value.reason, name


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_inventory_lists_every_document_and_says_why_a_format_is_not_read(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "b_files").mkdir()  # what a browser saves beside b.HTML: its images are not documents
    for name in (
        "a.txt",
        "b.HTML",
        "b_files/logo.png",
        "sub/c.docx",
        "d.pdf",
        "e.doc",
        "f.wps",
        "g.zip",
        "h.jpg",
        "i.xlsx",
        "notes.md",
        "sources.csv",
        "~$c.docx",
        ".hidden.txt",
    ):
        (raw / name).write_bytes(b"x")
    files = {f.source_file: f for f in scan_raw_dir(raw)}
    assert list(files) == ["a.txt", "b.HTML", "d.pdf", "e.doc", "f.wps", "g.zip", "h.jpg", "i.xlsx", "sub/c.docx"]
    assert all(files[name].problem is None for name in ("a.txt", "b.HTML", "d.pdf", "sub/c.docx"))
    reasons = {name: f.problem.reason for name, f in files.items() if f.problem}
    assert "save it as .docx" in reasons["e.doc"] and "WPS" in reasons["f.wps"] and "unpack it" in reasons["g.zip"]
    assert "OCR it" in reasons["h.jpg"] and "spreadsheet" in reasons["i.xlsx"]
    assert all(files[name].sha256 for name in reasons)


@pytest.fixture(scope="module")
def every_form(tmp_path_factory) -> tuple[Path, list[dict]]:
    """One build of the bundled plans as text, web page, Word and PDF, with files that cannot be read beside them."""
    raw = tmp_path_factory.mktemp("forms") / "raw"
    raw.mkdir()
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        shutil.copy(seed, raw / seed.name)
        (raw / f"{seed.stem}.html").write_bytes(as_web_page(text))
        (raw / f"{seed.stem}.docx").write_bytes(as_docx(text))
        (raw / f"{seed.stem}.pdf").write_bytes(as_pdf(text))
    (raw / "old-plan.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (raw / "attachments.zip").write_bytes(_zip({"plan.txt": "x"}))
    (raw / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    warehouse = raw.parent / "warehouse"
    build(raw, warehouse)
    return warehouse, table(warehouse, "documents")


KEYS = ("kind", "number", "label", "section_path", "title", "text", "responsibility_text", "section_responsibility_text")


@pytest.mark.parametrize("form", ["html", "docx", "pdf"])
def test_each_bundled_plan_gives_the_same_provisions_units_and_targets_in_every_form(every_form, form):
    warehouse, documents = every_form
    by_file = {d["source_file"]: d for d in documents}
    measures = pd.DataFrame(table(warehouse, "measures"))
    links = pd.DataFrame(table(warehouse, "measure_units")).merge(pd.DataFrame(table(warehouse, "units")), on="unit_id")
    targets = pd.DataFrame(table(warehouse, "targets"))

    def facts(doc_id: str) -> tuple[list, set, list]:
        rows = measures[measures["doc_id"] == doc_id].sort_values("seq")
        provisions = [
            tuple(tuple(v) if k == "section_path" else v for k, v in zip(KEYS, values))
            for values in rows[list(KEYS)].itertuples(index=False)
        ]
        seq_of = dict(zip(rows["measure_id"], rows["seq"]))
        roles = {(seq_of[m], name, role) for m, name, role in links[["measure_id", "name", "role"]].itertuples(index=False) if m in seq_of}
        found = targets[targets["doc_id"] == doc_id]
        numbers = sorted(
            (seq_of[m], text, value, unit)
            for m, text, value, unit in found[["measure_id", "text", "value", "unit"]].itertuples(index=False)
        )
        return provisions, roles, numbers

    for seed in SEEDS:
        text_doc, other = by_file[seed.name], by_file[f"{seed.stem}.{form}"]
        assert other["format"] == form and text_doc["format"] == "text"
        assert other["title"] == text_doc["title"] and other["issue_date"] == text_doc["issue_date"]
        expected, got = facts(text_doc["doc_id"]), facts(other["doc_id"])
        assert got[0] == expected[0], seed.name
        assert got[1] == expected[1] and got[2] == expected[2], seed.name


def test_pdf_documents_have_page_counts_and_their_provisions_the_pages_they_are_on(every_form, tmp_path):
    warehouse, documents = every_form
    measures = pd.DataFrame(table(warehouse, "measures"))
    for doc in (d for d in documents if d["format"] == "pdf"):
        path = tmp_path / "plan.pdf"
        path.write_bytes(as_pdf((RAW / doc["source_file"].replace(".pdf", ".txt")).read_text(encoding="utf-8")))
        with pdfplumber.open(path) as pdf:
            pages = ["".join(page.extract_text().split()) for page in pdf.pages]
        assert doc["page_count"] == len(pages)
        rows = measures[measures["doc_id"] == doc["doc_id"]].sort_values("seq")
        assert (rows["page_start"] <= rows["page_end"]).all() and rows["page_start"].is_monotonic_increasing
        checked = 0
        for text, start, end in rows[["text", "page_start", "page_end"]].itertuples(index=False):
            head, tail = "".join(text.split())[:6], "".join(text.split())[-6:]
            if sum(head in page for page in pages) == 1:
                assert head in pages[int(start) - 1]
                checked += 1
            if sum(tail in page for page in pages) == 1:
                assert tail in pages[int(end) - 1]
        assert checked > len(rows) / 2
    others = measures[~measures["doc_id"].isin([d["doc_id"] for d in documents if d["format"] == "pdf"])]
    assert others["page_start"].isna().all()


def test_files_that_cannot_be_read_are_quarantined_and_the_rest_published(every_form):
    warehouse, documents = every_form
    quarantine = {q["source_file"]: q for q in table(warehouse, "quarantine")}
    assert set(quarantine) == {"old-plan.doc", "attachments.zip", "scan.png"}
    assert "save it as .docx" in quarantine["old-plan.doc"]["reason"] and quarantine["old-plan.doc"]["sha256"]
    assert "unpack it" in quarantine["attachments.zip"]["reason"] and "OCR it" in quarantine["scan.png"]["reason"]
    assert {d["format"] for d in documents} == {"text", "html", "docx", "pdf"}
    assert all(d["page_count"] is None for d in documents if d["format"] != "pdf")
