"""Reminders from the database, and what the owner did with them.

`reconcile` is the one place that decides what to notify: it gathers every
reminder of the window, drops what was done, snoozed or already notified, and
records the rest as notified in the same transaction, so a reminder is never
delivered twice, even when Rapport restarts in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peewee import JOIN, SQL, Tuple, Value, fn

from models.database import db
from models.entities import (
    Client,
    FamilyMember,
    FollowUp,
    ImportantDate,
    Interaction,
    full_name,
)
from models.entities import ReminderState as StateRow
from models.fields import UtcDateTimeField
from models.forms import MAX_LEAD_DAYS, InteractionForm
from models.kinds import RELATIONS
from models.records import save_interaction
from models.reminders import (
    DateFacts,
    Reminder,
    ReminderState,
    ReminderWindow,
    TodayList,
    check_in_reminder,
    date_occurrence_day,
    date_reminders,
    fires_at,
    follow_up_reminder,
    local_day,
    next_fire_time,
    to_notify,
    today_list,
)
from models.settings import last_reconciled_at, leap_day_rule, set_last_reconciled_at

_INSTANT = UtcDateTimeField()

# A missed greeting stays on the Today list this long (longer if Rapport was closed since).
OVERDUE_DAYS = 7
DAYS_AHEAD = 7


def reminder_window(
    now: datetime, zone: ZoneInfo, at: time, since: datetime | None = None
) -> ReminderWindow:
    today = local_day(now, zone)
    first = today - timedelta(days=OVERDUE_DAYS)
    if since is not None:
        first = min(first, max(local_day(since, zone), today - timedelta(days=366)))
    return ReminderWindow(
        first=first,
        last=today + timedelta(days=DAYS_AHEAD),
        today=today,
        at=at,
        zone=zone,
        leap_day_rule=leap_day_rule(),
    )


def collect_reminders(window: ReminderWindow) -> list[Reminder]:
    return [
        *_date_reminders_and_snoozed(window),
        *_check_in_reminders(window),
        *_follow_up_reminders(window),
    ]


def today_reminders(now: datetime, zone: ZoneInfo, at: time) -> tuple[list[Reminder], TodayList]:
    """What Today lists at `now`, with every reminder of its window; only read, nothing is
    recorded as notified. The one rule for the window's Today and `rapport today`."""
    reminders = collect_reminders(reminder_window(now, zone, at))
    return reminders, today_list(reminders, states_for(reminders), now, zone)


def _date_reminders_and_snoozed(window: ReminderWindow) -> list[Reminder]:
    """The window's date reminders, and those snoozed to a time inside it.

    A greeting snoozed twice ('next week', then again) may come back long after its
    own day left the window; it must come back all the same.
    """
    snoozed = _snoozed_date_keys(window)
    if not snoozed:
        return _date_reminders(window)
    earliest = min(date_occurrence_day(key) for key in snoozed) - timedelta(days=MAX_LEAD_DAYS)
    wider = replace(window, first=min(window.first, earliest))
    return [
        reminder
        for reminder in _date_reminders(wider)
        if reminder.key in snoozed or local_day(reminder.due_at, window.zone) >= window.first
    ]


def _snoozed_date_keys(window: ReminderWindow) -> set[str]:
    window_start = datetime.combine(window.first, time(), tzinfo=window.zone)
    query = StateRow.select(StateRow.key).where(
        StateRow.key.startswith("date:")
        & StateRow.done_at.is_null()
        & (StateRow.snoozed_until >= window_start.astimezone(UTC))
    )
    return {row.key for row in query}


def _date_reminders(window: ReminderWindow) -> list[Reminder]:
    near = _may_fall_in(window)
    partners = _partner_first_names(ImportantDate.select(ImportantDate.client).where(near))
    query = (
        ImportantDate.select(
            ImportantDate.id,
            ImportantDate.kind,
            ImportantDate.month,
            ImportantDate.day,
            ImportantDate.year,
            ImportantDate.lead_days,
            ImportantDate.label,
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
            FamilyMember.name,
            FamilyMember.relation,
        )
        .join(Client)
        .switch(ImportantDate)
        .join(FamilyMember, JOIN.LEFT_OUTER)
        .where(near)
        .tuples()
    )
    reminders = []
    for row in query:
        date_id, kind, month, day, year, lead, label = row[:7]
        client_id, first, last, preferred, member, relation = row[7:]
        short_name = preferred or first
        person = f"{short_name}'s {RELATIONS[relation].lower()} {member}" if member else ""
        partner = partners.get(client_id)
        facts = DateFacts(
            id=date_id,
            client_id=client_id,
            client_name=full_name(first, last),
            kind=kind,
            month=month,
            day=day,
            year=year,
            lead_days=lead,
            label=label,
            person=person,
            couple=f"{short_name} & {partner}" if partner else "",
        )
        reminders += date_reminders(facts, window)
    return reminders


def _may_fall_in(window: ReminderWindow):
    """Dates whose day or notice may fall in the window: a cheap, indexed superset.

    A date's notice falls in the window when the date itself is at most the longest lead
    time after it. A day either side covers a Feb 29 that moves to Feb 28 or Mar 1.
    """
    longest_lead = ImportantDate.select(fn.MAX(ImportantDate.lead_days)).scalar() or 0
    start = window.first - timedelta(days=1)
    end = window.last + timedelta(days=longest_lead + 1)
    if (end - start).days >= 365:
        return SQL("1")
    month_day = Tuple(ImportantDate.month, ImportantDate.day)
    after_start = month_day >= Tuple(start.month, start.day)
    before_end = month_day <= Tuple(end.month, end.day)
    return (after_start & before_end) if start.year == end.year else (after_start | before_end)


