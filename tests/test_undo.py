"""Undo: a client's snapshot taken before a change puts them back exactly as they were."""

from __future__ import annotations

import dataclasses
import time as clock
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from peewee import DatabaseError, fn

from models.accounts.store import ACCOUNT_TABLES
from models.capture.mail_store import MAIL_TABLES
from models.clients.bookings import hold_ended, save_booking
from models.clients.entries import (
    delete_entry,
    log_interaction,
    save_family_member,
    save_follow_up,
    save_important_date,
    save_interaction,
    save_note,
)
from models.clients.finder import ClientFilter, find_clients
from models.clients.photos import set_photo
from models.clients.saving import client_form, delete_client, save_client
from models.clients.undo import (
    CLIENT_TABLES,
    REMINDER_KEY_TABLES,
    ClientSnapshot,
    UndoHistory,
    UndoStep,
    changed_kinds,
    restore_client,
    restore_clients,
    snapshot_client,
    snapshots_of,
)
from models.clients.wishes import save_wish
from models.forms.dialog_forms import (
    BookingForm,
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    WishForm,
)
from models.reminders.store import (
    collect_reminders,
    mark_done,
    reconcile,
    reminder_window,
    snooze,
)
from models.sample.loading import load_sample_clients
from models.store.changes import CLIENT_KINDS, TABLE_KINDS
from models.store.database import db
from models.store.entities import (
    ALL_TABLES,
    CapturedMail,
    Client,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Note,
    PaidDay,
    ReminderState,
    Tag,
    Wish,
    utc_now,
)
from models.sync.publishing import PublishedItem
from models.sync.state import SYNC_TABLES
from tests.database_dump import dump_tables

TODAY = date(2025, 3, 14)
NOW = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
# Shared by clients, so snapshots keep them by name: a tag may be gone or remade by then.
SHARED_TABLES = (Tag,)
AT = time(9, 0)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def client_named(first: str, last: str) -> Client:
    return Client.get((Client.first_name == first) & (Client.last_name == last))


def reminders_of(client_id: int, now: datetime = NOW) -> list:
    window = reminder_window(now, ZONE, AT)
    return [r for r in collect_reminders(window) if r.client_id == client_id]


def found(text: str) -> list[int]:
    return find_clients(ClientFilter(text=text), TODAY)


def search_index() -> list[tuple]:
    """Whose each index row is and its text (the rowid also holds client_tag's rowid)."""
    return db.execute_sql("SELECT rowid >> 32, text FROM client_search ORDER BY 1, 2").fetchall()


def everything() -> tuple:
    return dump_tables(), search_index()


def assert_foreign_keys_hold() -> None:
    assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []


@pytest.fixture
def anna(database) -> int:
    """Anna Berger of the sample clients, with every kind of row a client can have."""
    load_sample_clients(TODAY)
    anna = client_named("Anna", "Berger")
    form = client_form(anna)
    form.tags += ", Ärztin"  # hers alone: she is a doctor
    maria = client_named("Maria", "Schneider")
    form.referred_by_id = maria.id  # referred, and referring
    save_client(form, anna.id, NOW)  # Maria is to be thanked
    _tag(maria.id, "Referrer")  # so that Ärztin is not the newest tag
    set_photo(anna.id, PNG)
    save_follow_up(FollowUpForm("Send the anniversary proofs", NOW - timedelta(days=1)), anna.id)
    for starts in (NOW - timedelta(days=2), NOW + timedelta(days=1)):  # one held, one to come
        save_booking(BookingForm("session", starts, starts + timedelta(hours=2)), anna.id)
    hold_ended(NOW)
    reconcile(NOW, ZONE, AT)  # notified: the proofs, the anniversary's notice
    reminders = reminders_of(anna.id)
    notice = next(r for r in reminders if r.key.endswith(":notice"))
    proofs = next(r for r in reminders if r.kind == "follow_up")
    snooze(notice, NOW + timedelta(days=1))
    mark_done(proofs, NOW)
    first = Interaction.select().where(Interaction.client == anna.id).first()
    CapturedMail.create(message_id="proofs-1@berger.example", client=anna.id, interaction=first)
    return anna.id


