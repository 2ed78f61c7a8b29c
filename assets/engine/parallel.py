"""Run one pure function over many items on several cores (forked worker processes), keeping the items' order."""

import gc
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, TypeVar

from tqdm import tqdm

from assets.domain.reading.decode import InputError

T = TypeVar("T")
MIN_ITEMS = 50  # fewer items than this are computed in this process: starting workers would cost more than it saves

_function: Callable | None = None  # what forked workers call; inherited at fork, so closures need no pickling


def _call(function: Callable[[int], T], index: int) -> T | InputError:
    try:
        return function(index)
    except InputError as err:
        return err  # a bad document is a result (the caller quarantines it), not a failure of the whole map


def _call_inherited(index: int):
    return _call(_function, index)


def parallel_map(function: Callable[[int], T], count: int, workers: int = 1, progress: str | None = None) -> list[T | InputError]:
    """`[function(0), …, function(count - 1)]`, in `workers` forked processes when there are enough items (else here).
    An InputError is returned in place of its item's result; any other error is raised. `progress` names a progress
    bar shown on a terminal."""
    with tqdm(total=count, desc=progress, unit="doc", disable=progress is None or not sys.stderr.isatty()) as bar:
        if workers <= 1 or count < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
            return _collect((_call(function, index) for index in range(count)), bar)
        global _function
        _function = function
        gc.freeze()  # forked workers then never run the collector over the inherited heap, which would copy its pages
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                chunk = max(1, min(64, count // (workers * 8)))
                return _collect(pool.map(_call_inherited, range(count), chunksize=chunk), bar)
        finally:
            gc.unfreeze()
            _function = None


def _collect(results: Iterable, bar: tqdm) -> list:
    """The results as a list, ticking the progress bar at each."""
    collected = []
    for result in results:
        collected.append(result)
        bar.update()
    return collected


def on_cores(workers: int) -> Callable[[Callable[[int], T], int], list[T]]:
    """`parallel_map` on `workers` cores as a mapper the domain code takes (deduplication compares pairs with it)."""
    return lambda function, count: parallel_map(function, count, workers)
