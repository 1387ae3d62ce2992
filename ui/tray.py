"""The tray icon: how many reminders are due, and a way back to Today."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

ICON_SIZE = 64


class Tray(QSystemTrayIcon):
    today_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent=None):
        super().__init__(icon, parent)
        self._base_icon = icon
        self.count = 0
        menu = QMenu()
        menu.addAction(self.tr("Today")).triggered.connect(self.today_requested)
        menu.addSeparator()
        menu.addAction(self.tr("Quit Rapport")).triggered.connect(self.quit_requested)
        self._menu = menu  # the tray does not own its menu
        self.setContextMenu(menu)
        self.activated.connect(self._on_activated)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = count
        self.setToolTip(
            self.tr("Rapport — %n due", "", count) if count else self.tr("Rapport — nothing due")
        )
        self.setIcon(self._badged(count) if count else self._base_icon)

    def _badged(self, count: int) -> QIcon:
        pixmap = self._base_icon.pixmap(ICON_SIZE, ICON_SIZE)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = QRectF(ICON_SIZE * 0.45, 0, ICON_SIZE * 0.55, ICON_SIZE * 0.55)
        painter.setBrush(QColor("#C0392B"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(badge)
        font = QFont(QApplication.font())
        font.setPixelSize(int(ICON_SIZE * 0.34))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
        painter.end()
        return QIcon(pixmap)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.today_requested.emit()
