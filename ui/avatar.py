"""Initials in a coloured circle, the colour stable for each client."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

# Soft, mid-tone hues that keep white initials readable.
_COLOURS = ("#5B7DB1", "#4E9A8B", "#B5735A", "#8A6BB0", "#A0844B", "#5E8F5B", "#B0607A", "#4F8AA6")


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def colour_for(client_id: int) -> QColor:
    return QColor(_COLOURS[client_id % len(_COLOURS)])


def paint_avatar(painter: QPainter, rect: QRectF, client_id: int, name: str) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour_for(client_id))
    painter.drawEllipse(rect)
    font = QFont(painter.font())
    font.setPixelSize(max(8, int(rect.height() * 0.38)))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()
