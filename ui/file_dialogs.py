"""Choosing a file to open or a place to save one: every file dialog of Rapport starts in
the folder the owner used last, or in their home folder the first time (not in whatever
folder Rapport was started from), and remembers the folder of each choice.

The folder is kept with QSettings, as the window's layout is (ui/window_layout.py); the
application names the QSettings to keep it in, so that tests never write the owner's own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_FOLDER = "files/last_folder"

_settings: list[QSettings] = []  # the one the application keeps folders in, if any


def remember_folders_in(settings: QSettings | None) -> None:
    """Keep the last folder in `settings` from now on (main.py, at start); None: forget."""
    _settings[:] = [settings] if settings is not None else []


def start_folder() -> Path:
    """The folder used last, while it still exists; else the home folder."""
    last = _settings[0].value(LAST_FOLDER, "") if _settings else ""
    folder = Path(str(last)) if last else Path.home()
    return folder if folder.is_dir() else Path.home()


def open_file(parent: QWidget | None, title: str, types: str) -> Path | None:
    """Ask for a file to read; None if the owner cancels."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), types)
    return _chosen(path)


def save_file(parent: QWidget | None, title: str, suggested_name: str, types: str) -> Path | None:
    """Ask where to write a file, suggesting `suggested_name`; None if the owner cancels."""
    suggested = start_folder() / suggested_name
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), types)
    return _chosen(path)


def _chosen(path: str) -> Path | None:
    if not path:
        return None
    if _settings:
        _settings[0].setValue(LAST_FOLDER, str(Path(path).parent))
    return Path(path)
