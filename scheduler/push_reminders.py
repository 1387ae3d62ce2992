"""Pushes reminders to the owner's push address (models/reminders/push.py) on a worker
thread of their own: a slow or unreachable service never holds up the window."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from models.accounts.secrets import read_secret
from models.accounts.store import AccountError
from models.reminders.push import SECRET, SETTING, push
from models.store.settings import is_on

log = logging.getLogger(__name__)


class PushReminders(QObject):
    failed = Signal(str)  # why a reminder could not be pushed, in a sentence

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-reminders")

    def send(self, title: str, text: str) -> None:
        """Push one reminder if push is on; returns at once."""
        if is_on(SETTING):  # read here, on the window's connection: the worker has none
            self._pool.submit(_push, title, text).add_done_callback(self._report)

    def stop(self) -> None:
        """At quit: what is on its way is sent (or fails) first."""
        self._pool.shutdown(wait=True)

    def _report(self, done: Future) -> None:
        problem = done.result()
        if problem:
            log.warning("A reminder was not pushed: %s", problem)
            self.failed.emit(problem)  # queued to the window's thread


def _push(title: str, text: str) -> str:
    try:
        url = read_secret(SECRET)  # the keyring, not the database: this thread has none
    except AccountError as error:  # no keyring, or a locked one
        return str(error)
    return push(url, title, text) if url else ""
