"""Client dates in the phone's calendar and follow-ups in its task list, against real
servers (Radicale and Xandikos on 127.0.0.1), read back by an independent client (the
`caldav` library) as a phone would read them."""

from __future__ import annotations

import http.server
import threading
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import caldav
import pytest
from dateutil.rrule import rrulestr

from models.accounts.jobs import RunContext
from models.accounts.runs import set_up_account
from models.accounts.store import AccountError, add_account, set_options
from models.clients.couples import link_partners, set_date_greetings_off
from models.clients.entries import (
    add_yearly_date,
    delete_entry,
    save_family_member,
    save_follow_up,
    save_important_date,
    set_follow_up_done,
)
from models.clients.saving import delete_client, save_client
from models.clients.wishes import save_wish
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    WishForm,
)
from models.store.database import db
from models.store.entities import Client, FollowUp, Interaction, ReminderState
from models.store.migrations import open_database
from models.store.settings import set_setting
from models.sync import calendar_setup, client_dates, follow_up_tasks
from models.sync.discovery import discover, session_for
from models.sync.publishing import PublishedItem
from scheduler.account_runs import AccountRuns
from tests.servers import HOST, USER, free_port, radicale_server
from tests.test_accounts import rapport
from tests.ui_helpers import NOW as UI_NOW
from tests.ui_helpers import with_reminders

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
GALLERY_DUE = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def studio(database):
    """Anna (married to Tom, a leap-day birthday of unknown year, a daughter) and Ben."""
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    ben = save_client(ClientForm(first_name="Ben", last_name="Okafor"))
    # Both came to Rapport in 2025: a date of unknown year starts from then.
    Client.update(created_at=datetime(2025, 3, 1, 10, tzinfo=UTC)).execute()
    save_family_member(FamilyMemberForm("Tom", "partner"), anna.id)
    save_important_date(ImportantDateForm("wedding_anniversary", 28, 11, "2021", "", 7), anna.id)
    save_important_date(ImportantDateForm("birthday", 29, 2, "", "", 0), anna.id)
    lea = FamilyMemberForm("Lea", "child", has_birthday=True, birthday_day=3, birthday_month=4)
    save_family_member(lea, anna.id)
    save_important_date(ImportantDateForm("birthday", 14, 7, "1990", "", 3), ben.id)
    save_follow_up(FollowUpForm("Deliver the gallery", GALLERY_DUE), anna.id)
    save_wish(WishForm("Newborn session when the baby arrives", date(2027, 3, 15)), ben.id, ZONE)
    return anna


@pytest.fixture
def account(studio, dav_server):
    return set_up_on(dav_server)


def set_up_on(server):
    """A CalDAV account on the server, set up as adding it in Settings does."""
    added = add_account(server.url, USER)
    message = calendar_setup.set_up(RunContext(added, server.password, clock))
    assert f"“{calendar_setup.CALENDAR_NAME}” (new)" in message
    assert f"“{calendar_setup.TASK_LIST_NAME}” (new)" in message
    return added


def run(job, account, password):
    account = type(account).get_by_id(account.id)  # the options set-up stored
    return job.run(RunContext(account, password, clock))


def phone(dav_server, url: str):
    """The collection at `url` as an independent CalDAV client sees it."""
    client = caldav.DAVClient(url=dav_server.url, username=USER, password=dav_server.password)
    return client.calendar(url=url)


def events(dav_server, account) -> dict[str, object]:
    calendar = phone(dav_server, type(account).get_by_id(account.id).option("calendar_url"))
    found = {}
    for event in calendar.events():
        component = event.icalendar_component
        found[str(component["summary"])] = component
    return found


def todos(dav_server, account):
    url = type(account).get_by_id(account.id).option("task_list_url")
    return phone(dav_server, url).todos(include_completed=True)


def days(event, years: range) -> list[date]:
    start = event.decoded("dtstart")
    rule = rrulestr(
        event["rrule"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time())
    )
    return [d.date() for d in rule.between(datetime(years.start, 1, 1), datetime(years.stop, 1, 1))]


def triggers(component) -> list[object]:
    return sorted(
        (alarm.decoded("trigger") for alarm in component.walk("VALARM")), key=str, reverse=True
    )


