"""A raw file → the text that normalization reads, whatever the file's format, with where each part came from.

Readers per format (`html_reader`, `docx_reader`, `pdf_reader`) are imported only when a file of theirs is read, so a
folder of plain texts never loads trafilatura, python-docx or pdfplumber. A plain text's task tables (tab- or
pipe-separated, one cell per line) are rendered here; everything after this step is the same for every format.
"""

from pathlib import Path

from assets.catalog.file_formats import listed_format, sniffed_format
from assets.domain.reading.decode import InputError, decode_bytes
from assets.domain.reading.origins import Origin, SourceText
from assets.domain.reading.task_tables import render_text_tables


def read_source(name: str, data: bytes) -> SourceText:
    """The text of the raw file `name` (its path, for the format its extension declares) holding `data`; raise
    InputError naming the problem and what to do when it cannot be read."""
    declared = listed_format(Path(name).name) or listed_format("any.txt")
    fmt = sniffed_format(data, declared)
    if not fmt.read:
        raise InputError("read", fmt.what_to_do)
    if fmt.format == "html":
        from assets.domain.reading.html_reader import read_html

        return read_html(data)
    if fmt.format == "docx":
        from assets.domain.reading.docx_reader import read_docx

        return read_docx(data)
    if fmt.format == "pdf":
        from assets.domain.reading.pdf_reader import read_pdf

        return read_pdf(data)
    decoded = decode_bytes(data)
    tables = render_text_tables(decoded.text.replace("\r\n", "\n"))
    origins = tuple(Origin(start, end, table=table, row=row) for start, end, table, row in tables.rows)
    return SourceText(tables.text, "text", decoded.encoding, None, origins, decoded.doubt)
