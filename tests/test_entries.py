"""A client's history, notes, family and dates: saved exactly, read back in the right order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from models.clients.entries import (
    delete_entry,
    family,
    family_member_form,
    history,
    important_date_form,
    important_dates,
    interaction_form,
    notes,
    save_family_member,
    save_follow_up,
    save_important_date,
    save_interaction,
    save_note,
    set_note_pinned,
)
from models.clients.saving import save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    ValidationError,
)
from models.store.entities import (
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    Note,
    ReminderState,
)

BERLIN_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture
def anna(database) -> int:
    return save_client(ClientForm(first_name="Anna")).id


def raw(database, sql: str, *params):
    return database.execute_sql(sql, params).fetchone()


def call(when: datetime, summary: str = "Catch-up", **typed) -> InteractionForm:
    return InteractionForm(kind="call", occurred_at=when, summary=summary, **typed)


def mia(**typed) -> FamilyMemberForm:
    return FamilyMemberForm(**{"name": "Mia", "relation": "child", **typed})


def test_history_is_newest_first(anna):
    jens = save_client(ClientForm(first_name="Jens")).id
    save_interaction(call(datetime(2026, 11, 24, 8, tzinfo=UTC), "Later, in UTC"), anna)
    save_interaction(call(datetime(2025, 3, 1, 12, tzinfo=UTC), "Last year"), anna)
    save_interaction(call(datetime(2026, 11, 24, 9, tzinfo=BERLIN_SUMMER), "7:00 UTC"), anna)
    save_interaction(call(datetime(2026, 12, 1, tzinfo=UTC), "Jens's call"), jens)
    summaries = [row.summary for row in history(anna)]
    assert summaries == ["Later, in UTC", "7:00 UTC", "Last year"]


def test_notes_show_pinned_ones_first_then_the_newest(anna):
    written = ((3, "Tuesday"), (1, "Sunday"), (4, "Wednesday"), (2, "Monday, pinned"))
    for day, text in written:  # written in this order, dated otherwise
        note = save_note(NoteForm(text), anna)
        dated = datetime(2026, 6, day, tzinfo=UTC)
        Note.update(created_at=dated).where(Note.id == note.id).execute()
    set_note_pinned(Note.get(Note.text == "Monday, pinned").id, True)
    assert [n.text for n in notes(anna)] == ["Monday, pinned", "Wednesday", "Tuesday", "Sunday"]


def test_an_amount_is_kept_exactly_and_the_currency_upper_cased(anna, database):
    saved = save_interaction(call(datetime.now(UTC), amount="19.90", currency=" eur "), anna)
    row = Interaction.get_by_id(saved.id)
    assert (row.amount, str(row.amount), row.currency) == (Decimal("19.90"), "19.90", "EUR")
    assert raw(database, "SELECT amount, currency FROM interaction") == ("19.90", "EUR")


def test_the_currency_is_dropped_when_there_is_no_amount(anna, database):
    save_interaction(call(datetime.now(UTC), amount=" ", currency="EUR"), anna)
    assert raw(database, "SELECT amount, currency FROM interaction") == (None, None)


def test_editing_an_interaction_keeps_its_id(anna):
    first = save_interaction(call(datetime.now(UTC), amount="450", currency="EUR"), anna)
    form = interaction_form(Interaction.get_by_id(first.id))
    form.summary, form.amount = "Family shoot, rescheduled", ""
    edited = save_interaction(form, anna, first.id)
    assert edited.id == first.id
    assert [(r.id, r.summary, r.amount, r.currency) for r in history(anna)] == [
        (first.id, "Family shoot, rescheduled", None, None)
    ]


def test_a_time_in_another_zone_is_stored_as_the_same_instant_in_utc(anna, database):
    noon_in_berlin = datetime(2026, 6, 1, 12, 0, tzinfo=BERLIN_SUMMER)
    save_interaction(call(noon_in_berlin), anna)
    assert raw(database, "SELECT occurred_at FROM interaction") == ("2026-06-01 10:00:00",)
    read_back = history(anna)[0].occurred_at
    assert read_back == noon_in_berlin
    assert read_back.tzinfo is UTC


def test_an_interaction_reads_back_as_its_form(anna):
    form = InteractionForm(
        kind="session",
        occurred_at=datetime(2026, 6, 1, 12, 30, tzinfo=BERLIN_SUMMER),
        summary="Family shoot",
        body="In the park; bring the big reflector.",
        amount="19.90",
        currency="CHF",
    )
    row = save_interaction(form, anna)
    assert interaction_form(Interaction.get_by_id(row.id)) == form


def test_a_family_birthday_is_one_date_that_follows_the_member(anna, database):
    member = save_family_member(mia(has_birthday=True, birthday_day=3, birthday_month=4), anna)
    dates = important_dates(anna)
    assert [(d.kind, d.family_member_id, d.day, d.month) for d in dates] == [
        ("birthday", member.id, 3, 4)
    ]
    save_family_member(mia(has_birthday=True, birthday_day=5, birthday_month=6), anna, member.id)
    assert [(d.id, d.day, d.month) for d in important_dates(anna)] == [(dates[0].id, 5, 6)]
    save_family_member(mia(has_birthday=False), anna, member.id)
    assert important_dates(anna) == []
    assert [m.id for m in family(anna)] == [member.id]
    save_family_member(mia(has_birthday=True, birthday_day=5, birthday_month=6), anna, member.id)
    delete_entry(FamilyMember, member.id)
    assert family(anna) == []
    assert raw(database, "SELECT count(*) FROM important_date") == (0,)


def test_an_unknown_year_is_stored_as_null(anna, database):
    save_important_date(ImportantDateForm("birthday", day=29, month=2, year=" "), anna)
    save_family_member(mia(has_birthday=True, birthday_day=1, birthday_month=5), anna)
    assert raw(database, "SELECT count(*) FROM important_date WHERE year IS NULL") == (2,)
    assert [d.year for d in important_dates(anna)] == [None, None]


def test_dates_and_family_read_back_as_their_forms(anna):
    member_form = mia(
        notes="Loves horses",
        has_birthday=True,
        birthday_day=29,
        birthday_month=2,
        birthday_year="2024",
    )
    member = save_family_member(member_form, anna)
    assert family_member_form(FamilyMember.get_by_id(member.id)) == member_form
    assert family_member_form(save_family_member(mia(), anna)) == mia()
    for form in (
        ImportantDateForm("custom", day=12, month=9, label="First shoot", lead_days=3),
        ImportantDateForm("wedding_anniversary", 14, 6, "2021", lead_days=7),
        ImportantDateForm("birthday", 8, 1, "", family_member_id=member.id),
    ):
        row = save_important_date(form, anna)
        assert important_date_form(ImportantDate.get_by_id(row.id)) == form


def test_invalid_records_are_refused_and_nothing_is_written(anna, database):
    member = save_family_member(mia(), anna)
    attempts = (
        lambda: save_interaction(call(datetime(2026, 6, 1, 12), amount="abc"), anna),
        lambda: save_note(NoteForm("  "), anna),
        lambda: save_family_member(mia(name=" "), anna),
        lambda: save_family_member(
            mia(has_birthday=True, birthday_day=29, birthday_month=2, birthday_year="2023"),
            anna,
            member.id,
        ),
        lambda: save_important_date(ImportantDateForm("custom", 31, 4), anna),
    )
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    for table in ("interaction", "note", "important_date"):
        assert raw(database, f"SELECT count(*) FROM {table}") == (0,), table
    assert [(m.id, m.name) for m in family(anna)] == [(member.id, "Mia")]


def test_a_deleted_date_takes_its_reminder_states_along(anna, database):
    """SQLite gives the freed id to the next date: it must not inherit 'notified'."""
    birthday = save_important_date(ImportantDateForm(kind="birthday", day=3, month=12), anna)
    member = save_family_member(
        FamilyMemberForm(name="Lea", relation="child", has_birthday=True, birthday_day=5),
        anna,
    )
    [lea_birthday] = ImportantDate.select().where(ImportantDate.family_member == member)
    task = save_follow_up(FollowUpForm("Call back", datetime(2026, 12, 1, tzinfo=UTC)), anna)
    for key in (
        f"date:{birthday.id}:2026-12-03:day",
        f"date:{lea_birthday.id}:2027-01-05:day",
        f"follow_up:{task.id}:due",
        "check_in:1:2026-12-01",
    ):
        ReminderState.create(key=key, client=anna, notified_at=datetime.now(UTC))
    delete_entry(ImportantDate, birthday.id)
    delete_entry(FamilyMember, member.id)
    delete_entry(FollowUp, task.id)
    assert [state.key for state in ReminderState.select()] == ["check_in:1:2026-12-01"]
