"""Pick one client by typing part of their name: the partner to link, say."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ui.dialogs.client_field import ClientField
from ui.labels import plain_label


class PickClientDialog(QDialog):
    """A field typed into, not a list of every client (100,000 names at a big studio);
    OK once a client is picked. Never offers `leave_out`."""

    def __init__(self, title: str, label: str, leave_out: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        words = plain_label()
        words.setText(label)
        self.field = ClientField(leave_out=leave_out)
        words.setBuddy(self.field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(self._allow_ok)
        self._allow_ok()
        layout = QVBoxLayout(self)
        layout.addWidget(words)
        layout.addWidget(self.field)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _allow_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.field.chosen_id() is not None)


def pick_client(parent: QWidget | None, title: str, label: str, leave_out: int) -> int | None:
    """The client picked; None when cancelled."""
    dialog = PickClientDialog(title, label, leave_out, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.field.chosen_id()
