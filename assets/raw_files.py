"""Stage 1 — raw files: the documents under RAW_DIR (text, web pages, Word, PDF; other formats listed to be quarantined)
and the sources manifest."""

from dataclasses import dataclass, field

import pandas as pd
from dagster import AssetExecutionContext, Failure, MetadataValue, asset

from assets.engine import build_status
from assets.engine.inventory import RawFile, scan_raw_dir
from assets.engine.manifest import read_manifest
from assets.engine.portable import register

from .previews import markdown_table
from .settings import PipelineSettings


@dataclass
class RawInventory:
    files: list[RawFile]
    manifest_problems: list[str] = field(default_factory=list)
    missing_from_disk: list[str] = field(default_factory=list)  # manifest rows naming files that do not exist
    manifest_unusable: bool = False  # the manifest exists but could not be read at all
    manifest_sha256: str | None = None


register(RawInventory)


@asset(
    group_name="ingest",
    description="Every document under RAW_DIR (any depth: .txt, .html, .docx, .pdf, and unread formats "
    "such as .doc or .zip, to be quarantined), hashed, with its sources-manifest row.",
)
def raw_files(context: AssetExecutionContext, settings: PipelineSettings) -> RawInventory:
    build_status.record(settings.warehouse_path, context.run.run_id, "running")  # a build starts here; published_tables ends it
    manifest = read_manifest(settings.raw_path)
    for problem in manifest.problems:
        context.log.warning(problem)
    try:
        files = scan_raw_dir(settings.raw_path, manifest.rows)
    except FileNotFoundError as error:  # not a transient failure: a retry would find no folder either
        raise Failure(str(error), allow_retries=False) from error
    on_disk = {f.source_file for f in files}
    missing = sorted(name for name in manifest.rows if name not in on_disk)
    for name in missing:
        context.log.warning(f"sources.csv lists {name}, which does not exist under RAW_DIR")
    frame = pd.DataFrame(
        [
            {
                "source_file": f.source_file,
                "bytes": f.size,
                "sha256": (f.sha256 or "")[:12],
                "in_manifest": bool(f.manifest),
                "problem": f.problem.reason if f.problem else "",
            }
            for f in files
        ]
    )
    context.add_output_metadata(
        {
            "raw_dir": settings.raw_dir,
            "files": len(files),
            "bytes": int(sum(f.size for f in files)),
            "in_manifest": sum(1 for f in files if f.manifest),
            "unreadable": sum(1 for f in files if f.problem),
            "manifest_problems": len(manifest.problems) + len(missing),
            "preview": MetadataValue.md(markdown_table(frame, limit=20)),
        }
    )
    return RawInventory(files, manifest.problems, missing, manifest.unusable, manifest.sha256)
