"""Whether a value read from an archive is one its column can hold when Rapport reads it
back. An archive is rows as stored, and a hand-edited or crafted one held an instant
"not a time": imported without a word, it broke its client's page each time it opened
(peewee reads such text back as it is, Rapport's own fields raise). Checked as each row is
read, so a bad value refuses the archive as damaged before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from peewee import BooleanField, DateField, Field, ForeignKeyField, IntegerField

from models.store.entities import ALL_TABLES
from models.store.fields import DecimalTextField, UtcDateTimeField

SQLITE_INTEGERS = range(-(2**63), 2**63)


def _parses(parse: Callable[[str], object], value: object) -> bool:
    try:
        parse(value)
    except (ValueError, TypeError, InvalidOperation):
        return False
    return True


# Instants and days only in the one form Rapport writes them: fromisoformat also reads
# "20261207" and "2026-12-07T09:30+05:00", which SQL compares as text with the others
# (a gallery closing on "20261207" was never in any window) and the instant's field reads
# as UTC whatever its offset.
def _instant(value: object) -> bool:
    return isinstance(value, str) and _parses(_stored_instant, value)


def _stored_instant(value: str) -> None:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None or parsed.isoformat(" ") != value:
        raise ValueError(value)


def _day(value: object) -> bool:
    return isinstance(value, str) and _parses(_stored_day, value)


def _stored_day(value: str) -> None:
    if date.fromisoformat(value).isoformat() != value:
        raise ValueError(value)


def _amount(value: object) -> bool:
    # Rapport writes amounts as text; a number is read back as one too.
    if isinstance(value, int | float):
        value = str(value)
    return isinstance(value, str) and _parses(Decimal, value) and Decimal(value).is_finite()


def _integer(value: object) -> bool:
    # Also a float: SQLite keeps one in an integer column and peewee reads it as a number.
    return isinstance(value, int | float) and SQLITE_INTEGERS.start <= value < SQLITE_INTEGERS.stop


# A field's kind -> what its values must be, in words, and the check (the first that fits).
_CHECKS: tuple[tuple[type[Field] | tuple[type[Field], ...], str, Callable], ...] = (
    (UtcDateTimeField, "an instant", _instant),
    (DateField, "a date", _day),
    (DecimalTextField, "an amount", _amount),
    ((IntegerField, ForeignKeyField, BooleanField), "a whole number SQLite can hold", _integer),
)


def _check_of(field: Field) -> tuple[str, Callable] | None:
    return next(((what, check) for kind, what, check in _CHECKS if isinstance(field, kind)), None)


COLUMN_CHECKS = {
    model._meta.table_name: {
        field.column_name: checked
        for field in model._meta.sorted_fields
        if (checked := _check_of(field)) is not None
    }
    for model in ALL_TABLES
}


def value_problems(table: str, row: dict) -> str | None:
    """What is wrong with the first bad value of `row` of `table` (a phrase), or None."""
    checks = COLUMN_CHECKS[table]
    for column, value in row.items():
        checked = checks.get(column)
        if checked is not None and value is not None and not checked[1](value):
            return f"{table}.{column} holds {str(value)[:40]!r}, not {checked[0]}"
    return None
