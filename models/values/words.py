"""Marking the words of models/' vocabularies for translation, without Qt.

The window translates them where it shows them (ui/formatting.vocabulary, context
"Vocabulary"); Qt's pyside6-lupdate finds them by this function's name.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text
