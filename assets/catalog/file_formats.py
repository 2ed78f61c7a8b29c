"""Which files under RAW_DIR are documents, in which format, and whether the pipeline reads that format.

The extension table is data (`data/file_formats.csv`: format, read or not, what to do with an unread file); the
first bytes of a file override its extension where they are unambiguous (a PDF saved as `.txt` is read as a PDF,
a password-protected `.docx` is an OLE2 container, not a ZIP).
"""

import csv
import glob
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assets.catalog import DATA_DIR

DATA = DATA_DIR / "file_formats.csv"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG\r\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
ARCHIVE_MAGIC = (b"Rar!", b"7z\xbc\xaf\x27\x1c")


@dataclass(frozen=True)
class FileFormat:
    format: str  # text, html, docx, pdf, or the name of a format that is not read (doc, wps, zip, image, ...)
    read: bool
    what_to_do: str = ""  # for a format that is not read: why, and how to make it readable


@lru_cache(maxsize=None)
def _by_extension() -> dict[str, FileFormat]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {row["extension"]: FileFormat(row["format"], row["read"] == "yes", row["what_to_do"]) for row in rows}


def listed_format(name: str) -> FileFormat | None:
    """The format a file's name declares, or None for a file that is not a document (notes, sources.csv, lock files)."""
    if name.startswith((".", "~$")):
        return None
    return _by_extension().get(Path(name).suffix.lower())


def is_page_asset(path: Path) -> bool:
    """A file in the folder a browser saves beside a web page (`方案.html` and `方案_files/`): the page's images and
    scripts, not documents."""
    for folder in path.parents:
        for suffix in ("_files", ".files"):
            if folder.name.endswith(suffix):
                stem = folder.name[: -len(suffix)]
                pages = folder.parent.glob(glob.escape(stem) + ".*")
                if any(page.stem == stem and listed_format(page.name) == _by_extension()[".html"] for page in pages):
                    return True
    return False


def sniffed_format(data: bytes, declared: FileFormat) -> FileFormat:
    """The format the file's bytes show, where they contradict its extension; else the declared one."""
    head = data[:1024]
    if b"%PDF-" in head[:1024]:
        return _by_extension()[".pdf"]
    if head.startswith(OLE2):
        if declared.format == "docx":
            return FileFormat(
                "docx",
                False,
                "password-protected (encrypted) Word document: remove the password in Word or LibreOffice and save it again as .docx",
            )
        if declared.read:
            return FileFormat(
                "ole2",
                False,
                "is a legacy Microsoft Office or WPS file (OLE2), not "
                f"{declared.format}: open it in LibreOffice and save it as .docx or plain text",
            )
        return declared
    if head.startswith(b"PK\x03\x04"):
        if _is_word(data):
            return _by_extension()[".docx"]
        if declared.read:
            return FileFormat(
                "zip", False, f"is a ZIP archive, not {declared.format}: unpack it into RAW_DIR so each document is a file of its own"
            )
        return declared
    if declared.read and head.startswith(IMAGE_MAGIC):
        return _by_extension()[".png"]
    if declared.read and head.startswith(ARCHIVE_MAGIC):
        return _by_extension()[".zip"]
    return declared


def _is_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
