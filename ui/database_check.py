"""File → Check database: SQLite's checks and the repair of unreadable text, on a worker
thread; then what was found and done, in words."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from models.database_check import CheckReport, check_database
from ui.background_work import BackgroundWork
from ui.confirm import tell


class DatabaseCheck(QObject):
    """One check: start it with `run`; it says what it found, then is gone."""

    repaired = Signal()  # text was repaired: what is shown may have changed

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self.work = BackgroundWork(window)  # its progress dialog stands over the window
        self.work.setParent(self)  # and it goes with this check

    def run(self) -> None:
        self.work.start(
            self.tr("Checking the database…"), check_database, self._report, self._failed
        )

    def _report(self, report: CheckReport) -> None:
        if report.repaired:
            self.repaired.emit()
        title = (
            self.tr("The database is damaged") if report.damaged else self.tr("Database checked")
        )
        icon = QMessageBox.Icon.Critical if report.damaged else QMessageBox.Icon.Information
        tell(self._window, title, "\n\n".join(report.sentences()), icon)
        self.deleteLater()

    def _failed(self, message: str) -> None:
        tell(self._window, self.tr("The check could not run"), message)
        self.deleteLater()
