"""The installed PySide6 must not corrupt reference counts on what Rapport does often.

PySide6 6.12 on Python 3.11 drops a reference to True on each signal emit: after a few
thousand emits Python aborts with "bool_dealloc". Rapport emits on every reconcile and
heartbeat, so a long-running app would die; pyproject.toml excludes that release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    bare = Signal()
    with_list = Signal(list)


def test_signal_emits_keep_reference_counts(qapp):
    emitter = Emitter()
    received = []
    emitter.with_list.connect(received.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(500):
        emitter.bare.emit()
        emitter.with_list.emit([1])
    assert len(received) == 500
    # A leak upwards is harmless here; a drop means a crash in a long run.
    assert sys.getrefcount(True) >= true_before
    assert sys.getrefcount(None) >= none_before - 50
