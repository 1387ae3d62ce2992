"""A window's reminders read fast: last contacts' local days from their stored text, date
reminders sharing their days' work, check-ins from the index of their due day. Each must
be what the plain rule gives, in any zone, around Feb 29 and DST changes, and after every
kind of write."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.clients.entries import add_interactions, delete_entry, save_interaction
from models.clients.saving import delete_client, save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.reminders import store
from models.reminders.contact_rhythm import StoredDays, contacted_at, day_in_zone
from models.reminders.key import ReminderKey
from models.reminders.rules import (
    DateFacts,
    DateReminders,
    Reminder,
    ReminderWindow,
    check_in_reminder,
    day_words,
    describe_date,
    fire_instant,
    resolve_yearly,
)
from models.store.database import db
from models.store.entities import Client, Interaction
from models.store.fields import UtcDateTimeField
from tests.test_check_in_reminder_fast import ZONES as ODD_ZONES

# The odd zones the check-in tests use, and one whose clock goes back at midnight.
ZONES = [*ODD_ZONES, ZoneInfo("America/Santiago")]
# Instants bunched around leap days, DST changes and Apia's skipped day.
SPECIAL_DAYS = [date(2024, 2, 29), date(2028, 2, 29), date(2011, 12, 30), date(2026, 3, 29)]
instants = st.one_of(
    st.datetimes(datetime(1990, 1, 1), datetime(2040, 12, 31)),
    st.builds(
        lambda day, seconds: datetime.combine(day, time()) + timedelta(seconds=seconds),
        st.sampled_from([*SPECIAL_DAYS, date(2026, 10, 25), date(2027, 4, 4)]),
        st.integers(-2 * 86400, 2 * 86400),
    ),
).map(lambda instant: instant.replace(microsecond=0))


@settings(max_examples=400, deadline=None)
@given(stamps=st.lists(instants, min_size=1, max_size=40), zone=st.sampled_from(ZONES))
def test_local_days_read_from_stored_text_are_the_conversions(stamps, zone):
    days = StoredDays(zone)  # one for many instants, as a window's check-ins share it
    for stamp in stamps:
        stored = UtcDateTimeField().db_value(stamp.replace(tzinfo=UTC))
        instant = UtcDateTimeField().python_value(stored)
        assert days.of(stored) == (instant.date(), day_in_zone(instant, zone))


@pytest.mark.parametrize(
    "stored",
    [
        "2026-03-29 00:59:59.5",
        "2026-03-30 22:00:00.25",
        "2026-03-30T05:30:00",
        "2026-03-30 23:30:00+00:00",
    ],
)
def test_text_not_as_rapport_writes_it_reads_as_parsed(stored):
    berlin = ZoneInfo("Europe/Berlin")
    instant = UtcDateTimeField().python_value(stored)
    days = StoredDays(berlin)
    days.of(f"{stored[:10]} 12:00:00")  # its UTC day already met, as Rapport writes it
    assert days.of(stored) == (instant.date(), day_in_zone(instant, berlin))


def date_reminders_step_by_step(facts: DateFacts, window: ReminderWindow) -> list[Reminder]:
    """The date rule as it reads, nothing shared between dates (the rule before the window's
    dates shared their days' work)."""
    reminders = []
    for year in range(window.first.year, window.last.year + 2):
        if facts.year is not None and year <= facts.year:
            continue
        occurs_on = resolve_yearly(facts.month, facts.day, year, window.leap_day_rule)
        phases = [(phase, occurs_on - timedelta(days=days)) for phase, days in facts.notices()]
        for phase, notice_day in [*phases, ("day", occurs_on)]:
            if window.first <= notice_day <= window.last:
                reminders.append(
                    Reminder(
                        key=str(ReminderKey.for_date(facts.id, occurs_on, phase)),
                        client_id=facts.client_id,
                        kind="date",
                        due_at=fire_instant(notice_day, window.at, window.zone),
                        occurs_on=occurs_on,
                        title=facts.client_name,
                        text=describe_date(facts, occurs_on, day_words(occurs_on, window.today)),
                        occasion=facts.kind,
                        for_family=bool(facts.person),
                    )
                )
    return reminders


@st.composite
def yearly_dates(draw, date_id):
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2028, month)[1]))  # Feb 29 included
    if draw(st.booleans()):
        month, day = 2, draw(st.sampled_from([28, 29]))  # often about the leap day
    return DateFacts(
        id=date_id,
        client_id=draw(st.integers(1, 50)),
        client_name=draw(st.sampled_from(["Anna Berg", "Jens"])),
        kind=draw(st.sampled_from(["birthday", "wedding_anniversary", "client_since", "x"])),
        month=month,
        day=day,
        year=draw(st.none() | st.integers(1950, 2030)),
        lead_days=draw(st.sampled_from([0, 1, 7, 30])),
        label=draw(st.sampled_from(["", "Shop opening"])),
        person=draw(st.sampled_from(["", "Maria's child Lea"])),
        couple=draw(st.sampled_from(["", "Anna & Tom"])),
        more_lead_days=draw(st.sampled_from([(), (1,), (30, 1), (7,)])),
    )


