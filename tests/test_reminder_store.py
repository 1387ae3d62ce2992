"""Reminders from real rows, and what reconcile, snooze and done record about them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clients.couples import link_partners
from models.clients.entries import save_family_member, save_follow_up, save_important_date
from models.clients.entries import save_interaction as log
from models.clients.saving import delete_client, save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
)
from models.reminders.rules import follow_up_reminder, snooze_until
from models.reminders.store import (
    HANDFUL,
    close_reminder,
    close_reminders,
    collect_reminders,
    listed_today,
    mark_done,
    reconcile,
    reconcile_and_list,
    reminder_window,
    snooze,
    states_for,
)
from models.store.database import db, one_of
from models.store.entities import Client, FollowUp, ImportantDate, Interaction, ReminderState
from models.store.settings import last_reconciled_at, set_setting

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)  # 11:00 in Berlin


def nine_in_berlin(day: date) -> datetime:
    return datetime.combine(day, NINE, tzinfo=BERLIN).astimezone(UTC)


def client(first: str, last: str = "", every: str = "", created: datetime = NOW) -> Client:
    row = save_client(ClientForm(first_name=first, last_name=last, check_in_days=every))
    Client.update(created_at=created).where(Client.id == row.id).execute()
    return Client.get_by_id(row.id)


def yearly(owner: Client, kind: str, day: int, month: int, year: str = "", lead: int = 0):
    return save_important_date(ImportantDateForm(kind, day, month, year, "", lead), owner.id)


def interaction(owner: Client, when: datetime, kind: str = "call") -> None:
    log(InteractionForm(kind=kind, occurred_at=when, summary="Talked"), owner.id)


def collect(now: datetime = NOW, since: datetime | None = None) -> dict:
    return {r.key: r for r in collect_reminders(reminder_window(now, BERLIN, NINE, since))}


def test_dates_of_clients_family_and_couples(database):
    anna = client("Anna", "Berger")
    save_family_member(FamilyMemberForm(name="Tom Berger", relation="partner"), anna.id)
    wedding = yearly(anna, "wedding_anniversary", 28, 11, "2021", lead=7)
    maria = client("Maria", "Keller")
    lea = FamilyMemberForm(
        name="Lea", relation="child", has_birthday=True, birthday_day=29, birthday_month=11
    )
    lea.birthday_year = "2019"
    lea_id = save_family_member(lea, maria.id).important_dates.get().id
    maria_birthday = yearly(maria, "birthday", 26, 11)
    ben = client("Ben")
    ben_birthday = yearly(ben, "birthday", 25, 11, "1990")

    reminders = collect()
    texts = {key: (r.client_id, r.title, r.text) for key, r in reminders.items()}
    assert texts == {
        f"date:{wedding.id}:2026-11-28:notice": (
            anna.id,
            "Anna & Tom Berger",  # the couple's anniversary
            "Anna & Tom — 5th wedding anniversary on Sat 28 Nov",
        ),
        f"date:{wedding.id}:2026-11-28:day": (
            anna.id,
            "Anna & Tom Berger",  # the couple's anniversary
            "Anna & Tom — 5th wedding anniversary on Sat 28 Nov",
        ),
        f"date:{lea_id}:2026-11-29:day": (
            maria.id,
            "Maria Keller",
            "Maria's child Lea turns 7 on Sun 29 Nov",
        ),
        f"date:{maria_birthday.id}:2026-11-26:day": (
            maria.id,
            "Maria Keller",
            "Maria Keller's birthday on Thu 26 Nov",
        ),
        f"date:{ben_birthday.id}:2026-11-25:day": (ben.id, "Ben", "Ben turns 36 tomorrow"),
    }
    notice = reminders[f"date:{wedding.id}:2026-11-28:notice"]
    assert notice.due_at == nine_in_berlin(date(2026, 11, 21))  # lead days before the date
    assert notice.occasion == "wedding_anniversary"
    assert reminders[f"date:{wedding.id}:2026-11-28:day"].due_at == nine_in_berlin(
        date(2026, 11, 28)
    )


def test_a_preferred_name_is_used_for_the_couple_and_the_family(database):
    row = save_client(ClientForm(first_name="Johanna", last_name="Lind", preferred_name="Jo"))
    save_family_member(FamilyMemberForm(name="Sam", relation="partner"), row.id)
    save_family_member(
        FamilyMemberForm(
            name="Rex", relation="pet", has_birthday=True, birthday_day=27, birthday_month=11
        ),
        row.id,
    )
    yearly(row, "wedding_anniversary", 28, 11)
    texts = sorted(r.text for r in collect().values())
    assert texts == [
        "Jo & Sam — Wedding anniversary on Sat 28 Nov",
        "Jo's pet Rex's birthday on Fri 27 Nov",
    ]


def test_the_leap_day_rule_setting_moves_feb_29(database):
    leap = yearly(client("Lina"), "birthday", 29, 2, "1992", lead=2)
    now = datetime(2027, 2, 24, 10, tzinfo=UTC)
    assert sorted(collect(now)) == [
        f"date:{leap.id}:2027-02-28:day",
        f"date:{leap.id}:2027-02-28:notice",
    ]
    set_setting("leap_day_rule", "mar1")
    reminders = collect(now)
    assert sorted(reminders) == [
        f"date:{leap.id}:2027-03-01:day",
        f"date:{leap.id}:2027-03-01:notice",
    ]
    assert reminders[f"date:{leap.id}:2027-03-01:notice"].due_at == nine_in_berlin(
        date(2027, 2, 27)
    )
    assert reminders[f"date:{leap.id}:2027-03-01:day"].text == "Lina turns 35 on Mon 1 Mar"


def test_check_ins_count_from_the_last_interaction_or_from_creation(database):
    jens = client("Jens", "Hoffmann", every="90", created=NOW - timedelta(days=400))
    interaction(jens, datetime(2026, 6, 1, 9, tzinfo=UTC))
    interaction(jens, NOW - timedelta(days=97))  # the latest counts
    interaction(jens, datetime(2026, 5, 1, 9, tzinfo=UTC))
    new = client("Nora", "Neu", every="30", created=NOW - timedelta(days=25))
    client("Quiet", every="")  # no check-in interval: no check-in
    client("Later", every="30", created=NOW - timedelta(days=10))  # beyond the week ahead

    reminders = [r for r in collect().values() if r.kind == "check_in"]
    assert [(r.client_id, r.key, r.text) for r in reminders] == [
        (
            jens.id,
            f"check_in:{jens.id}:2026-11-17",
            "Check in with Jens — last contact 97 days ago, every 90 days",
        ),
        (
            new.id,
            f"check_in:{new.id}:2026-11-29",
            "Check in with Nora — last contact 25 days ago, every 30 days",
        ),
    ]
    assert reminders[0].due_at == nine_in_berlin(date(2026, 11, 17))
    assert reminders[1].due_at == nine_in_berlin(date(2026, 11, 29))


def test_the_last_contact_is_a_local_day(database):
    # 23:30 UTC on Aug 18 is already Aug 19 in Berlin.
    jens = client("Jens", every="97", created=NOW - timedelta(days=400))
    interaction(jens, datetime(2026, 8, 18, 23, 30, tzinfo=UTC))
    [check_in] = [r for r in collect().values() if r.kind == "check_in"]
    assert check_in.occurs_on == date(2026, 11, 24)


def test_open_follow_ups_only(database):
    eva = client("Eva", "Roth")
    gallery = save_follow_up(
        FollowUpForm("Deliver the wedding gallery", datetime(2026, 11, 24, 13, tzinfo=UTC)), eva.id
    )
    overdue = save_follow_up(FollowUpForm("Send invoice", NOW - timedelta(days=40)), eva.id)
    done = save_follow_up(FollowUpForm("Book venue", NOW - timedelta(days=1)), eva.id)
    FollowUp.update(done_at=NOW).where(FollowUp.id == done.id).execute()
    save_follow_up(FollowUpForm("Anniversary shoot", NOW + timedelta(days=30)), eva.id)

    reminders = sorted(
        (r for r in collect().values() if r.kind == "follow_up"), key=lambda r: r.due_at
    )
    assert [(r.key, r.title, r.text) for r in reminders] == [
        (f"follow_up:{overdue.id}:20261015T1000", "Eva Roth", "Send invoice — due 12:00"),
        (
            f"follow_up:{gallery.id}:20261124T1300",
            "Eva Roth",
            "Deliver the wedding gallery — due 14:00",
        ),
    ]


def test_reconcile_notifies_each_reminder_once(database):
    ben = client("Ben", every="30", created=NOW - timedelta(days=30))
    birthday = yearly(ben, "birthday", 24, 11, lead=1)
    first = reconcile(NOW, BERLIN, NINE)
    # The birthday's notice (yesterday) and its day are one occasion: told once.
    notice, day = f"date:{birthday.id}:2026-11-24:notice", f"date:{birthday.id}:2026-11-24:day"
    assert {r.key for r in first.due_now} == {notice, f"check_in:{ben.id}:2026-11-24"}
    assert first.missed == [] and first.first_run
    states = states_for(first.due_now)
    assert all(s.notified_at == NOW for s in states.values())
    assert ReminderState.get_by_id(day).notified_at == NOW
    assert last_reconciled_at() == NOW

    again = reconcile(NOW + timedelta(minutes=15), BERLIN, NINE)
    assert (again.due_now, again.missed, again.first_run) == ([], [], False)
    restart = reconcile(NOW + timedelta(hours=1), BERLIN, NINE, starting=True)
    assert (restart.due_now, restart.missed) == ([], [])


def test_next_at_is_the_next_fire_time_and_it_is_delivered_then(database):
    ben = client("Ben")
    birthday = yearly(ben, "birthday", 27, 11, lead=2)
    delivery = reconcile(NOW, BERLIN, NINE)
    assert delivery.due_now == [] and delivery.next_at == nine_in_berlin(date(2026, 11, 25))
    early = reconcile(delivery.next_at - timedelta(seconds=1), BERLIN, NINE)
    assert early.due_now == [] and early.next_at == delivery.next_at
    on_time = reconcile(delivery.next_at, BERLIN, NINE)
    assert [r.key for r in on_time.due_now] == [f"date:{birthday.id}:2026-11-27:notice"]
    assert on_time.next_at == nine_in_berlin(date(2026, 11, 27))


def test_a_snoozed_reminder_comes_back_once_after_the_snooze(database):
    ben = client("Ben", every="30", created=NOW - timedelta(days=30))
    [check_in] = reconcile(NOW, BERLIN, NINE).due_now
    until = NOW + timedelta(hours=1)
    snooze(check_in, until)
    assert ReminderState.get_by_id(check_in.key).notified_at is None
    before = reconcile(until - timedelta(minutes=1), BERLIN, NINE)
    assert before.due_now == [] and before.next_at == until
    assert [r.key for r in reconcile(until, BERLIN, NINE).due_now] == [
        f"check_in:{ben.id}:2026-11-24"
    ]
    assert reconcile(until + timedelta(minutes=15), BERLIN, NINE).due_now == []
    assert reconcile(until + timedelta(days=2), BERLIN, NINE, starting=True).missed == []


def test_a_snooze_ending_while_closed_is_reported_at_the_next_start(database):
    birthday = yearly(client("Ben"), "birthday", 24, 11)
    [day] = reconcile(NOW, BERLIN, NINE).due_now
    until = snooze_until("tomorrow", NOW, BERLIN, NINE)
    snooze(day, until)
    later = until + timedelta(hours=5)
    start = reconcile(later, BERLIN, NINE, starting=True)
    assert [r.key for r in start.missed] == [f"date:{birthday.id}:2026-11-24:day"]
    assert reconcile(later + timedelta(hours=1), BERLIN, NINE, starting=True).missed == []


@pytest.mark.parametrize("how", ["snoozed a day", "a day ahead"])
def test_a_notice_and_its_day_due_at_one_look_are_notified_once(database, how):
    """'Snooze 1 day' on the notice a day before, or a look a day later (the clock jumped,
    the laptop slept): the notice and the day fall due together, one occasion, told once,
    the one Today lists; the other never comes later."""
    birthday = yearly(client("Anna", "Berger"), "birthday", 28, 11, "1996", lead=1)
    reconcile(nine_in_berlin(date(2026, 11, 26)), BERLIN, NINE)
    on_the_day = nine_in_berlin(date(2026, 11, 28))
    if how == "snoozed a day":
        notice_due = nine_in_berlin(date(2026, 11, 27))
        [notice] = reconcile(notice_due, BERLIN, NINE).due_now
        snooze(notice, snooze_until("tomorrow", notice_due + timedelta(minutes=2), BERLIN, NINE))
    delivery = reconcile(on_the_day + timedelta(minutes=51), BERLIN, NINE)
    _, listed = listed_today(on_the_day + timedelta(minutes=52), BERLIN, NINE)
    assert [r.key for r in delivery.due_now] == [r.key for r in listed.today]
    assert len(delivery.due_now) == 1 and delivery.missed == []
    keys = [f"date:{birthday.id}:2026-11-28:{phase}" for phase in ("notice", "day")]
    assert all(ReminderState.get_by_id(key).notified_at is not None for key in keys)
    later = reconcile(on_the_day + timedelta(hours=3), BERLIN, NINE, starting=True)
    assert (later.due_now, later.missed) == ([], [])


@pytest.mark.parametrize("snoozes", [["next_week", "next_week"], ["pick 10 days"]])
def test_a_date_snoozed_beyond_the_overdue_week_comes_back(database, snoozes):
    birthday = yearly(client("Ben"), "birthday", 20, 11)
    due = nine_in_berlin(date(2026, 11, 20))
    [day] = reconcile(due, BERLIN, NINE).due_now
    now = due
    for choice in snoozes:
        now += timedelta(hours=1)
        if choice == "next_week":
            until = snooze_until("next_week", now, BERLIN, NINE)
        else:
            until = nine_in_berlin(date(2026, 11, 30))
        snooze(day, until)
        back = []
        while now < until + timedelta(days=1):  # Rapport running: a look every hour
            now += timedelta(hours=1)
            back += [r.key for r in reconcile(now, BERLIN, NINE).due_now]
        assert back == [f"date:{birthday.id}:2026-11-20:day"]


def test_done_on_a_notice_closes_its_day_and_logs_the_card(database):
    anna = client("Anna", every="90", created=NOW - timedelta(days=300))
    interaction(anna, NOW - timedelta(days=30))
    wedding = yearly(anna, "wedding_anniversary", 28, 11, "2021", lead=7)
    notice = next(r for r in collect().values() if r.key.endswith(":notice"))
    mark_done(notice, NOW, log_kind="card")
    day_key = f"date:{wedding.id}:2026-11-28:day"
    assert ReminderState.get_by_id(day_key).done_at == NOW
    assert ReminderState.get_by_id(notice.key).done_at == NOW
    assert reconcile(nine_in_berlin(date(2026, 11, 28)), BERLIN, NINE).due_now == []
    [card] = Interaction.select().where(Interaction.kind == "card")
    assert (card.client_id, card.occurred_at) == (anna.id, NOW)
    assert card.summary == "5th wedding anniversary on Sat 28 Nov"
    later = collect(NOW + timedelta(days=90)).values()
    [check_in] = [r for r in later if r.kind == "check_in"]
    assert check_in.occurs_on == TODAY + timedelta(days=90)  # counted from the card


def test_done_with_a_log_kind_moves_the_next_check_in(database):
    jens = client("Jens", "Hoffmann", every="90", created=NOW - timedelta(days=400))
    interaction(jens, NOW - timedelta(days=97))
    [check_in] = reconcile(NOW, BERLIN, NINE).due_now
    assert check_in.key == f"check_in:{jens.id}:2026-11-17"
    mark_done(check_in, NOW, log_kind="call")
    [logged] = Interaction.select().where(
        (Interaction.client == jens.id) & (Interaction.occurred_at == NOW)
    )
    assert (logged.kind, logged.summary) == ("call", "Checked in")
    assert ReminderState.get_by_id(check_in.key).done_at == NOW
    moved = [r for r in collect(NOW + timedelta(days=90)).values() if r.kind == "check_in"]
    assert [r.key for r in moved] == [f"check_in:{jens.id}:2027-02-22"]
    assert moved[0].due_at == nine_in_berlin(date(2027, 2, 22))
    assert reconcile(NOW + timedelta(days=89), BERLIN, NINE).due_now == []
    due = reconcile(nine_in_berlin(date(2027, 2, 22)), BERLIN, NINE).due_now
    assert [r.key for r in due] == [f"check_in:{jens.id}:2027-02-22"]


def test_done_without_a_log_kind_logs_nothing(database):
    jens = client("Jens", every="30", created=NOW - timedelta(days=30))
    [check_in] = reconcile(NOW, BERLIN, NINE).due_now
    mark_done(check_in, NOW)
    assert Interaction.select().count() == 0
    assert [r.key for r in collect().values()] == [f"check_in:{jens.id}:2026-11-24"]
    assert reconcile(NOW + timedelta(days=3), BERLIN, NINE, starting=True).missed == []


def test_follow_up_reminders_equal_the_ones_built_from_each_row(database):
    """Read as tuples, each follow-up's reminder is the one its model row gives."""
    eva, jens = client("Eva", "Roth"), client("Jens")
    interaction(eva, NOW - timedelta(days=3), kind="session")
    session = Interaction.get(Interaction.client == eva.id)
    step = save_follow_up(FollowUpForm("Ask for a review", NOW - timedelta(hours=5)), eva.id)
    FollowUp.update(session=session.id, template="review").where(FollowUp.id == step.id).execute()
    save_follow_up(FollowUpForm("Send invoice", NOW + timedelta(days=2, minutes=7)), jens.id)

    built = [
        follow_up_reminder(
            f.id,
            f.client_id,
            f.client.full_name,
            f.title,
            f.due_at,
            BERLIN,
            template=f.template,
            care_step=f.session_id is not None,
        )
        for f in FollowUp.select().order_by(FollowUp.id)
    ]
    read = sorted((r for r in collect().values() if r.kind == "follow_up"), key=lambda r: r.key)
    assert read == sorted(built, key=lambda r: r.key)
    assert {r.occasion for r in read} == {"care_step", ""}


