"""`python -m pipelines.data_dictionary`: (re)write docs/data_dictionary.md from the catalog's schema;
`--check` exits 1 when the committed file differs from what the schema gives."""

import argparse
import sys
from pathlib import Path

from assets.catalog.schema import SCHEMA_VERSION, TABLES
from assets.publishing.templating import render
from assets.publishing.views import VIEWS

DOC = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"


def data_dictionary() -> str:
    return render("data_dictionary.md.j2", schema_version=SCHEMA_VERSION, tables=TABLES, views=VIEWS, counts=None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/data_dictionary.md is not up to date")
    if parser.parse_args().check:
        if DOC.read_text(encoding="utf-8") != data_dictionary():
            print(f"{DOC} is out of date: run python -m pipelines.data_dictionary", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(data_dictionary(), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
