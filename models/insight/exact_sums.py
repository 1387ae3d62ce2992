"""Exact sums of money amounts, added up by SQLite.

SQLite's SUM reads the stored decimal text as floating point: close, not exact. Amounts
with at most two decimals (nearly all) are summed here as whole cents, in exact integer
arithmetic; the few others ("19.999", "1E+3") come back as text, added up as Decimal.
"""

from __future__ import annotations

from decimal import Decimal

from peewee import Case, fn


def _odd(amount):
    """More than two decimals, or anything but digits and a point (an exponent)."""
    return (fn.GLOB("*[^0-9.]*", amount) != 0) | (fn.GLOB("*.???*", amount) != 0)


def _exact_cents(amount):
    """Whole cents of an amount of two decimals or fewer, read from its text ("129.90":
    129 and "90"), never through a floating point."""
    point = fn.instr(amount, ".")
    fraction = fn.substr(fn.substr(amount, point + 1).concat("00"), 1, 2).cast("INTEGER")
    return amount.cast("INTEGER") * 100 + Case(None, [(point == 0, 0)], fraction)


def cents(amount):
    """The amount in whole cents: exact for two decimals or fewer, else the nearest cent
    (good enough to rank by)."""
    nearest = fn.ROUND(amount.cast("REAL") * 100).cast("INTEGER")
    return Case(None, [(_odd(amount), nearest)], _exact_cents(amount))


def money_sum(amount) -> tuple:
    """Two aggregates for a grouped query, whose results `total` turns into the sum."""
    odd = _odd(amount)
    return (
        fn.SUM(Case(None, [(odd, 0)], _exact_cents(amount))),
        fn.GROUP_CONCAT(Case(None, [(odd, amount)], None), " "),
    )


def total(cents_sum: int | None, odd_amounts: str | None) -> Decimal:
    """The exact Decimal sum from the results of `money_sum`'s two aggregates."""
    odd = sum((Decimal(text) for text in (odd_amounts or "").split()), Decimal(0))
    return Decimal(cents_sum or 0).scaleb(-2) + odd
