"""Bytes to text for address-book files, whose exporters rarely say their encoding.

UTF-8 is tried strictly first (a stray Windows-1252 byte is never valid UTF-8 in
practice); anything else is Windows-1252, what Outlook and Excel on Windows write.
UTF-16 is recognised by its byte order mark (Excel's "Unicode text") or, without one, by
its zero bytes (every other byte of Latin text).

Line ends: iPhones end lines with CR CR LF, Windows with CR LF, the rest with LF; old Macs
with CR alone. In a file that has LFs, a CR that is not part of a line end is a line break
inside a value (Thunderbird writes them in notes) and stays one.
"""

from __future__ import annotations

import codecs
import re

# The readers drop control characters by the rule the forms keep too.
from models.plain_text import without_controls as without_controls

EMPTY_FILE = "The file is empty. Export your contacts again and choose that file."
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_END = re.compile(r"\r*\n")
_UTF16_SAMPLE = 4096  # bytes looked at to tell UTF-16 without a byte order mark
# Control characters never found in a text export; NUL stands for UTF-16 or binary files.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" (with a byte order mark), "utf-16-le" or "-be" (without one: most text has
    a zero byte in every other place, which UTF-8 and Windows-1252 text never has), or None.
    """
    if data.startswith(UTF16_BOMS):
        return "utf-16"
    sample = data[: _UTF16_SAMPLE & ~1]
    if len(sample) < 2:
        return None
    half = len(sample) // 2
    for encoding, zeros, others in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if zeros.count(0) * 2 > half and others.count(0) * 20 < half:
            return encoding
    return None


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the name of the encoding it was read with."""
    if encoding := utf16_encoding(data):
        return data.decode(encoding, errors="replace").removeprefix("\ufeff"), encoding
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
    if utf16_encoding(data):
        data = decode(data)[0].encode("utf-8")
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="surrogateescape")
    if "\n" not in text:
        return text.split("\r")
    return [line.replace("\r", "\n") for line in _LINE_END.split(text)]


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
    if utf16_encoding(data):
        return False
    sample = data[:65536]
    return len(_BINARY_BYTES.findall(sample)) * 100 > 5 * len(sample)