@settings(max_examples=200, deadline=None)
@given(
    dates=st.lists(st.integers(1, 10**6), min_size=1, max_size=25, unique=True).flatmap(
        lambda ids: st.tuples(*(yearly_dates(date_id) for date_id in ids))
    ),
    today=st.one_of(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.sampled_from(SPECIAL_DAYS)),
    zone=st.sampled_from(ZONES),
    at=st.times(),
    rule=st.sampled_from(["feb28", "mar1"]),
    back=st.sampled_from([7, 30, 366]),
)
def test_date_reminders_sharing_their_days_are_the_rules(dates, today, zone, at, rule, back):
    window = ReminderWindow(
        today - timedelta(days=back), today + timedelta(days=7), today, at, zone, rule
    )
    shared = DateReminders(window)  # one for many dates, as a window's thousands share it
    for facts in dates:
        assert shared.of(facts) == date_reminders_step_by_step(facts, window)


# --- check-ins from the index of their due day -------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 24)
WINDOW = ReminderWindow(
    TODAY - timedelta(days=7), TODAY + timedelta(days=7), TODAY, time(9), BERLIN
)


def recomputed() -> list[Reminder]:
    """Every check-in of WINDOW from each client's own rows, one by one (no index)."""
    reminders = []
    for client in Client.select().where(Client.check_in_days.is_null(False)):
        if client.no_greetings:
            continue
        reminder = check_in_reminder(
            client.id, client.full_name, client.check_in_days, contacted_at(client), WINDOW
        )
        if reminder.occurs_on <= WINDOW.last:
            reminders.append(reminder)
    return sorted(reminders, key=lambda r: r.key)


def read_from_the_index() -> list[Reminder]:
    return sorted(store._check_in_reminders(WINDOW), key=lambda r: r.key)


def call(at: datetime) -> InteractionForm:
    return InteractionForm(kind="call", occurred_at=at, summary="Talked")


def test_check_ins_after_every_kind_of_write_are_the_recomputed_ones(database):
    created = datetime(2026, 6, 1, 9, tzinfo=UTC)
    ids = []
    for n, every in enumerate(["30", "90", "", "14", "150"]):
        client = save_client(
            ClientForm(first_name=f"Client{n}", last_name="Berg", check_in_days=every)
        )
        Client.update(created_at=created).where(Client.id == client.id).execute()
        ids.append(client.id)
    seen = [read_from_the_index()]
    assert seen[-1] == recomputed() and seen[-1]  # due from when they were added

    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Berlin: a day later in UTC
    logged = save_interaction(call(late), ids[0])
    writes = [
        lambda: save_interaction(call(datetime(2026, 10, 20, 8, tzinfo=UTC)), ids[1]),
        lambda: save_interaction(call(datetime(2026, 9, 1, 8, tzinfo=UTC)), ids[0], logged.id),
        lambda: delete_entry(Interaction, logged.id),
        lambda: add_interactions([(ids[3], call(datetime(2026, 11, 10, 23, 30, tzinfo=UTC)))]),
        lambda: save_client(ClientForm(first_name="Client1", check_in_days="40"), ids[1]),
        lambda: save_client(ClientForm(first_name="Client2", check_in_days="7"), ids[2]),
        lambda: Client.update(no_greetings=True).where(Client.id == ids[4]).execute(),
        lambda: db.execute_sql(
            "INSERT INTO interaction (client_id, kind, occurred_at, summary, body)"
            " VALUES (?, 'call', '2026-11-20 07:00:00', 'raw', '')",
            (ids[2],),
        ),
        lambda: (
            Interaction.update(occurred_at=datetime(2026, 5, 1, tzinfo=UTC))
            .where(Interaction.client == ids[2])
            .execute()
        ),
        lambda: Client.update(first_name="Renamed").where(Client.id == ids[3]).execute(),
        lambda: delete_client(ids[0]),
    ]
    for write in writes:
        write()
        seen.append(read_from_the_index())
        assert seen[-1] == recomputed()
    assert len({tuple(reminders) for reminders in seen}) == len(seen)  # each write changed them


def test_check_ins_and_referrals_are_read_from_their_indexes(database):
    plan = " ".join(
        row[3]
        for row in db.execute_sql(
            f"EXPLAIN QUERY PLAN {store._DUE_CHECK_INS}", ("2026-12-01",)
        ).fetchall()
    )
    assert "USING INDEX client_check_in_due" in plan and "SCAN" not in plan
    referrals, params = store._referral_query(WINDOW).sql()
    plan = " ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {referrals}", params))
    assert "USING INDEX client_referred_at" in plan and "SCAN" not in plan
