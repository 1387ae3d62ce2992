"""Rapport databases that sync with a real CardDAV server in tests: "laptop" and "studio",
each its own SQLite file, and a server card read back with vobject."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import vobject

from models.accounts.jobs import JobReport, RunContext
from models.accounts.store import Account, accounts, add_account
from models.clients.saving import set_tags
from models.store.database import db
from models.store.entities import Client, ContactDetail
from models.store.migrations import open_database
from models.sync.address_book import sync_address_book
from models.sync.address_book_setup import set_up
from tests.servers import USER, DavServer

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


@dataclass
class Device:
    """One Rapport database with the server's account in it."""

    path: Path
    server: DavServer

    @contextmanager
    def open(self) -> Iterator[None]:
        """The database bound to the models for the block (the test's own is closed)."""
        db.close()
        database = open_database(self.path)
        try:
            yield
        finally:
            database.close()

    def account(self) -> Account:
        [account] = accounts("dav")
        return account

    def connect(self, **choices: str) -> str:
        """Add the account and choose its address book, as `account add` does."""
        with self.open():
            account = add_account(self.server.url, USER)
            return set_up(self.context(account, choices=choices))

    def context(self, account: Account | None = None, **how) -> RunContext:
        return RunContext(account or self.account(), self.server.password, lambda: NOW, **how)

    def sync(self, **how) -> JobReport:
        with self.open():
            return sync_address_book(self.context(**how))


def add_client(first: str, last: str = "", email: str = "", tags: list[str] = ()) -> Client:
    client = Client.create(first_name=first, last_name=last)
    if email:
        ContactDetail.create(client=client, kind="email", value=email)
    if tags:
        set_tags(client, list(tags))
    return client


def server_cards(server: DavServer, book: str) -> dict[str, vobject.base.Component]:
    """The address book's cards as an independent reader (vobject) sees them, by UID."""
    from models.sync.dav import DavSession
    from models.sync.listing import changes, fetch_cards

    session = DavSession(server.url, USER, server.password)
    try:
        hrefs = list(changes(session, book, "").etags)
        cards = fetch_cards(session, book, hrefs).cards
    finally:
        session.close()
    read = [vobject.readOne(data.decode()) for _etag, data in cards.values()]
    return {card.uid.value: card for card in read}
