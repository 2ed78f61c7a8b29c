"""Small Markdown previews of tables for Dagster asset metadata (document text is untrusted: escaped)."""

import html

import pandas as pd


def markdown_table(frame: pd.DataFrame, limit: int = 10, width: int = 40) -> str:
    """The first `limit` rows as a Markdown table, cells cut to `width` characters and escaped."""
    if frame.empty:
        return "_(no rows)_"
    head = frame.head(limit)
    lines = ["| " + " | ".join(map(_cell, head.columns)) + " |", "|" + "---|" * len(head.columns)]
    for row in head.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v, width) for v in row) + " |")
    if len(frame) > limit:
        lines.append(f"\n_{len(frame) - limit} more rows_")
    return "\n".join(lines)


def _cell(value, width: int = 40) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return html.escape(text).replace("|", "\\|").replace("`", "\\`").replace("*", "\\*").replace("_", "\\_")
