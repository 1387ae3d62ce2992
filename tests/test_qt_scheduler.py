"""RapportQtScheduler in a real Qt event loop with real APScheduler.

The stock QtScheduler cannot cancel a wake-up under PySide6, so every add_job
or reschedule while running leaves one more wake-up chain behind; these tests
pin down the fix and the configuration Rapport relies on (late jobs still run,
on the Qt main thread).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from apscheduler.events import EVENT_JOB_MISSED
from PySide6.QtCore import QTimer

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


# --- The wall clock jumps ------------------------------------------------------------------


class WallClock:
    """A wall clock the test sets, beside the real monotonic clock."""

    def __init__(self):
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


def test_a_clock_jump_back_sets_every_interval_job_anew(qtbot, stop_afterwards):
    wall = WallClock()
    scheduler = RapportQtScheduler(
        executors={"default": {"type": "debug"}}, timezone="UTC", wall_clock=wall
    )
    stop_afterwards(scheduler)
    jumps = []
    scheduler.start()
    scheduler.clock_watch.jumped.connect(jumps.append)
    job = scheduler.add_job(noop, "interval", seconds=60, id="every-minute")
    date_job = scheduler.add_job(noop, "date", run_date=soon(3600), id="at-nine")
    planned = date_job.next_run_time
    # What a step back of 2 hours leaves: the next run 2 hours beyond the corrected clock.
    job.modify(next_run_time=soon(2 * 3600 + 60))

    scheduler.clock_watch.check()  # nothing jumped yet
    assert jumps == []
    wall.moment -= timedelta(hours=2)  # while the monotonic clock runs on
    scheduler.clock_watch.check()

    assert len(jumps) == 1 and jumps[0] < -timedelta(hours=1, minutes=59)
    next_run = scheduler.get_job("every-minute").next_run_time
    assert next_run <= soon(60)  # one interval from now, not two hours on
    assert scheduler.get_job("at-nine").next_run_time == planned  # still at its wall time


def test_the_clock_watch_runs_on_a_qt_timer(qtbot, stop_afterwards):
    """Qt's timers run on the monotonic clock: the watch keeps looking whatever the wall
    clock does, unlike a job of the scheduler, which a step back would delay too."""
    scheduler = make_scheduler()
    stop_afterwards(scheduler)
    scheduler.start()
    timer = scheduler.clock_watch.findChild(QTimer)
    assert timer.isActive() and timer.interval() <= 60_000
    scheduler.shutdown(wait=False)
    assert scheduler.clock_watch is None


JUMP_BACK = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from scheduler import qt_scheduler

qt_scheduler.CLOCK_CHECK_MS = 200  # look often: the test lasts seconds, not hours
app = QCoreApplication([])
scheduler = qt_scheduler.make_scheduler()
scheduler.start()
ticks, jumped = [], []
scheduler.add_job(lambda: ticks.append(time.monotonic()), "interval", seconds=1)

def jump_back():
    Path(sys.argv[1]).write_text("-2h")  # libfaketime reads it at each call
    jumped.append(time.monotonic())

QTimer.singleShot(2500, jump_back)
QTimer.singleShot(7000, app.quit)
app.exec()
print(sum(1 for tick in ticks if tick < jumped[0]), sum(1 for tick in ticks if tick > jumped[0]))
"""


def test_jobs_keep_running_when_the_real_clock_goes_back_two_hours(tmp_path):
    """Under libfaketime (Debian's faketime), the process's wall clock steps back 2 hours
    while its monotonic clock runs on: the every-second job goes on every second."""
    library = next(iter(Path("/usr/lib").glob("*/faketime/libfaketime.so.1")), None)
    if library is None:
        pytest.skip("needs libfaketime: apt-get install faketime (rapport.sh does)")
    stamp = tmp_path / "faketime"
    stamp.write_text("+0")
    env = os.environ | {
        "LD_PRELOAD": str(library),
        "FAKETIME_TIMESTAMP_FILE": str(stamp),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("FAKETIME", None)
    result = subprocess.run(
        [sys.executable, "-c", JUMP_BACK, str(stamp)],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    before, after = map(int, result.stdout.split())
    assert before >= 1
    assert after >= 3  # about 4, one a second; none for two hours without the watch
