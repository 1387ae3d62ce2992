"""Bytes to text for address-book files, whose exporters rarely say their encoding.

UTF-8 is tried strictly first (a stray Windows-1252 byte is never valid UTF-8 in
practice); anything else is Windows-1252, what Outlook and Excel on Windows write.
UTF-16 is recognised by its byte order mark (Excel's "Unicode text").
"""

from __future__ import annotations

import codecs
import re

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# Control characters never found in a text export; NUL stands for UTF-16 or binary files.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the name of the encoding it was read with."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(
            codecs.BOM_UTF8
        ) else "utf-8"
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; they cannot be text, so they become "?".
        return data.decode("cp1252", errors="replace"), "cp1252"


def decode_lines(data: bytes) -> list[str]:
    """The physical lines of `data`, each decoded on its own (files get concatenated)."""
    if data.startswith(UTF16_BOMS):
        data = decode(data)[0].encode("utf-8")
    data = data.removeprefix(codecs.BOM_UTF8)
    return [decode(raw)[0] for raw in _LINE_BREAK.split(data)]


def looks_binary(data: bytes) -> bool:
    """True for images, archives, spreadsheets: more than 1 in 100 bytes are controls."""
    if data.startswith(UTF16_BOMS):
        return False
    sample = data[:65536]
    return len(_BINARY_BYTES.findall(sample)) * 100 > len(sample)
