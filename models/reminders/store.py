"""Reminders from the database, and what the owner did with them.

`reconcile` is the one place that decides what to notify: it gathers every
reminder of the window, drops what was done, snoozed or already notified, and
records the rest as notified in the same transaction, so a reminder is never
delivered twice, even when Rapport restarts in between.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from functools import cache, partial, reduce
from zoneinfo import ZoneInfo

from peewee import EXCLUDED, JOIN, SQL, Expression, Field, chunked

from models.care.galleries import gallery_reminders
from models.care.steps import CareTiming, after_closed, offered_to_client
from models.clients.bookings import booking_facts, hold_ended, next_end
from models.clients.couples import Person, couple_name, each_shares_with, family_partner_names
from models.clients.entries import add_interactions
from models.forms.dialog_forms import MAX_LEAD_DAYS, InteractionForm
from models.reminders.day_ordinals import day_ordinals_in, notice_ordinals_in
from models.reminders.greetings import Partner, greeted, with_partner
from models.reminders.key import PHASES, ReminderKey, bounds_of, further_notice, prefix_of
from models.reminders.row_memo import RowMemo
from models.reminders.rules import (
    CheckIns,
    DateFacts,
    DateReminders,
    ReferralFacts,
    Reminder,
    ReminderProgress,
    ReminderWindow,
    TodayList,
    booking_reminders,
    day_in_zone,
    fires_at,
    follow_up_key,
    follow_up_reminder,
    lead_days_list,
    next_fire_time,
    referral_reminder,
    to_notify,
    to_tell,
    today_list,
)
from models.store.database import db, one_of, read_rows
from models.store.entities import (
    Booking,
    Client,
    FamilyMember,
    FollowUp,
    ImportantDate,
    ReminderState,
    full_name,
)
from models.store.fields import UtcDateTimeField
from models.store.settings import (
    last_reconciled_at,
    leap_day_rule,
    reminder_time,
    set_last_reconciled_at,
)
from models.values.kinds import RELATIONS

_INSTANT = UtcDateTimeField()

# A date that fell due this long ago is still notified and listed if it never was (a date
# added late). Once notified, it stays on Today until done or snoozed, as check-ins and
# follow-ups do: however long Rapport was closed, nothing that fell due is hidden.
OVERDUE_DAYS = 7
DAYS_AHEAD = 7
LOOK_BACK = timedelta(days=366)  # the longest: what fell due while closed for a year
# More than this many due at one look (the clock jumped ahead) make one summary instead.
HANDFUL = 5


def reminder_window(
    now: datetime, zone: ZoneInfo, at: time, since: datetime | None = None
) -> ReminderWindow:
    today = day_in_zone(now, zone)
    first = today - timedelta(days=OVERDUE_DAYS)
    if since is not None:
        first = min(first, max(day_in_zone(since, zone), today - LOOK_BACK))
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
        *_date_reminders_and_pending(window),
        *_check_in_reminders(window),
        *_follow_up_reminders(window),
        *_referral_reminders(window),
        *_booking_reminders(window),
        *gallery_reminders(window, _pending_keys(window, _keys_of("gallery"))),
    ]


# The reminders of the date and check-in rows of the last look (models/reminders/row_memo.py).
_DATE_ROWS = RowMemo()
_CHECK_IN_ROWS = RowMemo()


def forget_kept_reminders() -> None:
    """The next look builds every row's reminders, as the first after the start does."""
    _DATE_ROWS.forget()
    _CHECK_IN_ROWS.forget()


_Referrer = Client.alias("referrer")


def _referral_reminders(window: ReminderWindow) -> list[Reminder]:
    """Thank the referrer of each client referred (since `referred_at`) up to LOOK_BACK
    ago: it stays on Today until done or dismissed, as a notified date does."""
    return [
        referral_reminder(
            ReferralFacts(referred, full_name(first, last), referrer, full_name(r_first, r_last)),
            r_preferred or r_first,
            at,
            window.zone,
        )
        for referred, first, last, at, referrer, r_first, r_last, r_preferred in _referral_query(
            window
        )
    ]


