"""Tables that live in immutable Arrow IPC files, handed from step to step by linking the files instead of rewriting them.

The normalized texts are the largest table of a build. A stage snapshot already holds them in segment files that are never
changed once written, so a step's output can name the slices it consists of and hard-link those files into its output
folder: adding one document then writes one document's text, not the corpus's, three times over (once per step that
handed the texts on).
"""

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from assets.engine.portable import register


@dataclass(frozen=True)
class StoredTable:
    """Rows `start:start+count` of each IPC file in `slices`, in order, as one table of `schema` (the files hold one
    record batch each and are never rewritten)."""

    schema: pa.Schema
    slices: tuple[tuple[str, int, int], ...]  # (file path, first row, rows)

    @property
    def num_rows(self) -> int:
        return sum(count for _, _, count in self.slices)

    def read(self) -> pa.Table:
        """The rows, memory mapped (no copy of the files' bytes), a chunk per slice."""
        files: dict[str, pa.Table] = {}
        parts = []
        for path, start, count in self.slices:
            if path not in files:
                files[path] = pa.ipc.open_file(pa.memory_map(path)).read_all()
            parts.append(files[path].slice(start, count))
        if not parts:
            return self.schema.empty_table()
        table = stack_tables(parts).select(self.schema.names)
        return table if table.schema.equals(self.schema) else table.cast(self.schema)

    def select(self, columns: list[str]) -> "StoredTable":
        return replace(self, schema=pa.schema([self.schema.field(c) for c in columns]))

    def take(self, positions: np.ndarray | list[int]) -> "StoredTable":
        """The rows at increasing `positions`, as slices of the same files (a run of consecutive rows stays one slice)."""
        ends = np.cumsum([count for _, _, count in self.slices])
        runs: list[list] = []
        for position in positions:
            i = int(np.searchsorted(ends, position, side="right"))
            path, start, _ = self.slices[i]
            row = start + int(position) - (int(ends[i - 1]) if i else 0)
            if runs and runs[-1][0] == path and runs[-1][1] + runs[-1][2] == row:
                runs[-1][2] += 1
            else:
                runs.append([path, row, 1])
        return replace(self, slices=tuple(tuple(run) for run in runs))

    def linked_into(self, folder: Path, prefix: str) -> "StoredTable":
        """The same table with its files hard-linked into `folder` (copied where the file system cannot link) and
        named relative to it: what an IO manager stores, so the output outlives the snapshot's own files."""
        names: dict[str, str] = {}
        for path, _, _ in self.slices:
            if path not in names:
                names[path] = f"{prefix}.{len(names)}.arrow"
                _link(Path(path), folder / names[path])
        return replace(self, slices=tuple((names[path], start, count) for path, start, count in self.slices))

    def located_in(self, folder: Path) -> "StoredTable":
        """The table `linked_into` stored, its file names resolved against `folder`."""
        return replace(self, slices=tuple((str(folder / path), start, count) for path, start, count in self.slices))


register(StoredTable)


def stack_tables(parts: list[pa.Table]) -> pa.Table:
    """Tables stacked, column types unified (null and int widen to the other documents' type); past 64 chunks, one."""
    if not parts:
        return pa.table({})
    table = pa.concat_tables(parts, promote_options="permissive")
    return table.combine_chunks() if table.column(0).num_chunks > 64 else table


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)
