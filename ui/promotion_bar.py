"""A quiet bar on the client page: "Anna has booked 3 times. Make Anna a client?"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from ui.client_header import plain_label


class PromotionBar(QFrame):
    accepted = Signal()
    declined = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("promotionBar")
        self.text = plain_label("promotionText")
        self.text.setWordWrap(True)  # a long name wraps rather than widen the window
        self.accept_button = QPushButton(self.tr("Make a client"))
        self.accept_button.setProperty("primary", True)
        self.accept_button.clicked.connect(self.accepted)
        self.later_button = QPushButton(self.tr("Not now"))
        self.later_button.clicked.connect(self.declined)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.later_button)
        self.hide()

    def show_suggestion(self, text: str | None) -> None:
        self.text.setText(text or "")
        self.setVisible(bool(text))
