"""Work that can wait until the window is on screen: run once it has been painted.

QTimer.singleShot(0) alone is not "after the first paint": a zero timer set before
show() fires in the event loop's first pass, before the window system asks for the first
paint, so whatever it runs (the scheduler's imports, a worker holding the GIL) delays
the window the owner waits for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# A window that is never painted (shown on no screen, minimized before it was mapped)
# must not keep what waits for it from running (the database opening behind main.py's
# frame, the reminders): after this long it runs all the same.
AT_THE_LATEST_MS = 3000


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, work: Callable[[], None]):
        super().__init__(widget)
        self._work: Callable[[], None] | None = work
        widget.installEventFilter(self)
        QTimer.singleShot(AT_THE_LATEST_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._work is not None:
            # Once this paint has reached the screen, not in the middle of it.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        work, self._work = self._work, None
        if work is None:
            return  # the paint came first and the latest time later, or the other way
        self.parent().removeEventFilter(self)
        work()


def after_first_paint(widget: QWidget, work: Callable[[], None]) -> None:
    """Run `work` once, as soon as `widget` has been painted for the first time (or after
    AT_THE_LATEST_MS if it never is). Call before showing it; on a widget already shown,
    `work` waits for its next paint (of what was just changed in it)."""
    _FirstPaint(widget, work)
