"""The Studio's colours, all taken from the widget's palette so that they read in a
light and a dark palette alike."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def accent(palette: QPalette) -> QColor:
    """The one accent colour: the palette's link colour (ui/style.py sets it)."""
    return palette.color(QPalette.ColorRole.Link)


def ink(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.WindowText)


def quiet(palette: QPalette) -> QColor:
    """Secondary text and empty marks: the text colour, faded towards the background."""
    return mix(palette.color(QPalette.ColorRole.Window), ink(palette), 0.6)


def mix(base: QColor, other: QColor, share: float) -> QColor:
    """`share` of `other` over `base` (0: base, 1: other), opaque."""
    return QColor.fromRgbF(
        *(b + (o - b) * share for b, o in zip(base.getRgbF()[:3], other.getRgbF()[:3], strict=True))
    )


def ink_on(fill: QColor, palette: QPalette) -> QColor:
    """Whichever of the palette's window and text colours reads better on `fill`."""
    window, text = palette.color(QPalette.ColorRole.Window), ink(palette)
    light, dark = (window, text) if window.lightness() > text.lightness() else (text, window)
    return dark if fill.lightness() > 140 else light