def test_done_on_a_follow_up_closes_it(database):
    eva = client("Eva")
    row = save_follow_up(FollowUpForm("Deliver the gallery", NOW - timedelta(hours=2)), eva.id)
    [follow_up] = reconcile(NOW, BERLIN, NINE).due_now
    mark_done(follow_up, NOW + timedelta(minutes=5))
    assert FollowUp.get_by_id(row.id).done_at == NOW + timedelta(minutes=5)
    assert collect() == {}


def test_deleting_a_client_deletes_its_reminder_states(database):
    ben = client("Ben", every="30", created=NOW - timedelta(days=30))
    yearly(ben, "birthday", 24, 11)
    eva = client("Eva", every="30", created=NOW - timedelta(days=30))
    delivered = reconcile(NOW, BERLIN, NINE).due_now
    assert len(delivered) == 3
    mark_done(delivered[0], NOW)
    assert ReminderState.select().where(ReminderState.client == ben.id).count() >= 2
    delete_client(ben.id)
    assert [s.client_id for s in ReminderState.select()] == [eva.id]


def test_a_start_reports_what_fell_due_while_closed_once(database):
    ben = client("Ben", every="3", created=NOW)
    birthday = yearly(ben, "birthday", 26, 11, lead=1)
    eva = client("Eva")
    call = save_follow_up(FollowUpForm("Call back", datetime(2026, 11, 26, 16, tzinfo=UTC)), eva.id)
    prints = save_follow_up(
        FollowUpForm("Send prints", datetime(2026, 11, 27, 12, tzinfo=UTC)), eva.id
    )
    first = reconcile(NOW, BERLIN, NINE, starting=True)
    assert (first.due_now, first.missed, first.first_run) == ([], [], True)

    start = datetime(2026, 11, 27, 12, tzinfo=UTC)  # closed from NOW until now
    delivery = reconcile(start, BERLIN, NINE, starting=True)
    assert [r.key for r in delivery.missed] == [
        f"date:{birthday.id}:2026-11-26:notice",  # and its day: one occasion, counted once
        f"follow_up:{call.id}:20261126T1600",
        f"check_in:{ben.id}:2026-11-27",
    ]
    # Due exactly at the start: not missed, notified on its own.
    assert [r.key for r in delivery.due_now] == [f"follow_up:{prints.id}:20261127T1200"]
    assert not delivery.first_run
    assert reconcile(start + timedelta(minutes=1), BERLIN, NINE, starting=True).missed == []


