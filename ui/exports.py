"""File > Export: vCards, a calendar of the yearly dates, or a full archive, written on a
worker thread (all or nothing: a failed export leaves no half file)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from models.calendar_export import write_calendar
from models.full_archive import write_archive
from models.vcard_export import write_vcards
from ui.background_work import BackgroundWork


class Exports(QObject):
    written = Signal(str)  # what was written where, for the status bar

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self.work = BackgroundWork(window)

    def vcards(self, client_ids: list[int] | None = None, name: str = "clients") -> None:
        self._export(
            "Export as vCard", f"{name}.vcf", "vCard (*.vcf)",
            lambda target: f"Wrote {write_vcards(target, client_ids)} clients to {target}",
        )  # fmt: skip

    def calendar(self) -> None:
        def write(target: Path) -> str:
            now = datetime.now(UTC)
            return f"Wrote {write_calendar(target, now.astimezone().date(), now)} dates to {target}"

        self._export(
            "Export the dates as a calendar", "rapport-dates.ics", "iCalendar (*.ics)", write
        )

    def archive(self) -> None:
        self._export(
            "Export everything", "rapport-archive.zip", "Rapport archive (*.zip)",
            lambda target: f"Wrote all {write_archive(target)} clients to {target}",
        )  # fmt: skip

    def _export(self, title: str, suggested: str, types: str, write: Callable[[Path], str]) -> None:
        path, _ = QFileDialog.getSaveFileName(self._window, title, suggested, types)
        if path:
            self.start(Path(path), write)

    def start(self, target: Path, write: Callable[[Path], str]) -> None:
        self.work.start(
            f"Writing {target.name}…", lambda: write(target), self.written.emit, self._failed
        )

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self._window, "Export failed", f"{message}\n\nNo file was written.")
