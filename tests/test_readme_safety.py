"""The README's Safety section names a test beside each promise: each must exist, so that
a promise whose test is renamed or removed does not go on being made unchecked."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def named_tests(section: str) -> list[tuple[str, str | None]]:
    """(test file, test name or None for the whole file) for each one the section names;
    `::name` alone is another test of the file named before it in the same cell."""
    named = []
    for cell in re.findall(r"\| ([^|]*`test_[^|]*) \|\n", section):
        current = None
        for reference in re.findall(r"`([^`]+)`", cell):
            file, _, name = reference.partition("::")
            current = file or current
            named.append((current, name or None))
    return named


def test_every_promise_names_tests_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Safety", 1)[1].split("\n## ", 1)[0]
    named = named_tests(section)
    assert len({file for file, _ in named}) >= 10
    missing = []
    for file, name in named:
        path = ROOT / "tests" / file
        if not path.exists():
            missing.append(file)
            continue
        functions = {
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef)
        }
        if name is not None and name not in functions:
            missing.append(f"{file}::{name}")
    assert missing == []
