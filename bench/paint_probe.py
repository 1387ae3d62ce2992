"""What bench/first_paint.py and bench/bare_window.py share: marking the phases of a
start, and leaving the process at a window's first Paint event with a one-line report.

The report is one JSON line on stdout, read by bench/run.py:
{"peak_rss_kib": ..., "phases": {"imports": seconds since the first mark, ...}}
"""

from __future__ import annotations

import json
import os
import sys
import time
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QTimer

from bench.memory import peak_rss_kib

# A start that never paints must not hang the benchmark.
GIVE_UP_AFTER_MS = 120_000

_marks: list[tuple[str, float]] = [("start", time.perf_counter())]


def mark(phase: str) -> None:
    """Note that `phase` just ended."""
    _marks.append((phase, time.perf_counter()))


def _phases() -> dict[str, float]:
    """Seconds each phase took, in the order they ran."""
    return {name: round(end - start, 6) for (_, start), (name, end) in pairwise(_marks)}


def _report_and_exit(code: int) -> None:
    print(json.dumps({"peak_rss_kib": peak_rss_kib(), "phases": _phases()}), flush=True)
    sys.stderr.flush()
    # os._exit, not app.quit(): tearing down threads, the scheduler and the database is
    # not part of the start, and would only add noise to the time the parent measures.
    os._exit(code)


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            mark("show_to_first_paint")
            _report_and_exit(0)
        return False


def exit_at_first_paint(window) -> None:
    """Call before window.show(): the process ends when the window is first painted."""
    probe = _FirstPaint(window)
    window.installEventFilter(probe)
    QTimer.singleShot(GIVE_UP_AFTER_MS, lambda: _report_and_exit(1))
