"""What Rapport does with an account: each feature that talks to a server adds a line
to `JOBS` (what runs at every sync) and to `SET_UP` (what it looks for on the server
when an account is added). Targets are imported only when they run, so that a window
without accounts never loads network code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.accounts.store import Account
    from models.store.changes import Change


@dataclass(frozen=True)
class Job:
    name: str  # shown in the status: "address book", "mail"
    kind: str  # the kind of account it runs for: "dav" or "imap"
    command: str  # the command line's name for it: "sync" or "capture"
    target: str  # "package.module:function", called with a RunContext
    leaves: str  # what leaves the machine when it runs, in the owner's words
    wants: str = ""  # an option the account must have for the job to run


@dataclass
class JobReport:
    summary: str  # one line: "3 new, 1 changed, 1 conflict to resolve"
    failed: int = 0  # items that could not be synced; the rest were
    # What the job changed in Rapport's data (a follow-up done on the phone): the window
    # shows it as it shows its own writes.
    changed: Change | None = None


def _ignore_progress(done: int, total: int) -> None:
    del done, total


def _never_stopping() -> bool:
    return False


@dataclass
class RunContext:
    account: Account
    password: str
    now: Callable[[], datetime]  # the injected clock, aware
    progress: Callable[[int, int], None] = _ignore_progress  # done, total
    stopping: Callable[[], bool] = _never_stopping  # stop soon, keeping what is done
    interactive: bool = True  # False on the command line: apply only what is certain
    choices: dict[str, str] = field(default_factory=dict)  # named by the owner at set-up


# Each feature's line: (name, kind, command, target, what leaves the machine, wanted option).
JOBS: tuple[Job, ...] = (
    Job(
        "bookings",
        "dav",
        "sync",
        "models.exchange.booking_caldav:sync_bookings",
        "Your user name and password, to read the booking calendar; nothing is written to it.",
        wants="booking_calendar_url",
    ),
    Job(
        "address book",
        "dav",
        "sync",
        "models.sync.address_book:sync_address_book",
        "Your clients' names, nicknames, organizations, emails, phones, addresses, "
        "birthdays, wedding anniversaries, photos and tags, to the address book you chose "
        "(their notes only if you turn that on); never their history or wishes.",
        wants="address_book_url",
    ),
    Job(
        "mail",
        "imap",
        "capture",
        "models.capture.mail:capture_mail",
        "Nothing: Rapport only reads the headers (From, To, Cc, Date, Subject, Message-ID)"
        " of your inbox and sent folder, never a message's text, and changes nothing there.",
    ),
    Job(
        "client dates",
        "dav",
        "sync",
        "models.sync.client_dates:run",
        "Client dates to your calendar: each client's name with their birthdays, "
        "anniversaries and family birthdays, open follow-ups and the days of wishes "
        "(no notes, unless you choose a description)",
        wants="calendar_url",
    ),
    Job(
        "follow-ups",
        "dav",
        "sync",
        "models.sync.follow_up_tasks:run",
        "Open follow-ups to your task list: the client's name, the follow-up and its due time",
        wants="task_list_url",
    ),
)

# What each feature looks for on a new account's server: (kind, target). A target is
# `def set_up(context: RunContext) -> str`, returning a sentence of what it chose.
SET_UP: tuple[tuple[str, str], ...] = (
    ("imap", "models.capture.mail_setup:set_up"),
    ("dav", "models.sync.address_book_setup:set_up"),
    ("dav", "models.sync.calendar_setup:set_up"),
)


def jobs_for(account: Account, command: str | None = None) -> list[Job]:
    return [
        job
        for job in JOBS
        if job.kind == account.kind
        and (command is None or job.command == command)
        and (not job.wants or account.option(job.wants))
    ]


def load(target: str) -> Callable:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)
