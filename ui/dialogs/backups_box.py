"""The Backups part of Settings: where they are, which exist, back up now, restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from models.backups import Backup, list_backups
from ui.formatting import local_date_time


class BackupsBox(QGroupBox):
    def __init__(
        self,
        folder: Path,
        back_up_now: Callable[[], None],
        restore: Callable[[Backup], None],
        parent=None,
    ):
        super().__init__(parent)
        self.setTitle(self.tr("Backups"))
        self._folder, self._restore = folder, restore
        where = QLabel(
            self.tr("Rapport backs up your data every day and when it quits, into {folder}").format(
                folder=folder
            )
        )
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Backups"))
        self.list.setMaximumHeight(140)
        now = QPushButton(self.tr("Back up now"))
        now.clicked.connect(lambda: (back_up_now(), self.refresh()))
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.clicked.connect(self._ask_restore)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        buttons = QHBoxLayout()
        buttons.addWidget(now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        locale = QLocale()
        for backup in list_backups(self._folder):
            size = self.tr("{megabytes} MB").format(
                megabytes=locale.toString(backup.size / 1_000_000, "f", 1)
            )
            item = QListWidgetItem(f"{local_date_time(backup.taken_at)}  ·  {size}")
            item.setData(Qt.ItemDataRole.UserRole, backup)
            self.list.addItem(item)
        self.restore_button.setEnabled(self.list.currentRow() >= 0)

    def _ask_restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        backup = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(
            self,
            self.tr("Restore a backup"),
            self.tr(
                "Replace all of Rapport's data with the backup of {taken_at}?\n\n"
                "Your data as it is now is backed up first, so you can go back to it."
            ).format(taken_at=local_date_time(backup.taken_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._restore(backup)
            self.refresh()