def test_the_sample_client_has_a_row_in_every_table(anna):
    snapshot = snapshot_client(anna)
    assert all(rows.values for rows in snapshot.tables), "a table the tests never fill"
    referred = Client.select().where(Client.referred_by == anna)
    assert snapshot.referrer is not None
    assert {key.id for key in snapshot.referrals} == {c.id for c in referred} != set()
    kinds = {key.split(":")[0] for (key, *_) in _rows(snapshot, ReminderState).values}
    assert kinds == {"date", "follow_up", "referral", "booking"}  # referral: thank Anna
    assert any(wish_follow_up for *_, wish_follow_up, _, _ in _rows(snapshot, Wish).values)


def _rows(snapshot: ClientSnapshot, model):
    table = model._meta.table_name
    return next(rows for rows in (snapshot.row, *snapshot.tables) if rows.table == table)


def test_a_snapshot_is_plain_frozen_values(anna):
    snapshot = snapshot_client(anna)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.tags = ()
    values = [v for rows in (snapshot.row, *snapshot.tables) for row in rows.values for v in row]
    assert {type(v) for v in values} <= {str, int, float, bytes, type(None)}
    assert (
        len(_rows(snapshot, Interaction).values)
        == Interaction.select().where(Interaction.client == anna).count()
    )
    assert set(dict(snapshot.tags).values()) == {"Ärztin", "wedding", "album"}


def test_a_missing_client_has_no_snapshot(database):
    with pytest.raises(Client.DoesNotExist, match="no client with id 99"):
        snapshot_client(99)


# --- Coverage: a new table of a client must not be forgotten by undo ------------------------


def _schema_references() -> dict[str, set[str]]:
    """table -> the tables it refers to, read from SQLite's own schema."""
    tables = [
        name
        for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
            " AND name NOT LIKE 'client_search%' AND name NOT LIKE 'client_name_search%'"
            " AND name NOT LIKE 'sqlite%'"
        )
    ]
    return {
        table: {row[2] for row in db.execute_sql(f"PRAGMA foreign_key_list({table})")}
        for table in tables
    }


def test_every_table_with_rows_of_a_client_is_in_the_snapshot(database):
    covered = {model._meta.table_name for model in CLIENT_TABLES}
    references = _schema_references()
    # Address-book sync's state is the machine's too: a client brought back by undo is
    # linked to their card again by its UID at the next sync.
    synced = {model._meta.table_name for model in SYNC_TABLES}
    of_a_client = {
        table
        for table, targets in references.items()
        if table not in ("client", *synced) and targets & ({"client"} | covered)
    }
    assert of_a_client == covered, "rows undo would not restore (or not remap)"
    shared = {model._meta.table_name for model in SHARED_TABLES}
    for table in covered:
        assert references[table] <= {"client"} | covered | shared, table
    # Besides the clients' data: the accounts, what was published to them or synced with
    # them, the mail read; and the paid interactions summed per day, which the database's
    # triggers keep as undo brings interactions back (tests/test_studio_sums.py).
    apart = (*ACCOUNT_TABLES, PublishedItem, *SYNC_TABLES, *MAIL_TABLES, PaidDay)
    assert set(references) == {m._meta.table_name for m in (*ALL_TABLES, *apart)}


def test_every_kind_of_reminder_key_names_its_table(anna):
    session = Interaction.select().where(Interaction.client == anna).first()
    Interaction.update(
        gallery_url="https://anna.pixieset.com/", gallery_expires_on=TODAY + timedelta(days=10)
    ).where(Interaction.id == session.id).execute()
    client_ids = {client.id for client in Client.select(Client.id)}
    window = replace(reminder_window(NOW, ZONE, AT), last=TODAY + timedelta(days=400))
    kinds = {r.key.split(":")[0] for r in collect_reminders(window) if r.client_id in client_ids}
    assert kinds == set(REMINDER_KEY_TABLES) == {
        "date", "follow_up", "check_in", "referral", "booking", "gallery"
    }  # fmt: skip


# --- Round trips ---------------------------------------------------------------------------


