"""The first sync of an address book, before anything is written: each card that is or may
be a client here, ticked when certain (same card, same email) and left for the owner when
only possibly (same phone, same name); the cards that become new clients, and how many
clients get a card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from models.sync.first_sync import FirstSyncPlan


class FirstSyncDialog(QDialog):
    def __init__(self, plan: FirstSyncPlan, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("First sync of the address book"))
        self.resize(900, 560)
        self.plan = plan
        intro = QLabel(self._intro())
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.pairs = QTableWidget(len(plan.pairs), 3)
        self.pairs.setHorizontalHeaderLabels(
            [self.tr("Card in the address book"), self.tr("Client in Rapport"), self.tr("Why")]
        )
        self.pairs.verticalHeader().hide()
        self.pairs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pairs.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.pairs.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, pair in enumerate(plan.pairs):
            card = QTableWidgetItem(pair.card)
            card.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            card.setCheckState(Qt.CheckState.Checked if pair.certain else Qt.CheckState.Unchecked)
            card.setToolTip(self.tr("Ticked: the same person, merged. Not ticked: a new client."))
            self.pairs.setItem(row, 0, card)
            self.pairs.setItem(row, 1, QTableWidgetItem(pair.client))
            self.pairs.setItem(row, 2, QTableWidgetItem(pair.why))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        sync = buttons.button(QDialogButtonBox.StandardButton.Ok)
        sync.setText(self.tr("Sync"))
        sync.setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pairs, 1)
        layout.addWidget(buttons)

    def _intro(self) -> str:
        plan = self.plan
        said = [
            self.tr(
                "Nothing is written yet, here or in the address book. Tick each card that is "
                "the same person as the client beside it: the two are merged, and where both "
                "have a different value you choose later on the client's page. A card not "
                "ticked becomes a new client."
            ),
            self.tr("Cards that match a client here: {n}.").format(n=len(plan.pairs)),
            self.tr("Cards that become new clients: {n}.").format(n=len(plan.new_here)),
            self.tr("Clients that get a card: {n}.").format(n=plan.new_there),
        ]
        if plan.unreadable:
            unread = self.tr("Cards that cannot be read, left as they are: {n}.")
            said.append(unread.format(n=plan.unreadable))
        return said[0] + "\n" + " ".join(said[1:])

    def merges(self) -> dict[str, int]:
        """The ticked cards and their clients: href -> client id."""
        return {
            pair.href: pair.client_id
            for row, pair in enumerate(self.plan.pairs)
            if self.pairs.item(row, 0).checkState() == Qt.CheckState.Checked
        }
