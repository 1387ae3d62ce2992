"""What bench/first_paint.py and bench/bare_window.py share: marking the phases of a
start, noting a window's first Paint event, and leaving the process with a one-line report
(at that paint, or later: report_and_exit).

At the first paint the process writes the line PAINTED; bench/run.py times the start from
spawn to that line (so neither the exit nor what runs after the paint is counted). The
report is one JSON line on stdout, last:
{"peak_rss_kib": ..., "peak_rss_kib_at_end": ..., "phases": {"imports": seconds since the
first mark, ...}, "after_first_paint": {phase: seconds, ...}}
"peak_rss_kib" and "phases" are as at the first paint; "after_first_paint" holds the phases
marked after it, when the process goes on (watch_first_paint) instead of ending there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QTimer

from bench.memory import peak_rss_kib

# The line written at the first paint, before the report.
PAINTED = "painted"
# A start that never paints must not hang the benchmark.
GIVE_UP_AFTER_MS = 120_000

_marks: list[tuple[str, float]] = [("start", time.perf_counter())]
_at_first_paint: dict[str, int] = {}  # "marks": how many marks then, "peak_rss_kib"


def mark(phase: str) -> None:
    """Note that `phase` just ended."""
    _marks.append((phase, time.perf_counter()))


def _phases(marks: list[tuple[str, float]]) -> dict[str, float]:
    """Seconds each phase took, in the order they ran."""
    return {name: round(end - start, 6) for (_, start), (name, end) in pairwise(marks)}


def report_and_exit(code: int) -> None:
    painted = _at_first_paint.get("marks", len(_marks))
    report = {
        "peak_rss_kib": _at_first_paint.get("peak_rss_kib") or peak_rss_kib(),
        "peak_rss_kib_at_end": peak_rss_kib(),
        "phases": _phases(_marks[:painted]),
        "after_first_paint": _phases(_marks[painted - 1 :]),
    }
    print(json.dumps(report), flush=True)
    sys.stderr.flush()
    # os._exit, not app.quit(): tearing down threads, the scheduler and the database is
    # not part of the start, and would only add noise to the time the parent measures.
    os._exit(code)


class _FirstPaint(QObject):
    def __init__(self, window, then_exit: bool):
        super().__init__(window)
        self._then_exit = then_exit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not _at_first_paint:
            mark("show_to_first_paint")
            print(PAINTED, flush=True)  # the parent notes the time it reads this
            _at_first_paint.update(marks=len(_marks), peak_rss_kib=peak_rss_kib())
            if self._then_exit:
                report_and_exit(0)
        return False


def watch_first_paint(window, then_exit: bool = False) -> None:
    """Call before window.show(): mark its first paint (and end the process there, with
    `then_exit`; else report_and_exit() ends it)."""
    window.installEventFilter(_FirstPaint(window, then_exit))
    QTimer.singleShot(GIVE_UP_AFTER_MS, lambda: report_and_exit(1))


def exit_at_first_paint(window) -> None:
    """Call before window.show(): the process ends when the window is first painted."""
    watch_first_paint(window, then_exit=True)
