"""The people the owner wrote to this month who are not in Rapport: tick the ones to
add as leads, or the ones never to be offered again. Nobody is added on their own."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from models.capture.mail_store import MailStranger
from ui.formatting import local_date

ADD, DISMISS = "add", "dismiss"


class LeadsDialog(QDialog):
    def __init__(self, people: Sequence[MailStranger], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("People not in Rapport"))
        self.setMinimumSize(640, 360)
        self.action = ""
        intro = QLabel(
            self.tr(
                "You wrote to them this month. Tick the ones to add as leads, each with "
                "their email address."
            )
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.people = QListWidget()
        for person in people:
            shown = f"{person.name} <{person.address}>" if person.name else person.address
            wrote = self.tr("wrote {day}").format(day=local_date(person.wrote_at))
            item = QListWidgetItem(f"{shown}  ·  {wrote}")
            item.setData(Qt.ItemDataRole.UserRole, person.address)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.people.itemChanged.connect(self._enable)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.add_button = QPushButton(self.tr("Add as leads"))
        self.add_button.setProperty("primary", True)
        self.dismiss_button = QPushButton(self.tr("Don't offer again"))
        for button, action in ((self.add_button, ADD), (self.dismiss_button, DISMISS)):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.people, 1)
        layout.addWidget(buttons)
        self._enable()

    def ticked(self) -> list[str]:
        """The addresses ticked."""
        items = (self.people.item(row) for row in range(self.people.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _enable(self, *_item: object) -> None:
        for button in (self.add_button, self.dismiss_button):
            button.setEnabled(bool(self.ticked()))

    def _choose(self, action: str) -> None:
        self.action = action
        self.accept()
