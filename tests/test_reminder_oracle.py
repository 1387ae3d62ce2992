"""Ten simulated years: every reminder is delivered exactly once, at its local time.

The app is simulated as runs with closed gaps between them. At each start it calls
`reconcile(starting=True)`; while running, the reminder service looks again at each
`next_at` (its other looks every 15 minutes find nothing more, so the simulation keeps
only one every few days when there is no `next_at`: the window looks 7 days ahead).

The oracle below computes, from the rows alone and without the rules in models/,
every occurrence with its fire instant, and from the run plan when and how each one
must be delivered: at its instant while running, or in the summary of the next start.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models.clients.entries import save_follow_up, save_important_date
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, FollowUpForm, ImportantDateForm
from models.reminders.store import HANDFUL, reconcile
from models.store.database import db
from models.store.entities import Client
from models.store.migrations import open_database
from models.store.settings import set_setting

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney")
BASE = datetime(2026, 1, 1, tzinfo=UTC)
YEARS = timedelta(days=3653)  # ten years
HEARTBEAT = timedelta(days=6)  # less than the 7 days the window looks ahead, DST included
MINUTES_A_DAY = 24 * 60
COMMON_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# 02:30 is skipped in spring in all three zones and repeated in autumn in Berlin and
# Sydney; 01:30 is repeated in New York.
SPECIAL_TIMES = (time(2, 30), time(1, 30), time(2), time(3), time(9), time(0), time(23, 59))
reminder_times = st.one_of(
    st.sampled_from(SPECIAL_TIMES),
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 30, 45, 59])),
)


@st.composite
def yearly_dates(draw):
    """(kind, month, day, year or None, lead_days), a valid row of the date dialog."""
    kind = draw(st.sampled_from(["birthday", "wedding_anniversary", "client_since", "custom"]))
    if draw(st.integers(0, 2)) == 0:  # the leap day, often
        month, day = 2, 29
        year = draw(st.sampled_from([None, 1992, 2000, 2028, 2032]))
    else:
        month = draw(st.integers(1, 12))
        day = draw(st.integers(1, COMMON_MONTH_DAYS[month - 1]))
        year = draw(st.none() | st.integers(1950, 2037))
    return kind, month, day, year, draw(st.integers(0, 30))


closed_gaps = st.lists(
    st.tuples(
        st.integers(1, YEARS // timedelta(minutes=1)),  # when Rapport is closed
        st.integers(1, 120 * MINUTES_A_DAY),  # for how long
    ),
    max_size=12,
)


# --- The oracle ----------------------------------------------------------------------------


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def wall_clock(day: date, at: time, zone: ZoneInfo) -> tuple[datetime, bool]:
    """The UTC instant of `at` on local `day`, and whether that wall time exists.

    Of two instants showing the time (autumn), the first; if none does (spring), the
    time read with the offset from before the change, which lands just after the gap.
    """
    wall = datetime.combine(day, at)
    before = zone.utcoffset(wall - timedelta(days=1))
    after = zone.utcoffset(wall + timedelta(days=1))
    showing = [
        (wall - offset).replace(tzinfo=UTC)
        for offset in {before, after}
        if (wall - offset).replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) == wall
    ]
    if showing:
        return min(showing), True
    return (wall - before).replace(tzinfo=UTC), False


def expected_fires(rows, zone, at, leap_rule, start, end) -> dict[str, datetime]:
    """key -> UTC fire instant of every occurrence that must be delivered by `end`."""
    first_day = start.astimezone(zone).date() - timedelta(days=7)  # the first look back
    fires = {}
    for date_id, (_kind, month, day, year, lead) in rows["dates"].items():
        for occurrence_year in range(first_day.year, end.year + 2):
            if year is not None and occurrence_year <= year:
                continue  # the birth or the wedding itself
            moved = (3, 1) if leap_rule == "mar1" else (2, 28)
            leap_day_moves = (month, day) == (2, 29) and not is_leap(occurrence_year)
            occurs = date(occurrence_year, *(moved if leap_day_moves else (month, day)))
            phases = {"day": occurs}
            if lead:
                phases["notice"] = occurs - timedelta(days=lead)
            for phase, notice_day in phases.items():
                fire, _ = wall_clock(notice_day, at, zone)
                if notice_day >= first_day and fire <= end:
                    fires[f"date:{date_id}:{occurs.isoformat()}:{phase}"] = fire
    client_id, check_in_days = rows["client"]
    check_in_day = start.astimezone(zone).date() + timedelta(days=check_in_days)
    fire, _ = wall_clock(check_in_day, at, zone)
    # Its identity counts the check-in interval from the contact's UTC day, the same in any zone.
    key_day = start.astimezone(UTC).date() + timedelta(days=check_in_days)
    if fire <= end:
        fires[f"check_in:{client_id}:{key_day.isoformat()}"] = fire
    for follow_up_id, due in rows["follow_ups"].items():
        if due <= end:
            fires[f"follow_up:{follow_up_id}:{due:%Y%m%dT%H%M}"] = due
    return fires


def run_periods(start: datetime, end: datetime, gaps) -> list[tuple[datetime, datetime]]:
    """(start, stop) of each run; the last one starts at `end` if Rapport was closed then."""
    periods, running_since = [], start
    for offset, length in sorted(gaps):
        closed = start + timedelta(minutes=offset)
        reopened = closed + timedelta(minutes=length)
        if closed < running_since:  # overlaps the previous gap: one longer gap
            running_since = max(running_since, reopened)
            continue
        if closed >= end:
            break
        periods.append((running_since, closed))
        running_since = reopened
    periods.append((min(running_since, end), end))
    return periods


def expected_deliveries(fires, periods) -> list[tuple[str, datetime, bool]]:
    """(key, delivered at, in a start-up summary) of each fire, from the run plan alone."""
    deliveries = []
    for key, fire in fires.items():
        for run_start, run_stop in periods:
            if fire < run_start:  # fell due while closed, or before the first start
                deliveries.append((key, run_start, True))
                break
            if fire <= run_stop:
                deliveries.append((key, fire, False))
                break
        else:
            raise AssertionError(f"{key} at {fire} is after the end")
    deliveries = one_per_occasion(deliveries, fires)
    # More than a handful due at one instant make one summary, not a burst of notifications.
    at_once = Counter(moment for _, moment, in_summary in deliveries if not in_summary)
    return sorted(
        (key, moment, in_summary or at_once[moment] > HANDFUL)
        for key, moment, in_summary in deliveries
    )


def one_per_occasion(deliveries, fires) -> list[tuple[str, datetime, bool]]:
    """A date's notice and its day delivered at one moment (a start after they both fell
    due) are one occasion, told once: the one that fired first (at one instant, the first
    key)."""
    first: dict[tuple[str, datetime], tuple[str, datetime, bool]] = {}
    for delivery in sorted(deliveries, key=lambda d: (fires[d[0]], d[0])):
        key, moment, _ = delivery
        first.setdefault((occasion(key), moment), delivery)
    return list(first.values())


def occasion(key: str) -> str:
    """What a date's notice and its day share: the key without its phase."""
    return key.rpartition(":")[0] if key.startswith("date:") else key


