"""Python's cycle collector runs on the Qt main thread only.

Automatic collection runs in whichever thread happens to allocate, such as the
desktop notifications' asyncio thread. A cycle collected there that holds Qt
objects destroys them off the UI thread, and Qt crashes. So automatic
collection is switched off and a timer collects on the main thread instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 1000


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due_generations)
        self._timer.start(CHECK_EVERY_MS)


def collect_due_generations() -> None:
    """Collect the oldest generation whose allocation count passed its threshold."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
    if due:
        gc.collect(max(due))
