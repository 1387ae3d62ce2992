"""Rapport in the user's language: Qt's own texts (buttons of standard dialogs) and
Rapport's, from assets/translations/rapport_<language>.qm when there is one.

Make one: `.venv/bin/pyside6-lupdate ui models -ts assets/translations/rapport_de.ts`, translate
it with pyside6-linguist, then `.venv/bin/pyside6-lrelease` it into the .qm beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parent.parent / "assets" / "translations"


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> list[str]:
    """Load what exists for the locale's languages; the names of the files loaded."""
    locale = locale or QLocale()
    loaded = []
    for name, folder in (
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        ("rapport", str(TRANSLATIONS)),
    ):
        translator = QTranslator(app)  # the app keeps it alive
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            loaded.append(translator.filePath())
    log.info("Translations for %s: %s", locale.name(), loaded or "none, English")
    return loaded
