"""Files as governments publish them, made from a plain text for tests: a saved web page with its chrome, a Word
document, a PDF written with a CJK font (Debian's fonts-wqy-zenhei)."""

import html
import io
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def as_web_page(text: str, site: str = "某某区人民政府网", table_html: str = "") -> bytes:
    """A government article page: navigation, breadcrumb, the title as <h1> (and in <title> with the site's name),
    publication line, the text as paragraphs, share and print buttons, a footer with registration numbers."""
    lines = paragraphs(text)
    title = html.escape(lines[0])
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_{site}</title></head>
<body>
<div class="top"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zcwj/">政策文件</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2022-06-01 10:00 来源：区政府办公室 浏览次数：1234</div>
<div class="content">
{body}
{table_html}
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="tools">【打印本页】 【关闭窗口】</div>
</div></div>
<div class="footer"><p>主办单位：{site}办公室 版权所有</p><p>备案号：京ICP备12345678号 京公网安备11010502000001号</p>
<p>网站标识码：1101000001</p></div>
</body></html>""".encode("utf-8")


def as_docx(text: str, table_rows: list[list[str]] | None = None, merge_column: int | None = None) -> bytes:
    """A Word document holding the text's lines as paragraphs, then a table (vertically merging equal consecutive
    cells of `merge_column`, as a 重点任务 spanning rows is written)."""
    import docx

    document = docx.Document()
    for line in paragraphs(text):
        document.add_paragraph(line)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if merge_column is not None:
            start = 1
            for r in range(2, len(table_rows) + 1):
                if r == len(table_rows) or table_rows[r][merge_column] != table_rows[start][merge_column]:
                    if r - 1 > start:
                        top = table.cell(start, merge_column)
                        merged = top.merge(table.cell(r - 1, merge_column))
                        merged.text = table_rows[start][merge_column]
                    start = r
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(text: str) -> bytes:
    """An A4 PDF: the first line centred as the title, each other line a paragraph indented by two characters and
    wrapped at the page width, page numbers (- 1 -) at the foot of each page."""
    from fpdf import FPDF

    class Plan(FPDF):
        def footer(self):
            self.set_y(-15)
            self.set_font("zh", size=10)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Plan(format="A4")
    pdf.set_margins(28, 25, 26)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_font("zh", "", str(CJK_FONT))
    pdf.add_page()
    lines = paragraphs(text)
    pdf.set_font("zh", size=16)
    pdf.multi_cell(0, 9, lines[0], align="C", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    pdf.set_font("zh", size=12)
    for line in lines[1:]:
        pdf.multi_cell(0, 7, "\u3000\u3000" + line, align="L", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    return bytes(pdf.output())
