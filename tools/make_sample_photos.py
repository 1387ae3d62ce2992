"""Draw the sample clients's portrait placeholders into assets/sample_photos/.

Rapport ships no real people's faces: these are soft, painted head-and-shoulders
silhouettes on studio backdrops, enough to show how photos look in the window.
Run once (`.venv/bin/python tools/make_sample_photos.py`) and commit the JPEGs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QRadialGradient

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "sample_photos"
SIZE = 256

# (backdrop, light, skin, hair, clothes): one look per sample client with a photo.
LOOKS = {
    "anna-berger": ("#D9C7B8", "#F4EBE2", "#E8C4A8", "#6B4A2F", "#F2F0EC"),
    "maria-schneider": ("#9DB4C0", "#E4EEF2", "#E5BE9E", "#2E2A27", "#8C3B3B"),
    "emily-carter": ("#C7B3D1", "#F1EAF5", "#F0CDB5", "#C8A060", "#3D5A80"),
    "beat-keller": ("#A9B8A2", "#E9EFE6", "#D9AD8C", "#8A8A88", "#2F3E46"),
    "chloe-lefevre": ("#E0B8A8", "#FAEDE7", "#EFC9AE", "#3B2416", "#1F1F1F"),
    "elif-demir": ("#B8C4D6", "#EEF2F8", "#C99B78", "#1E1510", "#B5838D"),
}


def portrait(backdrop: str, light: str, skin: str, hair: str, clothes: str) -> QImage:
    image = QImage(SIZE, SIZE, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    glow = QRadialGradient(QPointF(SIZE * 0.45, SIZE * 0.35), SIZE * 0.8)
    glow.setColorAt(0, QColor(light))
    glow.setColorAt(1, QColor(backdrop))
    painter.fillRect(image.rect(), glow)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(clothes))
    painter.drawEllipse(QRectF(SIZE * 0.12, SIZE * 0.72, SIZE * 0.76, SIZE * 0.6))
    painter.setBrush(QColor(skin))
    painter.drawRoundedRect(QRectF(SIZE * 0.43, SIZE * 0.55, SIZE * 0.14, SIZE * 0.2), 8, 8)
    painter.setBrush(QColor(hair))
    painter.drawEllipse(QRectF(SIZE * 0.3, SIZE * 0.17, SIZE * 0.4, SIZE * 0.46))
    painter.setBrush(QColor(skin))
    painter.drawEllipse(QRectF(SIZE * 0.34, SIZE * 0.25, SIZE * 0.32, SIZE * 0.38))
    painter.end()
    return image


def main() -> None:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for name, look in LOOKS.items():
        target = OUT / f"{name}.jpg"
        portrait(*look).save(str(target), "JPEG", 85)
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
