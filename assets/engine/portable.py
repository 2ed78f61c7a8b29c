"""Values the build writes to the warehouse and reads back (cache indexes, stage state, step outputs) as checksummed
JSON with binary parts, never pickle: reading one builds only plain values and the classes registered here, so a file
someone else wrote can at worst hold wrong values, which its SHA-256 shows when they were not written by this module.

A file: the line `policy-measures values 1`, a JSON header line (`sha256` of what follows, the JSON's length, each
binary part's length), then the JSON and the binary parts (Arrow IPC tables and schemas, numpy arrays, bytes).
"""

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import json
import typing
from collections import Counter
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from assets.engine.atomic import replacing

MAGIC = b"policy-measures values 1\n"
INLINE_BYTES = 64  # bytes up to this long go inline (base64) rather than as a binary part
TAG = "$"


class DamagedFile(ValueError):
    """A values file that is missing its header, fails its checksum or holds something this module does not build."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


_CLASSES: dict[str, type] = {}  # "module.qualname" → class, for the classes values may hold
_CUSTOM: dict[str, tuple[type, Callable, Callable]] = {}  # name → (class, to plain values, from plain values)


def register(*classes: type) -> None:
    """Let values hold instances of these classes (dataclasses, or plain classes stored by their attributes), and of the
    dataclasses their fields are declared to hold (so a field added to a registered class needs no registration)."""
    for cls in classes:
        if _name(cls) in _CLASSES:
            continue
        _CLASSES[_name(cls)] = cls
        if dataclasses.is_dataclass(cls):
            try:
                hints = typing.get_type_hints(cls)
            except (NameError, TypeError):  # a forward reference this module cannot resolve: register by hand
                hints = {}
            register(*{t for hint in hints.values() for t in _types_in(hint) if dataclasses.is_dataclass(t)})


def _types_in(hint) -> list:
    """The classes a type hint names (`Placement | None` → Placement, NoneType)."""
    args = typing.get_args(hint)
    return [hint] if not args and isinstance(hint, type) else [t for arg in args for t in _types_in(arg)]


def register_custom(cls: type, encode: Callable[[object], object], decode: Callable[[object], object]) -> None:
    """Store instances of `cls` as `encode(value)` (plain values, bytes allowed) and build them back with `decode`."""
    _CUSTOM[_name(cls)] = (cls, encode, decode)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def write_values(path: Path, value) -> None:
    """`value` as a values file at `path`, written beside it and renamed (readers see the old file or the new one)."""
    blobs: list[bytes] = []
    document = json.dumps(_encode(value, blobs), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = hashlib.sha256(document)
    for blob in blobs:
        digest.update(blob)
    header = json.dumps({"sha256": digest.hexdigest(), "json": len(document), "parts": [len(b) for b in blobs]}).encode()
    with replacing(path) as tmp, open(tmp, "wb") as fh:
        fh.write(MAGIC + header + b"\n" + document)
        for blob in blobs:
            fh.write(blob)


def read_values(path: Path):
    """The value `write_values` wrote; DamagedFile when the file is not one, is truncated, fails its checksum or names
    a class that is not registered (OSError when it cannot be read at all)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(MAGIC):
        raise DamagedFile(path, "not a values file (no header)")
    end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC) : end])
        start = end + 1
        body = memoryview(data)[start:]
        if len(body) != header["json"] + sum(header["parts"]):
            raise DamagedFile(path, f"{len(body)} bytes after the header, {header['json'] + sum(header['parts'])} expected (truncated?)")
        if hashlib.sha256(body).hexdigest() != header["sha256"]:
            raise DamagedFile(path, "checksum differs: the file was changed or damaged after it was written")
        blobs, at = [], header["json"]
        for size in header["parts"]:
            blobs.append(body[at : at + size])
            at += size
        return _decode(json.loads(bytes(body[: header["json"]])), blobs)
    except DamagedFile:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, pa.ArrowException) as exc:
        raise DamagedFile(path, f"unreadable ({exc.__class__.__name__}: {exc})") from exc


