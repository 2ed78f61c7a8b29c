"""What earlier validations found out about single rows, so that a build runs great-expectations only on rows no
earlier build has checked: which rows a row-wise expectation rejected (with the value it reported) and which rows'
spans stand in their document's text.

Each verdict is a pure function of the values it is keyed by, a 64-bit DuckDB hash (`warehouse.hashed_rows`): a row-wise
expectation reads one row (its published columns and derived `check_*` columns), a span check one row and its
document's text. The memo folder is named after everything else the verdicts depend on (`memo_key`: the suites, the rules and checks' code, the library
versions), so a change of any of them starts from an empty memo. It holds the verdicts of the last build's rows only:
it does not grow with history. Two different rows sharing a hash would share a verdict; among the few million rows of
10,000 plans that happens with a probability of about 10⁻⁷ per build.
"""

import hashlib
import json
import re
import shutil
import uuid
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from assets.engine.keys import code_files, files_fingerprint, rules_fingerprint
from assets.engine.portable import file_digest

# The code that decides a verdict: the validation run, the suites and the derived check columns.
CHECK_MODULES = ("assets.publishing.validation", "assets.publishing.suites", "assets.publishing.derived_checks")

# Expectation types whose verdict on a row depends on that row alone (when they carry no `mostly`, `row_condition` or
# `$PARAMETER`): great-expectations' other column-map types may read the whole column (uniqueness).
ROW_WISE_TYPES = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
    }
)
LIBRARIES = ("great_expectations", "pandas", "pyarrow", "duckdb")
FAILED, EXAMPLES = "failed.npz", "examples.json"  # in a memo folder: each check's rejected rows, the values reported
CHECKSUMS = "checksums.json"  # in a memo folder: the SHA-256 of each of its other files, checked when it is loaded
MEMO_NAME = re.compile(r"[0-9a-f]{16}|\.(tmp|old)-[0-9a-f]{32}")  # a memo folder (`memo_key`'s first 16 digits) or a save's temporary


def is_row_wise(expectation: dict) -> bool:
    """True when the expectation's verdict on a row depends on that row's values alone."""
    kwargs = expectation.get("kwargs", {})
    return (
        expectation["type"] in ROW_WISE_TYPES and not {"mostly", "row_condition"} & kwargs.keys() and "$PARAMETER" not in json.dumps(kwargs)
    )


def memo_key(suites: dict[str, dict]) -> str:
    """What the verdicts depend on besides the rows: the suites, the code of the checks (CHECK_MODULES and what they
    import), the domain rules and the versions of the libraries that compute and hash them."""
    digest = hashlib.sha256(rules_fingerprint().encode())
    digest.update(files_fingerprint(code_files(CHECK_MODULES)).encode())
    digest.update(json.dumps(suites, sort_keys=True, ensure_ascii=False).encode())
    for library in LIBRARIES:
        digest.update(f"\0{library}={version(library)}".encode())
    return digest.hexdigest()