def test_client_dates_reach_the_calendar_as_a_phone_reads_them(dav_server, account):
    report = run(client_dates, account, dav_server.password)
    assert (report.summary, report.failed) == ("6 new", 0)
    found = events(dav_server, account)
    assert sorted(found) == [
        "Anna & Tom — wedding anniversary",
        "Anna Berger — Deliver the gallery",
        "Anna Berger — birthday",
        "Ben Okafor — a wish for this day",
        "Ben Okafor — birthday",
        "Lea (Anna Berger's child) — birthday",
    ]
    wedding = found["Anna & Tom — wedding anniversary"]
    assert days(wedding, range(2026, 2028)) == [date(2026, 11, 28), date(2027, 11, 28)]
    # At the reminder time (09:00) a week before, and on the day.
    assert triggers(wedding) == [timedelta(hours=9), timedelta(days=-7, hours=9)]
    assert "description" not in wedding  # no private words by default
    # 29 February of an unknown year: from a leap year near the client's start, on
    # 28 February in common years; never a year like 1604, never an age.
    leap = found["Anna Berger — birthday"]
    assert leap.decoded("dtstart") == date(2024, 2, 29)
    assert days(leap, range(2027, 2029)) == [date(2027, 2, 28), date(2028, 2, 29)]
    lea = found["Lea (Anna Berger's child) — birthday"]
    assert lea.decoded("dtstart") == date(2025, 4, 3)
    assert found["Ben Okafor — birthday"].decoded("dtstart") == date(1990, 7, 14)
    gallery = found["Anna Berger — Deliver the gallery"]
    assert gallery.decoded("dtstart") == GALLERY_DUE and "rrule" not in gallery
    assert triggers(gallery) == [timedelta(0)]
    wish = found["Ben Okafor — a wish for this day"]
    assert wish.decoded("dtstart") == date(2027, 3, 15) and "description" not in wish


def test_an_idle_sync_writes_nothing_and_an_event_changed_there_is_put_back(
    dav_server, account, monkeypatch
):
    run(client_dates, account, dav_server.password)
    run(follow_up_tasks, account, dav_server.password)
    methods = requests_made(monkeypatch)
    assert run(client_dates, account, dav_server.password).summary == "nothing changed"
    assert run(follow_up_tasks, account, dav_server.password).summary == "nothing changed"
    assert methods == ["PROPFIND", "PROPFIND"]  # one listing a collection, no write
    calendar = phone(dav_server, type(account).get_by_id(account.id).option("calendar_url"))
    for event in calendar.events():
        summary = str(event.icalendar_component["summary"])
        if summary == "Ben Okafor — birthday":
            event.delete()
        elif summary == "Anna Berger — birthday":
            event.icalendar_component["summary"] = "Someone's birthday"
            event.save()
    assert run(client_dates, account, dav_server.password).summary == "1 new, 1 changed"
    assert methods[-2:] == ["PUT", "PUT"]
    assert len(events(dav_server, account)) == 6
    assert "Someone's birthday" not in events(dav_server, account)


def requests_made(monkeypatch) -> list[str]:
    """The HTTP methods every sync's session sends from now on, in order."""
    methods: list[str] = []

    def counted(context):
        session = session_for(context)
        session.session.hooks["response"].append(
            lambda response, *_a, **_k: methods.append(response.request.method)
        )
        return session

    monkeypatch.setattr(client_dates, "session_for", counted)
    monkeypatch.setattr(follow_up_tasks, "session_for", counted)
    return methods


def test_changes_here_are_changed_there_and_deletions_deleted(dav_server, account, studio):
    run(client_dates, account, dav_server.password)
    set_options(account, calendar_description="year")
    set_setting("leap_day_rule", "mar1")
    report = run(client_dates, account, dav_server.password)
    # The two dates of a known year get it as their description, the leap day moves.
    assert report.summary == "3 changed"
    found = events(dav_server, account)
    assert str(found["Anna & Tom — wedding anniversary"]["description"]) == "Married in 2021"
    assert days(found["Anna Berger — birthday"], range(2027, 2028)) == [date(2027, 3, 1)]
    delete_client(studio.id)
    assert run(client_dates, account, dav_server.password).summary == "4 deleted"
    assert sorted(events(dav_server, account)) == [
        "Ben Okafor — a wish for this day",
        "Ben Okafor — birthday",
    ]