def test_a_long_closed_gap_still_reports_every_missed_date(database):
    birthday = yearly(client("Ben"), "birthday", 1, 9)
    reconcile(datetime(2026, 8, 1, 10, tzinfo=UTC), BERLIN, NINE)
    start = datetime(2026, 11, 24, 10, tzinfo=UTC)  # 115 days later
    missed = reconcile(start, BERLIN, NINE, starting=True).missed
    assert [r.key for r in missed] == [f"date:{birthday.id}:2026-09-01:day"]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Across New Year: Dec 28 is in the 7 days back, Jan 3 in the 7 days ahead.
        (datetime(2026, 12, 31, 10, tzinfo=UTC), {"2026-12-28:day", "2027-01-03:day"}),
        # A notice 300 days ahead of its date: only that date's notice is in the window.
        (datetime(2026, 3, 10, 10, tzinfo=UTC), {"2027-01-03:notice"}),
    ],
)
def test_only_dates_near_the_window_are_read_but_none_is_missed(database, now, expected):
    anna = client("Anna")
    yearly(anna, "birthday", 28, 12)
    yearly(anna, "birthday", 3, 1)
    yearly(anna, "client_since", 3, 1, lead=300)
    yearly(anna, "birthday", 15, 6)  # far from both windows
    found = {key.split(":", 2)[2] for key in collect(now) if key.startswith("date:")}
    assert found == expected


