"""A translation file, made with Qt's own tools from ui/, is loaded for the user's language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from ui import translations
from ui.translations import install_translations

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>UndoBar</name>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
</context>
</TS>
"""


def test_a_compiled_translation_is_used(qapp, tmp_path, monkeypatch):
    source = tmp_path / "rapport_de.ts"
    source.write_text(TS, encoding="utf-8")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(source)], check=True, capture_output=True, timeout=60)
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    loaded = install_translations(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        assert any(path.endswith("rapport_de.qm") for path in loaded)
        assert QCoreApplication.translate("UndoBar", "Undo") == "Rückgängig"
    finally:
        for translator in qapp.findChildren(translations.QTranslator):
            qapp.removeTranslator(translator)
            translator.deleteLater()
    assert QCoreApplication.translate("UndoBar", "Undo") == "Undo"
