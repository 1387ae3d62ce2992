"""A client's face: their photo in a circle, or their initials in a coloured one (the
colour stable for each client). The same everywhere: the list, the page and Today."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap, QPixmapCache

from models.clients.photos import photo_of
from ui.photo import circle_pixmap

# Soft hues dark enough for white initials (4.5:1 at least) that still stand out on the
# dark scheme's background.
_COLOURS = ("#5777A9", "#428175", "#A36851", "#8769AD", "#8B7341", "#558152", "#AD5E78", "#487D97")


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def colour_for(client_id: int) -> QColor:
    return QColor(_COLOURS[client_id % len(_COLOURS)])


def paint_initials(painter: QPainter, rect: QRectF, client_id: int, name: str) -> None:
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


def face_pixmap(
    client_id: int, name: str, photo_version: str | None, size: int, ratio: float
) -> QPixmap:
    """The face at `size` logical pixels, made once per photo version and size; the
    photo is read from the database only then."""
    key = f"face:{client_id}:{size}:{ratio}:{photo_version or 'initials:' + name}"
    cached = QPixmapCache.find(key)
    if cached is not None:
        return cached
    image = photo_of(client_id) if photo_version else None
    pixmap = circle_pixmap(image, size, ratio) if image else None
    if pixmap is None:  # no photo, or one that cannot be read: the initials stand in
        pixmap = QPixmap(QSize(size, size) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        paint_initials(painter, QRectF(0, 0, size, size), client_id, name)
        painter.end()
    QPixmapCache.insert(key, pixmap)
    return pixmap