def test_deleting_a_client_is_undone_exactly(anna):
    before = everything()
    referred = [c.id for c in Client.select().where(Client.referred_by == anna)]
    snapshot = snapshot_client(anna)
    delete_client(anna)
    assert found("profile") == []
    unlinked = Client.select().where(Client.id.in_(referred), Client.referred_by.is_null())
    assert unlinked.count() == len(referred) >= 2

    assert restore_client(snapshot) == anna

    assert everything() == before
    assert found("profile") == [anna]  # a word of one of her notes
    assert found("arztin") == [anna]  # her tag
    assert_foreign_keys_hold()


def test_editing_a_client_is_undone_exactly(anna):
    before = everything()
    snapshot = snapshot_client(anna)
    form = client_form(Client.get_by_id(anna))
    form.first_name, form.tags, form.emails = "Annika", "wedding, album", "annika@example.org"
    save_client(form, anna)
    assert Tag.get_or_none(Tag.name == "Ärztin") is None  # no client has it any more

    restore_client(snapshot)

    assert everything() == before
    assert found("annika") == [] and anna in found("anna berger")
    assert_foreign_keys_hold()


def test_a_tag_added_by_the_edit_goes_again(anna):
    before = everything()
    snapshot = snapshot_client(anna)
    form = client_form(Client.get_by_id(anna))
    form.tags += ", Lakeside"
    save_client(form, anna)
    restore_client(snapshot)
    assert everything() == before
    assert found("lakeside") == []


def _tag(client_id: int, tag: str) -> None:
    form = client_form(Client.get_by_id(client_id))
    form.tags = f"{form.tags}, {tag}" if tag else ""
    save_client(form, client_id)


def test_a_tag_of_the_same_name_made_since_is_the_one_restored(anna):
    snapshot = snapshot_client(anna)
    _tag(anna, "")  # Anna has no tags: Ärztin is gone
    maria = client_named("Maria", "Schneider").id
    _tag(maria, "ärztin")  # the same tag, as folded
    restore_client(snapshot)
    assert [t.name for t in Tag.select().where(fn.fold(Tag.name) == "arztin")] == ["ärztin"]
    assert set(dict(snapshot_client(anna).tags).values()) == {"album", "ärztin", "wedding"}
    assert set(found("arztin")) == {anna, maria}


def test_logging_an_interaction_is_undone(anna):
    before = everything()
    snapshot = snapshot_client(anna)
    log_interaction(
        InteractionForm("session", NOW, "Wedding at the lake", "Sunset portraits", "900", "EUR"),
        anna,
        FollowUpForm("Deliver the lake gallery", NOW + timedelta(days=14)),
    )
    assert found("sunset") == [anna]
    restore_client(snapshot)
    assert everything() == before
    assert found("sunset") == []


def test_each_kind_of_change_is_undone(anna):
    """Edits and deletes of every kind of record, and done, all go back."""
    changes = [
        lambda: delete_entry(FamilyMember, _first(FamilyMember, anna)),  # and her birthday
        lambda: delete_entry(FollowUp, _wish_follow_up(anna)),  # the wish keeps none
        lambda: save_note(NoteForm("Rewritten", True), anna, _first(Note, anna)),
        lambda: save_wish(WishForm("Bigger canvas"), anna, ZONE, _first(Wish, anna)),
        lambda: mark_done(reminders_of(anna)[0], NOW, log_kind="card"),
        lambda: set_photo(anna, b"\xff\xd8\xff another photo"),
    ]
    before = everything()
    tom = Client.get_by_id(anna).partner_id  # the anniversary's card is on his history too
    for change in changes:
        snapshots = [snapshot_client(anna), snapshot_client(tom)]
        change()
        assert everything() != before
        restore_clients(snapshots)
        assert everything() == before
        assert_foreign_keys_hold()


def test_a_batch_of_snapshots_holds_each_client_s_own_as_taken_alone(anna, monkeypatch):
    """Many clients are read a table at a time (500 a query): each snapshot is the one
    taken of that client alone, in the order asked, None for a client not there."""
    import models.clients.undo as undo

    ids = [anna, *(client.id for client in Client.select().order_by(Client.id.desc()))][:6]
    asked = [ids[3], 999_999, *ids, ids[0]]  # unknown, and asked twice
    monkeypatch.setattr(undo, "_CHUNK", 2)  # a query for every two clients
    together = snapshots_of(asked)
    monkeypatch.undo()
    assert list(together) == list(dict.fromkeys(asked))
    assert together[999_999] is None
    for client_id in ids:
        alone = snapshot_client(client_id)
        assert replace(together[client_id], taken_at=alone.taken_at) == alone
    assert {rows.table for rows in together[anna].tables if rows.values} >= {
        "interaction", "important_date", "family_member", "client_tag", "client_photo"
    }  # fmt: skip


