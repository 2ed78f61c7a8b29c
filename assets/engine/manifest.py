"""The optional sources manifest (`sources.csv` in RAW_DIR): per-file metadata that overrides inference."""

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from assets.domain.extracting.plausibility import implausible_date_reason, plausible_date
from assets.domain.reading.decode import InputError
from assets.domain.reading.normalize import unify_width
from assets.engine.inventory import read_side_file

MANIFEST_NAME = "sources.csv"
COLUMNS = (
    "file",
    "title",
    "issuer",
    "region",
    "region_code",
    "admin_level",
    "issue_date",
    "doc_number",
    "format",
    "source_note",
    "source_url",
    "retrieved_on",
)
DATE_COLUMNS = ("issue_date", "retrieved_on")
VERBATIM = ("file", "source_note", "source_url")  # not width-unified


@dataclass
class Manifest:
    rows: dict[str, dict[str, object]] = field(default_factory=dict)  # keyed by path relative to RAW_DIR
    problems: list[str] = field(default_factory=list)  # messages naming the manifest and the row
    unusable: bool = False  # present but ignored as a whole (malformed)
    sha256: str | None = None


def read_manifest(raw_dir: Path) -> Manifest:
    """Read `RAW_DIR/sources.csv`; a missing manifest is fine, a malformed one is reported and ignored."""
    manifest = Manifest()
    try:
        data = read_side_file(raw_dir, MANIFEST_NAME)
    except InputError as error:
        manifest.problems.append(f"{MANIFEST_NAME}: {error.reason}; manifest ignored")
        manifest.unusable = True
        return manifest
    if data is None:
        return manifest
    manifest.sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        if "file" not in header:
            manifest.problems.append(f"{MANIFEST_NAME}: no 'file' column in the header {header!r}; manifest ignored")
            manifest.unusable = True
            return manifest
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        manifest.problems.append(f"{MANIFEST_NAME}: not a readable UTF-8 CSV ({exc}); manifest ignored")
        manifest.unusable = True
        return manifest
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        manifest.problems.append(f"{MANIFEST_NAME}: unknown column(s) {', '.join(unknown)} ignored")
    for line_no, row in enumerate(rows, start=2):
        if None in row:
            manifest.problems.append(f"{MANIFEST_NAME} line {line_no}: more cells than columns; row ignored")
            continue
        name = (row.get("file") or "").strip()
        if not name:
            manifest.problems.append(f"{MANIFEST_NAME} line {line_no}: empty 'file' cell; row ignored")
            continue
        clean = {k: unify_width((v or "").strip()) for k, v in row.items() if k in COLUMNS and k not in VERBATIM}
        clean.update({k: (row.get(k) or "").strip() for k in VERBATIM if k != "file"})
        for column in DATE_COLUMNS:
            if clean.get(column):
                try:
                    clean[column] = dt.date.fromisoformat(clean[column])
                except ValueError:
                    manifest.problems.append(
                        f"{MANIFEST_NAME} line {line_no} ({name}): {column} {clean[column]!r} is not YYYY-MM-DD; ignored"
                    )
                    clean[column] = ""
                    continue
                if not plausible_date(clean[column]):
                    manifest.problems.append(
                        f"{MANIFEST_NAME} line {line_no} ({name}): {implausible_date_reason(clean[column], column)}; ignored"
                    )
                    clean[column] = ""
        if clean.get("source_url") and not re.match(r"^https?://\S+$", clean["source_url"]):
            manifest.problems.append(
                f"{MANIFEST_NAME} line {line_no} ({name}): source_url {clean['source_url']!r} is not an http(s) address; ignored"
            )
            clean["source_url"] = ""
        if clean.get("region_code") and not re.fullmatch(r"\d{6}", clean["region_code"]):
            manifest.problems.append(
                f"{MANIFEST_NAME} line {line_no} ({name}): region_code {clean['region_code']!r} is not six digits; ignored"
            )
            clean["region_code"] = ""
        if name in manifest.rows:
            manifest.problems.append(f"{MANIFEST_NAME} line {line_no}: {name} listed twice; the first row is used")
            continue
        manifest.rows[name] = clean
    return manifest