def _referral_query(window: ReminderWindow):
    """The clients referred in the window's span (read from the index of `referred_at`)."""
    start = datetime.combine(window.today, time(), tzinfo=window.zone) - LOOK_BACK
    end = datetime.combine(window.last + timedelta(days=1), time(), tzinfo=window.zone)
    return (
        Client.select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.referred_at,
            _Referrer.id,
            _Referrer.first_name,
            _Referrer.last_name,
            _Referrer.preferred_name,
        )
        .join(_Referrer, on=(Client.referred_by == _Referrer.id))
        .where(
            Client.referred_at.between(start.astimezone(UTC), end.astimezone(UTC))
            & ~_Referrer.no_greetings
        )
        .tuples()
    )


def _date_reminders_and_pending(window: ReminderWindow) -> list[Reminder]:
    """The window's date reminders, and those still pending from before it.

    Pending: notified and neither done nor snoozed since (it stays on Today however long
    ago it fell due), or snoozed to a time inside the window (a greeting snoozed twice,
    'next week' and again, comes back long after its own day left the window). Only the
    dates of those are read over the wider span.
    """
    reminders = _date_reminders(window, memo=_DATE_ROWS)
    # Every row read (a LIKE uses no index): the dates are much of what is recorded; the
    # galleries' few keys are read by the key's index (`_keys_of`).
    pending = _pending_keys(window, ReminderState.key.startswith(prefix_of("date")))
    missing = pending - {reminder.key for reminder in reminders}
    if not missing:
        return reminders
    keys = [ReminderKey.parse(key) for key in missing]
    earliest = min(key.day for key in keys) - timedelta(days=MAX_LEAD_DAYS)
    wider = replace(window, first=min(window.first, earliest))
    ids = sorted({key.row_id for key in keys})
    return reminders + [r for r in _date_reminders(wider, ids) if r.key in missing]


def _pending_keys(window: ReminderWindow, keys: Expression) -> set[str]:
    """Of the recorded `keys`, those whose reminders stay on Today however long ago they
    fell due: notified (up to LOOK_BACK ago) and neither done nor snoozed since, or snoozed
    to a time inside the window. A date's and a gallery's: they leave the window's span."""
    window_start = datetime.combine(window.first, time(), tzinfo=window.zone).astimezone(UTC)
    looked_back = datetime.combine(window.today, time(), tzinfo=window.zone) - LOOK_BACK
    notified = ReminderState.notified_at >= looked_back.astimezone(UTC)
    query = ReminderState.select(ReminderState.key).where(
        keys
        & ReminderState.done_at.is_null()
        & ((ReminderState.snoozed_until >= window_start) | notified)
    )
    # Straight from the cursor: thousands at a big studio, each a model to peewee.
    return {key for (key,) in read_rows(*query.sql())}


def _keys_of(kind: str) -> Expression:
    """SQL: the keys of `kind` ("<kind>:..."), read alone from the key's index (a LIKE
    would read every row: at a big studio the dates' tens of thousands)."""
    low, high = bounds_of(prefix_of(kind))
    return (ReminderState.key > low) & (ReminderState.key < high)


def _date_reminders(
    window: ReminderWindow, ids: list[int] | None = None, memo: RowMemo | None = None
) -> list[Reminder]:
    """The reminders of the dates that fall in the window (of the dates `ids`, if given),
    greetings off left out (`greeted`); those of the rows met at the last look taken from
    `memo` if given (the window of the look: another window would empty it)."""
    wanted = greeted()
    near = _may_fall_in(window)
    if near is not None:
        # The ids first, then the rows: SQLite reads them in the order of their ids, page
        # after page, not in the order of the ordinals (here a page, there another: 10%
        # slower at XL). Not for every date: that is a plain pass over the table.
        wanted &= ImportantDate.id.in_(ImportantDate.select(ImportantDate.id).where(near))
    if ids is not None:
        wanted &= ImportantDate.id.in_(one_of(ids))
    query = with_partner(
        ImportantDate.select(
            ImportantDate.id,
            ImportantDate.kind,
            ImportantDate.month,
            ImportantDate.day,
            ImportantDate.year,
            ImportantDate.lead_days,
            ImportantDate.label,
            ImportantDate.client,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
            FamilyMember.name,
            FamilyMember.relation,
            Partner.first_name,
            Partner.last_name,
            Partner.preferred_name,
            ImportantDate.more_lead_days,
        ).join(Client)
    )
    query = query.switch(ImportantDate).join(FamilyMember, JOIN.LEFT_OUTER).where(wanted).tuples()
    # Straight from the cursor: peewee's row handling would cost more than the rules.
    rows = read_rows(*query.sql())
    partners = _family_partners(rows)
    # A row with the name of its family's partner, which a couple's words may need.
    rows = [(row, partners.get(row[7])) for row in rows]
    if memo is None:
        return [reminder for made in _dates_of(window, rows) for reminder in made]
    return memo.reminders(window, rows, partial(_dates_of, window))


