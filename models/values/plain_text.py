"""Text as people mean it: without the control characters nobody types on purpose (NUL,
escape, backspace...), which a paste, a damaged file or an attacker can bring in, and
which would be stored and exported raw. Imports and forms keep text by this one rule."""

from __future__ import annotations

import re

# C0 controls and DEL, but not tab and line breaks (\t \n \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS_AND_TABS = re.compile(r"\r\n|[\t\n\r]")


def without_controls(text: str) -> str:
    """`text` without control characters; tabs and line breaks stay (notes, addresses)."""
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """`text` for a one-line field: without control characters, and a tab or line break
    (pasted) becomes a space rather than joining two words."""
    return _LINE_BREAKS_AND_TABS.sub(" ", without_controls(text))
