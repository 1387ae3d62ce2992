"""Amounts of money as the user types and reads them, in their locale's way of writing
numbers: "2,400.50" in the US, "2.400,50" in Germany, "2'400.50" in Switzerland,
"2 400,50" in France.

An amount is never guessed at. Text that the locale reads one way and a neighbour's
habit the other way ("2,400" where the comma is the decimal separator: 2.4 or 2400?) is
refused with the reason, and so is a separator the locale does not use; Qt gives the
window's separators, this module has no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# What people type for a group separator that their locale writes another way: a plain
# space for the no-break spaces of French or Russian, an apostrophe for Swiss ones.
_SPACES = " \u00a0\u202f"
_APOSTROPHES = "'\u2019\u02bc"


@dataclass(frozen=True)
class Separators:
    """A locale's decimal and group separators; the default is the C locale's."""

    decimal: str = "."
    group: str = ","

    def typed_groups(self) -> str:
        """The characters that count as the group separator when typed."""
        for family in (_SPACES, _APOSTROPHES):
            if self.group in family:
                return family
        return self.group


# Numbers as Python and the C locale write them: the default when no locale is given.
PLAIN = Separators()


class AmountError(ValueError):
    """The text is not an amount; the message says why, for the user."""


def parse_amount(text: str, separators: Separators = PLAIN) -> Decimal | None:
    """The amount written as `text` in the locale of `separators`, None when empty.

    Raises AmountError with a sentence when the text is no amount or could be read two ways.
    """
    text = text.strip()
    if not text:
        return None
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    whole, decimal, fraction = digits.partition(separators.decimal)
    groups = re.split(f"[{re.escape(separators.typed_groups())}]", whole)
    if not (_all_digits([*groups, fraction]) and (whole or fraction)):
        raise AmountError(_not_written_here(text, separators))
    if len(groups) > 1 and not _grouped_in_threes(groups):
        raise AmountError(_not_written_here(text, separators))
    if len(groups) == 1 and _could_be_thousands(whole, decimal, fraction):
        raise AmountError(_ambiguous(text, separators, whole, fraction))
    number = "".join(groups) + (f".{fraction}" if fraction else "")
    return Decimal(sign + number)


def _all_digits(parts: list[str]) -> bool:
    """Each part is ASCII digits (or empty): no other script's digits, no stray marks."""
    return all(part == "" or (part.isascii() and part.isdigit()) for part in parts)


def _could_be_thousands(whole: str, decimal: str, fraction: str) -> bool:
    """ "2,400" with a decimal comma: elsewhere the comma groups thousands. Money rarely
    has three decimals, so one separator before exactly three digits is refused."""
    return bool(decimal) and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"


def _grouped_in_threes(groups: list[str]) -> bool:
    """ "2,400,000" is; "19,90", "1,2345" and "0,001" are not (a decimal typed the
    other way round)."""
    first, rest = groups[0], groups[1:]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(group) == 3 for group in rest)


def _ambiguous(text: str, separators: Separators, whole: str, fraction: str) -> str:
    as_thousands = format_amount(Decimal(whole + fraction), separators)
    as_decimal = format_amount(Decimal(f"{whole}.{fraction}").normalize(), separators)
    return f"{text!r} could be read as {as_thousands} or as {as_decimal}: write it as one of these."


def _not_written_here(text: str, separators: Separators) -> str:
    example = format_amount(Decimal("2400.50"), separators)
    return (
        f"{text!r} is not an amount as written here: "
        f"{_name(separators.decimal)} before the cents, {_name(separators.group)} between "
        f"thousands, as in {example}."
    )


def _name(separator: str) -> str:
    names = {" ": "a space", "\u00a0": "a space", "\u202f": "a space", "'": "an apostrophe"}
    names["\u2019"] = names["'"]
    return names.get(separator, f"'{separator}'")


def format_amount(amount: Decimal, separators: Separators = PLAIN, min_places: int = 2) -> str:
    """ "2,400.00": grouped in the locale's way, with at least `min_places` decimals and
    every decimal the amount has (19.999 stays 19.999: it is what is saved)."""
    places = max(min_places, -amount.as_tuple().exponent)
    text = f"{amount:,.{places}f}"
    return text.translate(str.maketrans({",": separators.group, ".": separators.decimal}))


def typed_amount(amount: Decimal, separators: Separators = PLAIN) -> str:
    """An amount as text to edit that parse_amount reads back as the same amount: with
    three decimals, a fourth zero, since "19,999" would be refused as ambiguous."""
    text = format_amount(amount, separators, min_places=0)
    whole, _, fraction = text.partition(separators.decimal)
    return text + "0" if _could_be_thousands(whole, "d", fraction) else text