# --- Clock and zone ------------------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def check_ins(now: datetime, zone: ZoneInfo) -> list:
    window = reminder_window(now, zone, NINE)
    return [r for r in collect_reminders(window) if r.kind == "check_in"]


@pytest.mark.parametrize("hour", [1, 4, 12, 16, 22])
@pytest.mark.parametrize(("before", "after"), [(NEW_YORK, TOKYO), (TOKYO, NEW_YORK)])
def test_a_check_in_is_notified_once_when_the_zone_changes(database, hour, before, after):
    jens = client("Jens", every="30", created=NOW - timedelta(days=400))
    interaction(jens, datetime(2026, 10, 20, hour, 30, tzinfo=UTC))
    # A day after it fell due in both zones: notified once in the first zone...
    first = NOW
    [delivered] = reconcile(first, before, NINE).due_now
    assert delivered.kind == "check_in"
    # ...and not again after the machine moved to the other zone.
    later = first + timedelta(hours=1)
    assert reconcile(later, after, NINE).due_now == []
    [same] = check_ins(later, after)
    assert same.key == delivered.key


@pytest.mark.parametrize("hour", [1, 4, 12, 16, 22])
@pytest.mark.parametrize(("before", "after"), [(NEW_YORK, TOKYO), (TOKYO, NEW_YORK)])
def test_a_snoozed_check_in_stays_snoozed_when_the_zone_changes(database, hour, before, after):
    jens = client("Jens", every="30", created=NOW - timedelta(days=400))
    interaction(jens, datetime(2026, 10, 20, hour, 30, tzinfo=UTC))
    [check_in] = check_ins(NOW, before)
    until = NOW + timedelta(days=3)
    snooze(check_in, until)
    [moved] = check_ins(NOW, after)
    assert states_for([moved])[moved.key].snoozed_until == until
    assert reconcile(NOW + timedelta(days=1), after, NINE).due_now == []
    assert [r.key for r in reconcile(until, after, NINE).due_now] == [check_in.key]