def test_a_couple_s_anniversary_both_hold_is_one_event_and_greetings_off_remove_it(
    dav_server, account, studio
):
    """As the reminders have it: Mia and Jan, both clients, both logged their wedding;
    one anniversary, one event (there were two, one from each copy), named for both; off
    on either copy, it leaves the phone's calendar."""
    mia = save_client(ClientForm(first_name="Mia", last_name="Roth"))
    jan = save_client(ClientForm(first_name="Jan", last_name="Roth", preferred_name="Janni"))
    link_partners(mia.id, jan.id)
    copies = [
        add_yearly_date(each.id, "wedding_anniversary", date(2019, 6, 1)) for each in (mia, jan)
    ]
    assert run(client_dates, account, dav_server.password).summary == "7 new"
    weddings = [title for title in events(dav_server, account) if "Roth" in title or "&" in title]
    assert sorted(weddings) == [
        "Anna & Tom — wedding anniversary",
        "Mia & Janni — wedding anniversary",
    ]
    for off in copies:
        set_date_greetings_off(off.id, True)
        assert run(client_dates, account, dav_server.password).summary == "1 deleted"
        assert "Mia & Janni — wedding anniversary" not in events(dav_server, account)
        set_date_greetings_off(off.id, False)
        assert run(client_dates, account, dav_server.password).summary == "1 new"


def test_tasks_done_on_the_phone_close_follow_ups_and_done_here_close_tasks(
    dav_server, account, studio
):
    assert run(follow_up_tasks, account, dav_server.password).summary == "1 new"
    (task,) = todos(dav_server, account)
    component = task.icalendar_component
    assert str(component["summary"]) == "Anna Berger — Deliver the gallery"
    assert component.decoded("due") == GALLERY_DUE
    assert [a.decoded("trigger") for a in component.walk("VALARM")] == [GALLERY_DUE]
    task.complete(completion_timestamp=datetime(2026, 12, 7, 8, 30, tzinfo=UTC))  # the phone
    report = run(follow_up_tasks, account, dav_server.password)
    assert report.summary.startswith("1 done on the server")
    follow_up = FollowUp.get()  # the only one
    assert follow_up.done_at == datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    assert Interaction.select().count() == 0 and ReminderState.select().count() == 0
    (task,) = todos(dav_server, account)
    assert str(task.icalendar_component["status"]) == "COMPLETED"
    # The calendar's event of the follow-up goes with it.
    run(client_dates, account, dav_server.password)
    assert "Anna Berger — Deliver the gallery" not in events(dav_server, account)
    # Done here: completed there; deleted here: gone there.
    album = save_follow_up(FollowUpForm("Send the album", GALLERY_DUE), studio.id)
    assert run(follow_up_tasks, account, dav_server.password).summary == "1 new"
    set_follow_up_done(album.id, datetime(2026, 12, 8, 10, tzinfo=UTC))
    assert run(follow_up_tasks, account, dav_server.password).summary == "1 changed"
    by_title = {str(t.icalendar_component["summary"]): t for t in todos(dav_server, account)}
    sent = by_title["Anna Berger — Send the album"].icalendar_component
    assert str(sent["status"]) == "COMPLETED"
    assert sent.decoded("completed") == datetime(2026, 12, 8, 10, tzinfo=UTC)
    delete_entry(FollowUp, album.id)
    assert run(follow_up_tasks, account, dav_server.password).summary == "1 deleted"
    assert [str(t.icalendar_component["summary"]) for t in todos(dav_server, account)] == [
        "Anna Berger — Deliver the gallery"
    ]


def test_a_wrong_password_is_a_sentence(studio, tmp_path):
    with radicale_server(tmp_path / "radicale", password="right") as server:
        added = add_account(server.url, USER)
        set_options(added, calendar_url=f"{server.url}{USER}/dates/")
        with pytest.raises(AccountError) as refused:
            run(client_dates, added, "wrong")
    assert str(refused.value) == (
        f"The server refused the password for {USER}@{HOST}; change it in Settings → Accounts."
    )


def test_a_server_that_is_down_is_a_sentence(studio):
    added = add_account(f"http://{HOST}:{free_port()}/", USER)
    set_options(added, task_list_url=f"{added.url}{USER}/tasks/")
    with pytest.raises(AccountError, match=rf"^Could not reach {HOST} \(.+\); Rapport will"):
        run(follow_up_tasks, added, "-")


def test_a_full_quota_is_a_sentence_and_what_was_taken_is_kept(studio):
    with full_server() as (url, puts):
        added = add_account(url, USER)
        set_options(added, calendar_url=f"{url}dates/")
        with pytest.raises(AccountError) as full:
            run(client_dates, added, "-")
    assert str(full.value) == (
        f"The account on {HOST} is full (the server has no space left for it); make room "
        "there, and Rapport will sync again."
    )
    assert puts == [507]


