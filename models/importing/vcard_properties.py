"""The properties of one vCard (2.1, 3.0 or 4.0) as plain text, whatever the exporter did.

vobject unfolds the lines (including quoted-printable soft line breaks) and splits
each into group, name, parameters and value. What it gets wrong or leaves out is done
here: decoding each value once unfolded, with its declared CHARSET (vobject raises on a
bad one), vCard 2.1's bare parameters (`TEL;CELL;PREF:`) as types, and unescaping.
"""

from __future__ import annotations

import io
import quopri
from dataclasses import dataclass

from vobject.base import ParseError, getLogicalLines, parseLine

from models.importing.text_decoding import decode_bytes, redecode

# Bare 2.1 parameters that say how the value is written, not what kind it is.
_ENCODINGS = {"quoted-printable", "base64", "b", "8bit", "7bit"}


class CardError(ValueError):
    """The card cannot be read; the message says where and why, for the user."""


@dataclass(frozen=True)
class Property:
    name: str  # upper case: "EMAIL"
    group: str  # lower case, "" when none: Apple's "item1"
    params: dict[str, list[str]]  # upper-case names
    types: frozenset[str]  # lower case: TYPE values and 2.1 bare parameters ("cell", "pref")
    value: str  # quoted-printable decoded, still backslash-escaped
    line: int  # in the file, 1-based

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0] if values else ""

    @property
    def is_base64(self) -> bool:
        return self.param("ENCODING").lower() in ("b", "base64") or "base64" in self.types


def card_properties(lines: list[str], first_line: int) -> list[Property]:
    """The properties of the card whose lines (BEGIN to END) start at `first_line`."""
    text = io.StringIO("\n".join(lines) + "\n")
    properties = []
    for logical, number in getLogicalLines(text, allowQP=True):
        line = first_line + max(number, 1) - 1
        try:
            name, params, value, group = parseLine(logical, line)
        except ParseError:
            excerpt = redecode(logical[:40]) + ("..." if len(logical) > 40 else "")
            raise CardError(f"line {line} is not a vCard property: {excerpt!r}") from None
        properties.append(_property(name, params, value, group or "", line))
    return properties


def _property(name: str, raw_params: list[list[str]], value: str, group: str, line: int):
    params: dict[str, list[str]] = {}
    bare = set()
    for param in raw_params:
        if len(param) == 1:
            bare.add(param[0].lower())
        else:
            params.setdefault(param[0].upper(), []).extend(param[1:])
    types = {t.strip().lower() for v in params.get("TYPE", []) for t in v.split(",")}
    encoding = params.get("ENCODING", [""])[0].lower()
    charset = params.get("CHARSET", [""])[0]
    if encoding == "quoted-printable" or "quoted-printable" in bare:
        raw = quopri.decodestring(value.encode("utf-8", errors="surrogateescape"))
        value = decode_bytes(raw, charset)
    else:
        value = redecode(value, charset)
    return Property(
        name.upper(),
        group.lower(),
        params,
        frozenset((types | bare) - _ENCODINGS - {""}),
        value,
        line,
    )


def unescape(value: str) -> str:
    """vCard text escapes: \\n is a line break; \\, \\; \\: \\\\ stand for themselves."""
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        if following in ("n", "N"):
            out.append("\n")
        elif following in (",", ";", ":", "\\"):
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
