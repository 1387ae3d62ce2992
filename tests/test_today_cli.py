"""`rapport today`: what the window's Today lists, printed from a terminal, recording nothing.

Compared with the real window's Today on the same database at the same moment; once in
process with a fixed moment, and end to end in a real process under libfaketime and TZ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import cli
import main
from models.reminders.store import listed_today, mark_done, snooze
from models.sample.loading import load_sample_clients
from models.store.database import db
from models.store.migrations import open_database
from models.store.settings import reminder_time
from tests.test_cli import dump
from tests.test_single_instance import ROOT
from tests.test_today import BERLIN, TODAY, Clock
from tests.ui_helpers import quit_then_close, with_reminders
from ui.today_view import chip_text

MOMENT = datetime(2026, 11, 24, 10, tzinfo=UTC)


HANDLED: list[str] = []  # the texts of the reminders snoozed and done in the studio


@pytest.fixture
def studio_path(database, tmp_path) -> Path:
    """The sample clients, one reminder snoozed to tomorrow and one done: Today's rules at
    work; closed again, as the command line finds a database."""
    load_sample_clients(TODAY)
    _reminders, listed = listed_today(MOMENT, BERLIN, reminder_time())
    snooze(listed.overdue[0], MOMENT + timedelta(days=1))
    mark_done(listed.coming[0], MOMENT)
    HANDLED[:] = [listed.overdue[0].text, listed.coming[0].text]
    database.close()
    return tmp_path / "rapport.sqlite"


def run_today(path: Path, capsys, moment: datetime, zone: ZoneInfo, *flags: str):
    args = main.parse_args(["today", "--db", str(path), *flags])
    code = cli.run(args, path, path.parent / "backups", now=moment, zone=zone)
    db.initialize(None)  # the command closed its connection
    out = capsys.readouterr()
    return code, out.out, out.err


def window_today(qtbot, open_window, path: Path, moment: datetime) -> dict[str, list[dict]]:
    """What the window's Today shows, section by section, in the command's terms."""
    database = open_database(path)
    window = with_reminders(qtbot, open_window(path, zone=BERLIN, now=Clock(moment)))
    try:
        shown: dict[str, list[dict]] = {"overdue": [], "today": [], "coming": []}
        for row in window.today_view.rows:
            reminder = row.reminder
            shown[row.section].append(
                {
                    "client": reminder.title,
                    "client_id": reminder.client_id,
                    "kind": chip_text(reminder),
                    "text": reminder.text,
                    "event_day": reminder.occurs_on.isoformat(),
                    "reminder_day": reminder.due_at.astimezone(BERLIN).date().isoformat(),
                    "reminder_at": reminder.due_at.astimezone(BERLIN).isoformat(),
                }
            )
        return shown
    finally:
        quit_then_close(window, database)


def test_today_prints_what_the_window_lists_and_records_nothing(
    qtbot, open_window, studio_path, capsys
):
    before = dump(studio_path)
    code, out, err = run_today(studio_path, capsys, MOMENT, BERLIN, "--json")
    assert (code, err) == (0, "")
    assert dump(studio_path) == before  # nothing notified, not even "last looked at"
    printed = json.loads(out)
    assert (printed["now"], printed["day"]) == ("2026-11-24T11:00:00+01:00", "2026-11-24")
    shown = window_today(qtbot, open_window, studio_path, MOMENT)
    assert all(shown.values())  # overdue, today and coming: each has rows to compare
    assert {name: printed[name] for name in shown} == shown
    snoozed, done = HANDLED
    assert [item["text"] for item in printed["coming"]].count(snoozed) == 1  # tomorrow...
    assert snoozed not in str(printed["overdue"]) and done not in out  # ...and done is gone


def test_today_as_text_names_client_kind_and_both_days(studio_path, capsys):
    code, out, _err = run_today(studio_path, capsys, MOMENT, BERLIN)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Today — Tuesday 24 November 2026"
    assert lines[1].startswith("Overdue · ")
    assert "Next 7 days · " in "\n".join(lines)
    anniversary = lines.index(
        "  Anna & Tom Berger · Wedding anniversary · Sat 28 Nov (reminder Sat 21 Nov 09:00)"
    )
    assert lines[anniversary + 1] == "    Anna & Tom — 5th wedding anniversary on Sat 28 Nov"


def test_today_says_when_nothing_is_due(database, tmp_path, capsys):
    database.close()
    code, out, _err = run_today(tmp_path / "rapport.sqlite", capsys, MOMENT, BERLIN)
    assert (code, out.splitlines()[1:]) == (
        0,
        ["Nothing due. Enjoy your coffee — Rapport will remind you."],
    )


def test_a_database_that_cannot_be_read_exits_2_with_a_sentence(tmp_path, capsys):
    missing = tmp_path / "none.sqlite"
    assert run_today(missing, capsys, MOMENT, BERLIN)[::2] == (
        2,
        f"rapport today: there is no database at {missing}\n",
    )
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my notes")
    code, _out, err = run_today(notes, capsys, MOMENT, BERLIN)
    assert code == 2 and "is not a Rapport database" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("zone", "wall_clock"),
    [("Europe/Berlin", "2026-11-24 11:00:00"), ("Asia/Tokyo", "2026-11-25 08:30:00")],
)
def test_today_runs_end_to_end_on_the_system_clock_and_tz(
    studio_path, capsys, tmp_path, zone, wall_clock
):
    """A real process, its clock set by libfaketime and its zone by TZ, prints what the
    command prints in process at the moment it reports."""
    faketime = shutil.which("faketime")
    assert faketime, "faketime (Debian package faketime) runs this test"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TZ": zone,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    command = [sys.executable, str(ROOT / "main.py"), "today", "--json", "--db", str(studio_path)]
    done = subprocess.run(
        [faketime, wall_clock, *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    printed = json.loads(done.stdout)
    now = datetime.fromisoformat(printed["now"])
    assert printed["day"] == wall_clock[:10]  # the day in TZ, not in UTC
    code, out, _err = run_today(studio_path, capsys, now, ZoneInfo(zone), "--json")
    assert code == 0 and json.loads(out) == printed
