"""Text compared the way people type it: case and accents do not matter."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """'Zoë' -> 'zoe', 'STRASSE' and 'Straße' -> 'strasse'; None -> ''."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
