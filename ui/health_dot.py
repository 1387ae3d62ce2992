"""The coloured dot of relationship health (models/health.py), the same in every view."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette

# Mid-tone colours that read against both a light and a dark background; "new" and
# "past" are quiet on purpose.
COLOURS = {
    "good": QColor("#3FA34D"),
    "fair": QColor("#E0A030"),
    "low": QColor("#D9534F"),
    "new": QColor("#8C96A3"),
    "past": QColor("#8C96A3"),
}
LABELS = {"good": "Good", "fair": "Fair", "low": "Needs care", "new": "New", "past": "Past"}


def paint_health_dot(painter: QPainter, rect: QRectF, level: str, palette: QPalette) -> None:
    """A dot ringed with the background colour, so it stands out where it overlaps."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawEllipse(rect)
    painter.setBrush(COLOURS[level])
    painter.drawEllipse(rect.adjusted(2, 2, -2, -2))
    painter.restore()
