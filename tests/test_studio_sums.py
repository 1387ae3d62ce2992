"""The Studio's figures stay exactly what they were while the way they are read changes.

tests/fixtures/studio_overview.txt holds overview()'s figures on tests/studio_sample.py's
varied studio, for three days and three zones, as the code before the kept per-day sums
(commit 0e91c70) computed them: every figure must stay the same, in the same order.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from models.clients.entries import add_interactions, delete_entry, save_interaction
from models.clients.saving import delete_client, save_client
from models.clients.undo import restore_client, snapshot_client
from models.exchange.full_archive import import_archive, write_archive
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.insight.studio import overview
from models.sample.loading import load_sample_clients
from models.store.database import db
from models.store.entities import Client, Interaction
from models.values.kinds import PAID_INTERACTION_KINDS
from tests.studio_sample import DAYS, ZONES, build_varied_studio

GOLDEN = Path(__file__).parent / "fixtures" / "studio_overview.txt"


def overviews() -> str:
    """overview()'s figures for each day and zone, one repr a line."""
    return "".join(f"{day} {zone.key}: {overview(day, zone)!r}\n" for day in DAYS for zone in ZONES)


def test_every_studio_figure_stays_what_it_was(database):
    build_varied_studio()
    assert overviews() == GOLDEN.read_text()


# --- The kept sums equal a recomputation, whatever wrote ----------------------------------


def kept() -> dict[tuple, tuple[int, int, int]]:
    rows = db.execute_sql(
        "SELECT day, kind, currency, referred, payments, cents, odd FROM paid_day"
    ).fetchall()
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}


def recomputed() -> dict[tuple, tuple[int, int, int]]:
    """The same sums, added up here in Python from every paid interaction."""
    rows = db.execute_sql(
        "SELECT occurred_at, kind, currency, amount, client.referred_by_id IS NOT NULL"
        " FROM interaction LEFT JOIN client ON client.id = client_id"
    ).fetchall()
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for at, kind, currency, amount, referred in rows:
        if kind not in PAID_INTERACTION_KINDS:
            continue
        day = sums[at[:10], kind, currency or "", int(bool(referred))]
        day[0] += 1
        if amount is None:
            continue
        if re.fullmatch(r"[0-9.]*", amount) and not re.search(r"\..{3}", amount):
            day[1] += int(Decimal(amount or "0") * 100)
        else:
            day[2] += 1
    return {key: tuple(value) for key, value in sums.items()}


def assert_kept_right() -> None:
    assert kept() == recomputed()


def client(name: str, referrer: int | None = None) -> Client:
    return save_client(ClientForm(first_name=name, referred_by_id=referrer))


def paid(kind="session", day=1, amount="120.50", currency="EUR") -> InteractionForm:
    at = datetime(2026, 3, day, 22, 30, tzinfo=UTC)
    return InteractionForm(
        kind=kind, occurred_at=at, summary=kind, amount=amount, currency=currency
    )


def test_the_sums_follow_every_write_of_an_interaction(database):
    anna, tom = client("Anna"), client("Tom")
    row = save_interaction(paid(), anna.id)
    save_interaction(paid(amount="0.0010"), anna.id)  # odd: more than two decimals
    save_interaction(paid("purchase", amount=""), anna.id)
    assert_kept_right()
    save_interaction(paid("wedding", day=2, amount="99.9", currency="CHF"), anna.id, row.id)
    assert_kept_right()
    save_interaction(paid("call"), anna.id, row.id)  # no longer paid
    assert_kept_right()
    save_interaction(paid(), anna.id, row.id)  # paid again
    add_interactions([(anna.id, paid(day=5)), (tom.id, paid("purchase", day=5, amount="3"))])
    assert_kept_right()  # mail capture writes this way
    db.execute_sql(
        "INSERT INTO interaction (client_id, kind, occurred_at, summary, amount, currency)"
        " VALUES (?, 'purchase', '2026-03-05 10:00:00', 'Prints', '1E+3', 'USD')",
        (tom.id,),
    )
    db.execute_sql(
        "UPDATE interaction SET amount = '7.25', currency = 'CHF' WHERE kind = 'purchase'"
    )
    db.execute_sql("UPDATE interaction SET client_id = ? WHERE id = ?", (tom.id, row.id))
    assert_kept_right()
    delete_entry(Interaction, row.id)
    db.execute_sql("DELETE FROM interaction WHERE client_id = ?", (tom.id,))
    assert_kept_right()
    assert kept()  # Anna's remain


def test_the_sums_follow_referrals_deleted_clients_and_undo(database):
    anna = client("Anna")
    ben = client("Ben", referrer=anna.id)
    cleo = client("Cleo")
    for who in (anna, ben, cleo):
        save_interaction(paid(), who.id)
        save_interaction(paid("purchase", day=9, amount="19.9990"), who.id)
    assert_kept_right()
    save_client(ClientForm(first_name="Cleo", referred_by_id=ben.id), cleo.id)  # referred now
    save_client(ClientForm(first_name="Ben"), ben.id)  # no longer
    assert_kept_right()
    snapshot = snapshot_client(ben.id)
    delete_client(ben.id)  # Cleo's referrer: Cleo keeps no referrer
    assert Client.get_by_id(cleo.id).referred_by is None
    assert_kept_right()
    restore_client(snapshot)  # undo: Ben and his history back, Cleo referred by him again
    assert Client.get_by_id(cleo.id).referred_by_id == ben.id
    assert_kept_right()
    delete_client(cleo.id)  # a referred client, with their history
    assert_kept_right()
    assert {key[3] for key in kept()} == {0}


def test_the_sums_of_the_sample_studio_and_of_an_archive_imported(database, switch_to, tmp_path):
    load_sample_clients(date(2026, 11, 25))
    build_varied_studio()
    assert_kept_right()
    figures = overviews()
    archive = tmp_path / "all.zip"
    write_archive(archive)
    switch_to(tmp_path / "rebuilt.sqlite")
    import_archive(archive)
    assert_kept_right()
    assert overviews() == figures


def test_an_earlier_database_is_summed_when_it_is_upgraded(tmp_path, switch_to):
    path = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema_v17.sqlite", path)
    switch_to(path)
    assert kept() and kept() == recomputed()
