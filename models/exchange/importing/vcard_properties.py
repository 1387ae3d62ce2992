"""The properties of one vCard (2.1, 3.0 or 4.0) as plain text, whatever the exporter did.

vobject splits each line into group, name, parameters and value. What it gets wrong or
leaves out is done here: unfolding (vobject's takes a folded line holding only spaces
for a blank line, and loses the card), quoted-printable soft line breaks and unindented
base64 lines, decoding each value once unfolded with its declared CHARSET (vobject
raises on a bad one), vCard 2.1's bare parameters (`TEL;CELL;PREF:`) as types, and
unescaping.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from vobject.base import ParseError, parseLine

from models.exchange.importing.text_decoding import decode_bytes, redecode, without_controls

# The start of a property whose value is quoted-printable, or base64.
_QUOTED_PRINTABLE = re.compile(r"[^:]*;(ENCODING=)?QUOTED-PRINTABLE[;:]", re.IGNORECASE)
_BASE64 = re.compile(r"[^:]*;(ENCODING=)?(B|BASE64)[;:]", re.IGNORECASE)
_HEAD = 1000  # where a property's parameters must have ended: no scanning a long value
# Bare 2.1 parameters that say how the value is written, not what kind it is.
_ENCODINGS = {"quoted-printable", "base64", "b", "8bit", "7bit"}


@dataclass(frozen=True)
class Property:
    name: str  # upper case: "EMAIL"
    group: str  # lower case, "" when none: Apple's "item1"
    params: dict[str, list[str]]  # upper-case names
    types: frozenset[str]  # lower case: TYPE values and 2.1 bare parameters ("cell", "pref")
    value: str  # quoted-printable decoded, still backslash-escaped
    line: int  # in the file, 1-based
    # 2.1 exporters write a quoted-printable text as it is: no backslash escapes in it.
    quoted_printable: bool = False
    # ENCODING=b, or a bare 2.1 parameter (Mac Address Book's PHOTO;BASE64:), lower case.
    encoding: str = ""

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0] if values else ""

    @property
    def is_base64(self) -> bool:
        return self.encoding in ("b", "base64")


def card_properties(lines: list[str], first_line: int) -> tuple[list[Property], list[str]]:
    """The properties in a card's lines (between BEGIN and END), the first at `first_line`,
    and why each line that is none is left out: it costs only itself, not the card.

    Such a line after a NOTE is most likely the note's next line, which some exporters
    write as it is instead of as "\\n": it stays part of the note, on a line of its own.
    """
    properties: list[Property] = []
    left_out = []
    for logical, line in _logical_lines(lines, first_line):
        try:
            name, params, value, group = parseLine(logical, line)
        except ParseError:
            if properties and properties[-1].name == "NOTE":
                properties[-1] = _with_next_line(properties[-1], logical)
            else:
                excerpt = redecode(logical[:40]) + ("..." if len(logical) > 40 else "")
                left_out.append(f"line {line} is not a vCard property: {excerpt!r}")
            continue
        properties.append(_property(name, params, value, group or "", line))
    return properties, left_out


def _with_next_line(note: Property, line: str) -> Property:
    # A quoted-printable note is kept as written; any other is unescaped later.
    line_break = "\n" if note.quoted_printable else "\\n"
    text = without_controls(redecode(line, note.param("CHARSET")))
    return replace(note, value=f"{note.value}{line_break}{text}")


def _logical_lines(lines: list[str], first_line: int) -> Iterator[tuple[str, int]]:
    """Each property on one line, with the line it starts on.

    A line continues the one before when it starts with a space or tab (folding), when
    the one before is quoted-printable and ends with "=" (a soft line break, kept for
    the decoder), or when it has no ":" after a base64 value (2.1 exporters that do not
    indent). Blank lines end a property (2.1 base64 ends with one).
    """
    current, start = "", 0
    for number, line in enumerate(lines, start=first_line):
        if current.endswith("=") and _QUOTED_PRINTABLE.match(current, 0, _HEAD):
            current += "\n" + line  # the decoder drops the "=\n" of a soft line break
        elif current and line[:1] in (" ", "\t"):
            current += line[1:]
        elif current and line and ":" not in line and _BASE64.match(current, 0, _HEAD):
            current += line
        else:
            if current:
                yield current, start
            current, start = line if line.strip() else "", number
    if current:
        yield current, start


def _property(name: str, raw_params: list[list[str]], value: str, group: str, line: int):
    params: dict[str, list[str]] = {}
    bare = set()
    for param in raw_params:
        if len(param) == 1:
            bare.add(param[0].lower())
        else:
            params.setdefault(param[0].upper(), []).extend(param[1:])
    types = {t.strip().lower() for v in params.get("TYPE", []) for t in v.split(",")}
    bare_encoding = (e for e in ("quoted-printable", "base64", "b") if e in bare)
    encoding = params.get("ENCODING", [""])[0].lower() or next(bare_encoding, "")
    charset = params.get("CHARSET", [""])[0]
    quoted_printable = encoding == "quoted-printable"
    if quoted_printable:
        raw = quopri.decodestring(value.encode("utf-8", errors="surrogateescape"))
        value = decode_bytes(raw, charset)
    else:
        value = redecode(value, charset)
    value = without_controls(value)
    return Property(
        name.upper(),
        group.lower(),
        params,
        frozenset((types | bare) - _ENCODINGS - {""}),
        value,
        line,
        quoted_printable,
        encoding,
    )


def unescape(value: str) -> str:
    """vCard text escapes: \\n is a line break; \\, \\; \\: \\\\ (and Gmail's \\") stand for
    themselves."""
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        if following in ("n", "N"):
            out.append("\n")
        elif following in (",", ";", ":", "\\", '"'):  # Gmail writes \" in notes
            out.append(following)
        else:
            out.append("\\" + following)  # not an escape: keep "C:\Photos" as written
    return "".join(out)


def split_escaped(value: str, separator: str) -> list[str]:
    """`value` cut at each `separator` not escaped by a backslash; the parts stay escaped."""
    parts, current, escaped = [], [], False
    for char in value:
        if char == separator and not escaped:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        escaped = char == "\\" and not escaped
    parts.append("".join(current))
    return parts
