"""The window's account runs on the real Qt event loop: backoff while a server is out of
reach, back to every 15 minutes once it answers, changes settling first, and nothing
after quit."""

from __future__ import annotations

import pytest

from models.accounts import jobs
from models.accounts.jobs import Job
from models.accounts.runs import set_up_account
from models.accounts.store import set_options
from scheduler import account_runs
from scheduler.account_runs import EVERY_MS, SETTLE_MS, AccountRuns
from tests.test_accounts import PASSWORD, clock

HERE = "tests.test_accounts"


@pytest.fixture
def runs(qtbot, database, monkeypatch, secret_service):
    monkeypatch.setattr(jobs, "SET_UP", ())  # no server is asked: the jobs are the tests'
    monkeypatch.setattr(
        jobs,
        "JOBS",
        (
            Job("address book", "dav", "sync", f"{HERE}:sync_book", "names", "address_book"),
            Job("calendar", "dav", "sync", f"{HERE}:unreachable", "dates", "calendar"),
        ),
    )
    runs = AccountRuns(clock)
    yield runs
    runs.stop()
    runs._worker.wait()


def run_once(qtbot, runs) -> list:
    with qtbot.waitSignal(runs.finished, timeout=10_000) as finished:
        runs.run_now()
    return finished.args[0]


def waits_about(runs, ms: int) -> bool:
    """The next run is set for `ms` from the last (re)start of the wait."""
    return runs._timer.isActive() and runs._timer.interval() == ms


def test_an_unreachable_server_is_tried_again_later_each_time(qtbot, runs):
    account, _ = set_up_account("https://dav.example.org/", "lena", PASSWORD, clock)
    set_options(account, calendar="x")
    for minutes in (1, 2, 4, 8, 15, 15):
        [result] = run_once(qtbot, runs)
        assert result.error and waits_about(runs, minutes * 60_000)
        runs.soon()  # an edit while offline does not hammer the server
        assert waits_about(runs, minutes * 60_000)
    set_options(account, calendar=None, address_book="contacts")  # it answers again
    [result] = run_once(qtbot, runs)
    assert result.report.summary == "synced contacts" and waits_about(runs, EVERY_MS)
    runs.soon()
    assert waits_about(runs, SETTLE_MS)


def test_without_accounts_a_run_contacts_nothing_and_says_nothing(qtbot, runs):
    with qtbot.assertNotEmitted(runs.status):
        assert run_once(qtbot, runs) == []
    assert waits_about(runs, EVERY_MS)


def test_after_quit_nothing_runs(qtbot, runs, monkeypatch):
    called = []
    monkeypatch.setattr(account_runs, "run_jobs", lambda *a, **k: called.append(1) or [])
    runs.stop()
    runs.run_now()
    runs.soon()
    qtbot.wait(100)
    assert called == [] and not runs._timer.isActive()


def test_what_a_run_brought_in_is_shown_and_not_synced_back(qtbot, window, monkeypatch, runs):
    monkeypatch.setattr(
        jobs, "JOBS", (Job("phone", "dav", "sync", f"{HERE}:sync_a_change", "names"),)
    )
    window.use_account_runs(runs)
    set_up_account("https://dav.example.org/", "lena", PASSWORD, clock)
    with qtbot.waitSignal(window.changes.changed) as shown:
        run_once(qtbot, runs)
    assert shown.args[0].kinds == frozenset({"follow_ups"})
    assert waits_about(runs, EVERY_MS)  # not a second run SETTLE_MS later
    runs.soon()  # an edit of the owner's is synced soon
    assert waits_about(runs, SETTLE_MS)
