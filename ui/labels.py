"""Labels that show user text as text, and how a pinned note reads beside a client."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel


def plain_label(object_name: str = "") -> QLabel:
    """A label that never interprets user text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def pinned_line(text: str) -> str:
    """A pinned note as it shows beside the client: "★ allergic to lilies"."""
    return QCoreApplication.translate("ClientHeader", "★ {note}").format(note=text)
