"""Each value read from an archive as Rapport stores it, or refused when its column cannot
hold it. An archive is rows as stored, and a hand-edited or crafted one held an instant
"not a time": imported without a word, it broke its client's page each time it opened
(peewee reads such text back as it is, Rapport's own fields raise). Instants and days
written another way ("2026-11-25T09:00", an offset, "20261207") are put in Rapport's one
form: SQL compares them as text with the others (a gallery closing on "20261207" was in no
window), and the instants' field reads any text as UTC. Done as each row is read, so a
bad value refuses the archive as damaged before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from peewee import BooleanField, DateField, Field, ForeignKeyField, IntegerField

from models.store.entities import ALL_TABLES
from models.store.fields import DecimalTextField, UtcDateTimeField

SQLITE_INTEGERS = range(-(2**63), 2**63)
_INSTANTS = UtcDateTimeField()


def _instant(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    parsed = datetime.fromisoformat(value)
    return _INSTANTS.db_value(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def _day(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return date.fromisoformat(value).isoformat()


def _amount(value: object) -> object:
    # Rapport writes amounts as text; a number is read back as one too.
    if not isinstance(value, str | int | float) or not Decimal(str(value)).is_finite():
        raise ValueError(value)
    return value


def _integer(value: object) -> object:
    # Also a float: SQLite keeps one in an integer column and peewee reads it as a number.
    if not isinstance(value, int | float) or not (
        SQLITE_INTEGERS.start <= value < SQLITE_INTEGERS.stop
    ):
        raise ValueError(value)
    return value


# A field's kind -> what its values must be, in words, and the value as stored (the first
# that fits).
_KINDS: tuple[tuple[type[Field] | tuple[type[Field], ...], str, Callable], ...] = (
    (UtcDateTimeField, "an instant", _instant),
    (DateField, "a date", _day),
    (DecimalTextField, "an amount", _amount),
    ((IntegerField, ForeignKeyField, BooleanField), "a whole number SQLite can hold", _integer),
)


def _kind_of(field: Field) -> tuple[str, Callable] | None:
    return next(((what, store) for kind, what, store in _KINDS if isinstance(field, kind)), None)


COLUMN_KINDS = {
    model._meta.table_name: {
        field.column_name: kind
        for field in model._meta.sorted_fields
        if (kind := _kind_of(field)) is not None
    }
    for model in ALL_TABLES
}


def stored_values(table: str, row: dict) -> dict:
    """`row` of `table` with each value as Rapport stores it; ValueError naming the first
    value its column cannot hold."""
    kinds, changed = COLUMN_KINDS[table], {}
    for column, value in row.items():
        kind = kinds.get(column)
        if kind is None or value is None:
            continue
        what, store = kind
        try:
            stored = store(value)
        except (ValueError, TypeError, ArithmeticError):  # Decimal's errors among them
            raise ValueError(f"{table}.{column} holds {str(value)[:40]!r}, not {what}") from None
        if stored != value:
            changed[column] = stored
    return row | changed if changed else row
