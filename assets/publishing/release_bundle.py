"""Versioned dataset releases: cut one from a validated build, describe it, checksum it, verify it.

A release is a folder `releases/<version>/` that never changes after it is cut, plus
`releases/<version>.tar.gz` beside it, an entry in `releases/index.json`, and the `latest` link.
"""

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from assets.catalog.schema import SCHEMA_VERSION, TABLES
from assets.engine.atomic import replacing, write_text
from assets.publishing.release_page import write_page
from assets.publishing.templating import render
from assets.publishing.views import VIEWS
from assets.publishing.warehouse import DB_NAME

DATASET_NAME = "china-business-environment-policy-measures"
TITLE = "China local business-environment (优化营商环境) policy measures"
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
FRICTIONLESS_TYPES = {
    "string": "string",
    "large_string": "string",
    "int64": "integer",
    "int32": "integer",
    "double": "number",
    "float": "number",
    "date32[day]": "date",
    "bool": "boolean",
}
CITATION_FILE = Path(__file__).resolve().parents[2] / "CITATION.cff"
ACCURACY_FILE = Path(__file__).parent / "measured_accuracy.json"  # written by benchmarks/accuracy.py
DELTA_TABLES = {"documents": "doc_id", "measures": "measure_id", "units": "unit_id", "targets": "target_id"}
# A text cell starting with one of these is a formula to a spreadsheet program (OWASP's list): the CSV export writes it
# after an apostrophe, which spreadsheets show as text. Parquet and DuckDB keep the value as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReleaseError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------- versions


def next_version(releases: Path, today: dt.date) -> str:
    """`YYYY.MM.DD`, or `YYYY.MM.DD.N` for the N-th further release of the day; existing ones are never reused."""
    base = today.strftime("%Y.%m.%d")
    taken = {p.name for p in releases.iterdir()} if releases.exists() else set()
    taken |= {name.removesuffix(".tar.gz") for name in taken}
    if base not in taken:
        return base
    n = 1
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def read_index(releases: Path) -> dict:
    path = releases / "index.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"dataset": DATASET_NAME, "releases": []}


# ---------------------------------------------------------------------------------------------- cutting