def _encode(value, blobs: list[bytes]):
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [_encode(v, blobs) for v in value]
    if kind is dict:
        if TAG not in value and all(type(k) is str for k in value):
            return {k: _encode(v, blobs) for k, v in value.items()}
        return {TAG: "dict", "v": [[_encode(k, blobs), _encode(v, blobs)] for k, v in value.items()]}
    if kind is tuple:
        return {TAG: "tuple", "v": [_encode(v, blobs) for v in value]}
    if kind in (set, frozenset):
        return {TAG: kind.__name__, "v": [_encode(v, blobs) for v in value]}
    if kind is Counter:
        return {TAG: "Counter", "v": [[_encode(k, blobs), _encode(v, blobs)] for k, v in value.items()]}
    if isinstance(value, (bytes, bytearray, memoryview)):
        if len(value) <= INLINE_BYTES:
            return {TAG: "b64", "v": base64.b64encode(bytes(value)).decode()}
        return {TAG: "bytes", "i": _blob(blobs, bytes(value))}
    if isinstance(value, Path):
        return {TAG: "path", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {TAG: "date", "v": value.isoformat()}
    if isinstance(value, (np.integer, np.bool_, np.floating)):
        return _encode(value.item(), blobs)
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {TAG: "ndarray", "i": _blob(blobs, buffer.getvalue())}
    if isinstance(value, pd.DataFrame):
        return {TAG: "frame", "i": _blob(blobs, _ipc(pa.Table.from_pandas(value, preserve_index=False)))}
    if isinstance(value, pa.Table):
        return {TAG: "table", "i": _blob(blobs, _ipc(value))}
    if isinstance(value, pa.Schema):
        return {TAG: "schema", "i": _blob(blobs, value.serialize().to_pybytes())}
    name = _name(kind)
    if name in _CUSTOM:
        return {TAG: name, "c": _encode(_CUSTOM[name][1](value), blobs)}
    if name in _CLASSES:
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)} if dataclasses.is_dataclass(value) else vars(value)
        return {TAG: name, "f": {k: _encode(v, blobs) for k, v in fields.items()}}
    raise TypeError(f"a value of type {name} cannot be stored (not a plain value nor a registered class)")


def _decode(obj, blobs: list):
    if type(obj) is list:
        return [_decode(v, blobs) for v in obj]
    if type(obj) is not dict:
        return obj
    tag = obj.get(TAG)
    if tag is None:
        return {k: _decode(v, blobs) for k, v in obj.items()}
    if tag == "dict":
        return {_decode(k, blobs): _decode(v, blobs) for k, v in obj["v"]}
    if tag == "tuple":
        return tuple(_decode(v, blobs) for v in obj["v"])
    if tag in ("set", "frozenset"):
        return (set if tag == "set" else frozenset)(_decode(v, blobs) for v in obj["v"])
    if tag == "Counter":
        return Counter({_decode(k, blobs): _decode(v, blobs) for k, v in obj["v"]})
    if tag == "b64":
        return base64.b64decode(obj["v"])
    if tag == "bytes":
        return bytes(blobs[obj["i"]])
    if tag == "path":
        return Path(obj["v"])
    if tag == "datetime":
        return dt.datetime.fromisoformat(obj["v"])
    if tag == "date":
        return dt.date.fromisoformat(obj["v"])
    if tag == "ndarray":
        return np.load(io.BytesIO(bytes(blobs[obj["i"]])), allow_pickle=False)
    if tag == "frame":
        return _table(blobs[obj["i"]]).to_pandas()
    if tag == "table":
        return _table(blobs[obj["i"]])
    if tag == "schema":
        return pa.ipc.read_schema(pa.py_buffer(bytes(blobs[obj["i"]])))
    if tag in _CUSTOM:
        return _CUSTOM[tag][2](_decode(obj["c"], blobs))
    if tag in _CLASSES:
        return _instance(_CLASSES[tag], {k: _decode(v, blobs) for k, v in obj["f"].items()})
    raise ValueError(f"names {tag!r}, not a registered class")


def _instance(cls: type, fields: dict):
    """An instance of `cls` with these attributes, built without calling its `__init__`: a dataclass must get exactly its
    fields (a field added since with a default takes it; one missing without a default, or an unknown one, is an error)."""
    if dataclasses.is_dataclass(cls):
        declared = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(fields) - set(declared)
        if unknown:
            raise ValueError(f"{cls.__qualname__} has no field(s) {', '.join(sorted(unknown))}")
        for name, f in declared.items():
            if name not in fields:
                if f.default is not dataclasses.MISSING:
                    fields[name] = f.default
                elif f.default_factory is not dataclasses.MISSING:
                    fields[name] = f.default_factory()
                else:
                    raise ValueError(f"{cls.__qualname__}.{name} is missing")
    value = object.__new__(cls)
    for name, field_value in fields.items():
        object.__setattr__(value, name, field_value)
    return value


def _blob(blobs: list[bytes], data: bytes) -> int:
    blobs.append(data)
    return len(blobs) - 1


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _table(data) -> pa.Table:
    return pa.ipc.open_file(pa.py_buffer(bytes(data))).read_all()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (the checksum caches keep for each file they read back)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
