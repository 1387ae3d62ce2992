"""RapportQtScheduler in a real Qt event loop with real APScheduler.

The stock QtScheduler cannot cancel a wake-up under PySide6, so every add_job
or reschedule while running leaves one more wake-up chain behind; these tests
pin down the fix and the configuration Rapport relies on (late jobs still run,
on the Qt main thread).
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from apscheduler.events import EVENT_JOB_MISSED

from scheduler.qt_scheduler import MAX_WAIT_MS, RapportQtScheduler, make_scheduler


class CountingScheduler(RapportQtScheduler):
    """Counts the wake-ups, i.e. the calls of `_process_jobs`.

    On apscheduler's own QtScheduler instead, the first test sees ~5000 wake-ups
    for 5 runs of the due job: one chain per add_job/reschedule_job call.
    """

    wakeups = 0

    def _process_jobs(self):
        self.wakeups += 1
        return super()._process_jobs()


def configured(cls):
    return cls(
        executors={"default": {"type": "debug"}},
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        timezone="UTC",
    )


@pytest.fixture
def stop_afterwards():
    started = []
    yield started.append
    for scheduler in started:
        if scheduler.running:
            scheduler.shutdown(wait=False)


def noop():
    pass


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_many_reschedules_leave_one_wakeup_chain(qtbot, stop_afterwards):
    scheduler = configured(CountingScheduler)
    stop_afterwards(scheduler)
    ticks = []
    scheduler.start()
    scheduler.add_job(lambda: ticks.append(1), "interval", seconds=0.1, id="tick")
    for i in range(500):
        scheduler.add_job(noop, "date", run_date=soon(60), id=f"job-{i}")
        scheduler.reschedule_job(f"job-{i}", trigger="date", run_date=soon(120))
        scheduler.remove_job(f"job-{i}")
    qtbot.wait(30)  # the immediate wake-ups the calls asked for

    scheduler.wakeups, ticks[:] = 0, []
    qtbot.wait(450)

    # One wake-up per run of the only due job (plus slack); every leftover
    # chain of the stock scheduler would wake up at each tick too.
    assert 2 <= len(ticks) <= 5
    assert scheduler.wakeups <= len(ticks) + 2


def test_a_job_runs_on_the_main_thread_inside_the_qt_loop(qtbot, stop_afterwards):
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    threads = []
    scheduler.start()
    scheduler.add_job(
        lambda: threads.append(threading.current_thread()), "date", run_date=soon(0.05)
    )
    assert threads == []  # not run by add_job itself

    qtbot.waitUntil(lambda: bool(threads), timeout=1000)
    assert threads == [threading.main_thread()]


def test_add_job_from_another_thread_wakes_the_scheduler_in_its_own(qtbot, stop_afterwards):
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    threads = []
    scheduler.start()
    qtbot.wait(10)
    worker = threading.Thread(
        target=lambda: scheduler.add_job(
            lambda: threads.append(threading.current_thread()), "date", run_date=soon(0.02)
        )
    )
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: bool(threads), timeout=1000)
    assert threads == [threading.main_thread()]


def test_jobs_due_while_the_loop_was_blocked_still_run_once(qtbot, stop_afterwards):
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    once, repeated, missed = [], [], []
    scheduler.add_listener(missed.append, EVENT_JOB_MISSED)
    scheduler.start()
    scheduler.add_job(lambda: once.append(1), "date", run_date=soon(0.2))
    # Due at 0.35, 0.7, 1.05 and 1.4 s while blocked; the next run is at 1.75 s.
    scheduler.add_job(lambda: repeated.append(1), "interval", seconds=0.35)

    time.sleep(1.5)  # the UI thread is busy (or the machine slept) past both run times
    qtbot.waitUntil(lambda: bool(once), timeout=1000)

    assert repeated == [1]  # coalesced into one run
    qtbot.wait(50)
    assert once == [1]
    assert missed == []


def test_a_far_future_job_clamps_the_timer_interval(qtbot, stop_afterwards):
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    ran = []
    scheduler.start()
    scheduler.add_job(lambda: ran.append(1), "date", run_date=soon(60 * 24 * 3600))
    qtbot.wait(20)

    timer = scheduler.wakeup_timer
    assert timer.isActive()
    assert timer.interval() == MAX_WAIT_MS == 2**31 - 1

    scheduler._process_jobs()  # as if the clamped wake-up fired: nothing due, wait again
    assert ran == []
    assert timer.isActive()
    assert timer.interval() == MAX_WAIT_MS


def test_shutdown_stops_and_releases_the_timer(qtbot, stop_afterwards):
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    ran = []
    scheduler.start()
    scheduler.add_job(lambda: ran.append(1), "date", run_date=soon(0.1))
    qtbot.wait(20)
    timer = scheduler.wakeup_timer
    assert timer.isActive()

    scheduler.shutdown(wait=False)
    assert not timer.isActive()
    assert scheduler.wakeup_timer is None
    qtbot.wait(200)
    assert ran == []
    assert not shiboken6.isValid(timer)  # deleted with its owner, not left on the app

    scheduler.start()  # a restart gets a fresh timer
    assert shiboken6.isValid(scheduler.wakeup_timer)
    scheduler.add_job(lambda: ran.append(2), "date", run_date=soon(0.02))
    qtbot.waitUntil(lambda: bool(ran), timeout=1000)
    assert ran == [2]


def test_wakeups_do_not_drop_references_to_none(qtbot, stop_afterwards):
    # PySide6 6.12 on Python 3.11 drops a reference to None on every call of a void
    # C++ method (QTimer.start/stop); enough of them abort the interpreter.
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    scheduler.start()
    scheduler.add_job(noop, "date", run_date=soon(60), id="later")
    qtbot.wait(10)

    before = sys.getrefcount(None)
    for _ in range(1000):
        scheduler.wakeup()
        scheduler._stop_timer()
    assert abs(sys.getrefcount(None) - before) < 100