# --- The app, simulated --------------------------------------------------------------------


def fill_database(dates, check_in_days, follow_ups, start, at, leap_rule) -> dict:
    client = save_client(
        ClientForm(first_name="Olga", last_name="Oracle", check_in_days=str(check_in_days))
    )
    Client.update(created_at=start).where(Client.id == client.id).execute()
    rows = {"client": (client.id, check_in_days), "dates": {}, "follow_ups": {}}
    for kind, month, day, year, lead in dates:
        form = ImportantDateForm(
            kind, day, month, "" if year is None else str(year), "First shoot", lead
        )
        rows["dates"][save_important_date(form, client.id).id] = (kind, month, day, year, lead)
    for title, due in follow_ups:
        rows["follow_ups"][save_follow_up(FollowUpForm(title, due), client.id).id] = due
    set_setting("reminder_time", at.strftime("%H:%M"))
    set_setting("leap_day_rule", leap_rule)
    return rows


def simulate(periods, zone, at) -> list[tuple[str, datetime, bool]]:
    deliveries = []
    for run_start, run_stop in periods:
        now = run_start
        delivery = reconcile(now, zone, at, starting=True)
        deliveries += [(r.key, now, True) for r in delivery.missed]
        while True:
            deliveries += [(r.key, now, False) for r in delivery.due_now]
            assert delivery.next_at is None or delivery.next_at > now
            look = min(delivery.next_at or now + HEARTBEAT, now + HEARTBEAT)
            if look > run_stop:
                break
            now = look
            delivery = reconcile(now, zone, at)
            deliveries += [(r.key, now, True) for r in delivery.missed]
    return sorted(deliveries)


