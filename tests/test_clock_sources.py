"""Time is an input: only models/clock.py reads the system clock; everything else is handed
a `now`. A read elsewhere is a time bomb (a test that passes only on the day it was written),
so this test names each one."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_READS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QTime", "currentTime"),
    ("time", "time"),
}
ALLOWED = {ROOT / "models" / "clock.py"}


def _sources() -> list[Path]:
    files = [ROOT / "main.py", ROOT / "cli.py"]
    for folder in ("models", "scheduler", "ui"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [path for path in files if path not in ALLOWED]


def clock_reads(source: str) -> list[int]:
    """The lines of `source` that read the system clock."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in CLOCK_READS:
            lines.append(node.lineno)
    return lines


def test_the_check_finds_each_kind_of_clock_read():
    source = "date.today()\nx = datetime.now(UTC)\nQDateTime.currentDateTime()\nlater.now()\n"
    assert clock_reads(source) == [1, 2, 3]


def test_only_the_clock_module_reads_the_system_clock():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert found == []