def test_a_check_in_recorded_under_its_former_key_keeps_its_state(database):
    """Rapport before this change keyed check-ins by their local day: those still count."""
    jens = client("Jens", every="30", created=NOW - timedelta(days=400))
    interaction(jens, datetime(2026, 10, 20, 2, 30, tzinfo=UTC))  # 19 Oct, 22:30 in New York
    [check_in] = check_ins(NOW, NEW_YORK)
    assert check_in.key == f"check_in:{jens.id}:2026-11-19"
    former = f"check_in:{jens.id}:2026-11-18"
    until = NOW + timedelta(days=2)
    ReminderState.create(key=former, client=jens.id, notified_at=NOW, snoozed_until=until)
    assert states_for([check_in])[check_in.key].snoozed_until == until
    assert reconcile(NOW + timedelta(hours=1), NEW_YORK, NINE).due_now == []
    # Recording anything about it moves the state to its key.
    snooze(check_in, until + timedelta(days=1))
    assert [s.key for s in ReminderState.select()] == [check_in.key]


def test_a_delivery_made_while_the_clock_was_a_year_ahead_does_not_silence_it(database):
    birthday = yearly(client("Ben"), "birthday", 1, 12)
    reconcile(NOW, BERLIN, NINE)
    ahead = datetime(2027, 11, 30, 10, tzinfo=UTC)  # the clock jumps a year ahead...
    delivered = reconcile(ahead, BERLIN, NINE).due_now
    assert f"date:{birthday.id}:2026-12-01:day" in [r.key for r in delivered]
    # ...and back: on its real day, it is notified.
    due = reconcile(nine_in_berlin(date(2026, 12, 1)), BERLIN, NINE).due_now
    assert [r.key for r in due] == [f"date:{birthday.id}:2026-12-01:day"]


