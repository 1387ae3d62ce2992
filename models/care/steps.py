"""A session's care steps: its plan, started when the session is logged.

Each step is a follow-up tied to its session, with a copy of the plan's step (template,
marketing, yearly, offset), so that Today lists it at its time with Write… ready and a
later edit of the plan leaves it alone. A step can be done, skipped or moved (a new due
time, as any follow-up); the whole care of a client can be paused and resumed.

Steps already due when they start (a session logged weeks late) or when care resumes are
listed on Today as due, but recorded as notified at once: the owner is looking at them
right now, and a flood of notifications for last month's session would tell them nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from models.care.plans import PlanStep, plan_for, step_day
from models.reminders.contact_rhythm import day_in_zone
from models.reminders.key import prefix_of
from models.reminders.rules import fire_instant, follow_up_key
from models.store.database import db
from models.store.entities import Client, FollowUp, Interaction, ReminderState
from models.store.settings import leap_day_rule


@dataclass(frozen=True)
class CareTiming:
    """When steps fall due: the owner's zone and reminder time, and the moment it is."""

    now: datetime
    zone: ZoneInfo | None  # None: the machine's zone
    at: time


def care_client_ids(session: Interaction) -> list[int]:
    """Whose care a session starts: its client's. The one place that says so, so that a
    couple's session could give a shared step to both."""
    return [session.client_id]


def start_care_plan(session: Interaction, timing: CareTiming) -> list[FollowUp]:
    """The session's plan, copied onto new follow-ups (none for a call or a purchase)."""
    steps = plan_for(session.kind)
    made = []
    with db.atomic():
        for client_id in care_client_ids(session):
            for step in steps:
                made.append(_add_step(session, client_id, step, step.months, timing))
    return made


def _add_step(
    session: Interaction, client_id: int, step: PlanStep, months: int, timing: CareTiming
) -> FollowUp:
    months = _first_open_year(session, months, step, timing) if step.yearly else months
    row = FollowUp.create(
        client=client_id,
        title=step.title,
        due_at=_due_at(session, months, step.days, timing),
        created_at=timing.now.astimezone(UTC).replace(microsecond=0),
        session=session.id,
        template=step.template,
        marketing=step.marketing,
        yearly=step.yearly,
        step_months=months,
        step_days=step.days,
    )
    if row.due_at <= timing.now:
        _record_as_notified(row, timing.now)
    return row


def _first_open_year(session: Interaction, months: int, step: PlanStep, timing: CareTiming):
    """A yearly step (an anniversary offer) starts at its first occurrence still to come:
    last year's offer for a wedding logged late is no offer at all."""
    today = day_in_zone(timing.now, timing.zone)
    while _due_at(session, months, step.days, timing) < _start_of(today, timing):
        months += 12
    return months


def _due_at(session: Interaction, months: int, days: int, timing: CareTiming) -> datetime:
    session_day = day_in_zone(session.occurred_at, timing.zone)
    return _instant(step_day(session_day, months, days, leap_day_rule()), timing.at, timing.zone)


def _start_of(day: date, timing: CareTiming) -> datetime:
    return _instant(day, time(), timing.zone)


def _instant(day: date, at: time, zone: ZoneInfo | None) -> datetime:
    """The UTC instant of wall-clock `at` on local `day`, in `zone` or the machine's."""
    if zone is None:  # a naive local time: Python applies the machine's rules, DST included
        return datetime.combine(day, at).astimezone(UTC)
    return fire_instant(day, at, zone)


def _record_as_notified(row: FollowUp, now: datetime) -> None:
    ReminderState.insert(
        key=follow_up_key(row.id, row.due_at), client=row.client_id, notified_at=now
    ).on_conflict(conflict_target=[ReminderState.key], update={"notified_at": now}).execute()


