"""The layers of the code, bottom to top, and that no module imports a layer above its own (checked on the source
with `ast`, imports inside functions included)."""

import ast
from pathlib import Path

from tests.helpers import ROOT

# Package prefix → layer (higher may import lower or equal; the longest matching prefix counts).
LAYERS = {
    "assets.catalog": 0,
    "assets.domain": 1,
    "assets.domain.reading": 1,
    "assets.domain.extracting": 2,
    "assets.domain.dedup": 2,
    "assets.engine": 3,
    "assets.publishing": 4,
    "assets": 5,  # the Dagster assets
    "pipelines": 6,  # jobs, definitions and the command-line tools
}


def layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def modules() -> dict[str, Path]:
    found = {}
    for package in ("assets", "pipelines"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {n for n in names if n.split(".")[0] in ("assets", "pipelines")}


def test_no_module_imports_a_layer_above_its_own():
    known = modules()
    upward = [
        f"{module} (layer {layer(module)}) imports {name} (layer {layer(name)})"
        for module, path in sorted(known.items())
        for name in sorted(imported(module, path))
        if name in known and layer(name) > layer(module)
    ]
    assert not upward, "\n".join(upward)


def test_the_check_sees_the_imports_it_judges():
    known = modules()
    assert "assets.domain.reading.documents" in known and "assets.catalog.schema" in known
    assert "assets.domain.reading.normalize" in imported("assets.domain.reading.documents", known["assets.domain.reading.documents"])
    assert layer("assets.domain.reading.normalize") < layer("assets.engine.cache") < layer("assets.publishing.warehouse")
    assert layer("assets.publishing.warehouse") < layer("assets.measures") < layer("pipelines.build")


def test_the_domain_touches_no_files_caches_or_processes():
    """Pure domain code: text in, rows out. Its vocabularies come from the catalog (`vocabulary`), files from the engine."""
    banned_modules = {"multiprocessing", "concurrent", "threading", "shutil", "tempfile", "subprocess", "os", "dagster"}
    file_calls = {"read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "rename", "replace_file"}
    offenders = []
    for module, path in modules().items():
        if layer(module) not in (1, 2):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                offenders += [f"{module} imports {a.name}" for a in node.names if a.name.split(".")[0] in banned_modules]
            elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in banned_modules:
                offenders.append(f"{module} imports {node.module}")
            elif isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
                if called == "open" and isinstance(node.func, ast.Name) or called in file_calls:
                    offenders.append(f"{module} line {node.lineno} calls {called}")
    assert not offenders, "\n".join(offenders)


def test_relative_and_function_level_imports_are_resolved(tmp_path):
    source = tmp_path / "probe.py"
    source.write_text("from ...engine import cache\n\ndef f():\n    from assets.publishing.warehouse import DB_NAME\n", encoding="utf-8")
    names = imported("assets.domain.reading.probe", source)
    assert {"assets.engine.cache", "assets.publishing.warehouse"} <= names
    assert all(layer(n) > layer("assets.domain.reading.probe") for n in ("assets.engine.cache", "assets.publishing.warehouse"))
