"""Help: the keyboard shortcuts, the user guide, where Rapport keeps the data, backups and
log (each with Open folder), and About (the version, and the licence of every library
Rapport ships with, Qt's LGPL notice among them)."""

from __future__ import annotations

from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models.about import USER_GUIDE, bundled_libraries, rapport_version
from ui.client_header import plain_label


def tr(text: str) -> str:
    return QCoreApplication.translate("HelpDialog", text)


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


def open_folder(folder: Path) -> bool:
    """The folder in the desktop's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class HelpDialog(QDialog):
    """A list of (label, text) pairs, every text plain and selectable, and Close. A row
    given a folder has an Open folder button (disabled while the folder does not exist)."""

    def __init__(
        self,
        title: str,
        intro: str,
        rows: list[tuple[str, str]],
        parent=None,
        folders: dict[str, Path] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.layout_ = QVBoxLayout(self)
        if intro:
            text = plain_label()
            text.setText(intro)
            text.setWordWrap(True)
            self.layout_.addWidget(text)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        for label, value in rows:
            shown = plain_label()  # a path with "<" in it stays as typed
            shown.setText(value)
            shown.setWordWrap(True)
            self.values[label] = shown
            folder = (folders or {}).get(label)
            form.addRow(label, shown if folder is None else self._with_button(label, shown, folder))
        self.layout_.addLayout(form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_box = close
        self.layout_.addWidget(close)

    def _with_button(self, label: str, shown: QLabel, folder: Path) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(shown, 1)
        button = QPushButton(tr("Open folder"))
        button.setEnabled(folder.is_dir())
        button.clicked.connect(lambda: open_folder(folder))
        line.addWidget(button)
        self.open_buttons[label] = button
        return row


def shortcuts_dialog(menu_bar: QMenuBar, parent=None) -> HelpDialog:
    more = [
        (tr("Delete"), tr("deletes what is selected, after asking")),
        (tr("Double-click a row"), tr("edits it; right-click for more")),
    ]
    return HelpDialog(
        tr("Keyboard shortcuts"),
        tr("Ctrl+K finds any client or command by typing a few letters."),
        [*shortcuts(menu_bar), *more],
        parent,
    )


def data_dialog(database: Path, backups: Path | None, log: Path | None, parent=None):
    """Where the database, its backups and the log are, each folder one click away."""
    unknown = tr("not set up in this window")
    rows = {
        tr("Your data"): database,
        tr("Backups"): backups,
        tr("Log"): log,
    }
    return HelpDialog(
        tr("Your data, backups and log"),
        tr(
            "Everything Rapport knows is in one file, backed up every day. Removing Rapport "
            "leaves these files where they are; delete the folders to remove your data."
        ),
        [(label, str(path) if path else unknown) for label, path in rows.items()],
        parent,
        folders={
            label: (path.parent if label == tr("Your data") else path)
            for label, path in rows.items()
            if path is not None
        },
    )


def licences_text() -> str:
    """Each library Rapport runs on with its licence, then Qt's LGPL notice."""
    lines = [f"{lib.name} {lib.version}: {lib.licence}" for lib in bundled_libraries()]
    notice = tr(
        "Rapport uses Qt {qt} through PySide6 {pyside} (Qt for Python), both under the GNU "
        "Lesser General Public License version 3 (LGPL-3.0). Their source code is at "
        "https://download.qt.io/official_releases/ and https://code.qt.io/cgit/pyside/"
        "pyside-setup.git/ and the licence text at https://www.gnu.org/licenses/lgpl-3.0.html. "
        "You may replace the Qt and PySide6 libraries Rapport uses with versions of your "
        "own: they are ordinary shared libraries, in _internal/PySide6 in the installed "
        "folder (/opt/rapport), or in your Python's site-packages."
    ).format(qt=qVersion(), pyside=pyside_version)
    return "\n".join([*lines, "", notice])


def about_dialog(parent=None) -> HelpDialog:
    dialog = HelpDialog(
        tr("About Rapport"),
        tr("Rapport {version}: contact care for your clients.").format(version=rapport_version()),
        [(tr("Version"), rapport_version()), (tr("Qt"), qVersion())],
        parent,
    )
    dialog.licences = QPlainTextEdit(licences_text())  # plain text: nothing is markup
    dialog.licences.setReadOnly(True)
    dialog.licences.setMinimumHeight(260)
    dialog.layout_.insertWidget(dialog.layout_.count() - 1, QLabel(tr("Libraries and licences")))
    dialog.layout_.insertWidget(dialog.layout_.count() - 1, dialog.licences)
    dialog.resize(640, 520)
    return dialog


def user_guide_dialog(parent=None, guide: Path = USER_GUIDE) -> QDialog | None:
    """The user guide shipped with Rapport, as formatted text; None when it is missing."""
    try:
        text = guide.read_text(encoding="utf-8")
    except OSError:
        return None
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("Rapport user guide"))
    layout = QVBoxLayout(dialog)
    dialog.browser = QTextBrowser()
    dialog.browser.setOpenExternalLinks(True)
    dialog.browser.setMarkdown(text)  # our own file, not user text
    layout.addWidget(dialog.browser)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    layout.addWidget(close)
    dialog.resize(760, 640)
    return dialog