def _partner_first_names(client_ids) -> dict[int, str]:
    """client id -> their partner's first name, for the clients of the `client_ids` query."""
    query = (
        FamilyMember.select(FamilyMember.client, FamilyMember.name)
        .where((FamilyMember.relation == "partner") & FamilyMember.client.in_(client_ids))
        .order_by(FamilyMember.id.desc())
        .tuples()
    )
    return {client_id: name.split()[0] for client_id, name in query}


def _check_in_reminders(window: ReminderWindow) -> list[Reminder]:
    last_contact = Interaction.select(fn.MAX(Interaction.occurred_at)).where(
        Interaction.client == Client.id
    )
    contacted = fn.COALESCE(last_contact, Client.created_at)
    # Only clients whose check-in is due by the window's last day: a cheap bound in UTC
    # days, a day wider than any zone, before the exact local rule below.
    due = fn.date(contacted, Value("+").concat(Client.keep_in_touch_days).concat(" days"))
    query = (
        Client.select(
            Client.id, Client.first_name, Client.last_name, Client.keep_in_touch_days, contacted
        )
        .where(
            Client.keep_in_touch_days.is_null(False)
            & (due <= (window.last + timedelta(days=1)).isoformat())
        )
        .tuples()
    )
    reminders = []
    for client_id, first, last, cadence, at in query:
        reminder = check_in_reminder(
            client_id,
            full_name(first, last),
            cadence,
            local_day(_INSTANT.python_value(at), window.zone),
            window,
        )
        if reminder.occurs_on <= window.last:
            reminders.append(reminder)
    return reminders


def _follow_up_reminders(window: ReminderWindow) -> list[Reminder]:
    end = datetime.combine(window.last + timedelta(days=1), time(), tzinfo=window.zone)
    query = (
        FollowUp.select(FollowUp, Client)
        .join(Client)
        .where(FollowUp.done_at.is_null() & (FollowUp.due_at < end.astimezone(UTC)))
    )
    return [
        follow_up_reminder(f.id, f.client_id, f.client.full_name, f.title, f.due_at, window.zone)
        for f in query
    ]


def states_for(reminders: Iterable[Reminder]) -> dict[str, ReminderState]:
    keys = [r.key for r in reminders]
    states = {}
    for start in range(0, len(keys), 500):
        for row in StateRow.select().where(StateRow.key.in_(keys[start : start + 500])):
            states[row.key] = ReminderState(row.notified_at, row.snoozed_until, row.done_at)
    return states


def _upsert(key: str, client_id: int, **values) -> None:
    StateRow.insert(key=key, client=client_id, **values).on_conflict(
        conflict_target=[StateRow.key], update=values
    ).execute()


@dataclass(frozen=True)
class Delivery:
    """What one look at the clock found to notify."""

    due_now: list[Reminder]  # notify one by one
    missed: list[Reminder]  # fell due while Rapport was closed: one summary notification
    next_at: datetime | None  # when to look again, at the latest
    first_run: bool  # the database never ran reminders before


def reconcile(now: datetime, zone: ZoneInfo, at: time, starting: bool = False) -> Delivery:
    """Find what fell due by `now` and record it as notified, all in one transaction."""
    with db.atomic():
        since = last_reconciled_at()
        reminders = collect_reminders(reminder_window(now, zone, at, since))
        states = states_for(reminders)
        fresh = to_notify(reminders, states, now)
        for reminder in fresh:
            _upsert(reminder.key, reminder.client_id, notified_at=now)
        set_last_reconciled_at(now)
    due_now, missed = [], []
    for reminder in fresh:
        late = starting and fires_at(reminder, states.get(reminder.key)) < now
        (missed if late else due_now).append(reminder)
    return Delivery(
        due_now=due_now,
        missed=missed,
        next_at=next_fire_time(reminders, states, now),
        first_run=since is None,
    )


def snooze(reminder: Reminder, until: datetime) -> None:
    """Hide the reminder until `until`, then notify it again (once)."""
    _upsert(reminder.key, reminder.client_id, snoozed_until=until.astimezone(UTC), notified_at=None)


def mark_done(reminder: Reminder, now: datetime, log_kind: str | None = None) -> None:
    """Close the reminder; a greeting or check-in is logged as an interaction."""
    logged = None
    if log_kind:
        summary = "Checked in" if reminder.kind == "check_in" else reminder.text
        logged = InteractionForm(kind=log_kind, occurred_at=now, summary=summary)
    close_reminder(reminder, now, logged)


def close_reminder(reminder: Reminder, now: datetime, logged: InteractionForm | None) -> None:
    """Close the reminder and log what was done about it (if anything), all or nothing.

    Done on a date's notice closes its on-the-day reminder too: the card was sent.
    """
    with db.atomic():
        keys = [reminder.key]
        if reminder.kind == "date":
            keys = [f"{reminder.occurrence}:notice", f"{reminder.occurrence}:day"]
        for key in keys:
            _upsert(key, reminder.client_id, done_at=now)
        if reminder.kind == "follow_up":
            follow_up_id = int(reminder.key.split(":")[1])
            FollowUp.update(done_at=now).where(FollowUp.id == follow_up_id).execute()
        if logged is not None:
            save_interaction(logged, reminder.client_id)
