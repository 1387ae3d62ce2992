"""Opening the database when Rapport starts, with a message the user can act on."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from models.database import DatabaseOpenError
from models.migrations import open_database

log = logging.getLogger(__name__)


def open_database_or_explain(path: Path) -> bool:
    """Open and migrate `path`; on failure tell the user why, and return False."""
    try:
        open_database(path)
    except DatabaseOpenError as error:
        log.error("Cannot open %s: %s", path, error)
        QMessageBox.critical(None, "Rapport cannot open the database", str(error))
        return False
    log.info("Opened %s", path)
    return True