def test_a_change_names_the_kinds_of_data_it_changed(anna):
    """What the window's one change path reports: the kinds in the owner's words."""
    changes = [
        (lambda: delete_entry(FamilyMember, _first(FamilyMember, anna)), {"family", "dates"}),
        (lambda: save_note(NoteForm("Rewritten", True), anna, _first(Note, anna)), {"notes"}),
        (  # and the follow-up that reminds of it
            lambda: save_wish(WishForm("Bigger canvas"), anna, ZONE, _first(Wish, anna)),
            {"wishes", "follow-ups"},
        ),
        (lambda: set_photo(anna, b"\xff\xd8\xff another photo"), {"photos"}),
        (lambda: snooze(reminders_of(anna)[0], NOW + timedelta(days=2)), {"reminders"}),
        (
            lambda: mark_done(reminders_of(anna)[0], NOW, log_kind="card"),
            {"interactions", "reminders"},
        ),
    ]
    for change, kinds in changes:
        before = snapshot_client(anna)
        change()
        assert changed_kinds(before, snapshot_client(anna)) == kinds
    gone = snapshot_client(anna)
    delete_client(anna)
    assert changed_kinds(gone, None) == CLIENT_KINDS


def test_every_table_of_a_client_is_a_kind_of_data(database):
    assert {model._meta.table_name for model in (Client, *CLIENT_TABLES)} == set(TABLE_KINDS)


def _first(model, client_id: int) -> int:
    return model.select().where(model.client == client_id).order_by(model.id).first().id


def _wish_follow_up(client_id: int) -> int:
    return Wish.get((Wish.client == client_id) & Wish.follow_up.is_null(False)).follow_up_id


def test_undo_steps_go_back_one_after_the_other(anna):
    history = UndoHistory()
    before = everything()
    history.push(UndoStep("Logged “Call”", snapshot_client(anna), utc_now()))
    save_interaction(InteractionForm("call", NOW, "Call"), anna)
    history.push(UndoStep("Deleted Anna Berger", snapshot_client(anna), utc_now()))
    delete_client(anna)

    for description in ("Deleted Anna Berger", "Logged “Call”"):
        step = history.pop_latest(utc_now())
        assert step.description == description
        restore_client(step.snapshot)

    assert everything() == before
    assert history.pop_latest(utc_now()) is None


# --- Referrals -----------------------------------------------------------------------------


def test_whom_the_client_referred_is_linked_again_unless_referred_by_someone_else(anna):
    first, second, *_ = Client.select().where(Client.referred_by == anna).order_by(Client.id)
    maria = client_named("Maria", "Schneider")
    snapshot = snapshot_client(anna)
    delete_client(anna)
    form = client_form(Client.get_by_id(second.id))
    form.referred_by_id = maria.id  # the owner corrects who referred her
    save_client(form, second.id)

    restore_client(snapshot)

    assert Client.get_by_id(first.id).referred_by_id == anna
    assert Client.get_by_id(second.id).referred_by_id == maria.id
    assert Client.get_by_id(anna).referred_by_id == maria.id
    assert_foreign_keys_hold()


def test_clients_deleted_since_are_not_linked_even_if_their_id_was_given_again(anna):
    maria = client_named("Maria", "Schneider")
    lena = save_client(ClientForm(first_name="Lena", last_name="Roth", referred_by_id=anna))
    Client.update(created_at=NOW).where(Client.id == lena.id).execute()  # met in March
    snapshot = snapshot_client(anna)
    delete_client(anna)
    delete_client(maria.id)  # who referred Anna
    delete_client(lena.id)  # whom Anna referred: the newest client, so her id comes again
    nora = save_client(ClientForm(first_name="Nora", last_name="Pohl"))
    assert nora.id == lena.id

    restore_client(snapshot)

    assert Client.get_by_id(anna).referred_by_id is None
    assert Client.get_by_id(nora.id).referred_by_id is None
    assert Client.get_by_id(nora.id).first_name == "Nora"
    assert_foreign_keys_hold()


