"""Fixtures the tests share, and the fast/slow split.

A test is `slow` when it builds a warehouse, runs Dagster, drives the browser or starts the command-line tools; every
other test is fast (`make quick` runs ruff and the fast tests, `make test` everything). Slow tests are marked in two
places: here, every test that requests one of BUILD_FIXTURES (directly or through another fixture); in the test
module, `pytestmark = pytest.mark.slow` or `@pytest.mark.slow` for the others. `tests.helpers.build` refuses to run in
a test not marked slow, so a build cannot slip into the fast set unnoticed.
"""

import shutil
from pathlib import Path

import pytest

from tests import helpers
from tests.helpers import RAW, build

BUILD_FIXTURES = {"seed_release", "raw_copy", "every_form"}  # each builds a warehouse, or copies raw/ for a build


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILD_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    helpers.in_fast_test = item.get_closest_marker("slow") is None  # before any fixture of the test is set up


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A temporary copy of the bundled raw/ folder."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, release folder) of one build and release of the bundled raw/, shared by the read-only tests."""
    import datetime as dt

    from assets.publishing.release_bundle import cut_release

    root = tmp_path_factory.mktemp("seed")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    warehouse = root / "warehouse"
    build(raw, warehouse)
    release = cut_release(warehouse / "current", warehouse / "releases", dt.date(2026, 11, 22))
    return warehouse, release
