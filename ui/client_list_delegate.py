"""Paints one client in the list: avatar, name, stage and time since last contact, and
what the filters or the order go by (a birthday this month, the lifetime value)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from models.values.kinds import STAGES
from ui.avatar import face_pixmap
from ui.client_list_model import (
    ClientIdRole,
    FactRole,
    HealthRole,
    PhotoRole,
    ReasonRole,
    SinceRole,
    StageRole,
)
from ui.formatting import vocabulary
from ui.health_dot import paint_health_dot

ROW_HEIGHT = 52
_PAD = 10
_AVATAR = 34
_DOT = 14


class ClientListDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # The width is the view's; asking for more would only add a horizontal scroll bar.
        return QSize(0, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        style = option.widget.style() if option.widget else None
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        rect = option.rect
        name = index.data(Qt.ItemDataRole.DisplayRole)
        if name is None:  # a row gone since the list was counted; the list reloads
            return
        avatar = QRectF(rect.left() + _PAD, rect.center().y() - _AVATAR / 2 + 1, _AVATAR, _AVATAR)
        ratio = painter.device().devicePixelRatioF()
        face = face_pixmap(index.data(ClientIdRole), name, index.data(PhotoRole), _AVATAR, ratio)
        painter.drawPixmap(avatar.topLeft(), face)
        health = index.data(HealthRole)
        if health is not None:  # on the avatar's lower right, like a presence dot
            dot = QRectF(avatar.right() - _DOT + 3, avatar.bottom() - _DOT + 3, _DOT, _DOT)
            paint_health_dot(painter, dot, health.level, option.palette)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_left = int(avatar.right()) + _PAD
        since_width = 56
        painter.save()
        painter.setPen(option.palette.color(role))
        name_rect = rect.adjusted(
            text_left - rect.left(), 8, -since_width - _PAD, -rect.height() // 2
        )
        elided = option.fontMetrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, elided
        )

        quiet = option.palette.color(role)
        quiet.setAlphaF(0.6)
        painter.setPen(quiet)
        # The second line: what the filters or the order go by (first: it is what was asked
        # for), then why a search found this client (a note, a child...), else the stage.
        detail_rect = rect.adjusted(
            text_left - rect.left(), rect.height() // 2 + 2, -since_width - _PAD, -6
        )
        found = index.data(ReasonRole) or vocabulary(STAGES[index.data(StageRole)])
        detail = " · ".join(part for part in (index.data(FactRole), found) if part)
        painter.drawText(
            detail_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            option.fontMetrics.elidedText(detail, Qt.TextElideMode.ElideRight, detail_rect.width()),
        )
        since_rect = rect.adjusted(rect.width() - since_width - _PAD, 0, -_PAD, 0)
        painter.drawText(
            since_rect,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            index.data(SinceRole),
        )
        painter.restore()
