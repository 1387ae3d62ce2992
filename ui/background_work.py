"""Long work (an import, an export) on a worker thread, with a progress dialog the owner
can cancel where cancelling is safe; the window stays responsive meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from scheduler.database_job import DatabaseWorker


class BackgroundWork(QObject):
    SHOW_EVERY = 0.05  # seconds

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self._worker = DatabaseWorker(self)
        self.progress: QProgressDialog | None = None  # while work runs
        self.cancel_requested = threading.Event()
        self._shown_at = 0.0  # time.monotonic() of the last progress shown

    def start(
        self,
        text: str,
        work: Callable[[], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[str], None],
        cancellable: bool = False,
    ) -> None:
        """Run `work()` on the worker thread; then `on_done(result)` or `on_failed(why)`
        on this thread, once the progress dialog is gone."""
        self.cancel_requested.clear()
        self.progress = QProgressDialog(
            text, self.tr("Cancel") if cancellable else "", 0, 0, self._window
        )
        if not cancellable:
            self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.cancel_requested.set)
        self._worker.run(
            work,
            lambda result: self._after(on_done, result),
            lambda message: self._after(on_failed, message),
        )

    def stop(self) -> None:
        """Cancel what can be cancelled and wait for the worker: before the database closes."""
        self.cancel_requested.set()
        self._worker.wait()

    def report_progress(self, done: int, total: int) -> bool:
        """From the worker thread: show how far it got; False once the owner cancelled.
        Shown at most every SHOW_EVERY seconds (and at the end): one report per person
        of 50,000 kept the window busy redrawing the bar."""
        now = time.monotonic()
        if done == total or done == 0 or now - self._shown_at >= self.SHOW_EVERY:
            self._shown_at = now
            self._worker.report(self._show_progress, (done, total))
        return not self.cancel_requested.is_set()

    def _show_progress(self, counts: tuple[int, int]) -> None:
        if self.progress is not None:
            self.progress.setMaximum(counts[1])
            self.progress.setValue(counts[0])

    def _after(self, then: Callable[[object], None], value: object) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()  # closing it is not the owner cancelling
            # reset() also stops the timer that shows the dialog once its minimum duration
            # has passed: closed before it ever showed (a quick read), it would otherwise
            # still pop up, modal, over the dialog `then` opens (deleteLater waits for that
            # dialog's own event loop to end).
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        then(value)