# --- Ids given to another client's rows since ----------------------------------------------


def _add_ida() -> int:
    """The newest client, so that SQLite gives her ids again once she is deleted."""
    form = ClientForm(first_name="Ida", last_name="Krause", tags="Doula", check_in_days="1")
    ida = save_client(form).id
    Client.update(created_at=NOW - timedelta(days=60)).where(Client.id == ida).execute()
    _add_rows(ida, "Oskar")
    save_note(NoteForm("Twins due in April; the nursery is sage green"), ida)
    set_photo(ida, PNG)
    return ida


def _add_rows(client_id: int, relative: str) -> None:
    """A call, a relative's birthday, a wish with a reminder; each reminder snoozed."""
    save_interaction(InteractionForm("call", NOW - timedelta(days=30), "First call"), client_id)
    birthday = TODAY + timedelta(days=2)
    family = FamilyMemberForm(relative, "child", has_birthday=True)
    family.birthday_day, family.birthday_month = birthday.day, birthday.month
    save_family_member(family, client_id)
    save_wish(WishForm("Newborn shoot", TODAY + timedelta(days=3), True), client_id, ZONE)
    for reminder in reminders_of(client_id):
        snooze(reminder, NOW + timedelta(hours=1))


def _content(snapshot: ClientSnapshot) -> dict:
    """What the snapshot says, without the ids that may change on the way back."""
    ids = {"id", "client_id", "family_member_id", "follow_up_id", "tag_id", "key"}
    return {
        rows.table: sorted(
            tuple(v for c, v in zip(rows.columns, row, strict=True) if c not in ids)
            for row in rows.values
        )
        for rows in (snapshot.row, *snapshot.tables)
    } | {"tags": sorted(name for _, name in snapshot.tags)}


def test_ids_given_to_another_client_since_are_left_to_them(anna):
    ida = _add_ida()
    snapshot = snapshot_client(ida)
    delete_client(ida)
    form = ClientForm(first_name="Bo", last_name="Lind", tags="hiking", check_in_days="1")
    bo = save_client(form).id
    _add_rows(bo, "Malte")  # the same kinds of rows: they get Ida's ids
    reused = snapshot_client(bo)
    for model in (Client, Interaction, FamilyMember, ImportantDate, FollowUp, Wish):
        assert set(_ids(snapshot, model)) == set(_ids(reused, model)), model
    assert {key for key, *_ in _rows(reused, ReminderState).values} == {
        key for key, *_ in _rows(snapshot, ReminderState).values
    }
    before = dump_tables()

    restored = restore_client(snapshot)

    assert restored != ida
    after = dump_tables()
    for table, rows in before.items():  # Bo's rows and everyone else's are untouched
        assert set(rows) <= set(after[table]), table
    again = snapshot_client(restored)
    assert _content(again) == _content(snapshot)
    _assert_links_stay_with(restored)
    assert found("nursery") == [restored]
    assert_foreign_keys_hold()


def _ids(snapshot: ClientSnapshot, model) -> list[int]:
    rows = _rows(snapshot, model)
    return [row[rows.columns.index("id")] for row in rows.values]


def _assert_links_stay_with(client_id: int) -> None:
    """The restored client's links and reminder keys point at their own rows."""
    birthday = ImportantDate.get(ImportantDate.client == client_id)
    assert birthday.family_member.client_id == client_id
    assert Wish.get(Wish.client == client_id).follow_up.client_id == client_id
    states = ReminderState.select().where(ReminderState.client == client_id)
    assert len(states) == 3
    for state in states:
        kind, row_id, _ = state.key.split(":", 2)
        owner = REMINDER_KEY_TABLES[kind].get_by_id(int(row_id))
        assert (owner.id if kind == "check_in" else owner.client_id) == client_id


def test_a_record_deleted_from_a_client_comes_back_under_a_new_id_if_its_id_was_taken(anna):
    ida = _add_ida()
    call = Interaction.get(Interaction.client == ida)
    snapshot = snapshot_client(ida)
    delete_entry(Interaction, call.id)
    logged = save_interaction(InteractionForm("call", NOW, "Anna calls back"), anna)
    assert logged.id == call.id

    restore_client(snapshot)

    assert Interaction.get_by_id(call.id).summary == "Anna calls back"
    assert Interaction.get(Interaction.client == ida).summary == "First call"
    assert _content(snapshot_client(ida)) == _content(snapshot)


