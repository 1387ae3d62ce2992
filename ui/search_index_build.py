"""Building the search index of a database from before it, on a worker, with progress.

At 100,000 clients the build takes minutes: the window opens at once, says how far the
build is above the client list, and its search finds names, emails and phones alone
meanwhile (models/clients/finder.py falls back to them; the notice says so). Once the
index is built, the list searches anew with it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from background.database_worker import DatabaseWorker
from models.store.database import db
from models.store.search_index import (
    rebuild_search_index,
    search_index_building,
    search_index_untidy,
    tidy_search_index,
)

# Merging the index's segments (search_index.tidy_search_index) waits for the window to
# show and settle: it takes a core for seconds at 100,000 clients.
_TIDY_AFTER_MS = 3000


class SearchIndexBuild(QObject):
    progressed = Signal(int)  # percent done
    finished = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._worker = DatabaseWorker(self)
        self._stopping = False
        # A timer of its own, not a single shot: stopped with the window's when it closes.
        self._tidy_later = QTimer(self, singleShot=True, interval=_TIDY_AFTER_MS)
        self._tidy_later.timeout.connect(self._tidy)
        self._database = None  # whose index is built and tidied

    def stop(self) -> None:
        """Stop after the chunk being written (the window closes for good): the next start
        builds the index again."""
        self._stopping = True

    def start_if_needed(self) -> bool:
        """Start the build if the open database waits for one; whether it started. An
        index in too many segments (after the build too) is tidied after it, unseen:
        search works meanwhile, and tries again at the next start if it fails."""
        self._database = database = db.obj
        building = search_index_building()
        if building:
            self._worker.run(
                lambda: rebuild_search_index(database, self._report),
                lambda _: self.finished.emit(),
                self.failed.emit,
            )
        if building or search_index_untidy():
            self._tidy_later.start()
        return building

    def _tidy(self) -> None:
        database = self._database
        self._worker.run(
            lambda: search_index_untidy() and tidy_search_index(database, self._going),
            lambda _: None,
            lambda _message: None,  # logged by the worker
        )

    def _going(self) -> bool:
        return not self._stopping

    def _report(self, done: int, total: int) -> None:
        """On the worker: the share done, delivered on the main thread."""
        if self._stopping:
            raise BuildStopped("Rapport is quitting; the search index is built at the next start")
        self._worker.report(self.progressed.emit, done * 100 // max(total, 1))


class BuildStopped(Exception):
    pass
