"""A client's first and last name from what an address book has: parts, a full name, a company.

Rapport needs a first name. A card with only an email address or a phone number is
rejected rather than named after it: exporters write one as the full name of a card
without a name, and a client called "info" or "+49 171..." helps nobody. A given name is
another matter: someone typed it as a first name, so it is taken as Rapport's own client
form takes it, digits and all (mail capture names a client "12345678" after a numeric
address); only an email address there is none.
"""

from __future__ import annotations

import re

# Phone numbers and email addresses that exporters put where the name should be.
_PHONE_LIKE = re.compile(r"[\d\s+()./#*-]*")


def is_name(text: str) -> bool:
    text = text.strip()
    return bool(text) and "@" not in text and not _PHONE_LIKE.fullmatch(text)


def split_full_name(full: str) -> tuple[str, str]:
    """'Anna Maria Meyer' -> ('Anna Maria', 'Meyer'); 'Meyer, Anna' -> ('Anna', 'Meyer')."""
    full = " ".join(full.split())
    if full.count(",") == 1:
        last, first = (part.strip() for part in full.split(","))
        if first and last:
            return first, last
    first, _, last = full.rpartition(" ")
    return (first, last) if first else (last, "")


def person_name(
    given: str, family: str, full: str = "", organization: str = ""
) -> tuple[str, str] | None:
    """(first, last), or None when nothing names the person.

    The parts win; a full name fills in when there is no given name; a company card
    (its full name is the company) keeps the company whole as its first name.
    """
    given, family, full = given.strip(), family.strip(), " ".join(full.split())
    organization = organization.strip()
    if given and "@" not in given:
        # Beside a given name, the family part is a name even when it is digits only
        # (a client called "Anna 2"): only an email address there is none.
        return given, "" if "@" in family else family
    if is_name(full):
        return (full, "") if full == organization else split_full_name(full)
    if is_name(family):
        return family, ""
    if is_name(organization):
        return organization, ""
    return None


def display_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def no_name_reason(emails: list[tuple[str, str]], phones: list[tuple[str, str]]) -> str:
    """Why a record without a name is rejected, naming what it has so the user can find it."""
    known = [value for _, value in (*emails, *phones)]
    has = f" (only {known[0]})" if known else ""
    return f"it has no name{has}; add a name in your address book and export again"
