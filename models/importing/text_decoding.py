"""Bytes to text for address-book files, whose exporters rarely say their encoding.

UTF-8 is tried strictly first (a stray Windows-1252 byte is never valid UTF-8 in
practice); anything else is Windows-1252, what Outlook and Excel on Windows write.
UTF-16 is recognised by its byte order mark (Excel's "Unicode text").
"""

from __future__ import annotations

import codecs
import re

# The readers drop control characters by the rule the forms keep too.
from models.plain_text import without_controls as without_controls

EMPTY_FILE = "The file is empty. Export your contacts again and choose that file."
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters never found in a text export; NUL stands for UTF-16 or binary files.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the name of the encoding it was read with."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; they cannot be text, so they become "?".
        return data.decode("cp1252", errors="replace"), "cp1252"
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def decode_lines(data: bytes) -> list[str]:
    """The physical lines of `data`, read as UTF-8 with any other byte kept as a surrogate.

    The final decoding waits for `redecode` on each unfolded value: a folded line may
    split a character, and a vCard value may declare its own CHARSET.
    """
    if data.startswith(UTF16_BOMS):
        data = decode(data)[0].encode("utf-8")
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="surrogateescape")
    return _LINE_BREAK.split(text)


def redecode(text: str, charset: str = "") -> str:
    """`text` from decode_lines, its non-UTF-8 bytes read as `charset` or Windows-1252."""
    raw = text.encode("utf-8", errors="surrogateescape")
    return decode_bytes(raw, charset)


def decode_bytes(raw: bytes, charset: str = "") -> str:
    """UTF-8 when `raw` is valid UTF-8, else `charset` (when Python knows it), else cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(charset or "cp1252")
    except (LookupError, UnicodeError, ValueError):
        return raw.decode("cp1252", errors="replace")


def looks_binary(data: bytes) -> bool:
    """True for images, archives, spreadsheets: in text, control characters are rare
    (a stray one must not make a file unreadable); in compressed data, 1 byte in 10."""
    if data.startswith(UTF16_BOMS):
        return False
    sample = data[:65536]
    return len(_BINARY_BYTES.findall(sample)) * 100 > 5 * len(sample)
