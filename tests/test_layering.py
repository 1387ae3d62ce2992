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


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def violations(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for module in sorted(imported_modules(path)):
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
