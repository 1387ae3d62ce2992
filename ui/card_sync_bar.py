"""On the client page: what address-book sync needs the owner to know. A field changed both
here and in the address book ("Nickname: here “Nan”, in the address book “Annie”") with
a choice of the two, and a client whose card was deleted from the address book. And the
question whether deleting a client deletes their card too."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.sync.conflicts import ShownConflict, conflicts_of
from models.sync.state import removed_from_address_book
from ui.client_header import plain_label


class CardSyncBar(QFrame):
    resolve_requested = Signal(int, bool)  # the conflict's id; take the address book's?

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("promotionBar")  # the same quiet bar as the promotion's
        self.removed = plain_label("cardRemoved")
        self.removed.setWordWrap(True)
        self.removed.setText(
            self.tr(
                "Removed from the address book: their card was deleted there. The client "
                "and their history stay here."
            )
        )
        self.title = plain_label("cardConflictsTitle")
        self.title.setWordWrap(True)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.removed)
        layout.addWidget(self.title)
        layout.addWidget(self.rows)
        self.hide()

    def show_client(self, client_id: int) -> None:
        self.client_id = client_id
        conflicts = conflicts_of(client_id)
        removed = removed_from_address_book(client_id)
        self.removed.setVisible(removed)
        self._show_conflicts(conflicts)
        self.setVisible(removed or bool(conflicts))

    def _show_conflicts(self, conflicts: list[ShownConflict]) -> None:
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self.title.setVisible(bool(conflicts))
        self.rows.setVisible(bool(conflicts))
        self.title.setText(
            self.tr(
                "Changed both here and in the address book. Nothing was overwritten: "
                "choose which to keep."
            )
        )
        for row, conflict in enumerate(conflicts):
            text = self.tr("{field}: here “{ours}”, in the address book “{theirs}”").format(
                field=conflict.field, ours=conflict.ours, theirs=conflict.theirs
            )
            label = plain_label("cardConflict")
            label.setWordWrap(True)
            label.setText(text)
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(self._button(self.tr("Keep this one"), conflict.id, False), row, 1)
            self.grid.addWidget(
                self._button(self.tr("Take the address book's"), conflict.id, True), row, 2
            )
        self.grid.setColumnStretch(0, 1)

    def _button(self, text: str, conflict_id: int, take_theirs: bool) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self.resolve_requested.emit(conflict_id, take_theirs))
        return button


def confirm_delete_with_card(parent: QWidget, name: str, consequence: str) -> bool | None:
    """Deleting a client who has a card in the address book: delete the card too (True),
    keep it there (False), or delete nothing (None)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Confirm", "Delete?"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        QCoreApplication.translate(
            "CardSyncBar", "Delete {name}? Their card is in the address book too."
        ).format(name=name)
    )
    box.setInformativeText(consequence)
    with_card = box.addButton(
        QCoreApplication.translate("CardSyncBar", "Delete client and card"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    client_only = box.addButton(
        QCoreApplication.translate("CardSyncBar", "Delete client, keep card"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return {with_card: True, client_only: False}.get(box.clickedButton())
