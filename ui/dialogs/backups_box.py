"""The Backups part of Settings: where they are, which exist, back up now, restore, and
remove a copy made before a restore (thinning keeps those until the owner removes them)."""

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

from models.store.backups import Backup, BackupError, list_backups, remove_backup
from ui.confirm import confirm_delete, tell
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
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.setToolTip(self.tr("Remove a copy made before a restore"))
        self.remove_button.clicked.connect(self._ask_remove)
        self.list.currentRowChanged.connect(self._enable_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(now)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.remove_button)
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
            parts = [local_date_time(backup.taken_at), size]
            if backup.before_restore:
                parts.insert(1, self.tr("before a restore, kept until you remove it"))
            item = QListWidgetItem("  ·  ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, backup)
            self.list.addItem(item)
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        backup = self._selected()
        self.restore_button.setEnabled(backup is not None)
        # The daily ones are thinned by Rapport; only a copy made before a restore waits
        # for the owner.
        self.remove_button.setEnabled(backup is not None and backup.before_restore)

    def _selected(self) -> Backup | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _ask_remove(self) -> None:
        backup = self._selected()
        if backup is None or not confirm_delete(
            self,
            self.tr("the copy made before the restore of {taken_at}").format(
                taken_at=local_date_time(backup.taken_at)
            ),
            self.tr("Your data as it was before that restore will be gone for good."),
        ):
            return
        try:
            remove_backup(backup)
        except BackupError as error:
            tell(self, self.tr("Backups"), str(error))
        self.refresh()

    def _ask_restore(self) -> None:
        backup = self._selected()
        if backup is None:
            return
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
