"""Where step outputs wait between steps: DataFrames as Arrow IPC files, everything else as a `portable` values file
(JSON and Arrow with a checksum; nothing is unpickled), under WAREHOUSE_DIR/staging/steps/<asset>/<run id>/.

Dagster's default IO manager pickles a whole output: writing a large one copies every Arrow buffer into bytes first
(it was the build's memory peak), and every step that uses it unpickles it again. An uncompressed Arrow IPC file is
written from the frame's own buffers and read back memory mapped (the strings stay in the page cache, shared with the
forked workers, instead of the heap). Each
output's folder is replaced whole (written beside it, then renamed), so a step that fails halfway never leaves a mix
of two runs' files.
"""

import dataclasses
import json
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
from dagster import ConfigurableIOManager, DagsterInvariantViolationError, InputContext, OutputContext

import assets.engine.domain_types  # noqa: F401  (registers the domain's classes the values hold)
from assets.engine.portable import read_values, write_values
from assets.engine.table_files import StoredTable

REST = "rest.values"  # everything of an output that is not a DataFrame (absent when the output is one frame)
FRAME = "frame.arrow"  # an output that is a DataFrame


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """`frame` as an uncompressed Arrow IPC file, noting each object column that Arrow stores as something other than
    strings (ints, lists, tuples, dates), so `read_frame` gives back the same values, not floats or numpy arrays, and
    each column of an Arrow dtype (such as lists), which is read back as it was, without a copy."""
    table = pa.Table.from_pandas(frame)
    rebuilt = {}
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.ArrowDtype):
            rebuilt[str(name)] = "arrow"  # kept as Arrow (pandas cannot rebuild such a dtype from the table's metadata)
        elif frame[name].dtype == object and not pa.types.is_string(table.schema.field(str(name)).type):
            sample = next((v for v in frame[name] if v is not None), None)
            rebuilt[str(name)] = "tuple" if isinstance(sample, tuple) else "value"
    metadata = {**(table.schema.metadata or {}), b"object_columns": json.dumps(rebuilt).encode()}
    if b"pandas" in metadata and "arrow" in rebuilt.values():  # pandas' metadata would name a dtype it cannot parse back
        described = json.loads(metadata[b"pandas"])
        described["columns"] = [c for c in described["columns"] if rebuilt.get(c["name"]) != "arrow"]
        metadata[b"pandas"] = json.dumps(described).encode()
    _write_arrow(table.replace_schema_metadata(metadata), path)


def _write_arrow(table: pa.Table, path: Path) -> None:
    """An uncompressed Arrow IPC file holding each column as one chunk: a table assembled from ten thousand documents
    has ten thousand chunks, and filtering rows of a column of many chunks (as great-expectations does for every
    expectation) was the largest cost of a rebuild at scale."""
    feather.write_feather(table.combine_chunks(), path, compression="uncompressed", chunksize=max(1, table.num_rows))


def read_frame(path: Path) -> pd.DataFrame:
    """The frame `write_frame` wrote, column values and dtypes as they were (memory mapped: no copy of the strings)."""
    table = feather.read_table(path, memory_map=True)
    rebuilt = json.loads((table.schema.metadata or {}).get(b"object_columns", b"{}"))
    if not rebuilt:
        return table.to_pandas()
    frame = table.drop_columns(list(rebuilt)).to_pandas()
    for name, kind in rebuilt.items():
        if kind == "arrow":
            frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(table.column(name)), index=frame.index)
            continue
        values = table.column(name).to_pylist()
        frame[name] = pd.Series([tuple(v) if kind == "tuple" and v is not None else v for v in values], index=frame.index, dtype=object)
    return frame[[name for name in table.schema.names if name in frame.columns]]


