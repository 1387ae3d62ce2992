"""Every row of every table, read with plain SQL, to compare two databases exactly.

Rows are ordered by their key (the first columns), not by where SQLite happened to
put them: a client's tags rewritten with the same tags are the same data."""

from __future__ import annotations

from models.store.database import db
from models.store.entities import ALL_TABLES


def dump_tables() -> dict[str, list[tuple]]:
    return {
        model._meta.table_name: db.execute_sql(
            f"SELECT * FROM {model._meta.table_name} ORDER BY 1, 2"
        ).fetchall()
        for model in ALL_TABLES
    }