def _dates_of(window: ReminderWindow, rows: list[tuple]) -> list[list[Reminder]]:
    """The reminders of each of the dates `rows` (as `_date_reminders` reads them, each
    with the name of its family's partner or None) in the window."""
    dates, made = DateReminders(window), []
    for row, family_partner in rows:
        (date_id, kind, month, day, year, lead, label, client_id, first, last, preferred,
         member, relation, *partner, more_leads) = row  # fmt: skip
        short_name = preferred or first
        person = f"{short_name}'s {RELATIONS[relation].lower()} {member}" if member else ""
        title, couple = full_name(first, last), ""
        if kind == "wedding_anniversary" and member is None:  # as greeted() tells a couple's
            couple, title = _couple_words(Person(short_name, last), partner, family_partner)
        facts = _facts((
            date_id, client_id, title, kind, month, day, year, lead, label, person, couple,
            lead_days_list(more_leads),
        ))  # fmt: skip
        made.append(dates.of(facts))
    return made


# DateFacts made straight from all its fields in order (no Python constructor): a window
# makes thousands (tests/test_day_ordinals.py compares what they give with facts made by name).
_facts = partial(tuple.__new__, DateFacts)


def _family_partners(rows: list[tuple]) -> dict[int, str]:
    """client id -> their family's partner's first name, for the couples' wedding
    anniversaries among `rows` (as `_date_reminders` reads them) whose partner is no client."""
    couples = {row[7] for row in rows if row[1] == "wedding_anniversary" and row[11] is None}
    ids = couples.difference(row[7] for row in rows if row[13] is not None)
    return family_partner_names(one_of(ids)) if ids else {}


def _couple_words(
    own: Person, partner_row: Sequence[str | None], family_partner: str | None
) -> tuple[str, str]:
    """("Anna & Tom", "Anna & Tom Berger"): the couple's short words and their title, from
    the partner who is a client or else the family's partner; the client alone without."""
    first, last, preferred = partner_row
    if first is not None:
        other = Person(preferred or first, last)
    elif family_partner is not None:
        other = Person(family_partner, "")
    else:
        return "", full_name(own.short, own.last)
    return f"{own.short} & {other.short}", couple_name(own, other)


def date_reminders_in(window: ReminderWindow) -> list[Reminder]:
    """Every date reminder (notice and day) that falls in the window, greetings off left out."""
    return _date_reminders(window)


def _may_fall_in(window: ReminderWindow) -> Expression | None:
    """Dates whose day or notice may fall in the window: a cheap, indexed superset
    (models/reminders/day_ordinals.py says why it holds every date that does); None when
    every date may (a window of a year or more). A date with further notices (a week
    before, say) is always read: the ordinals know only its first, and such dates are few.
    The conditions on `more_lead_days` and `lead_days` are written as the partial indexes
    have them, as literals: a parameter or `!=` would leave SQLite scanning every date."""
    notices = notice_ordinals_in(window.first, window.last)
    if notices is None:
        return None
    lead = ImportantDate.lead_days > SQL("0")
    days = [ImportantDate.day_ordinal.between(low, high) for low, high in day_ordinals_in(
        window.first, window.last
    )]  # fmt: skip
    notices = [ImportantDate.notice_ordinal.between(low, high) & lead for low, high in notices]
    return reduce(operator.or_, [*days, *notices], ImportantDate.more_lead_days > SQL("''"))


# The clients whose check-in is due by a day (a cheap bound in UTC days, a day wider than
# any zone, before the exact local rule). The due day is written term for term as the index
# client_check_in_due (models/store/migrations.py) has it, which also holds every column read
# here: SQLite uses an index of an expression only for that very expression, and reads these
# rows from it alone, not from 100,000 clients. No greetings: no "how are you?" either.
_DUE_CHECK_INS = (
    "SELECT id, first_name, last_name, keep_in_touch_days, COALESCE(last_contact_at, created_at)"
    " FROM client WHERE keep_in_touch_days IS NOT NULL AND NOT no_greetings"
    " AND date(COALESCE(last_contact_at, created_at), '+' || keep_in_touch_days || ' days') <= ?"
)


