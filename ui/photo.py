"""Client photos in the window: a picked image made into a small square, and circles of it."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter, QPainterPath, QPixmap

STORED_SIZE = 256  # pixels per side: sharp in the header at 2x, small in the database
MAX_SOURCE_PIXELS = 80_000_000  # a bigger image is more likely a mistake than a face


class PhotoError(ValueError):
    """The file is not an image Rapport can use; the message says why."""


def square_photo(data: bytes) -> bytes:
    """The image's centre square, scaled to STORED_SIZE, as JPEG bytes."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # phone photos are often stored sideways, with EXIF
    size = reader.size()
    if size.isValid() and size.width() * size.height() > MAX_SOURCE_PIXELS:
        raise PhotoError(
            QCoreApplication.translate(
                "Photo", "The image is {width} by {height} pixels; pick a smaller one."
            ).format(width=size.width(), height=size.height())
        )
    if size.isValid() and min(size.width(), size.height()) > 2 * STORED_SIZE:
        # Decode at twice the size kept, not at 24 megapixels: a JPEG decoder scales while
        # it reads, so a phone photo is ready in milliseconds rather than a second.
        factor = 2 * STORED_SIZE / min(size.width(), size.height())
        reader.setScaledSize(QSize(round(size.width() * factor), round(size.height() * factor)))
    image = reader.read()
    if image.isNull():
        raise PhotoError(
            QCoreApplication.translate(
                "Photo", "This is not an image Rapport can read ({why})."
            ).format(why=reader.errorString())
        )
    side = min(image.width(), image.height())
    square = image.copy(
        (image.width() - side) // 2, (image.height() - side) // 2, side, side
    ).scaled(
        STORED_SIZE,
        STORED_SIZE,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    return _jpeg(square.convertToFormat(QImage.Format.Format_RGB32))


def _jpeg(image: QImage) -> bytes:
    out = QBuffer()
    out.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(out, "JPEG", 88)
    return bytes(out.data())


def circle_pixmap(data: bytes, size: int, ratio: float) -> QPixmap | None:
    """The photo cropped to a circle of `size` logical pixels; None if it cannot be read."""
    image = QImage.fromData(data)
    if image.isNull():
        return None
    side = min(image.width(), image.height())
    image = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(clip)
    painter.drawImage(QRectF(0, 0, size, size), image)
    painter.end()
    return pixmap
