"""The layout of the code: the composition root (`incidents.app`) imports every stage, and no
stage, nor the core every stage shares, imports it back.

Read from the source with `ast`, imports inside functions included, so a lazy import that
would only fail (or cycle) when its command runs is caught here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSITION_ROOT = "incidents.app"
STAGES = ("crawlers", "nlp", "graph", "dashboard", "incidents")
"""Packages that must not import the composition root (`incidents` outside `incidents/app`)."""


def module_name(path: Path, root: Path) -> str:
    """`incidents/store/locks.py` -> `incidents.store.locks`; a package's `__init__.py` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved; `from
    package import name` gives `package.name` too, since `name` may be a module."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module
            found.append((node.lineno, source))
            found += [(node.lineno, f"{source}.{alias.name}") for alias in node.names]
    return found


def imports_root(name: str) -> bool:
    return name == COMPOSITION_ROOT or name.startswith(COMPOSITION_ROOT + ".")


def stage_files() -> list[Path]:
    files = [path for stage in STAGES for path in sorted((ROOT / stage).rglob("*.py"))]
    return [path for path in files if not path.relative_to(ROOT).as_posix().startswith("incidents/app/")]


def test_no_stage_nor_the_core_imports_the_composition_root():
    offenders = {}  # one line per import statement, naming the first module of the root it reaches
    for path in stage_files():
        for line, name in imported_modules(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if imports_root(name):
                offenders.setdefault(where, f"{where} imports {name}")
    offenders = list(offenders.values())
    assert offenders == [], ("incidents.app (command line, run, demo) is the composition root: only it may import "
                             "every stage, and nothing outside it may import it:\n" + "\n".join(offenders))


def test_the_check_reads_every_stage():
    files = {path.relative_to(ROOT).as_posix() for path in stage_files()}
    for stage in STAGES:
        assert any(name.startswith(stage + "/") for name in files), f"no module of {stage}/ was read"
    assert not any(name.startswith("incidents/app/") for name in files)


@pytest.mark.parametrize(("where", "source"), [
    ("dashboard/x.py", "from incidents.app.runner import run_all"),
    ("dashboard/x.py", "import incidents.app.cli"),
    ("dashboard/x.py", "def f():\n    from incidents import app"),
    ("incidents/x.py", "from .app import cli"),
    ("incidents/x.py", "from . import app"),
    ("incidents/store/x.py", "from ..app.runner import run_all"),
])
def test_the_check_sees_every_spelling_of_an_import_of_the_root(tmp_path, where, source):
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n", encoding="utf-8")
    assert any(imports_root(name) for _, name in imported_modules(path, tmp_path))


def test_the_check_lets_a_sibling_of_the_root_pass(tmp_path):
    path = tmp_path / "incidents" / "store" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("from ..errors import IncidentsError\nfrom . import locks\nimport incidents.application_notes\n",
                    encoding="utf-8")
    assert not any(imports_root(name) for _, name in imported_modules(path, tmp_path))