def _check_in_reminders(window: ReminderWindow) -> list[Reminder]:
    bound = (window.last + timedelta(days=1)).isoformat()
    rows = read_rows(_DUE_CHECK_INS, (bound,))
    return _CHECK_IN_ROWS.reminders(window, rows, partial(_check_ins_of, window))


def _check_ins_of(window: ReminderWindow, rows: list[tuple]) -> list[tuple[Reminder, ...]]:
    return CheckIns(window).of_rows(rows, full_name)


def _follow_up_reminders(window: ReminderWindow) -> list[Reminder]:
    end = datetime.combine(window.last + timedelta(days=1), time(), tzinfo=window.zone)
    query = (
        FollowUp.select(
            FollowUp.id,
            FollowUp.client,
            Client.first_name,
            Client.last_name,
            FollowUp.title,
            FollowUp.due_at,
            FollowUp.template,
            FollowUp.session,
        )
        .join(Client)
        .where(
            FollowUp.done_at.is_null()
            & (FollowUp.due_at < end.astimezone(UTC))
            & offered_to_client()
        )
    )
    # Straight from the cursor, the due instant converted here: peewee's row handling
    # would cost more than the rules.
    return [
        follow_up_reminder(
            follow_up_id,
            client_id,
            full_name(first, last),
            title,
            _INSTANT.python_value(due_at),
            window.zone,
            template=template,
            care_step=session_id is not None,
        )
        for follow_up_id, client_id, first, last, title, due_at, template, session_id in (
            read_rows(*query.sql())
        )
    ]


def _booking_reminders(window: ReminderWindow) -> list[Reminder]:
    """The reminders of the sessions booked to start by the day after the window's last
    (whose notice, the day before, may fall in it)."""
    end = datetime.combine(window.last + timedelta(days=2), time(), tzinfo=window.zone)
    query = (
        Booking.select(Booking, Client)
        .join(Client)
        .where((Booking.status == "booked") & (Booking.starts_at < end.astimezone(UTC)))
    )
    reminders = []
    for booking in query:
        reminders += booking_reminders(booking_facts(booking, booking.client.full_name), window)
    return reminders


def listed_today(
    now: datetime, zone: ZoneInfo, at: time | None = None
) -> tuple[list[Reminder], TodayList]:
    """What Today lists at `now`, with every reminder of its window; records nothing.

    The one home of that rule: the window's Today and `main.py today` both ask here.
    """
    reminders = collect_reminders(reminder_window(now, zone, at or reminder_time()))
    return reminders, today_list(reminders, states_for(reminders), now, zone)


def states_for(reminders: Iterable[Reminder]) -> dict[str, ReminderProgress]:
    """What was recorded about each reminder, by its key; under its former key (an older
    Rapport's) when nothing was recorded under the key itself."""
    reminders = list(reminders)
    keys = [r.key for r in reminders] + [r.former_key for r in reminders if r.former_key]
    query = ReminderState.select(
        ReminderState.key,
        ReminderState.notified_at,
        ReminderState.snoozed_until,
        ReminderState.done_at,
    ).where(ReminderState.key.in_(one_of(keys)))
    # Each text read once: a look records thousands of reminders at one instant.
    instant = cache(_INSTANT.python_value)
    # Straight from the cursor: peewee's rows cost a look at the XL studio 0.3 s.
    stored = {
        key: ReminderProgress(instant(notified), instant(snoozed), instant(done))
        for key, notified, snoozed, done in read_rows(*query.sql())
    }
    states = {}
    for reminder in reminders:
        state = stored.get(reminder.key) or stored.get(reminder.former_key)
        if state is not None:
            states[reminder.key] = state
    return states


def follow_up_snoozes(follow_ups: Iterable[FollowUp], now: datetime) -> dict[int, datetime]:
    """follow-up id -> the end of its snooze, for the open ones snoozed beyond `now`."""
    by_key = {follow_up_key(f.id, f.due_at): f.id for f in follow_ups if f.done_at is None}
    query = ReminderState.select(ReminderState.key, ReminderState.snoozed_until).where(
        ReminderState.key.in_(list(by_key)) & (ReminderState.snoozed_until > now.astimezone(UTC))
    )
    return {by_key[row.key]: row.snoozed_until for row in query}