def cut_release(build: Path, releases: Path, today: dt.date | None = None, sources: list[dict] | None = None) -> Path:
    """Cut a release from a published build folder (`warehouse/current`) into `releases/<version>/`."""
    build = build.resolve()
    report = json.loads((build / "validation_report.json").read_text(encoding="utf-8"))
    if not report.get("passed"):
        raise ReleaseError(f"{build}: its validation did not pass; a release is only cut from a fully validated build")
    releases.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(releases)
    version = next_version(releases, today or dt.date.today())
    index = read_index(releases)
    previous = releases / index["releases"][-1]["version"] if index["releases"] else None
    staging = releases / f".staging-{version}-{uuid.uuid4().hex[:6]}"
    try:
        _write_release(build, staging, version, previous, report, sources or [])
        problems = verify_release(staging, against_index=False)
        if problems:
            raise ReleaseError("the new release does not verify: " + "; ".join(problems))
        final = releases / version
        os.rename(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    archive = _archive(final, releases / f"{version}.tar.gz")
    entry = {
        "version": version,
        "schema_version": SCHEMA_VERSION,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "archive": archive.name,
        "archive_sha256": _sha256(archive),
        "sha256sums_sha256": _sha256(final / "SHA256SUMS"),
        "row_counts": json.loads((final / "datapackage.json").read_text(encoding="utf-8"))["row_counts"],
    }
    index["releases"].append(entry)
    write_text(releases / "index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    link = releases / f".latest-{uuid.uuid4().hex[:6]}"
    os.symlink(version, link)
    os.replace(link, releases / "latest")  # only after the release is complete and verified
    return final


def _remove_leftovers(releases: Path) -> None:
    """What a killed release left in releases/ (the caller holds the warehouse's lock): staging folders, the temporary
    `latest` link, an unfinished archive."""
    for leftover in releases.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in [*releases.glob(".latest-*"), *releases.glob(".*.tar.gz.*"), *releases.glob(".index.json.*")]:
        leftover.unlink(missing_ok=True)


def _write_release(build: Path, out: Path, version: str, previous: Path | None, report: dict, sources: list[dict]) -> None:
    (out / "data").mkdir(parents=True)
    (out / "csv").mkdir()
    counts = {}
    for name in TABLES:
        source = build / "tables" / f"{name}.parquet"
        shutil.copyfile(source, out / "data" / f"{name}.parquet")
        table = pq.read_table(source)
        counts[name] = table.num_rows
        _write_csv(table, out / "csv" / f"{name}.csv")
    shutil.copyfile(build / DB_NAME, out / DB_NAME)
    shutil.copyfile(build / "validation_report.json", out / "validation_report.json")
    delta = _delta(out, previous)
    (out / "changes.json").write_text(json.dumps(delta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "CHANGELOG.md").write_text(_changelog(version, delta, previous), encoding="utf-8")
    documents = pq.read_table(out / "data" / "documents.parquet", columns=["doc_id", "duplicate_of"]).to_pylist()
    copies = {d["doc_id"] for d in documents if d["duplicate_of"]}
    measure_docs = pq.read_table(out / "data" / "measures.parquet", columns=["doc_id"]).column("doc_id").to_pylist()
    counts["unique_documents"] = len(documents) - len(copies)
    counts["unique_measures"] = sum(1 for d in measure_docs if d not in copies)
    package = _datapackage(version, counts, sources)
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_data_dictionary(version, counts, report), encoding="utf-8")
    sums = {p.relative_to(out).as_posix(): _sha256(p) for p in _files(out)}
    write_page(out, version, sums, (out / "CHANGELOG.md").read_text(encoding="utf-8"), counts)
    _write_sums(out)


def _write_csv(table, path: Path) -> None:
    """UTF-8 with BOM (so Excel reads the Chinese text); lists as JSON arrays; dates ISO; text that would start a
    formula escaped (`spreadsheet_safe`)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.column_names)
        for row in table.to_pylist():
            writer.writerow(
                [
                    ""
                    if v is None
                    else json.dumps(v, ensure_ascii=False)
                    if isinstance(v, list)
                    else v.isoformat()
                    if isinstance(v, dt.date)
                    else repr(v)
                    if isinstance(v, float) and v != v
                    else spreadsheet_safe(v)
                    if isinstance(v, str)
                    else _number(v)
                    for v in row.values()
                ]
            )


def spreadsheet_safe(text: str) -> str:
    """`text` with an apostrophe in front when a spreadsheet program would take it for a formula (FORMULA_STARTS)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return repr(value)  # keep 5.0 a number, not an integer, so the CSV round-trips its type
    return value


def document_sources(documents: list[dict]) -> list[dict]:
    """datapackage `sources`: one per document, with the address it was downloaded from (`path`) when sources.csv gives it."""
    sources = []
    for d in documents:
        retrieved = f", retrieved {d['retrieved_on']}" if d.get("retrieved_on") else ""
        source = {"title": f"{d['title']} ({d['source_file']}, sha256 {d['sha256'][:12]}{retrieved})"}
        if d.get("source_url"):
            source["path"] = d["source_url"]
        sources.append(source)
    return sources


def _datapackage(version: str, counts: dict[str, int], sources: list[dict]) -> dict:
    resources = []
    for name, spec in TABLES.items():
        schema = spec.arrow_schema()
        fields = []
        for column, field in zip(spec.columns, schema):
            kind = "array" if str(field.type).startswith("list") else FRICTIONLESS_TYPES.get(str(field.type), "string")
            entry = {"name": column.name, "type": kind, "description": column.description}
            if not column.nullable:
                entry["constraints"] = {"required": True}
            fields.append(entry)
        table_schema = {"fields": fields, "missingValues": [""]}
        if spec.primary_key:
            table_schema["primaryKey"] = list(spec.primary_key)
        fks = [{"fields": [c], "reference": {"resource": ref, "fields": [rc]}} for c, ref, rc in spec.foreign_keys]
        if fks:
            table_schema["foreignKeys"] = fks
        resources.append(
            {
                "name": name,
                "path": f"csv/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": spec.description,
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                "schema": table_schema,
            }
        )
    return {
        "name": DATASET_NAME,
        "title": TITLE,
        "version": version,
        "schema_version": SCHEMA_VERSION,
        "profile": "tabular-data-package",
        "licenses": [LICENSE],
        "row_counts": counts,
        "sources": sources or [{"title": "Local government business-environment action plans (see documents.csv)"}],
        "resources": resources,
    }


def _data_dictionary(version: str, counts: dict[str, int], report: dict) -> str:
    """The release's README.md (templates/release_readme.md.j2)."""
    return render(
        "release_readme.md.j2",
        title=TITLE,
        version=version,
        schema_version=SCHEMA_VERSION,
        license=LICENSE["name"],
        expectations=len(report["results"]),
        warnings=report["warnings"],
        db_name=DB_NAME,
        counts=counts,
        tables=TABLES,
        views=VIEWS,
        accuracy=measured_accuracy(),
        citation=citation(version),
    )


def citation(version: str) -> str:
    """The release's citation: creators from the repository's CITATION.cff, title, version, licence and its address."""
    import yaml

    cff = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    creators = "; ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names")))) for a in cff["authors"])
    url = f" {cff['url']}" if cff.get("url") else ""
    return f"> {creators}. *{cff['title']}*, release {version}. Licensed {LICENSE['name']} ({LICENSE['path']}).{url}"