def test_a_delivery_by_a_clock_two_hours_fast_is_not_told_again_when_it_is_set_right(database):
    """Booted with the clock two hours fast (11:30 for 09:30), then NTP steps it back."""
    anna = client("Anna", "Berger")
    birthday = yearly(anna, "birthday", 25, 11)
    gallery_due = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    save_follow_up(FollowUpForm("Deliver the gallery", gallery_due), anna.id)
    reconcile(datetime(2026, 11, 24, 20, tzinfo=UTC), BERLIN, NINE)
    fast = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
    told = reconcile(fast, BERLIN, NINE, starting=True).missed
    assert f"date:{birthday.id}:2026-11-25:day" in [r.key for r in told] and len(told) == 2
    for later in (timedelta(0), timedelta(minutes=15)):
        after = reconcile(fast - timedelta(hours=2) + later, BERLIN, NINE)
        assert (after.due_now, after.missed) == ([], [])


def test_more_than_a_handful_due_at_once_make_one_summary(database):
    for number in range(HANDFUL + 2):
        yearly(client(f"Client {number}"), "birthday", 25, 11)
    reconcile(NOW, BERLIN, NINE)
    delivery = reconcile(nine_in_berlin(date(2026, 11, 25)), BERLIN, NINE)
    assert delivery.due_now == []
    assert len(delivery.missed) == HANDFUL + 2
    assert not delivery.while_closed


