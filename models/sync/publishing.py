"""Keep a server collection equal to what Rapport publishes, writing only what changed.

What was published is remembered per account and job (`PublishedItem`: UID, where,
the server's ETag, the digest of what was sent). A sync lists the collection's ETags in
one request and writes only the objects whose content changed here or whose ETag changed
there (someone edited or deleted Rapport's object on the server): an idle sync writes
nothing. Each write is recorded in its own transaction right after the server took it;
after a kill -9 the next listing shows what the server holds, and an object's URL comes
from its UID, so the job is finished without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from peewee import ForeignKeyField, TextField

from models.accounts.store import Account
from models.store.database import BaseModel, db
from models.sync.caldav_http import delete, listing, object_url, path_of, put
from models.sync.calendar_items import Item
from models.sync.dav import DavSession


class PublishedItem(BaseModel):
    """One object Rapport put on a server, as it was sent."""

    account = ForeignKeyField(Account, on_delete="CASCADE")
    job = TextField()  # "client dates" or "follow-ups"
    uid = TextField()
    href = TextField()  # its path on the server
    etag = TextField(default="")  # the server's, "" until known
    digest = TextField()  # of the content sent (calendar_items.Item.digest)

    class Meta:
        indexes = ((("account", "job", "uid"), True),)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    failed: list[str] = field(default_factory=list)  # one sentence an item

    def summary(self) -> str:
        done = [
            f"{count} {word}"
            for count, word in (
                (self.created, "new"),
                (self.updated, "changed"),
                (self.deleted, "deleted"),
            )
            if count
        ]
        if self.failed:
            done.append(f"{len(self.failed)} not taken by the server")
        return ", ".join(done) or "nothing changed"


def published(account: Account, job: str) -> dict[str, PublishedItem]:
    """What this job last published for the account, by UID."""
    query = PublishedItem.select().where(
        (PublishedItem.account == account) & (PublishedItem.job == job)
    )
    return {row.uid: row for row in query}


@dataclass
class Publication:
    """One job's publishing to one collection."""

    session: DavSession
    account: Account
    job: str
    collection: str  # the collection's URL
    progress: Callable[[int, int], None] = lambda _done, _total: None
    stopping: Callable[[], bool] = lambda: False

    def run(self, items: Iterable[Item], server: dict[str, str] | None = None) -> Counts:
        """Make the collection hold exactly `items` of this job (other objects in it are
        left alone); `server`: its listing, if the caller already took it."""
        if server is None:
            server = listing(self.session, self.collection)
        stored = published(self.account, self.job)
        wanted = {item.uid: item for item in items}
        work = [item for item in wanted.values() if _stale(item, stored.get(item.uid), server)]
        gone = [row for uid, row in stored.items() if uid not in wanted]
        counts = Counts()
        self._write(work, gone, stored, server, counts)
        self._learn_missing_etags()  # after a failure, the next sync's listing tells
        return counts

    def _write(self, work: list[Item], gone: list[PublishedItem], stored, server, counts):
        for done, item in enumerate(work):
            if self.stopping():
                return
            self._put(item, stored.get(item.uid), server, counts)
            self.progress(done + 1, len(work) + len(gone))
        for row in gone:
            if self.stopping():
                return
            self._delete(row, server, counts)

    def _put(self, item: Item, row: PublishedItem | None, server: dict, counts: Counts) -> None:
        url = object_url(self.collection, item.uid) if row is None else self._url(row.href)
        href = path_of(url)
        # Conditional on what the listing showed: created only where nothing is, replaced
        # only in the version seen (Rapport's own object: its version wins).
        answer = put(self.session, url, item.ics, server.get(href))
        if answer.status not in (200, 201, 204):
            counts.failed.append(f"{item.uid}: the server answered {answer.status}")
            return
        with db.atomic():
            PublishedItem.delete().where(
                (PublishedItem.account == self.account)
                & (PublishedItem.job == self.job)
                & (PublishedItem.uid == item.uid)
            ).execute()
            PublishedItem.create(
                account=self.account,
                job=self.job,
                uid=item.uid,
                href=href,
                etag=answer.etag,
                digest=item.digest,
            )
        if href not in server:  # new, or deleted on the server and put back
            counts.created += 1
        else:
            counts.updated += 1

    def _delete(self, row: PublishedItem, server: dict, counts: Counts) -> None:
        if row.href in server:
            status = delete(self.session, self._url(row.href), server[row.href])
            if status == 412:  # changed since the listing: the next sync sees it anew
                counts.failed.append(f"{row.uid}: changed on the server while deleting")
                return
            counts.deleted += 1
        row.delete_instance()

    def _learn_missing_etags(self) -> None:
        """Some servers answer a PUT without an ETag (one that changed what it stored must):
        those are read from one listing at the end, not one listing per object."""
        missing = PublishedItem.select().where(
            (PublishedItem.account == self.account)
            & (PublishedItem.job == self.job)
            & (PublishedItem.etag == "")
        )
        if not missing.exists():
            return
        server = listing(self.session, self.collection)
        with db.atomic():
            for row in missing:
                if server.get(row.href):
                    row.etag = server[row.href]
                    row.save()

    def _url(self, href: str) -> str:
        return urljoin(self.collection, href)


def _stale(item: Item, row: PublishedItem | None, server: dict[str, str]) -> bool:
    """To be written: new, changed here, or changed or gone on the server."""
    return row is None or row.digest != item.digest or server.get(row.href) != row.etag
