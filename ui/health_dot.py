"""The coloured dot of relationship health (models/insight/health.py), the same in every view."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette

# Mid-tone colours with at least 3:1 against white and against the dark scheme's
# background (a dot is a graphic, WCAG 1.4.11); "new" and "past" are quiet on purpose.
COLOURS = {
    "good": QColor("#2E8B3E"),
    "fair": QColor("#B7791F"),
    "low": QColor("#C9302C"),
    "new": QColor("#7A8594"),
    "past": QColor("#7A8594"),
}
LABELS = {
    "good": QT_TRANSLATE_NOOP("HealthDot", "Good"),
    "fair": QT_TRANSLATE_NOOP("HealthDot", "Fair"),
    "low": QT_TRANSLATE_NOOP("HealthDot", "Needs care"),
    "new": QT_TRANSLATE_NOOP("HealthDot", "New"),
    "past": QT_TRANSLATE_NOOP("HealthDot", "Past"),
}


def health_label(level: str) -> str:
    """The word for a level of health, in the user's language."""
    return QCoreApplication.translate("HealthDot", LABELS[level])


def paint_health_dot(
    painter: QPainter,
    rect: QRectF,
    level: str,
    palette: QPalette,
    background: QPalette.ColorRole = QPalette.ColorRole.Base,
) -> None:
    """A dot ringed with the colour behind it, so it stands out where it overlaps."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(background))
    painter.drawEllipse(rect)
    painter.setBrush(COLOURS[level])
    painter.drawEllipse(rect.adjusted(2, 2, -2, -2))
    painter.restore()
