"""The application's look: Fusion, a light palette, the stylesheet and icon in assets/."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ACCENT = QColor("#3D6FB6")


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F7F7F5"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1D2A3A"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1D2A3A"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#DCE7F7"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#1D2A3A"))
    palette.setColor(QPalette.ColorRole.Link, ACCENT)
    app.setPalette(palette)
    sheet = (ASSETS / "style.qss").read_text(encoding="utf-8")
    app.setStyleSheet(sheet.replace("@ASSETS@", ASSETS.as_posix()))
    app.setWindowIcon(QIcon(str(ASSETS / "rapport.svg")))
