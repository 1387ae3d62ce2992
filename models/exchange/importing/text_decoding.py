"""Bytes to text for address-book files, whose exporters rarely say their encoding.

UTF-8 is tried strictly first (a stray Windows-1252 byte is never valid UTF-8 in
practice). For anything else, vCards fall back to Windows-1252 (their values may name
their own CHARSET); a CSV file's encoding is detected by charset-normalizer
(`guess_encoding`), which on a short file is often unsure: the CSV reader then asks
instead of importing mojibake. UTF-16 is recognised by its byte order mark (Excel's
"Unicode text") or, without one, by its zero bytes (every other byte of Latin text).

Line ends: iPhones end lines with CR CR LF, Windows with CR LF, the rest with LF; old Macs
with CR alone. In a file that has LFs, a CR that is not part of a line end is a line break
inside a value (Thunderbird writes them in notes) and stays one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# The readers drop control characters by the rule the forms keep too.
from models.values.plain_text import without_controls as without_controls
from models.values.words import QT_TRANSLATE_NOOP

EMPTY_FILE = "The file is empty. Export your contacts again and choose that file."
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_END = re.compile(r"\r*\n")
UTF16_SAMPLE = 4096  # bytes looked at to tell UTF-16 without a byte order mark
# Control characters never found in a text export; NUL stands for UTF-16 or binary files.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" (with a byte order mark), "utf-16-le" or "-be" (without one: most text has
    a zero byte in every other place, which UTF-8 and Windows-1252 text never has), or None.
    """
    if data.startswith(UTF16_BOMS):
        return "utf-16"
    sample = data[: UTF16_SAMPLE & ~1]
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


# The encodings address-book exporters write (Windows' and the old Unix ones per
# script), with the names people know them by. charset-normalizer only weighs these:
# DOS code pages and the like would only add wrong guesses for a short file.
ENCODINGS = {
    "cp1252": QT_TRANSLATE_NOOP("Encodings", "Windows-1252 (Western European)"),
    "iso8859_15": QT_TRANSLATE_NOOP("Encodings", "ISO-8859-15 (Western European)"),
    "mac_roman": QT_TRANSLATE_NOOP("Encodings", "Mac Roman (Western European)"),
    "cp1250": QT_TRANSLATE_NOOP("Encodings", "Windows-1250 (Central European)"),
    "iso8859_2": QT_TRANSLATE_NOOP("Encodings", "ISO-8859-2 (Central European)"),
    "cp1251": QT_TRANSLATE_NOOP("Encodings", "Windows-1251 (Cyrillic)"),
    "koi8_r": QT_TRANSLATE_NOOP("Encodings", "KOI8-R (Russian)"),
    "koi8_u": QT_TRANSLATE_NOOP("Encodings", "KOI8-U (Ukrainian)"),
    "cp1253": QT_TRANSLATE_NOOP("Encodings", "Windows-1253 (Greek)"),
    "cp1254": QT_TRANSLATE_NOOP("Encodings", "Windows-1254 (Turkish)"),
    "cp1255": QT_TRANSLATE_NOOP("Encodings", "Windows-1255 (Hebrew)"),
    "cp1256": QT_TRANSLATE_NOOP("Encodings", "Windows-1256 (Arabic)"),
    "cp1257": QT_TRANSLATE_NOOP("Encodings", "Windows-1257 (Baltic)"),
    "cp932": QT_TRANSLATE_NOOP("Encodings", "Shift_JIS (Japanese)"),
    "euc_jp": QT_TRANSLATE_NOOP("Encodings", "EUC-JP (Japanese)"),
    "gb18030": QT_TRANSLATE_NOOP("Encodings", "GB18030 (Chinese, simplified)"),
    "big5": QT_TRANSLATE_NOOP("Encodings", "Big5 (Chinese, traditional)"),
    "cp949": QT_TRANSLATE_NOOP("Encodings", "EUC-KR (Korean)"),
}
# The names of the encodings read for certain, for the window and the command line.
_NAMES = ENCODINGS | {
    "utf-8": QT_TRANSLATE_NOOP("Encodings", "UTF-8 (Unicode)"),
    "utf-8-sig": QT_TRANSLATE_NOOP("Encodings", "UTF-8 (Unicode)"),
    "utf-16": QT_TRANSLATE_NOOP("Encodings", "UTF-16 (Unicode)"),
    "utf-16-le": QT_TRANSLATE_NOOP("Encodings", "UTF-16 (Unicode)"),
    "utf-16-be": QT_TRANSLATE_NOOP("Encodings", "UTF-16 (Unicode)"),
}
# Characters 0x80-0x9F decoded as controls: never text, so never the right encoding.
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_PLAUSIBLE_CHAOS = 0.1  # charset-normalizer's "mess" above the best guess still worth naming


