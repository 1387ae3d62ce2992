"""Snooze a reminder until a moment the owner picks."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from ui.dialogs.form_dialog import instant_edit


class SnoozeDialog(QDialog):
    def __init__(self, now: datetime, default: datetime, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Snooze until"))
        self.until = instant_edit(default)
        self.until.setMinimumDateTime(QDateTime(now.astimezone().replace(tzinfo=None)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setObjectName("formError")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Remind me again on:")))
        layout.addWidget(self.until)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """A typed day that is no day (or is past) says why, and the dialog stays."""
        self.problem.setText(self.until.problem())
        self.problem.setVisible(bool(self.until.problem()))
        if not self.until.problem():
            super().accept()

    def chosen(self) -> datetime:
        return self.until.dateTime().toPython().astimezone()


def pick_snooze_end(parent, now: datetime) -> datetime | None:
    """A moment after `now` that the owner picks (a day later at first), or None."""
    dialog = SnoozeDialog(now, now + timedelta(days=1), parent)
    return dialog.chosen() if dialog.exec() else None