def measured_accuracy() -> dict:
    """Precision and recall of the parser on the labelled samples, as benchmarks/accuracy.py measured them, formatted
    for the README's table."""
    measured = json.loads(ACCURACY_FILE.read_text(encoding="utf-8"))
    samples = []
    for sample in measured["samples"]:
        scores = sample["scores"]
        meta = scores.get("metadata")
        samples.append(
            {
                "what": sample["what"],
                "documents": sample["documents"],
                **{
                    what: f"{scores[what]['precision']:.2f} / {scores[what]['recall']:.2f}" if what in scores else "–"
                    for what in ("structure", "units", "targets")
                },
                "metadata": ", ".join(f"{meta[f]:.2f}" for f in ("title", "issue_date", "doc_number", "region") if f in meta)
                if meta
                else "–",
            }
        )
    return {"scorer": measured["scorer"], "measured": measured["measured"], "commit": measured["commit"], "samples": samples}


def _row_hashes(path: Path, key: str) -> dict[str, str]:
    table = pq.read_table(path)
    return {
        str(row[key]): hashlib.sha256(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
        for row in table.to_pylist()
    }


def _delta(new: Path, previous: Path | None) -> dict:
    delta = {"previous": previous.name if previous else None}
    for name, key in DELTA_TABLES.items():
        now = _row_hashes(new / "data" / f"{name}.parquet", key)
        before = _row_hashes(previous / "data" / f"{name}.parquet", key) if previous else {}
        delta[name] = {
            "added": sorted(set(now) - set(before)),
            "removed": sorted(set(before) - set(now)),
            "changed": sorted(k for k in set(now) & set(before) if now[k] != before[k]),
        }
    return delta


def _changelog(version: str, delta: dict, previous: Path | None) -> str:
    lines = [f"## {version}", ""]
    if not delta["previous"]:
        lines.append("First release.")
    for name in DELTA_TABLES:
        d = delta[name]
        lines.append(f"- {name}: {len(d['added'])} added, {len(d['removed'])} removed, {len(d['changed'])} changed")
    earlier = (previous / "CHANGELOG.md").read_text(encoding="utf-8").split("\n", 2)[2] if previous else ""
    return "# Changelog\n\n" + "\n".join(lines) + "\n\n" + earlier


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")


def _write_sums(folder: Path) -> None:
    lines = [f"{_sha256(p)}  {p.relative_to(folder).as_posix()}" for p in _files(folder)]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _archive(folder: Path, target: Path) -> Path:
    """A reproducible .tar.gz of the release folder: sorted entries, fixed times and owners."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in [folder] + sorted(folder.rglob("*")):
            info = tar.gettarinfo(str(path), arcname=path.relative_to(folder.parent).as_posix())
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            info.mode = 0o755 if path.is_dir() else 0o644
            if path.is_file():
                with open(path, "rb") as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)
    with replacing(target) as tmp, open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue())
    return target


# ---------------------------------------------------------------------------------------------- verifying


def verify_release(folder: Path, against_index: bool = True) -> list[str]:
    """Problems with a (downloaded) release folder, each naming the file; empty when it is intact. With `against_index`
    and an `index.json` beside the folder (a warehouse's releases/), SHA256SUMS itself must have the digest recorded there
    when the release was cut: a file changed and SHA256SUMS recomputed is found."""
    folder = Path(folder)
    problems = []
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        return [f"{sums}: missing"]
    if against_index:
        problems += _against_index(folder)
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    present = {p.relative_to(folder).as_posix() for p in _files(folder)}
    for name in sorted(set(listed) - present):
        problems.append(f"{name}: listed in SHA256SUMS but missing")
    for name in sorted(present - set(listed)):
        problems.append(f"{name}: not listed in SHA256SUMS")
    for name in sorted(set(listed) & present):
        if _sha256(folder / name) != listed[name]:
            problems.append(f"{name}: checksum differs from SHA256SUMS")
    if problems:
        return problems
    problems += _csv_against_parquet(folder)
    problems += _validate_datapackage(folder)
    try:
        with duckdb.connect(str(folder / DB_NAME), read_only=True) as con:
            for name in TABLES:
                rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                expected = pq.read_metadata(folder / "data" / f"{name}.parquet").num_rows
                if rows != expected:
                    problems.append(f"{DB_NAME}: table {name} has {rows} rows, data/{name}.parquet has {expected}")
    except duckdb.Error as exc:
        problems.append(f"{DB_NAME}: does not open ({exc})")
    return problems


def recorded_release(folder: Path) -> dict | None:
    """The entry `index.json` beside a release folder has for it; None when there is no index.json there."""
    index = Path(folder).resolve().parent / "index.json"
    if not index.is_file():
        return None
    name = Path(folder).resolve().name
    return next((entry for entry in read_index(index.parent)["releases"] if entry["version"] == name), {})


def _against_index(folder: Path) -> list[str]:
    """SHA256SUMS compared with the digest index.json recorded for this release (nothing to compare without index.json)."""
    try:
        entry = recorded_release(folder)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"index.json: unreadable ({exc.__class__.__name__}: {exc})"]
    if entry is None:
        return []
    if not entry:
        return [f"index.json: lists no release {Path(folder).resolve().name}; SHA256SUMS cannot be checked against it"]
    if _sha256(folder / "SHA256SUMS") != entry.get("sha256sums_sha256"):
        return [
            "SHA256SUMS: its sha256 differs from the one index.json recorded when the release was cut "
            "(the release was changed and its checksums recomputed)"
        ]
    return []


def _csv_against_parquet(folder: Path) -> list[str]:
    """Each csv/<table>.csv with the columns and as many rows as data/<table>.parquet."""
    problems = []
    for name in TABLES:
        path, parquet = folder / "csv" / f"{name}.csv", folder / "data" / f"{name}.parquet"
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, [])
                rows = sum(1 for _ in reader)
            metadata = pq.read_metadata(parquet)
        except (OSError, UnicodeDecodeError, csv.Error, pa.ArrowException) as exc:
            problems.append(f"csv/{name}.csv: cannot be compared with data/{name}.parquet ({exc.__class__.__name__}: {exc})")
            continue
        if header != metadata.schema.to_arrow_schema().names:
            problems.append(f"csv/{name}.csv: columns {header} differ from data/{name}.parquet's")
        if rows != metadata.num_rows:
            problems.append(f"csv/{name}.csv: {rows} rows, data/{name}.parquet has {metadata.num_rows}")
    return problems


def _validate_datapackage(folder: Path) -> list[str]:
    from frictionless import Package, system

    with system.use_context(trusted=False):
        report = Package(str(folder / "datapackage.json")).validate()
    if report.valid:
        return []
    return [f"datapackage.json: {error.message}" for task in report.tasks for error in task.errors][:20] + [
        f"datapackage.json: {error.message}" for error in report.errors
    ][:20]