def _replace_folder(final: Path, write) -> None:
    """Run `write(folder)` on a fresh folder beside `final`, then put it in `final`'s place."""
    staging = final.with_name(f".{final.name}-{uuid.uuid4().hex[:8]}")
    staging.mkdir(parents=True)
    try:
        write(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = final.with_name(f".{final.name}-old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        os.rename(final, previous)
    os.rename(staging, final)
    shutil.rmtree(previous, ignore_errors=True)


class FrameStore(ConfigurableIOManager):
    """The default IO manager of the build: an output (a DataFrame, or a dataclass whose fields are DataFrames, dicts
    of DataFrames, StoredTables and small values) is kept in `folder/<asset>/`, one Arrow file per DataFrame, the files
    of each StoredTable linked, and one values file of the rest (dataclasses registered with `portable.register`; a
    frame Arrow cannot hold, such as a column mixing numbers and strings, is an error)."""

    folder: str

    def _asset_folder(self, context: OutputContext | InputContext) -> Path:
        return Path(self.folder).joinpath(*context.asset_key.path)

    def _output_path(self, context: OutputContext) -> Path:
        """Where this run's output of the asset goes: `<folder>/<asset>/<run id>/`, so no run reads another's output of a
        step it ran itself (two runs at once once published one another's tables)."""
        return self._asset_folder(context) / _safe_name(context.run_id)

    def _input_path(self, context: InputContext) -> Path:
        """The output an input is loaded from: the upstream run's, where Dagster knows it (the upstream step ran in this
        run); else (a run of some assets only) the newest output of that asset any earlier run left."""
        folder = self._asset_folder(context)
        upstream = getattr(context.upstream_output, "run_id", None)
        if upstream and not upstream.startswith("__"):  # "__EPHEMERAL_RUN_ID": an output of an earlier run
            own = folder / _safe_name(upstream)
            if not own.is_dir():
                raise DagsterInvariantViolationError(
                    f"{own}: the output of {'/'.join(context.asset_key.path)} of run {upstream} "
                    "is gone (removed by another run?); run the build again"
                )
            return own
        outputs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")] if folder.is_dir() else []
        if not outputs:
            raise DagsterInvariantViolationError(f"no output of {'/'.join(context.asset_key.path)} in {folder}: materialize it first")
        return max(outputs, key=lambda p: p.stat().st_mtime_ns)

    def handle_output(self, context: OutputContext, obj) -> None:
        def write(folder: Path) -> None:
            if isinstance(obj, pd.DataFrame) and _written(obj, folder / FRAME):
                return
            stored: list[tuple[str, str | None]] = []  # (field, key in a dict field or None)
            linked: dict[str, StoredTable] = {}  # StoredTable fields, their files linked into the folder
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
                for field in dataclasses.fields(obj):
                    value = getattr(obj, field.name)
                    if isinstance(value, StoredTable):
                        linked[field.name] = value.linked_into(folder, field.name)
                    elif isinstance(value, pd.DataFrame) and _written(value, folder / f"{field.name}.arrow"):
                        stored.append((field.name, None))
                    elif isinstance(value, dict) and value and all(isinstance(v, pd.DataFrame) for v in value.values()):
                        stored += [
                            (field.name, key) for key, frame in value.items() if _written(frame, folder / f"{field.name}.{key}.arrow")
                        ]
            rest = obj
            if stored or linked:
                emptied = {name: None for name, key in stored if key is None}
                for name in {name for name, key in stored if key is not None}:
                    emptied[name] = {k: v for k, v in getattr(obj, name).items() if (name, k) not in stored}
                rest = dataclasses.replace(obj, **emptied, **linked)
            write_values(folder / REST, {"value": rest, "frames": stored})

        final = self._output_path(context)
        _replace_folder(final, write)
        for other in final.parent.iterdir():  # earlier runs' outputs of this asset, and leftovers of killed writes
            if other != final:
                shutil.rmtree(other, ignore_errors=True)

    def load_input(self, context: InputContext):
        """The output in its folder, read once per run and process: steps of a run in one process (`make build`) share
        what they load (five steps read the measures step's output). Values are
        shared, so a step must not change what it is given (frames are copy-on-write in pandas 3)."""
        folder = self._input_path(context)
        run_id = _run_of(context)
        if run_id is None:
            return self._read(folder)
        if _LOADED.run_id != run_id:
            _LOADED.run_id, _LOADED.values = run_id, {}
        identity = _identity(folder)
        cached = _LOADED.values.get(folder)
        if cached is None or cached[0] != identity:
            cached = _LOADED.values[folder] = (identity, self._read(folder))
        return cached[1]

    def _read(self, folder: Path):
        if not (folder / REST).exists():
            return read_frame(folder / FRAME)
        stored = read_values(folder / REST)
        value, frames = stored["value"], stored["frames"]
        fields: dict = (
            {
                f.name: getattr(value, f.name).located_in(folder)
                for f in dataclasses.fields(value)
                if isinstance(getattr(value, f.name), StoredTable)
            }
            if dataclasses.is_dataclass(value)
            else {}
        )
        for name, key in frames:
            if key is None:
                fields[name] = read_frame(folder / f"{name}.arrow")
            else:
                fields.setdefault(name, dict(getattr(value, name)))[key] = read_frame(folder / f"{name}.{key}.arrow")
        return dataclasses.replace(value, **fields) if fields else value


@dataclasses.dataclass
class _Loaded:
    """What the steps of one run in this process have loaded: output folder → (its `_identity`, the value)."""

    run_id: str | None = None
    values: dict = dataclasses.field(default_factory=dict)


_LOADED = _Loaded()


def _run_of(context: InputContext) -> str | None:
    """The run loading an input; None outside a run (an input context built by hand): then nothing is kept."""
    try:
        return context.step_context.run_id
    except DagsterInvariantViolationError:
        return None


def _safe_name(run_id: str) -> str:
    """A run id as a folder name (Dagster's are UUIDs; anything else is reduced to letters, digits, - and _)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in run_id) or "run"


def _identity(folder: Path) -> tuple[int, int]:
    """What changes when `_replace_folder` puts a new version of an output in place (a new folder: inode and ctime)."""
    info = os.stat(folder)
    return info.st_ino, info.st_ctime_ns


def _written(frame: pd.DataFrame, path: Path) -> bool:
    """Write `frame` to `path`; False (nothing written) when Arrow cannot hold it."""
    try:
        write_frame(frame, path)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        path.unlink(missing_ok=True)
        return False
    return True
