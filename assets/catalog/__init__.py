"""The catalog: published tables and columns (schema) and the vocabularies every layer reads (CSV files in data/).

Domain code reads a vocabulary through `vocabulary` or `vocabulary_frame`, never from a path of its own."""

import csv
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"  # the curated vocabularies (CSV), edited as data


def vocabulary(name: str) -> list[dict[str, str]]:
    """The rows of the vocabulary `data/<name>` (a CSV file with a header line), as dicts of strings."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def vocabulary_frame(name: str, **read_csv_options) -> pd.DataFrame:
    """The vocabulary `data/<name>` as a frame (`read_csv_options` as pandas' read_csv takes them)."""
    return pd.read_csv(DATA_DIR / name, **read_csv_options)
