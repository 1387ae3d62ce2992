"""Two-way sync of the clients with an account's CardDAV address book (the job "address
book" in models/accounts/jobs.py).

Each card Rapport knows has a CardSync row: the card's URL, its ETag, the card as last
read or written, and the fields both sides had then (the base of a three-way merge). A
sync, in this order:

1. asks what changed on the server (listing.py) and marks the clients whose card was
   deleted there as removed from the address book (they and their history stay);
2. merges each changed card into its client: a field changed on one side only takes
   that side's value, both changed differently is a conflict for the owner (each side
   keeps its value meanwhile); a card the owner's new client needs is written back with
   If-Match, so a card changed meanwhile is never overwritten;
3. matches new cards to clients by UID, then by email (certain); anything less certain
   becomes a new client, never a merge on a guess;
4. deletes the cards of clients deleted in Rapport when the owner said so;
5. writes the clients changed in Rapport (known by their card's fingerprint, so an idle
   sync reads nothing but the listing) and adds cards for new clients (If-None-Match).

Nothing is written to the database while a request is under way. A card is written to the
server first, then its row; a kill in between leaves a card the next sync recognises by
its UID or ETag, so nothing is lost and nothing is added twice.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from models.accounts.jobs import JobReport
from models.accounts.store import AccountError, set_options
from models.store.database import db
from models.store.entities import Client
from models.sync.cards import (
    BadCard,
    Card,
    Merged,
    card_text,
    dumps,
    merge,
    read_card,
    text_fields,
)
from models.sync.dav import DavSession
from models.sync.discovery import session_for
from models.sync.first_sync import Matcher, approved_merges, done_reviewing, needs_review
from models.sync.listing import changes, changes_since, fetch_cards
from models.sync.local import (
    add_clients,
    apply_fields,
    client_fingerprints,
    client_texts,
    synced_record,
)
from models.sync.state import CardConflict, CardSync

if TYPE_CHECKING:
    from models.accounts.jobs import RunContext

BATCH = 200  # new clients or cards written to the database in one transaction
WAITING = "waiting for you: review the first sync in Settings → Accounts"
VCARD = "text/vcard; charset=utf-8"


def sync_address_book(context: RunContext) -> JobReport:
    account = context.account
    book = str(account.option("address_book_url", ""))
    if not book:
        raise AccountError(
            f"No address book is chosen for {account.shown_name}; remove the account "
            "and add it again in Settings → Accounts."
        )
    session = session_for(context)
    try:
        return AddressBookSync(context, session, book).run()
    finally:
        session.close()


@dataclass
class _NewCard:
    href: str
    etag: str
    card: Card


@dataclass
class AddressBookSync:
    context: RunContext
    session: DavSession
    book: str
    counts: Counter = field(default_factory=Counter)
    failed: int = 0
    problem: str = ""
    wrote: bool = False  # a card was written or deleted
    done: int = 0
    total: int = 0

    def __post_init__(self) -> None:
        self.account = self.context.account
        self.with_note = bool(self.account.option("sync_notes", False))
        # Without the cards and fields: an idle sync of thousands reads only what it compares.
        light = CardSync.select(*LIGHT).where(CardSync.account == self.account)
        self.rows = {row.href: row for row in light}

    def run(self) -> JobReport:
        token = str(self.account.option("address_book_sync_token", ""))
        listing = changes(self.session, self.book, token)
        if self.context.interactive and listing.etags and needs_review(self.account):
            return JobReport(WAITING)  # nothing written: the owner chooses first
        changed = [href for href, etag in listing.etags.items() if self._is_new(href, etag)]
        deleted = listing.deleted
        if listing.complete:
            deleted = deleted | (self.rows.keys() - listing.etags.keys())
        self._removed_on_the_server(deleted)
        self.total = len(changed)
        fetched = fetch_cards(self.session, self.book, changed)
        for href, why in fetched.failed.items():
            self._card_failed(href, why)
        cards = fetched.cards
        newcomers = []
        for href in changed:
            if self.context.stopping():
                break
            if href in cards:
                newcomer = self._their_change(href, *cards[href])
                if newcomer:
                    newcomers.append(newcomer)
            self._step()
        self._add_new_cards(newcomers)
        self._relink_restored_clients()
        self._delete_cards_of_deleted_clients()
        self._our_changes()
        self._add_cards_for(self._clients_without_cards())
        if not self.context.stopping():  # the next sync starts where this one finished
            set_options(self.account, address_book_sync_token=self._next_token(listing.token))
            done_reviewing(self.account)
        return JobReport(self._summary(), self.failed)

    def _next_token(self, token: str) -> str | None:
        """The token to start from next time. A card Rapport wrote after `token` and that
        is deleted later may never be reported as deleted (RFC 6578 lets a server leave
        out what was made and deleted since a token): so after writing, the changes
        since `token` are asked for again, and when they are all Rapport's own the newer
        token is kept; else none, and the next sync lists every card."""
        if not token or not self.wrote:
            return token or None
        since = changes_since(self.session, self.book, token)
        ours = (
            since is not None
            and not since.deleted & self.rows.keys()
            and all(
                href in self.rows and self.rows[href].etag == etag
                for href, etag in since.etags.items()
            )
        )
        return since.token if ours and since.token else None

    def _is_new(self, href: str, etag: str) -> bool:
        row = self.rows.get(href)
        return row is None or row.etag != etag or (row.removed_at is not None)

    def _step(self) -> None:
        self.done += 1
        if self.done % 25 == 0 or self.done == self.total:
            self.context.progress(self.done, self.total)

    # 1. cards deleted on the server

    def _removed_on_the_server(self, hrefs: set[str]) -> None:
        gone = [self.rows[h] for h in hrefs if h in self.rows and self.rows[h].removed_at is None]
        if not gone:
            return
        with db.atomic():
            for row in gone:
                self._save_row(row, removed_at=self.context.now())
                if row.client_id is not None:
                    self.counts["removed from the address book"] += 1

    # 2. and 3. cards changed or new on the server

    def _their_change(self, href: str, etag: str, data: bytes) -> _NewCard | None:
        """Merge a changed card into its client; a card new to Rapport is returned."""
        try:
            card = read_card(data, self.with_note)
        except BadCard as problem:
            self._card_failed(href, str(problem))
            return None
        row = self.rows.get(href)
        if row is None:
            return _NewCard(href, etag, card)
        if row.client_id is None:  # the client was deleted in Rapport: the card is left alone
            self._save_row(row, etag=etag, card=_stored(card), removed_at=None)
            return None
        self._settle(Client.get_by_id(row.client_id), href, etag, card, row)
        return None

    def _add_new_cards(self, newcomers: list[_NewCard]) -> None:
        """Link each new card to the client the owner said it is (in the window's first
        sync) or that it certainly is; any other card becomes a new client."""
        chosen = approved_merges(self.account)
        matcher = Matcher({row.client_id for row in self.rows.values() if row.client_id})
        fresh: list[_NewCard] = []
        for newcomer in newcomers:
            match = matcher.find(newcomer.card.record)
            if chosen is not None:
                client_id = chosen.get(newcomer.href)
                client_id = client_id if client_id not in matcher.linked else None
            else:
                client_id = match.client_id if match and match.certain else None
            client = Client.get_or_none(Client.id == client_id) if client_id else None
            if client is None:
                fresh.append(newcomer)
                continue
            matcher.take(client.id)
            self._settle(client, newcomer.href, newcomer.etag, newcomer.card, None)
        for start in range(0, len(fresh), BATCH):
            self._add_clients(fresh[start : start + BATCH])

    def _add_clients(self, newcomers: list[_NewCard]) -> None:
        with db.atomic():
            records = [synced_record(n.card.record, self.with_note) for n in newcomers]
            ids = add_clients(records)
            prints = client_fingerprints(ids, self.with_note)
            for newcomer, client_id in zip(newcomers, ids, strict=True):
                self._save_row(
                    CardSync(account=self.account, href=newcomer.href),
                    client=client_id,
                    etag=newcomer.etag,
                    card=_stored(newcomer.card),
                    synced=dumps(newcomer.card.fields),
                    fingerprint=prints[client_id],
                )
        self.counts["new here"] += len(newcomers)

    # Both sides

    def _settle(self, client: Client, href: str, etag: str, card: Card, row: CardSync | None):
        """Merge the client and the server's card; write what each side lacks."""
        text = next(client_texts([client.id], self.with_note))[1]
        base = _full(row).base() if row else None
        merged = merge(base, text_fields(text, self.with_note), card.fields)
        server_text = _stored(card)
        if merged.for_card:
            server_text = card_text(
                merged.card_fields(), card.uid or client.uid, merged.for_card, card
            )
            etag = self._put(href, server_text, _if_match(etag))
            if etag is None:
                return  # changed on the server meanwhile, or refused: the next sync sees it
            self.counts["changed there"] += 1
        with db.atomic():
            if merged.for_client:
                apply_fields(client, {key: merged.fields[key] for key in merged.for_client})
                self.counts["changed here"] += 1
            self._save_row(
                row or CardSync(account=self.account, href=href),
                client=client.id,
                etag=etag,
                card=server_text,
                synced=dumps(_next_base(merged, base)),
                fingerprint=client_fingerprints([client.id], self.with_note)[client.id],
                removed_at=None,
            )
            self._keep_conflicts(client, merged)

    def _keep_conflicts(self, client: Client, merged: Merged) -> None:
        mine = (CardConflict.client == client) & (CardConflict.account == self.account)
        CardConflict.delete().where(
            mine & CardConflict.field.not_in(list(merged.conflicts))
        ).execute()
        for key, (ours, theirs) in merged.conflicts.items():
            CardConflict.insert(
                account=self.account,
                client=client,
                field=key,
                ours=dumps(ours),
                theirs=dumps(theirs),
                found_at=self.context.now(),
            ).on_conflict(
                conflict_target=[CardConflict.client, CardConflict.account, CardConflict.field],
                preserve=[CardConflict.ours, CardConflict.theirs],
            ).execute()

    # 4. clients deleted in Rapport

    def _relink_restored_clients(self) -> None:
        """A client deleted and brought back (Undo) has their card again, and a card
        waiting to be deleted with them stays."""
        orphans = {}
        for row in self.rows.values():
            if row.client_id is None and row.removed_at is None:
                with contextlib.suppress(BadCard):
                    orphans[read_card(_full(row).card.encode(), self.with_note).uid] = row
        linked = CardSync.select(CardSync.client).where(CardSync.client.is_null(False))
        back = Client.select(Client.id, Client.uid).where(
            Client.uid.in_(list(orphans)) & Client.id.not_in(linked)
        )
        for client_id, uid in back.tuples():
            self._save_row(orphans[uid], client=client_id, delete_card=False)

    def _delete_cards_of_deleted_clients(self) -> None:
        for row in list(self.rows.values()):
            if row.client_id is None and row.delete_card and row.removed_at is None:
                answer = self.session.request("DELETE", row.href, headers=_if_match(row.etag))
                if answer.status in (200, 204, 404):
                    self.wrote = True
                    row.delete_instance()
                    del self.rows[row.href]
                    self.counts["deleted there"] += 1
                else:  # changed on the phone since: the card stays, and so does the row
                    self._save_row(row, delete_card=False)

    # 5. clients changed or new in Rapport

    def _our_changes(self) -> None:
        linked = {
            row.client_id: row
            for row in self.rows.values()
            if row.client_id is not None and row.removed_at is None
        }
        prints = client_fingerprints(list(linked), self.with_note)
        changed = [row for cid, row in linked.items() if prints[cid] != row.fingerprint]
        self.total += len(changed)
        for row in changed:
            if self.context.stopping():
                return
            # The server's card as last synced: a row is only made for a card that reads.
            card = read_card(_full(row).card.encode(), self.with_note)
            self._settle(Client.get_by_id(row.client_id), row.href, row.etag, card, row)
            self._step()

    def _clients_without_cards(self) -> list[int]:
        had = CardSync.select(CardSync.client).where(
            (CardSync.account == self.account) & CardSync.client.is_null(False)
        )
        return [c for (c,) in Client.select(Client.id).where(Client.id.not_in(had)).tuples()]

    def _add_cards_for(self, client_ids: list[int]) -> None:
        """A card for each client the address book does not have, BATCH rows at a time."""
        waiting: list[tuple[int, str, str, str]] = []
        uids = dict(Client.select(Client.id, Client.uid).where(Client.id.in_(client_ids)).tuples())
        self.total += len(client_ids)
        try:
            for client_id, text in client_texts(client_ids, self.with_note):
                if self.context.stopping():
                    break
                name = quote(uids[client_id], safe="") + ".vcf"
                href = self.session.absolute_from(self.book, name)
                if href in self.rows:
                    continue  # a card of the same UID: linked by its UID on the next sync
                etag = self._put(href, text, {"If-None-Match": "*"})
                if etag is not None:
                    waiting.append((client_id, href, etag, text))
                    self.counts["new there"] += 1
                self._step()
                if len(waiting) >= BATCH:
                    self._save_new_rows(waiting)
        finally:  # a full account or a lost connection: the cards written so far are kept
            self._save_new_rows(waiting)

    def _save_new_rows(self, waiting: list[tuple[int, str, str, str]]) -> None:
        prints = client_fingerprints([client_id for client_id, *_rest in waiting], self.with_note)
        with db.atomic():
            for client_id, href, etag, text in waiting:
                fields = text_fields(text, self.with_note)
                self._save_row(
                    CardSync(account=self.account, href=href),
                    client=client_id,
                    etag=etag,
                    card=text,
                    synced=dumps(fields),
                    fingerprint=prints[client_id],
                )
        waiting.clear()

    # Requests and rows

    def _put(self, href: str, text: str, condition: dict[str, str]) -> str | None:
        """Write the card; its new ETag ("" when the server gave none), or None when the
        condition failed (the card changed meanwhile) or the server refused it."""
        answer = self.session.request(
            "PUT", href, text.encode(), {"Content-Type": VCARD, **condition}
        )
        if answer.status in (200, 201, 204):
            self.wrote = True
            return answer.headers.get("ETag", "")
        if answer.status != 412:
            self._card_failed(href, f"the server refused it (error {answer.status})")
        return None

    def _save_row(self, row: CardSync, **values) -> None:
        """Write these values of the row (a row read without its card keeps it)."""
        for name, value in values.items():
            setattr(row, name, value)
        if row.id is None:
            row.save()
        else:
            CardSync.update(**values).where(CardSync.id == row.id).execute()
        self.rows[row.href] = row

    def _card_failed(self, href: str, why: str) -> None:
        """The card stays as it is on the server; the summary says why for the first."""
        self.failed += 1
        if not self.problem:
            self.problem = f"{unquote(href.rstrip('/').rpartition('/')[2])}: {why}"

    def _summary(self) -> str:
        said = [f"{count} {what}" for what, count in self.counts.items() if count]
        waiting = CardConflict.select().where(CardConflict.account == self.account).count()
        if waiting:
            said.append(f"{waiting} conflict{'s' * (waiting != 1)} to resolve")
        if self.failed:
            said.append(f"{self.failed} could not be synced ({self.problem})")
        return ", ".join(said) if said else "nothing changed"


# What a sync compares for every card; the card and its fields are read when needed.
LIGHT = (
    CardSync.id,
    CardSync.account,
    CardSync.client,
    CardSync.href,
    CardSync.etag,
    CardSync.fingerprint,
    CardSync.removed_at,
    CardSync.delete_card,
)


def _full(row: CardSync) -> CardSync:
    return CardSync.get_by_id(row.id)


def _stored(card: Card) -> str:
    return "\r\n".join(card.lines) + "\r\n"


def _if_match(etag: str) -> dict[str, str]:
    return {"If-Match": etag} if etag else {}


def _next_base(merged: Merged, base: dict | None) -> dict:
    """What both sides now have; for a field in conflict, what they last agreed on (none
    on a first sync), so that it stays a conflict until the owner resolves it."""
    return merged.fields | {key: base[key] if base else None for key in merged.conflicts}
