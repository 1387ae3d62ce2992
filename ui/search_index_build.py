"""Building the search index of a database from before it, on a worker, with progress.

At 100,000 clients the build takes minutes: the window opens at once, says how far the
build is above the client list, and its search finds names, emails and phones alone
meanwhile (models/clients/finder.py falls back to them; the notice says so). Once the
index is built, the list searches anew with it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

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
        # Quitting waits for the chunk being written, not the whole build: the next start
        # builds the index again.
        QCoreApplication.instance().aboutToQuit.connect(self.stop)

    def stop(self) -> None:
        self._stopping = True

    def start_if_needed(self) -> bool:
        """Start the build if the open database waits for one; whether it started. An
        index in too many segments (after the build too) is tidied after it, unseen:
        search works meanwhile, and tries again at the next start if it fails."""
        database, building = db.obj, search_index_building()
        if building:
            self._worker.run(
                lambda: rebuild_search_index(database, self._report),
                lambda _: self.finished.emit(),
                self.failed.emit,
            )
        if building or search_index_untidy():
            QTimer.singleShot(_TIDY_AFTER_MS, self, lambda: self._tidy(database))
        return building

    def _tidy(self, database) -> None:
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