@dataclass(frozen=True)
class EncodingGuess:
    encoding: str  # a Python codec name; the likeliest
    likely: tuple[str, ...]  # the encodings that read the file as plausible text, likeliest first
    sure: bool  # False: the likely ones read it differently, and nothing tells which is right


def encoding_name(encoding: str) -> str:
    """ "Shift_JIS (Japanese)" for "cp932" (the window translates it, context
    "Encodings"); a codec Rapport does not name, as it is written."""
    return _NAMES.get(encoding, encoding)


def guess_encoding(data: bytes) -> EncodingGuess:
    """How `data` is encoded: UTF-16 and UTF-8 for certain; else charset-normalizer's
    guess, sure only when one reading stands out, or when Windows-1252 (what Outlook and
    Excel write on Western Windows) reads as well as any and looks like Western text."""
    if encoding := utf16_encoding(data):
        return EncodingGuess(encoding, (encoding,), True)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _guessed(data)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    return EncodingGuess(encoding, (encoding,), True)


def _guessed(data: bytes) -> EncodingGuess:
    from charset_normalizer import from_bytes  # loaded on the first non-UTF-8 file only

    found = [
        match
        for match in from_bytes(data, cp_isolation=list(ENCODINGS))
        if not _C1_CONTROLS.search(str(match))
    ]
    if not found:
        return EncodingGuess("cp1252", ("cp1252",), False)
    best = found[0]
    plausible = [m for m in found if m.chaos <= best.chaos + _PLAUSIBLE_CHAOS]
    # One reading may come from several encodings (the same bytes mean the same letters).
    names = [_preferred(m.could_be_from_charset) for m in plausible]
    # On a short file the detector often ties Windows-1252 with Windows-1250 or -1257
    # (Núñez or Núńez): the tie goes to what Windows in Western Europe and the Americas
    # writes, when its reading looks like Western text.
    western = next((m for m in plausible if "cp1252" in m.could_be_from_charset), None)
    if western and western.chaos <= best.chaos and looks_western(str(western)):
        return EncodingGuess("cp1252", tuple(dict.fromkeys(["cp1252", *names])), True)
    return EncodingGuess(names[0], tuple(dict.fromkeys(names)), len(plausible) == 1)


# A symbol stuck to a letter: "Wi¶niewski", "£ukasz" (Polish read as Western European).
_SYMBOL_IN_WORD = re.compile(r"(?:[^\W\d_]|^)[^\w\s\x00-\x7f]+[^\W\d_]|[^\W\d_][^\w\s\x00-\x7f]+\w")
_WORD = re.compile(r"[^\W\d_]+")


def looks_western(text: str) -> bool:
    """Whether `text`, read as Windows-1252, looks like Western European text: accented
    letters within mostly plain words ("Müller", "Núñez", "été"), not words made of them
    alone ("Ïåòðîâ" is Петров read wrongly) nor symbols inside words."""
    if _SYMBOL_IN_WORD.search(text):
        return False
    accented = plain = 0
    for word in _WORD.findall(text):
        high = sum(1 for letter in word if ord(letter) > 0x7F)
        if high:
            accented += high
            plain += len(word) - high
    return accented <= 3 * plain  # French "été à" is accented, Cyrillic read wrongly all so


def _preferred(encodings: list[str]) -> str:
    """Of encodings that read the file alike, Windows-1252, else the first known one."""
    known = [e for e in ENCODINGS if e in encodings]
    return known[0] if known else encodings[0]


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The text of `data` and the name of the encoding it was read with: `encoding` if
    given, else UTF-16, UTF-8 or Windows-1252 (a vCard's values may name their own)."""
    if not encoding:
        encoding = utf16_encoding(data) or ""
    if encoding:
        text = data.decode(encoding, errors="replace")
        return text.removeprefix("\ufeff"), encoding
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
