"""What earlier validations found out about single rows, so that a build runs great-expectations only on rows no
earlier build has checked: which rows a row-wise expectation rejected (with the value it reported) and which rows'
spans stand in their document's text.

Each verdict is a pure function of the values it is keyed by, a 64-bit DuckDB hash (`warehouse.hashed_rows`): a row-wise
expectation reads one row (its published columns and derived `check_*` columns), a span check one row and its
document's text. The memo file is named after everything else the verdicts depend on (`memo_key`: the suites, the rules and checks' code, the library
versions), so a change of any of them starts from an empty memo. It holds the verdicts of the last build's rows only:
it does not grow with history. Two different rows sharing a hash would share a verdict; among the few million rows of
10,000 plans that happens with a probability of about 10⁻⁷ per build.
"""

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from assets.engine.keys import code_files, files_fingerprint, rules_fingerprint
from assets.engine.portable import DamagedFile, read_values, write_values

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
# A memo (`memo_key`'s first 16 digits), the temporary of a save (`portable.write_values`), or an older layout's.
MEMO_NAME = re.compile(r"\.?[0-9a-f]{16}(\.[0-9a-f]{8})?|\.(tmp|old)-[0-9a-f]{32}")


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

    def save(self, path: Path) -> None:
        """Write what this validation gathered as the memo file `path` (a checksummed `portable` values file, swapped in
        atomically) and remove other memos beside it (named as `memo_key` names them, and leftovers of a killed save;
        nothing else)."""
        if path.is_dir():  # the folder of an older layout
            shutil.rmtree(path)
        write_values(
            path,
            {
                "seen": self.next_seen,
                "failed": {check: [hashes, examples] for check, (hashes, examples) in self.next_failed.items()},
                "spans": {table: [keys, ok] for table, (keys, ok) in self.next_spans.items()},
            },
        )
        for other in path.parent.iterdir():
            if other != path and MEMO_NAME.fullmatch(other.name):
                shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> "RowMemo":
        """The memo in `path`; an empty one when there is none (new rules or suites start afresh). Raises ValueError,
        naming the file, when it cannot be read or does not hold a memo."""
        if not path.is_file():
            return cls()
        try:
            value = read_values(path)
            seen = {str(t): np.asarray(h, dtype=np.uint64) for t, h in value["seen"].items()}
            failed = {str(c): (np.asarray(h, dtype=np.uint64), list(e)) for c, (h, e) in value["failed"].items()}
            spans = {str(t): (np.asarray(k, dtype=np.uint64), np.asarray(ok, dtype=bool)) for t, (k, ok) in value["spans"].items()}
        except (OSError, DamagedFile, KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"{path}: not a readable validation memo ({error})") from error
        if any(len(h) != len(e) for h, e in failed.values()) or any(len(k) != len(ok) for k, ok in spans.values()):
            raise ValueError(
                f"{path}: not a validation memo (rejected rows and reported values, or span keys and verdicts, differ in number)"
            )
        return cls(seen, failed, spans)


def _member(values: np.ndarray, known: np.ndarray | None) -> np.ndarray:
    """Which of `values` are in `known`: a hash-table lookup (pandas; numpy's isin sorts both arrays)."""
    if known is None or len(known) == 0:
        return np.zeros(len(values), dtype=bool)
    return pd.Series(values, copy=False).isin(known).to_numpy()
