"""Job "follow-ups": open follow-ups as tasks (VTODO) in the account's task list, where
the phone's reminders or tasks app shows them.

Completing a task on the phone (STATUS:COMPLETED) closes its follow-up here at the next
sync, and logs nothing else; completing, reopening or deleting a follow-up here changes
or deletes its task. A follow-up done here stays a completed task there. Rapport's
version wins anything else edited on the server, and a task deleted there while its
follow-up is still open comes back.
"""

from __future__ import annotations

from models.accounts.jobs import JobReport, RunContext
from models.accounts.store import AccountError
from models.clients.entries import set_follow_up_done
from models.store.changes import Change
from models.store.entities import Client, FollowUp, Wish
from models.sync.caldav_http import listing, read
from models.sync.calendar_items import Item, Timing, completed_at, follow_up_task, item_uid
from models.sync.client_dates import timing_for
from models.sync.discovery import session_for
from models.sync.publishing import Publication, published

JOB = "follow-ups"
WISH_TITLE = "a wish for this day"  # a wish is the client's words: they stay here


def run(context: RunContext) -> JobReport:
    account = context.account
    task_list = account.option("task_list_url")
    if not task_list:
        raise AccountError(f"No task list is chosen for {account.shown_name}.")
    session = session_for(context)
    try:
        server = listing(session, task_list)
        closed = _close_completed(context, session, task_list, server)
        publication = Publication(
            session, account, JOB, task_list, context.progress, context.stopping
        )
        counts = publication.run(
            tasks(timing_for(account, context), set(published(account, JOB))), server
        )
    finally:
        session.close()
    summary = counts.summary()
    if not closed:
        return JobReport(summary, len(counts.failed))
    return JobReport(
        f"{len(closed)} done on the server, {summary}",
        len(counts.failed),
        Change(frozenset(closed), frozenset({"follow-ups"})),
    )


def tasks(timing: Timing, published_uids: set[str]) -> list[Item]:
    """Every open follow-up, and the done ones still on the server (as completed)."""
    wishes = set(Wish.select(Wish.follow_up).where(Wish.follow_up.is_null(False)).tuples())
    items = []
    for follow_up in FollowUp.select(FollowUp, Client).join(Client):
        uid = task_uid(follow_up)
        if follow_up.done_at is not None and uid not in published_uids:
            continue
        title = WISH_TITLE if (follow_up.id,) in wishes else follow_up.title
        items.append(
            follow_up_task(
                follow_up.id,
                uid,
                follow_up.client.full_name,
                title,
                follow_up.due_at,
                follow_up.done_at,
                timing,
            )
        )
    return items


def task_uid(follow_up: FollowUp) -> str:
    return item_uid(follow_up.client.uid, "follow-up task", str(follow_up.id))


def _close_completed(context: RunContext, session, task_list: str, server: dict) -> set[int]:
    """Close the open follow-ups whose task was completed on the server since the last
    sync (its ETag changed); the clients whose follow-ups were closed."""
    stored = published(context.account, JOB)
    changed = {
        row.href: uid for uid, row in stored.items() if server.get(row.href, row.etag) != row.etag
    }
    if not changed:
        return set()
    open_by_uid = {
        task_uid(follow_up): follow_up
        for follow_up in FollowUp.select(FollowUp, Client)
        .join(Client)
        .where(FollowUp.done_at.is_null())
    }
    closed = set()
    for href, body in read(session, task_list, list(changed)).items():
        follow_up = open_by_uid.get(changed.get(href, ""))
        when = completed_at(body, context.now())
        if follow_up is not None and when is not None:
            set_follow_up_done(follow_up.id, when)  # closes it, and logs nothing
            closed.add(follow_up.client_id)
    return closed
