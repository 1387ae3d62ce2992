"""A line of the owner's text that gives way when the window is narrow: it ends in "…"
and its tooltip holds the whole text, instead of widening the window."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle

from ui.formatting import plain_tooltip

# Room enough for a first letter and the ellipsis: the layout never needs more.
SHORTEST = "W…"


class ElidedLabel(QLabel):
    """One line of plain text. text() is always the whole text; only the drawing is cut."""

    def __init__(self, object_name: str = "", parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # user text never renders as markup
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # As wide as its text at most, as narrow as "W…" at least.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        if object_name:
            self.setObjectName(object_name)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(SHORTEST) + 2 * self.margin()
        width += margins.left() + margins.right()
        return QSize(min(width, self.sizeHint().width()), self.sizeHint().height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self._room().width()

    def shown_text(self) -> str:
        """What the line shows at its present width."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self._room().width()
        )

    def _room(self):
        margin = self.margin()
        return self.contentsRect().adjusted(margin, margin, -margin, -margin)

    def _update_tooltip(self) -> None:
        self.setToolTip(plain_tooltip(self.text()) if self.is_elided() else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event) -> None:
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.drawFrame(painter)
        alignment = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        self.style().drawItemText(
            painter,
            self._room(),
            alignment,
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