def test_a_handful_due_at_once_are_notified_one_by_one(database):
    for number in range(HANDFUL):
        yearly(client(f"Client {number}"), "birthday", 25, 11)
    reconcile(NOW, BERLIN, NINE)
    delivery = reconcile(nine_in_berlin(date(2026, 11, 25)), BERLIN, NINE)
    assert (len(delivery.due_now), delivery.missed) == (HANDFUL, [])


@pytest.mark.parametrize("days_closed", [3, 10, 20, 40])
def test_what_fell_due_while_closed_stays_listed_until_done(database, days_closed):
    """Closed for weeks: every date that fell due meanwhile is on Today, as many as the
    summary counts, and stays there (days later too) until done or snoozed."""
    for day in range(1, 41):
        due = TODAY + timedelta(days=day)
        yearly(client(f"Client {day}"), "birthday", due.day, due.month)
    reconcile(NOW, BERLIN, NINE, starting=True)
    start = NOW + timedelta(days=days_closed)
    delivery = reconcile(start, BERLIN, NINE, starting=True)
    assert len(delivery.missed) == days_closed  # today's too: it fell due at 09:00
    _, listed = listed_today(start, BERLIN, NINE)
    assert listed.count_due() == days_closed
    listed_keys = {r.key for r in listed.overdue + listed.today}
    assert {r.key for r in delivery.missed} == listed_keys
    a_week_on = start + timedelta(days=8)
    reconcile(a_week_on, BERLIN, NINE)
    _, listed = listed_today(a_week_on, BERLIN, NINE)
    assert {r.key for r in delivery.missed} <= {r.key for r in listed.overdue}
    mark_done(listed.overdue[0], a_week_on)
    snooze(listed.overdue[1], a_week_on + timedelta(days=30))
    _, listed = listed_today(a_week_on, BERLIN, NINE)
    assert len({r.key for r in delivery.missed} - {r.key for r in listed.overdue}) == 2


@pytest.mark.parametrize("days_closed", [1, 3, 10, 40])
def test_a_look_lists_what_today_lists_after_its_reconcile(database, days_closed):
    """A look collects the window once when its reconcile and Today's list ask for the same
    window (closed for up to a week), and twice when not: the same list either way."""
    for day in range(-45, 10, 2):
        due = TODAY + timedelta(days=day)
        yearly(client(f"Client {day}", every="30", created=NOW - timedelta(days=60)),
               "birthday", due.day, due.month, lead=3)  # fmt: skip
    reconcile(NOW, BERLIN, NINE)
    start = NOW + timedelta(days=days_closed)
    delivery, reminders, listed = reconcile_and_list(start, BERLIN, NINE, starting=True)
    assert delivery.missed and delivery.while_closed
    assert (reminders, listed) == listed_today(start, BERLIN, NINE)
    listed_now = listed.overdue + listed.today
    assert {r.occurrence for r in delivery.missed} <= {r.occurrence for r in listed_now}