def test_a_tag_gone_with_its_id_given_to_another_is_made_again(anna):
    ida = _add_ida()
    snapshot = snapshot_client(ida)
    _tag(ida, "")
    doula = dict(snapshot.tags)
    _tag(anna, "Hiking")
    assert Tag.get(Tag.name == "Hiking").id in doula  # Ida's tag id, given again

    restore_client(snapshot)

    assert Tag.get(Tag.name == "Doula").id not in doula
    assert found("doula") == [ida] and found("hiking") == [anna]


# --- Failures and reminders ----------------------------------------------------------------


@pytest.mark.parametrize(
    "table", ["client", "interaction", "important_date", "wish", "client_photo"]
)
def test_a_restore_that_fails_midway_changes_nothing(anna, table):
    original = everything()
    snapshot = snapshot_client(anna)
    delete_client(anna)
    deleted = everything()
    _fail_writes_to(table)

    with pytest.raises(DatabaseError, match="disk trouble"):
        restore_client(snapshot)

    assert everything() == deleted
    db.execute_sql("DROP TRIGGER fail")
    restore_client(snapshot)
    assert everything() == original


# What this undo writes: the tag made again, the client's tags, and the note added deleted.
@pytest.mark.parametrize(
    ("table", "write"), [("tag", "INSERT"), ("client_tag", "INSERT"), ("note", "DELETE")]
)
def test_a_failing_undo_of_an_edit_changes_nothing(anna, table, write):
    snapshot = snapshot_client(anna)
    form = client_form(Client.get_by_id(anna))
    form.tags = "wedding, album"  # Ärztin goes, and must be made again
    save_client(form, anna)
    save_note(NoteForm("Written after the snapshot"), anna)
    edited = everything()
    _fail_writes_to(table, write)

    with pytest.raises(DatabaseError, match="disk trouble"):
        restore_client(snapshot)

    assert everything() == edited


