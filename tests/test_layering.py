"""The import direction of the layers: ui -> scheduler -> models, never back.

models/ holds data and rules and must run without Qt; scheduler/ may use QtCore
(its QtScheduler lives in the Qt event loop) but never widgets or ui/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "models": ("ui", "scheduler", "PySide6"),
    "scheduler": ("ui", "PySide6.QtWidgets", "PySide6.QtGui"),
}


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module the file imports, relative imports read from its `package`."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute_module(node, package)
            modules.update([module] if module else [])
            modules.update(".".join(filter(None, (module, a.name))) for a in node.names)
    return modules


def absolute_module(node: ast.ImportFrom, package: str) -> str:
    """The module `from ..ui import x` means in scheduler/ ("ui"); "" for `from .. import`
    at the top."""
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")
    base = parts[: max(len(parts) - (node.level - 1), 0)]
    return ".".join([*base, *filter(None, [node.module])])


def violations(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        package = ".".join(path.relative_to(folder.parent).parent.parts)
        for module in sorted(imported_modules(path, package)):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.name} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_higher_ones(package):
    assert list((ROOT / package).glob("*.py"))
    assert violations(ROOT / package, FORBIDDEN[package]) == []


def test_the_check_catches_forbidden_imports(tmp_path):
    (tmp_path / "bad.py").write_text(
        "from PySide6.QtWidgets import QWidget\nimport ui.main_window\nimport uikit\n"
    )
    assert violations(tmp_path, FORBIDDEN["scheduler"]) == [
        "bad.py imports PySide6.QtWidgets",
        "bad.py imports PySide6.QtWidgets.QWidget",
        "bad.py imports ui.main_window",
    ]


def test_the_check_reads_relative_imports(tmp_path):
    package = tmp_path / "scheduler"
    (package / "jobs").mkdir(parents=True)
    (package / "fine.py").write_text("from . import database_job\nfrom .jobs import backups\n")
    (package / "up.py").write_text("from ..ui import main_window\n")
    (package / "jobs" / "deep.py").write_text("from ... import ui\nfrom .. import fine\n")
    assert violations(package, FORBIDDEN["scheduler"]) == [
        "deep.py imports ui",
        "up.py imports ui",
        "up.py imports ui.main_window",
    ]
    assert imported_modules(package / "jobs" / "deep.py", "scheduler.jobs") == {
        "ui",
        "scheduler",
        "scheduler.fine",
    }