def _upsert(key: str, client_id: int, **values) -> None:
    ReminderState.insert(key=key, client=client_id, **values).on_conflict(
        conflict_target=[ReminderState.key], update=values
    ).execute()


def _record_notified(reminders: list[Reminder], now: datetime) -> None:
    """Record the reminders as notified at `now`, hundreds of rows a statement: a first
    look at a big studio records tens of thousands (a statement each held the write lock
    for 2.3 s at XL, longer than a save on the window's thread waits for it)."""
    for reminder in reminders:
        _adopt_former_key(reminder)
    keys = [(reminder.key, reminder.client_id) for reminder in reminders]
    _record(keys, ReminderState.notified_at, now)


def _record(keys: list[tuple[str, int]], moment: Field, now: datetime) -> None:
    """Record `moment` (notified, done) as `now` for each (key, client id), whatever else
    was recorded under the key, 300 rows a statement."""
    fields = [ReminderState.key, ReminderState.client, moment]
    for batch in chunked([(key, client_id, now) for key, client_id in keys], 300):
        ReminderState.insert_many(batch, fields=fields).on_conflict(
            conflict_target=[ReminderState.key], update={moment: getattr(EXCLUDED, moment.name)}
        ).execute()


def _adopt_former_key(reminder: Reminder) -> None:
    """Move what an older Rapport recorded under the reminder's former key to its key,
    before recording anything new about it: one state per reminder from then on."""
    if (
        reminder.former_key
        and not ReminderState.select().where(ReminderState.key == reminder.key).exists()
    ):
        ReminderState.update(key=reminder.key).where(
            ReminderState.key == reminder.former_key
        ).execute()


@dataclass(frozen=True)
class Delivery:
    """What one look at the clock found to notify."""

    due_now: list[Reminder]  # notify one by one
    # Told in one summary notification: what fell due while Rapport was closed, or all of
    # them when more than a handful fell due at once (the clock jumped ahead).
    missed: list[Reminder]
    next_at: datetime | None  # when to look again, at the latest
    first_run: bool  # the database never ran reminders before
    while_closed: bool = False  # the summary is about a time Rapport was closed
    held_for: frozenset[int] = frozenset()  # clients whose booked sessions became history


def reconcile_and_list(
    now: datetime, zone: ZoneInfo, at: time, starting: bool = False
) -> tuple[Delivery, list[Reminder], TodayList]:
    """`reconcile`, then `listed_today`: a look. Both ask for the same window unless
    Rapport was closed for more than OVERDUE_DAYS: then Today's list is read afresh, and
    else it is made of what reconcile read (at the XL studio, 27,644 reminders and what
    was recorded about them: 0.17 s). Recording reminders as notified changes nothing
    Today lists; tests/test_reminder_store.py compares the list with one read afresh."""
    delivery, window, reminders, states = _reconciled(now, zone, at, starting)
    if window != reminder_window(now, zone, at):
        return delivery, *listed_today(now, zone, at)
    return delivery, reminders, today_list(reminders, states, now, zone)


def reconcile(now: datetime, zone: ZoneInfo, at: time, starting: bool = False) -> Delivery:
    """Find what fell due by `now` and record it as notified, all in one transaction;
    the sessions that ended by `now` become history first (their reminders go with it)."""
    return _reconciled(now, zone, at, starting)[0]


def _reconciled(
    now: datetime, zone: ZoneInfo, at: time, starting: bool
) -> tuple[Delivery, ReminderWindow, list[Reminder], dict[str, ReminderProgress]]:
    """`reconcile`'s delivery, with the window it looked at, every reminder of it and what
    was recorded about them before this look."""
    with db.atomic():
        held = hold_ended(now, CareTiming(now, zone, at))  # a session held starts its care
        since = last_reconciled_at()
        window = reminder_window(now, zone, at, since)
        reminders = collect_reminders(window)
        states = states_for(reminders)
        fresh = to_notify(reminders, states, now)
        _record_notified(fresh, now)
        set_last_reconciled_at(now)
    due_now, missed = [], []
    for reminder in to_tell(fresh, states):
        late = starting and fires_at(reminder, states.get(reminder.key)) < now
        (missed if late else due_now).append(reminder)
    if len(due_now) > HANDFUL:
        due_now, missed = [], missed + due_now
    wake_ups = (next_fire_time(reminders, states, now), next_end(now))
    delivery = Delivery(
        due_now=due_now,
        missed=missed,
        next_at=min((moment for moment in wake_ups if moment is not None), default=None),
        first_run=since is None,
        while_closed=starting and since is not None,
        held_for=frozenset(booking.client_id for booking in held),
    )
    return delivery, window, reminders, states


