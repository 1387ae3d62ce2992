"""Render assets/rapport.svg into the hicolor PNG sizes the desktop's menus use (the
scalable icon is the SVG itself, copied when the package is built).

    .venv/bin/python tools/render_icons.py    (commit what it writes to packaging/linux/icons/)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.about import APP_ID  # noqa: E402

SVG = ROOT / "assets" / "rapport.svg"
ICONS = ROOT / "packaging" / "linux" / "icons" / "hicolor"
SIZES = (48, 128, 256)


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])  # QSvgRenderer paints with the GUI's font and raster code
    for size in SIZES:
        target = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        render(size).save(str(target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