class RowMemo:
    """The verdicts a previous validation left (`load`) and those this one gathers, which `save` writes: only the
    verdicts on rows of this build's tables, so removed rows leave the memo."""

    def __init__(
        self,
        seen: dict[str, np.ndarray] | None = None,
        failed: dict[str, tuple[np.ndarray, list]] | None = None,
        spans: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    ):
        self._seen = seen or {}  # table → hashes of the rows whose row-wise verdicts are known
        self._failed = failed or {}  # check → (hashes of the rows it rejected, the value reported for each)
        self._spans = spans or {}  # table → (span keys, each once, and the verdict of each)
        self.next_seen: dict[str, np.ndarray] = {}
        self.next_failed: dict[str, tuple[np.ndarray, list]] = {}
        self.next_spans: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def unseen(self, table: str, hashes: np.ndarray) -> np.ndarray:
        """Which rows (by hash) no earlier validation checked with the row-wise expectations: a boolean mask."""
        return ~_member(hashes, self._seen.get(table))

    def mark_seen(self, table: str, hashes: np.ndarray) -> None:
        """These rows' row-wise verdicts are all known now: the memo this validation saves holds them."""
        self.next_seen[table] = np.asarray(hashes)  # repeats and all: a lookup needs no unique values

    def verdicts(
        self, check: str, hashes: np.ndarray, unseen: np.ndarray, new_failures: dict[int, object], where: list[int] | None = None
    ) -> tuple[int, list]:
        """How many of the rows (by hash, in table order) `check` rejects and the values reported for the first five:
        for rows checked before, the remembered failures; for the `unseen` rows, checked now, `new_failures` (hash →
        value reported). `where`, when given, receives the positions of the rejected rows."""
        old_hashes, old_examples = self._failed.get(check, (np.zeros(0, np.uint64), []))
        new_hashes = np.fromiter(new_failures, dtype=np.uint64, count=len(new_failures))
        rejected = np.where(unseen, _member(hashes, new_hashes), _member(hashes, old_hashes))
        example_of = dict(zip(old_hashes.tolist(), old_examples)) | new_failures
        at = np.flatnonzero(rejected)
        if where is not None:
            where.extend(at.tolist())
        present = pd.unique(hashes[at])
        self.next_failed[check] = (present, [example_of[h] for h in present.tolist()])
        return len(at), [example_of[h] for h in hashes[at[:5]].tolist()]

    def spans(self, table: str, keys: np.ndarray, compute: Callable[[np.ndarray], list[bool]]) -> np.ndarray:
        """The span verdict of each row (by key): remembered, or `compute(positions)` for the rows not remembered."""
        old_keys, old_ok = self._spans.get(table, (np.zeros(0, np.uint64), np.zeros(0, bool)))
        at = pd.Index(old_keys).get_indexer(keys)  # -1 where not remembered
        out = np.where(at >= 0, old_ok[at] if len(old_ok) else False, False)
        missing = np.flatnonzero(at < 0)
        if len(missing):
            out[missing] = np.asarray(compute(missing), dtype=bool)
        first = ~pd.Series(keys).duplicated().to_numpy()
        self.next_spans[table] = (keys[first], out[first])
        return out

    def save(self, folder: Path) -> None:
        """Write what this validation gathered as the memo folder `folder` (written beside it, then renamed into place:
        a reader sees the old memo, the new one or none) and remove other memos beside it (folders named as `memo_key`
        names them, and leftovers of a killed save; nothing else)."""
        tmp = folder.with_name(f".tmp-{uuid.uuid4().hex}")
        tmp.mkdir(parents=True)
        for table, hashes in self.next_seen.items():
            np.save(tmp / f"seen.{table}.npy", hashes)
        # the rejected rows of all checks in one file (a file per check: 330 files read and written by every build)
        np.savez(tmp / FAILED, **{check: hashes for check, (hashes, _) in self.next_failed.items()})
        (tmp / EXAMPLES).write_text(
            json.dumps({check: examples for check, (_, examples) in self.next_failed.items()}, ensure_ascii=False), encoding="utf-8"
        )
        for table, (keys, ok) in self.next_spans.items():
            np.save(tmp / f"span_keys.{table}.npy", keys)
            np.save(tmp / f"span_ok.{table}.npy", ok)
        (tmp / CHECKSUMS).write_text(json.dumps({path.name: file_digest(path) for path in sorted(tmp.iterdir())}), encoding="utf-8")
        old = folder.with_name(f".old-{uuid.uuid4().hex}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        for other in folder.parent.iterdir():  # only what save() names so: other memos, leftovers of a killed save
            if other != folder and other.is_dir() and MEMO_NAME.fullmatch(other.name):
                shutil.rmtree(other, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> "RowMemo":
        """The memo in `folder` (its arrays memory mapped); an empty one when there is none (new rules or suites start
        afresh). Raises ValueError, naming the file, when one cannot be read."""
        if not folder.is_dir():
            return cls()
        try:
            digests = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{folder / CHECKSUMS}: missing or unreadable ({error!r})") from error
        files = {path.name for path in folder.iterdir()} - {CHECKSUMS}
        if files != set(digests):
            raise ValueError(f"{folder}: holds {sorted(files ^ set(digests))}, which {CHECKSUMS} does not list or lists but are gone")
        for name, digest in digests.items():
            if file_digest(folder / name) != digest:
                raise ValueError(f"{folder / name}: checksum differs from {CHECKSUMS} (changed or damaged)")
        seen, failed, spans = {}, {}, {}
        for path in sorted(folder.iterdir()):
            kind, _, rest = path.name.partition(".")
            name = rest.removesuffix(".npy")
            try:
                if kind == "seen":
                    seen[name] = np.load(path, mmap_mode="r", allow_pickle=False)
                elif path.name == FAILED:
                    examples = json.loads(folder.joinpath(EXAMPLES).read_text(encoding="utf-8"))
                    with np.load(path, allow_pickle=False) as arrays:
                        failed = {check: (arrays[check], examples[check]) for check in arrays.files}
                elif kind == "span_keys":
                    spans[name] = (np.load(path, allow_pickle=False), np.load(folder / f"span_ok.{name}.npy", allow_pickle=False))
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # a truncated or foreign file: say which
                raise ValueError(f"{path}: not a readable validation memo file ({error!r})") from error
        return cls(seen, failed, spans)


def _member(values: np.ndarray, known: np.ndarray | None) -> np.ndarray:
    """Which of `values` are in `known`: a hash-table lookup (pandas; numpy's sorting isin took seconds at 10,000 plans)."""
    if known is None or len(known) == 0:
        return np.zeros(len(values), dtype=bool)
    return pd.Series(values, copy=False).isin(known).to_numpy()
