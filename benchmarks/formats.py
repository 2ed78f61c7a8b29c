"""Reading the bundled plans as web pages, Word and PDF files: seconds per file and per page, import cost of each
reader's library (paid once per process, only when a file of its format is read).

    .venv/bin/python benchmarks/formats.py

The files are made from `raw/*.txt` by `tests/renderings.py` (as in the tests); reading is timed best of 3.
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.domain.reading.source_text import read_source  # noqa: E402
from tests.renderings import as_docx, as_pdf, as_web_page  # noqa: E402

LIBRARIES = {"html": "trafilatura", "docx": "docx", "pdf": "pdfplumber"}


def import_seconds(module: str) -> float:
    """Seconds to import `module` in a fresh interpreter (what a build's process pays the first time)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    seeds = sorted((ROOT / "raw").glob("*.txt"))
    makers = {"txt": lambda text: text.encode("utf-8"), "html": as_web_page, "docx": as_docx, "pdf": as_pdf}
    print(f"{len(seeds)} plans; best of 3 reads each\n")
    print(f"{'format':6} {'files':>5} {'pages':>5} {'seconds':>8} {'s/file':>7} {'import s':>8}")
    for form, make in makers.items():
        files = [(f"{seed.stem}.{form}", make(seed.read_text(encoding="utf-8"))) for seed in seeds]
        for name, data in files:  # warm: the library's import is measured apart
            read_source(name, data)
        total, pages = 0.0, 0
        for name, data in files:
            best = min(_timed(name, data) for _ in range(3))
            total += best
            pages += read_source(name, data).page_count or 0
        library = LIBRARIES.get(form)
        imported = f"{import_seconds(library):8.2f}" if library else f"{'-':>8}"
        print(f"{form:6} {len(files):5d} {pages or '-':>5} {total:8.3f} {total / len(files):7.3f} {imported}")


def _timed(name: str, data: bytes) -> float:
    started = time.perf_counter()
    read_source(name, data)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