def _fail_writes_to(table: str, write: str = "INSERT") -> None:
    db.execute_sql(
        f"CREATE TEMP TRIGGER fail BEFORE {write} ON {table}"
        " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )


def test_reminders_notified_since_the_snapshot_are_not_notified_again(anna):
    soon = utc_now() + timedelta(minutes=30)
    follow_up = save_follow_up(FollowUpForm("Call about the album", soon), anna)
    snapshot = snapshot_client(anna)
    save_note(NoteForm("Undone soon"), anna)
    later = soon + timedelta(minutes=30)
    delivery = reconcile(later, ZONE, AT)
    delivered = [r.key for r in delivery.due_now + delivery.missed]
    key = next(k for k in delivered if k.startswith(f"follow_up:{follow_up.id}:"))

    restore_client(snapshot)

    assert found("undone") == []
    again = reconcile(later + timedelta(minutes=1), ZONE, AT)
    assert key not in [r.key for r in again.due_now + again.missed]


# --- Scale and history ---------------------------------------------------------------------


def test_a_client_with_two_thousand_interactions_round_trips_in_a_blink(anna):
    rows = [
        {
            "client": anna,
            "kind": "session",
            "occurred_at": NOW - timedelta(days=n),
            "summary": f"Session {n}",
            "body": "Portraits in the garden, then coffee and the proofs",
        }
        for n in range(2000)
    ]
    for start in range(0, len(rows), 500):
        Interaction.insert_many(rows[start : start + 500]).execute()
    before = everything()

    start = clock.perf_counter()
    snapshot = snapshot_client(anna)
    took = clock.perf_counter() - start
    delete_client(anna)
    restore_client(snapshot)

    assert everything() == before
    assert took < 0.2  # about 2 ms here; generous for a busy machine


def _add_calls(client_id: int, count: int) -> None:
    """A long history: `count` calls, one a day back from NOW."""
    rows = [
        {
            "client": client_id,
            "kind": "call",
            "occurred_at": NOW - timedelta(days=n),
            "summary": "Hi",
        }
        for n in range(count)
    ]
    for start in range(0, len(rows), 500):
        Interaction.insert_many(rows[start : start + 500]).execute()


def test_undoing_one_change_writes_that_again_not_the_whole_client(anna):
    """A date added to a client with 2,000 history items: undone, the date goes, and the
    history is not written again (it was, row by row, through the search index's triggers)."""
    _add_calls(anna, 2000)
    before = everything()
    snapshot = snapshot_client(anna)
    save_important_date(ImportantDateForm("custom", 3, 4, "", "Studio day", 0), anna)
    written = db.connection().total_changes
    restore_client(snapshot)
    assert everything() == before
    assert db.connection().total_changes - written < 50


def test_undoing_an_edit_of_a_session_keeps_what_refers_to_it(anna):
    """The session is written again, and so is the care step that refers to it (deleting
    the session unlinked it), though the step itself did not change."""
    session = save_interaction(InteractionForm("session", NOW, "Portraits"), anna)
    step = save_follow_up(FollowUpForm("Send the proofs", NOW + timedelta(days=3)), anna)
    FollowUp.update(session=session.id).where(FollowUp.id == step.id).execute()
    before = everything()
    snapshot = snapshot_client(anna)
    save_interaction(InteractionForm("session", NOW, "Portraits by the lake"), anna, session.id)
    restore_client(snapshot)
    assert everything() == before
    assert FollowUp.get_by_id(step.id).session_id == session.id
    assert_foreign_keys_hold()


def test_undoing_a_card_deletes_it_and_writes_nothing_else(anna):
    """A card logged on a client with 2,000 history items: undone, that one item is deleted
    and the history is not written again (undoing 5,000 printed cards took 26 s at XL so)."""
    _add_calls(anna, 2000)
    before = everything()
    snapshot = snapshot_client(anna)
    save_interaction(InteractionForm("card", NOW, "Card: Happy birthday", "Dear Anna"), anna)
    written = db.connection().total_changes
    restore_client(snapshot)
    assert everything() == before
    assert db.connection().total_changes - written < 50


def test_what_was_linked_to_an_item_added_since_comes_back_as_it_was(anna):
    """Deleting a session added since unlinks what was moved to it: a care step linked to
    another session before comes back linked to that one, one not linked stays unlinked."""
    session = save_interaction(InteractionForm("session", NOW, "Portraits"), anna)
    step = save_follow_up(FollowUpForm("Send the proofs", NOW + timedelta(days=3)), anna)
    FollowUp.update(session=session.id).where(FollowUp.id == step.id).execute()
    review = save_follow_up(FollowUpForm("Ask for a review", NOW + timedelta(days=9)), anna)
    before = everything()
    snapshot = snapshot_client(anna)
    newer = save_interaction(InteractionForm("session", NOW, "Portraits by the lake"), anna)
    moved = FollowUp.update(session=newer.id).where(FollowUp.id.in_([step.id, review.id]))
    moved.execute()
    restore_client(snapshot)
    assert everything() == before
    assert FollowUp.get_by_id(step.id).session_id == session.id
    assert FollowUp.get_by_id(review.id).session_id is None
    assert_foreign_keys_hold()


def _step(description: str, at: datetime) -> UndoStep:
    return UndoStep(description, snapshot=None, created_at=at)  # the history never looks in


def test_the_history_keeps_the_last_twenty_steps_newest_first():
    history = UndoHistory()
    for n in range(25):
        history.push(_step(f"step {n}", NOW))
    assert len(history) == 20
    popped = [history.pop_latest(NOW).description for _ in range(20)]
    assert popped == [f"step {n}" for n in range(24, 4, -1)]
    assert history.pop_latest(NOW) is None


def test_a_step_can_be_undone_for_ten_minutes_then_it_is_forgotten():
    history = UndoHistory()
    history.push(_step("deleted a note", NOW))
    history.push(_step("logged a call", NOW + timedelta(seconds=30)))
    at = NOW + timedelta(minutes=10)
    assert history.pop_latest(at).description == "logged a call"
    assert history.pop_latest(at).description == "deleted a note"  # exactly ten minutes
    history.push(_step("edited Anna", NOW))
    assert history.pop_latest(at + timedelta(seconds=1)) is None
    assert len(history) == 0
    history.push(_step("edited Anna", NOW))
    assert history.pop_latest(NOW + timedelta(seconds=31), timedelta(seconds=30)) is None
