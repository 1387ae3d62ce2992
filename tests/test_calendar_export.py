"""The iCalendar export, read back with icalendar and expanded with dateutil's RRULE."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from models.calendar_export import write_calendar
from models.clients import save_client
from models.entities import ImportantDate
from models.forms import ClientForm, FamilyMemberForm, ImportantDateForm
from models.records import save_family_member, save_important_date
from models.settings import set_setting
from tests.test_single_instance import ROOT

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def exported(tmp_path) -> dict[str, object]:
    target = tmp_path / "dates.ics"
    write_calendar(target, TODAY, NOW)
    calendar = Calendar.from_ical(target.read_bytes())
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def days(event, years: range) -> list[date]:
    start = event.decoded("dtstart")
    rule = rrulestr(
        event["rrule"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time())
    )
    return [d.date() for d in rule.between(datetime(years.start, 1, 1), datetime(years.stop, 1, 1))]


@pytest.fixture
def studio(database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_important_date(ImportantDateForm("wedding_anniversary", 28, 11, "2021", "", 7), anna.id)
    save_important_date(ImportantDateForm("birthday", 29, 2, "", "", 0), anna.id)
    form = FamilyMemberForm("Lea", "child", has_birthday=True, birthday_day=3, birthday_month=4)
    save_family_member(form, anna.id)
    return anna


def test_each_date_is_a_yearly_event_with_an_alarm_at_its_lead_time(studio, tmp_path):
    events = exported(tmp_path)
    assert set(events) == {
        "Wedding anniversary: Anna Berger",
        "Birthday: Anna Berger",
        "Birthday: Lea (Anna Berger's child)",
    }
    wedding = events["Wedding anniversary: Anna Berger"]
    assert wedding.decoded("dtstart") == date(2021, 11, 28)
    assert days(wedding, range(2026, 2028)) == [date(2026, 11, 28), date(2027, 11, 28)]
    [alarm] = wedding.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(days=7)
    assert str(wedding["description"]) == "Married in 2021"
    lea = events["Birthday: Lea (Anna Berger's child)"]
    assert "description" not in lea  # year unknown: nothing about age, ever
    assert lea.decoded("dtstart") == date(2026, 4, 3)


@pytest.mark.parametrize(("rule", "in_common_years"), [("feb28", (2, 28)), ("mar1", (3, 1))])
def test_29_february_follows_the_leap_day_setting(studio, tmp_path, rule, in_common_years):
    set_setting("leap_day_rule", rule)
    birthday = exported(tmp_path)["Birthday: Anna Berger"]
    assert birthday.decoded("dtstart") == date(2024, 2, 29)  # a leap year's, year unknown
    assert days(birthday, range(2027, 2030)) == [
        date(2027, *in_common_years),
        date(2028, 2, 29),
        date(2029, *in_common_years),
    ]


def test_the_file_is_written_whole(studio, tmp_path):
    target = tmp_path / "dates.ics"
    assert write_calendar(target, TODAY, NOW) == 3
    assert not list(tmp_path.glob("*.partial"))
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_export_from_the_command_line(studio, tmp_path):
    target = tmp_path / "dates.ics"
    command = [sys.executable, str(ROOT / "main.py"), "export", "ics", str(target)]
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [*command, "--db", str(tmp_path / "rapport.sqlite")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"Wrote 3 dates to {target}")
    missing = subprocess.run(
        [*command, "--db", str(tmp_path / "none.sqlite")], capture_output=True, text=True, env=env
    )
    assert missing.returncode == 2 and "there is no database" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()


def uids(tmp_path) -> dict[str, str]:
    return {summary: str(event["uid"]) for summary, event in exported(tmp_path).items()}


def test_event_uids_stay_the_same_and_are_the_database_s_own(studio, tmp_path, switch_to):
    first = uids(tmp_path)
    assert len(set(first.values())) == 3
    # A corrected birthday is the same event; another export gives the same UIDs.
    ImportantDate.update(day=28).where(ImportantDate.kind == "birthday").execute()
    assert uids(tmp_path) == first
    # Another database with the same dates (the same row numbers) shares none of them.
    switch_to(tmp_path / "other.sqlite")
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    save_important_date(ImportantDateForm("wedding_anniversary", 28, 11, "2021", "", 7), anna.id)
    save_important_date(ImportantDateForm("birthday", 29, 2, "", "", 0), anna.id)
    form = FamilyMemberForm("Lea", "child", has_birthday=True, birthday_day=3, birthday_month=4)
    save_family_member(form, anna.id)
    assert set(uids(tmp_path).values()) & set(first.values()) == set()