class FullServer(http.server.BaseHTTPRequestHandler):
    """A CalDAV server with no room left: an empty calendar, and 507 to every PUT."""

    puts: list[int]

    def do_PROPFIND(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"/>'
        self.send_response(207)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.puts.append(507)
        self.send_response(507)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


class full_server:
    def __enter__(self):
        FullServer.puts = []
        self.server = http.server.ThreadingHTTPServer((HOST, 0), FullServer)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://{HOST}:{self.server.server_port}/", FullServer.puts

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_calendar_named_by_the_owner_is_used_and_one_not_there_is_a_sentence(dav_server, studio):
    added = add_account(dav_server.url, USER)
    home = discover(RunContext(added, dav_server.password, clock), "caldav")
    assert dav_server.request("MKCALENDAR", f"{urlsplit(home).path}family/").status == 201
    chosen = RunContext(added, dav_server.password, clock, choices={"calendar": "Family"})
    assert calendar_setup.set_up(chosen).startswith("Client dates go to the calendar “")
    assert type(added).get_by_id(added.id).option("calendar_url").endswith("/family/")
    missing = RunContext(added, dav_server.password, clock, choices={"calendar": "Studio"})
    with pytest.raises(AccountError, match=r"^There is no calendar named “Studio” on 127.0.0.1"):
        calendar_setup.set_up(missing)


def test_main_py_sync_runs_both_jobs_and_says_what_it_did(tmp_path, secret_service):
    password = "correct horse 🐎"
    with radicale_server(tmp_path / "radicale", password=password) as server:
        added = rapport(
            tmp_path, "account", "add", server.url, "--user", USER, "--password-stdin",
            password=f"{password}\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        assert f"calendar “{calendar_setup.CALENDAR_NAME}” (new)" in added.stdout
        add_a_birthday(tmp_path / "r.sqlite")
        first = rapport(tmp_path, "sync")
        assert first.returncode == 0, first.stderr
        assert f"{USER}@{HOST} · client dates: 1 new" in first.stdout.splitlines()
        assert f"{USER}@{HOST} · follow-ups: nothing changed" in first.stdout.splitlines()
    down = rapport(tmp_path, "sync")
    assert down.returncode == 2
    assert f"client dates: Could not reach {HOST}" in down.stderr
    assert "Traceback" not in down.stderr


def add_a_birthday(path) -> None:
    database = open_database(path)
    try:
        anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
        save_important_date(ImportantDateForm("birthday", 3, 4, "1990", "", 0), anna.id)
    finally:
        database.close()
        db.initialize(None)


def test_a_sync_cut_short_is_finished_without_duplicates(radicale, studio):
    # Rapport's own bookkeeping: one server shows it.
    dav_server, account = radicale, set_up_on(radicale)
    asked = []

    def stop_after_three() -> bool:
        asked.append(1)
        return len(asked) > 3

    account = type(account).get_by_id(account.id)
    stopped = RunContext(account, dav_server.password, clock, stopping=stop_after_three)
    assert client_dates.run(stopped).summary == "3 new"
    # As if killed after the server took an object and before Rapport wrote that down.
    PublishedItem.select().order_by(PublishedItem.id.desc()).get().delete_instance()
    assert run(client_dates, account, dav_server.password).summary == "3 new, 1 changed"
    calendar = phone(dav_server, account.option("calendar_url"))
    uids = [str(event.icalendar_component["uid"]) for event in calendar.events()]
    assert len(uids) == len(set(uids)) == 6
    assert run(client_dates, account, dav_server.password).summary == "nothing changed"


def test_a_follow_up_ticked_off_on_the_phone_leaves_today_in_the_window(
    qtbot, window, radicale, secret_service
):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger"))
    soon = UI_NOW + timedelta(hours=2)
    save_follow_up(FollowUpForm("Call Anna back", soon), anna.id)
    with_reminders(qtbot, window)
    assert [row.reminder.text for row in window.today_view.rows] == ["Call Anna back — due 12:00"]
    runs = AccountRuns(lambda: UI_NOW, window)
    window.use_account_runs(runs)
    account, _ = set_up_account(radicale.url, USER, radicale.password, lambda: UI_NOW)
    with qtbot.waitSignal(runs.finished, timeout=20_000):
        runs.run_now()
    (task,) = todos(radicale, account)
    task.complete()  # on the phone
    with qtbot.waitSignal(runs.finished, timeout=20_000):
        runs.run_now()
    qtbot.waitUntil(lambda: window.today_view.rows == [], timeout=5000)
    assert FollowUp.get().done_at is not None
    runs.stop()
    runs._worker.wait()