def test_states_of_more_reminders_than_sqlite_took_parameters(database):
    """What was recorded is read for every reminder in one query (models/store/database.py
    `one_of`), past the 999 parameters older SQLite took in one statement too."""
    with db.atomic():
        for number in range(1100):
            client(f"Client{number}", every="30", created=NOW - timedelta(days=40))
    reconcile(NOW, BERLIN, NINE)
    reminders = collect_reminders(reminder_window(NOW, BERLIN, NINE))
    states = states_for(reminders)
    assert len(reminders) == 1100
    assert set(states) == {reminder.key for reminder in reminders}
    assert {state.notified_at for state in states.values()} == {NOW}


def test_one_of_takes_text_with_quotes_commas_and_accents_as_it_is(database):
    names = ["O'Brien", 'Zoë "Z" Ämter', "a,b", "[1]", "Null"]
    for name in [*names, "Other"]:
        client(name)
    found = Client.select(Client.first_name).where(Client.first_name.in_(one_of(names)))
    assert sorted(row.first_name for row in found) == sorted(names)
    assert not Client.select().where(Client.first_name.in_(one_of([]))).exists()


def _closed() -> tuple[list, list]:
    """Every state recorded and every interaction logged, comparable."""
    states = ReminderState.select(
        ReminderState.key, ReminderState.client, ReminderState.done_at, ReminderState.notified_at
    )
    logs = Interaction.select(Interaction.client, Interaction.kind, Interaction.summary)
    return sorted(states.tuples()), sorted(logs.tuples())


def test_closing_many_at_once_closes_each_as_alone(database):
    """A month of printed cards is closed in one go: each reminder as if closed alone, the
    phases, couples and forms of one never taken for another's."""
    anna, tom = client("Anna", "Berger"), client("Tom", "Berger")
    link_partners(anna.id, tom.id)
    yearly(anna, "wedding_anniversary", 28, 11, "2021", lead=7)
    eva = client("Eva", "Roth")
    birthday = yearly(eva, "birthday", 26, 11, lead=3)
    ImportantDate.update(more_lead_days="1").where(ImportantDate.id == birthday.id).execute()
    # A further notice recorded before its lead time was removed: closed with the rest.
    ReminderState.create(key=f"date:{birthday.id}:2026-11-26:notice30", client=eva.id)
    jens = client("Jens", every="30", created=NOW - timedelta(days=400))
    follow_up = save_follow_up(FollowUpForm("Send invoice", NOW - timedelta(hours=2)), eva.id)
    found = collect()
    card = InteractionForm(kind="card", occurred_at=NOW, summary="Card")
    checked_in = InteractionForm(kind="call", occurred_at=NOW, summary="Checked in")
    closing = [
        (found[f"date:{birthday.id}:2026-11-26:notice"], card),
        (next(r for r in found.values() if r.occasion == "wedding_anniversary"), card),
        (next(r for r in found.values() if r.client_id == jens.id), checked_in),
        (next(r for r in found.values() if r.kind == "follow_up"), None),
    ]
    with db.atomic() as transaction:
        close_reminders(closing, NOW)
        at_once = _closed()
        transaction.rollback()
    for reminder, logged in closing:
        close_reminder(reminder, NOW, logged)
    assert _closed() == at_once
    # As the rule says, written out: each date's every phase (its notices now, the one
    # recorded before, its day), the check-in, the follow-up; a couple's card on both.
    states, logs = at_once
    check_in, done_follow_up = closing[2][0], closing[3][0]
    wedding_key = closing[1][0].key.rsplit(":", 1)[0]
    expected = [
        *((f"date:{birthday.id}:2026-11-26:{phase}", eva.id)
          for phase in ("notice", "notice1", "notice30", "day")),
        *((f"{wedding_key}:{phase}", anna.id) for phase in ("notice", "day")),
        (check_in.key, jens.id),
        (done_follow_up.key, eva.id),
    ]  # fmt: skip
    assert states == sorted((key, client_id, NOW, None) for key, client_id in expected)
    assert logs == sorted([
        (eva.id, "card", "Card"), (anna.id, "card", "Card"), (tom.id, "card", "Card"),
        (jens.id, "call", "Checked in"),
    ])  # fmt: skip
    assert FollowUp.get_by_id(follow_up.id).done_at == NOW
