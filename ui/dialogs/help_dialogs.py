"""Help: the keyboard shortcuts, and where Rapport keeps the data, backups and log."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenuBar,
    QVBoxLayout,
)

from ui.client_header import plain_label


def rapport_version() -> str:
    """The installed package's version (pyproject.toml), as `pip show rapport` says."""
    try:
        return version("rapport")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return QCoreApplication.translate("HelpDialog", "unknown (not installed)")


def shortcuts(menu_bar: QMenuBar) -> list[tuple[str, str]]:
    """(what, keys) for every menu command with a shortcut: the menus are the one list."""
    found = []
    for menu in (action.menu() for action in menu_bar.actions()):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                found.append((what, keys))
    return found


class HelpDialog(QDialog):
    """A list of (label, text) pairs, every text plain and selectable, and Close."""

    def __init__(self, title: str, intro: str, rows: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        if intro:
            text = plain_label()
            text.setText(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in rows:
            shown = plain_label()  # a path with "<" in it stays as typed
            shown.setText(value)
            shown.setWordWrap(True)
            form.addRow(label, shown)
            self.values[label] = shown
        layout.addLayout(form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)


def shortcuts_dialog(menu_bar: QMenuBar, parent=None) -> HelpDialog:
    more = [
        (
            QCoreApplication.translate("HelpDialog", "Delete"),
            QCoreApplication.translate("HelpDialog", "deletes what is selected, after asking"),
        ),
        (
            QCoreApplication.translate("HelpDialog", "Double-click a row"),
            QCoreApplication.translate("HelpDialog", "edits it; right-click for more"),
        ),
    ]
    return HelpDialog(
        QCoreApplication.translate("HelpDialog", "Keyboard shortcuts"),
        QCoreApplication.translate(
            "HelpDialog", "Ctrl+K finds any client or command by typing a few letters."
        ),
        [*shortcuts(menu_bar), *more],
        parent,
    )


def about_dialog(database: Path, backups: Path | None, log: Path | None, parent=None):
    unknown = QCoreApplication.translate("HelpDialog", "not set up in this window")
    return HelpDialog(
        QCoreApplication.translate("HelpDialog", "About Rapport"),
        QCoreApplication.translate(
            "HelpDialog", "Rapport {version}: contact care for your clients."
        ).format(version=rapport_version()),
        [
            (QCoreApplication.translate("HelpDialog", "Version"), rapport_version()),
            (QCoreApplication.translate("HelpDialog", "Your data"), str(database)),
            (
                QCoreApplication.translate("HelpDialog", "Backups"),
                str(backups) if backups else unknown,
            ),
            (QCoreApplication.translate("HelpDialog", "Log"), str(log) if log else unknown),
        ],
        parent,
    )
