"""Phone numbers compared as whole numbers: "+44 20 7946 0958" (London) is not
"+1 207 946 0958" (Maine), though their last nine digits are the same.

Numbers are brought to E.164 with the `phonenumbers` library; one written without a country
code ("0171 555 0101") is read in the owner's region, taken from the system's locale.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping

import phonenumbers

# Fewer digits than this never tell two people apart ("112", "*31#").
SHORTEST_COMPARED = 7
_REGION = re.compile(r"^[a-z]{2,3}_([A-Z]{2})\b")


def home_region(environ: Mapping[str, str] = os.environ) -> str | None:
    """The country of the locale the owner uses for phone numbers ("DE" for de_DE.UTF-8),
    or None under the C locale."""
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        if value := environ.get(name):
            found = _REGION.match(value)
            return found.group(1) if found else None
    return None


# An import reads each number three times (the file's own repeats, the clients, the
# writing) and parsing one takes tens of microseconds: remembered, it is read once.
@functools.lru_cache(maxsize=65536)
def phone_key(number: str, region: str | None) -> str:
    """The number in E.164 form ("+491715550101"), or, when it cannot be read as a number
    of any country, all its digits; "" when too short to compare."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= SHORTEST_COMPARED else ""


@functools.lru_cache(maxsize=65536)
def line_key(number: str, region: str | None) -> str:
    """As phone_key, with the extension or the digits dialled after a pause after it
    ("+49301234567;12"): one studio's "ext. 12" and "ext. 13" reach different people, so
    a client keeps both, though either makes a match with another client."""
    key = phone_key(number, region)
    try:
        extension = phonenumbers.parse(number, region).extension
    except phonenumbers.NumberParseException:
        extension = None  # phone_key kept all the digits, these among them
    return f"{key};{extension}" if key and extension else key