def after_closed(follow_up_id: int, timing: CareTiming) -> FollowUp | None:
    """A yearly step, once done or skipped, comes again a year later: the next one."""
    row = FollowUp.get_or_none(FollowUp.id == follow_up_id)
    if row is None or not row.yearly or row.session_id is None:
        return None
    if (
        FollowUp.select()
        .where(
            (FollowUp.session == row.session_id)
            & (FollowUp.title == row.title)
            & (FollowUp.step_months > row.step_months)
        )
        .exists()
    ):
        return None  # closed, reopened and closed again: next year's is there already
    step = PlanStep(row.title, row.step_months, row.step_days, row.template, row.marketing, True)
    return _add_step(row.session, row.client_id, step, row.step_months + 12, timing)


def skip_step(follow_up_id: int, timing: CareTiming) -> None:
    """Close a step without doing it; a yearly one comes again next year."""
    with db.atomic():
        row = FollowUp.get_by_id(follow_up_id)
        row.done_at, row.skipped = timing.now, True
        row.save()
        ReminderState.insert(
            key=follow_up_key(row.id, row.due_at), client=row.client_id, done_at=timing.now
        ).on_conflict(conflict_target=[ReminderState.key], update={"done_at": timing.now}).execute()
        after_closed(follow_up_id, timing)


def pending_steps(session_id: int) -> list[int]:
    """The ids of the session's open care steps."""
    query = FollowUp.select(FollowUp.id).where(
        (FollowUp.session == session_id) & FollowUp.done_at.is_null()
    )
    return [row.id for row in query]


def drop_pending_steps(session_id: int) -> None:
    """A deleted session's open steps go with it (and what was recorded about their
    reminders); the done ones stay, as what was done."""
    for follow_up_id in pending_steps(session_id):
        ReminderState.delete().where(
            ReminderState.key.startswith(prefix_of("follow_up", follow_up_id))
        ).execute()
        FollowUp.delete_by_id(follow_up_id)


def pause_care(client_id: int, now: datetime) -> None:
    """Hide the client's open care steps from Today and notifications until resumed."""
    Client.update(care_paused_at=now).where(Client.id == client_id).execute()


def resume_care(client_id: int, now: datetime) -> None:
    """Bring the open care steps back; those that fell due meanwhile are listed as due,
    without a notification each."""
    with db.atomic():
        Client.update(care_paused_at=None).where(Client.id == client_id).execute()
        due = FollowUp.select().where(
            (FollowUp.client == client_id)
            & FollowUp.session.is_null(False)
            & FollowUp.done_at.is_null()
            & (FollowUp.due_at <= now)
        )
        for row in due:
            _record_as_notified(row, now)


def offered_to_client():
    """SQL, on FollowUp joined with Client: the follow-ups Today may offer. A paused
    client's care steps wait; a marketing step waits for the client's consent."""
    not_paused = FollowUp.session.is_null() | Client.care_paused_at.is_null()
    consented = ~FollowUp.marketing | Client.marketing_consent_on.is_null(False)
    return not_paused & consented


def step_state(step: FollowUp, client: Client) -> str:
    """Why an open step is not on Today: "paused", "no_consent"; or "skipped"; else ""."""
    if step.skipped:
        return "skipped"
    if step.done_at is not None or step.session_id is None:
        return ""
    if client.care_paused_at is not None:
        return "paused"
    if step.marketing and client.marketing_consent_on is None:
        return "no_consent"
    return ""


@dataclass(frozen=True)
class CareProgress:
    """How a session's care is going, for its row in the history."""

    steps: int
    closed: int  # done or skipped
    not_offered: int  # open marketing steps of a client who has not agreed


def care_progress(client: Client) -> dict[int, CareProgress]:
    """session id -> its care, for the client's sessions that started a plan."""
    counts: dict[int, list[int]] = {}
    query = FollowUp.select(FollowUp.session, FollowUp.done_at, FollowUp.marketing).where(
        (FollowUp.client == client.id) & FollowUp.session.is_null(False)
    )
    for session_id, done_at, marketing in query.tuples():
        steps, closed, waiting = counts.setdefault(session_id, [0, 0, 0])
        no_consent = done_at is None and marketing and client.marketing_consent_on is None
        counts[session_id] = [steps + 1, closed + (done_at is not None), waiting + no_consent]
    return {session_id: CareProgress(*values) for session_id, values in counts.items()}