EXAMPLE_DATES = [
    ("birthday", 2, 29, None, 3),
    ("birthday", 2, 29, 2028, 0),
    ("wedding_anniversary", 3, 29, 2020, 1),
    ("custom", 10, 25, None, 30),
]


@settings(
    max_examples=int(os.environ.get("RAPPORT_ORACLE_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    zone_name=st.sampled_from(ZONES),
    start_minutes=st.integers(0, 366 * MINUTES_A_DAY),
    at=reminder_times,
    leap_rule=st.sampled_from(["feb28", "mar1"]),
    dates=st.lists(yearly_dates(), min_size=1, max_size=5),
    check_in_days=st.integers(1, 1000),
    follow_up_minutes=st.lists(
        st.integers(-30 * MINUTES_A_DAY, YEARS // timedelta(minutes=1)), min_size=1, max_size=2
    ),
    gaps=closed_gaps,
)
@example(  # the spring gap on a wedding's day, a long-dated notice over the autumn repeat
    zone_name="Europe/Berlin",
    start_minutes=0,
    at=time(2, 30),
    leap_rule="feb28",
    dates=EXAMPLE_DATES,
    check_in_days=87,
    follow_up_minutes=[10, 1000],
    gaps=[],
)
@example(
    zone_name="America/New_York",
    start_minutes=500,
    at=time(1, 30),
    leap_rule="mar1",
    dates=EXAMPLE_DATES,
    check_in_days=310,
    follow_up_minutes=[0],
    gaps=[(60_000, 2_000)],
)
@example(
    zone_name="Australia/Sydney",
    start_minutes=7_000,
    at=time(2, 30),
    leap_rule="feb28",
    dates=EXAMPLE_DATES,
    check_in_days=1,
    follow_up_minutes=[-100, 400_000],
    gaps=[(1, 2), (300_000, 90 * MINUTES_A_DAY), (1_000_000, 30), (5_000_000, 200_000)],
)
def test_every_reminder_is_delivered_once_at_its_local_time(
    zone_name, start_minutes, at, leap_rule, dates, check_in_days, follow_up_minutes, gaps
):
    zone = ZoneInfo(zone_name)
    start = BASE + timedelta(minutes=start_minutes)
    end = start + YEARS
    follow_ups = [
        (f"Follow-up {n}", start + timedelta(minutes=m)) for n, m in enumerate(follow_up_minutes)
    ]
    periods = run_periods(start, end, gaps)
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "oracle.sqlite")
        try:
            rows = fill_database(dates, check_in_days, follow_ups, start, at, leap_rule)
            delivered = simulate(periods, zone, at)
        finally:
            db.close()
            db.initialize(None)

    fires = expected_fires(rows, zone, at, leap_rule, start, end)
    expected = expected_deliveries(fires, periods)
    told = [key for key, _, _ in delivered]
    assert len(told) == len(set(told))  # none twice
    assert {occasion(key) for key in told} == {occasion(key) for key in fires}  # no other
    assert delivered == expected  # at its instant while running, else at the next start
    for key, moment, in_summary in delivered:
        if in_summary or key.startswith("follow_up"):
            continue
        local = moment.astimezone(zone)
        if key.startswith("date"):
            day = date.fromisoformat(key.split(":")[-2])
        else:  # a check-in: on the local day a check-in interval after the contact
            day = start.astimezone(zone).date() + timedelta(days=check_in_days)
        if key.endswith(":notice"):
            day -= timedelta(days=rows["dates"][int(key.split(":")[1])][4])
        assert local.date() == day
        _, exists = wall_clock(day, at, zone)
        if exists:
            assert local.time() == at
        else:  # just after the spring gap: an hour later
            assert local.time() == (datetime.combine(day, at) + timedelta(hours=1)).time()
