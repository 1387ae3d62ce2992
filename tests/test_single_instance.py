"""One Rapport per database: a second start raises the first and exits; a lock left by a
crash is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ui.single_instance import SingleInstance

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def first(qapp, tmp_path):
    instance = SingleInstance(tmp_path / "rapport.sqlite")
    assert instance.acquire()
    yield instance
    instance.release()


def test_a_second_instance_cannot_take_the_database_and_raises_the_first(qtbot, first, tmp_path):
    second = SingleInstance(tmp_path / "rapport.sqlite")
    assert not second.acquire()
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        assert second.ask_running_to_raise()
    other = SingleInstance(tmp_path / "other.sqlite")  # another database: no conflict
    assert other.acquire()
    other.release()


def test_the_database_is_free_again_once_released(qapp, tmp_path):
    first = SingleInstance(tmp_path / "rapport.sqlite")
    assert first.acquire()
    first.release()
    second = SingleInstance(tmp_path / "rapport.sqlite")
    assert second.acquire()
    assert not second.after_crash  # the first quit properly
    second.release()


def test_a_lock_left_by_a_killed_rapport_is_taken_over(qapp, tmp_path):
    holder = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QCoreApplication
        from pathlib import Path
        from ui.single_instance import SingleInstance
        app = QCoreApplication([])
        instance = SingleInstance(Path({str(tmp_path / "rapport.sqlite")!r}))
        assert instance.acquire()
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "locked"
        assert not SingleInstance(tmp_path / "rapport.sqlite").acquire()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert (tmp_path / "rapport.sqlite.lock").exists()  # left behind by the crash
    taker = SingleInstance(tmp_path / "rapport.sqlite")
    assert taker.acquire()
    assert taker.after_crash  # so the database is checked before it is written
    taker.release()


def test_starting_rapport_again_brings_the_running_one_forward(qtbot, first, tmp_path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    with qtbot.waitSignal(first.raise_requested, timeout=15000):
        second = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "rapport.sqlite")],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
    output, _ = second.communicate(timeout=15)
    assert second.returncode == 0
    assert "already running" in output
    assert not (tmp_path / "rapport.sqlite").exists()  # the second start never opened it