def snooze(reminder: Reminder, until: datetime) -> None:
    """Hide the reminder until `until`, then notify it again (once)."""
    _adopt_former_key(reminder)
    _upsert(reminder.key, reminder.client_id, snoozed_until=until.astimezone(UTC), notified_at=None)


def mark_done(
    reminder: Reminder,
    now: datetime,
    log_kind: str | None = None,
    zone: ZoneInfo | None = None,
) -> None:
    """Close the reminder; a greeting or check-in is logged as an interaction."""
    logged = None
    if log_kind:
        summary = "Checked in" if reminder.kind == "check_in" else reminder.text
        logged = InteractionForm(kind=log_kind, occurred_at=now, summary=summary)
    close_reminder(reminder, now, logged, zone)


def close_reminder(
    reminder: Reminder,
    now: datetime,
    logged: InteractionForm | None,
    zone: ZoneInfo | None = None,
) -> None:
    """Close the reminder and log what was done about it (if anything), all or nothing
    (`close_reminders`, of one)."""
    close_reminders([(reminder, logged)], now, zone)


def close_reminders(
    closing: Sequence[tuple[Reminder, InteractionForm | None]],
    now: datetime,
    zone: ZoneInfo | None = None,
) -> None:
    """Close each reminder and log what was done about it (if anything), all or nothing.

    Done on a date's notice closes its other notices and its on-the-day reminder too: the
    card was sent (and on a booked session's the day before: the owner knows). What was
    done for a couple's wedding anniversary is logged on both partners' histories. A
    yearly care step done comes again next year (in `zone`, the machine's when None).
    Thousands at once (a month of printed cards at a big studio) take a few statements
    each, prepared once, not a dozen built by peewee (9 s for 5,190 cards).
    """
    with db.atomic():
        for reminder, _ in closing:
            _adopt_former_key(reminder)
        keys = [ReminderKey.parse(reminder.key) for reminder, _ in closing]
        phases = _date_phases([key for key in keys if key.kind == "date"])
        done = []
        for (reminder, _), key in zip(closing, keys, strict=True):
            each = key.phases()  # a booking's notice and day
            if key.kind == "date":  # a date's notices as they are now, and as recorded
                each = [ReminderKey.for_date(key.row_id, key.day, p) for p in phases[key]]
            done += [(str(one), reminder.client_id) for one in each]
        _record(done, ReminderState.done_at, now)
        for key in keys:
            if key.kind == "follow_up":
                FollowUp.update(done_at=now).where(FollowUp.id == key.row_id).execute()
                after_closed(key.row_id, CareTiming(now, zone, reminder_time()))
        logging = [(reminder, logged) for reminder, logged in closing if logged is not None]
        shared = each_shares_with(
            [(reminder.client_id, reminder.occasion) for reminder, _ in logging]
        )
        # A couple's card is on both histories.
        add_interactions([
            (client_id, logged)
            for (_, logged), clients in zip(logging, shared, strict=True)
            for client_id in clients
        ])  # fmt: skip


_RECORDED = "SELECT key FROM reminder_state WHERE key > ? AND key < ?"


def _date_phases(keys: list[ReminderKey]) -> dict[ReminderKey, list[str]]:
    """Every phase of each date key's occurrence: its notices now, and any recorded before
    (a lead time since removed)."""
    further = dict(
        ImportantDate.select(ImportantDate.id, ImportantDate.more_lead_days)
        .where(ImportantDate.id.in_(one_of({key.row_id for key in keys})))
        .tuples()
    ) if keys else {}  # fmt: skip
    phases = {}
    for key in keys:
        found = {*PHASES, *map(further_notice, lead_days_list(further.get(key.row_id, "")))}
        # The keys "<occurrence>:<phase>".
        bounds = bounds_of(f"{key.occurrence}:")
        found.update(text.rpartition(":")[2] for (text,) in db.execute_sql(_RECORDED, bounds))
        phases[key] = sorted(found)
    return phases
