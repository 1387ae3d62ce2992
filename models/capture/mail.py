"""The "mail" job: read the headers of new messages in the inbox and the sent folder and
turn those exchanged with clients into history ("Email received: Re: album proofs").

Runs on a worker with its own database connection (models/accounts/runs.py). Each folder
is read from where the last run stopped (its UIDVALIDITY and next UID), in batches, kept a
few at a time with the folder's position in one transaction: a kill -9 loses at most what
was read since, which the next run reads again; a Stop or a server that goes away keeps
what was read.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime

from models.accounts.jobs import JobReport, RunContext
from models.accounts.store import Account, AccountError
from models.capture.imap import (
    FetchedHeader,
    FolderStatus,
    FolderVanished,
    MailServer,
    logged_in,
)
from models.capture.mail_headers import DATE_SLACK, mentions, parse_header
from models.capture.mail_store import (
    Message,
    Tally,
    client_addresses,
    folder_position,
    leads_from,
    record,
)
from models.clock import local_today
from models.store.changes import Change

BATCH = 500  # messages per FETCH
# Batches kept in one transaction: each commit writes every page it changed once more (the
# search index's among them), and a first scan feels a hundred of them.
KEEP_EVERY = 4
INBOX = "INBOX"


@dataclass(frozen=True)
class Plan:
    folder: str
    sent: bool
    status: FolderStatus
    uids: list[int]


def capture_mail(context: RunContext) -> JobReport:
    """Read what is new in the account's inbox and sent folder (the JOBS line "mail")."""
    account = context.account
    since = mail_since(account, local_today(context.now()))
    with connected(account, context.password) as server:
        plans, vanished = _plans(server, account, since)
        tally, stopped_at = _read(server, account, plans, context, leads_from(context.now()))
    total = sum(len(plan.uids) for plan in plans)
    if vanished:
        raise AccountError(f"{vanished} {_summary(tally)}.")
    changed = (
        Change(frozenset(tally.clients), frozenset({"interactions"})) if tally.clients else None
    )
    if stopped_at is not None:
        said = f"Stopped after {stopped_at:,} of {total:,} messages; {_summary(tally)}."
        return JobReport(said, changed=changed)
    return JobReport(_summary(tally) + ".", changed=changed)


def connected(account: Account, password: str):
    """The account's server, logged in (a context manager)."""
    return logged_in(
        account.url, account.user, password, str(account.option("trusted_certificate", ""))
    )


def mail_since(account: Account, today: date) -> date:
    """The day mail is read from: the owner's choice, or one year back."""
    chosen = account.option("mail_since")
    if chosen:
        try:
            return date.fromisoformat(str(chosen))
        except ValueError:
            pass  # a damaged option costs the choice, not the run
    return one_year_back(today)


def one_year_back(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _plans(server: MailServer, account: Account, since: date) -> tuple[list[Plan], str]:
    """What is new in each folder; the sentence for a folder that vanished, or ""."""
    folders = [(INBOX, False)]
    sent_folder = account.option("sent_folder")
    if sent_folder:
        folders.append((str(sent_folder), True))
    plans, vanished = [], ""
    for name, sent in folders:
        try:
            status = server.examine(name)
        except FolderVanished as error:
            vanished = str(error)
            continue
        first = folder_position(account, name, status.uidvalidity)
        uids = server.uids_since(since, first, status.uidnext) if first < status.uidnext else []
        plans.append(Plan(name, sent, status, uids))
    return plans, vanished


def _read(
    server: MailServer, account: Account, plans: list[Plan], context: RunContext, leads: datetime
) -> tuple[Tally, int | None]:
    """Read every plan's messages in batches (the people written to from `leads` on may be
    offered as leads); the count done when stopped, or None."""
    clients = client_addresses()
    tally, done, total = Tally(), 0, sum(len(plan.uids) for plan in plans)
    for plan in plans:
        if plan.uids and server.examine(plan.folder).uidvalidity != plan.status.uidvalidity:
            continue  # renumbered in the meantime: the next run reads it anew
        batches = [plan.uids[start : start + BATCH] for start in range(0, len(plan.uids), BATCH)]
        read = _Read(account, plan, clients, tally)
        with closing(server.headers(batches)) as answers:
            for n, batch in enumerate(batches, start=1):
                if context.stopping():
                    read.keep()
                    return tally, done
                try:
                    fetched = next(answers)
                except Exception:  # a lost connection, an answer not understood...
                    read.keep()
                    raise
                read.add(batch, read_further(fetched, plan.sent, clients, leads), len(fetched))
                if n % KEEP_EVERY == 0:
                    read.keep()
                done += len(batch)
                context.progress(done, total)
        read.keep()
        # Every UID below UIDNEXT is done, including those before the start date.
        record(account, plan.folder, plan.status.uidvalidity, plan.status.uidnext, [], {}, tally)
    return tally, None


class _Read:
    """What was read of a folder and is not kept yet."""

    def __init__(
        self, account: Account, plan: Plan, clients: dict[str, list[int]], tally: Tally
    ) -> None:
        self._account, self._plan, self._clients, self._tally = account, plan, clients, tally
        self._messages: list[Message] = []
        self._next_uid = 0  # the first UID after the batches read; 0: none read

    def add(self, batch: list[int], messages: list[Message], fetched: int) -> None:
        """A batch read: its messages read further (of the `fetched` that came)."""
        self._messages += messages
        self._next_uid = batch[-1] + 1
        self._tally.strangers += fetched - len(messages)

    def keep(self) -> None:
        """Keep the messages read, and how far the folder was read, in one transaction."""
        if self._next_uid:
            plan = self._plan
            record(
                self._account, plan.folder, plan.status.uidvalidity, self._next_uid,
                self._messages, self._clients, self._tally,
            )  # fmt: skip
            self._messages, self._next_uid = [], 0


def read_further(
    fetched: list[FetchedHeader], sent: bool, clients: dict[str, list[int]], leads: datetime
) -> list[Message]:
    """The messages read whole: those that may be with a client, and those the owner sent
    from `leads` on (whose recipients may be offered as leads). The rest, most mail, is with
    people who are not clients and only counted: a first scan reads a year of mail, and
    only this month's can still be offered."""
    messages = []
    for header in fetched:
        if (sent and _maybe_since(header, leads)) or mentions(header.raw, _WITH[sent], clients):
            parsed = parse_header(header.raw, header.received_at)
            messages.append(Message(parsed, sent, offers_leads=sent and parsed.sent_at >= leads))
    return messages


# Where a message may name a client: the sender of mail received, the recipients of mail sent.
_WITH = {False: (b"from",), True: (b"to", b"cc")}


def _maybe_since(header: FetchedHeader, since: datetime) -> bool:
    """Whether the message's time (parse_header's sent_at) may be `since` or later: a Date
    is believed up to DATE_SLACK after the server received the message, and no further."""
    received_at = header.received_at
    return received_at is None or received_at + DATE_SLACK >= since


def _summary(tally: Tally) -> str:
    """ "3 new in history · 41 messages with people not in Rapport"."""
    new = f"{tally.captured:,} new in history" if tally.captured else "Nothing new in history"
    if tally.strangers:
        messages = "message" if tally.strangers == 1 else "messages"
        return f"{new} · {tally.strangers:,} {messages} with people not in Rapport"
    return new
