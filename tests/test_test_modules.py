"""How the suite is put together: test modules share code through `tests/helpers.py` (and fixtures through
`conftest.py`), never by importing one another (checked on the source with `ast`, imports inside functions included)."""

import ast
from pathlib import Path

from tests.helpers import ROOT

TESTS = ROOT / "tests"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_test_module(name: str) -> bool:
    """A module pytest collects tests or fixtures from: `test_*.py` or `conftest.py`."""
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_test_modules(source: str, module: str) -> set[str]:
    """The test modules that `source` (the text of `module`) imports, relative imports resolved."""
    package = module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {n for n in names if n.split(".")[0] == "tests" and is_test_module(n)}


def test_the_checker_finds_imports_of_test_modules_in_every_form():
    source = (
        "import tests.test_a\nfrom tests.test_b import build\nfrom tests import test_c\nfrom . import test_d\n"
        "from .conftest import RAW\nfrom tests.helpers import build\n\ndef f():\n    from tests.adversarial.test_e import x\n"
    )
    found = imported_test_modules(source, "tests.adversarial.test_x")
    assert found == {
        "tests.test_a",
        "tests.test_b",
        "tests.test_c",
        "tests.adversarial.test_d",
        "tests.adversarial.conftest",
        "tests.adversarial.test_e",
    }


def test_no_test_module_imports_another():
    paths = sorted(TESTS.rglob("*.py"))
    assert TESTS / "helpers.py" in paths and len(paths) > 40
    offending = [
        f"{path.relative_to(ROOT)} imports {name}: move what it needs to tests/helpers.py or a conftest.py fixture"
        for path in paths
        for name in sorted(imported_test_modules(path.read_text(encoding="utf-8"), module_name(path)))
    ]
    assert not offending, "\n".join(offending)
