"""The first sync of an address book with clients already here: which card is which client.

A card is the client with its UID, else with one of its emails (certain); a card that only
shares a phone number or the name is possibly them (the import's matching). From the
command line only certain matches are merged. In the window the owner sees every match
first (ui/dialogs/first_sync_dialog.py) and chooses; nothing is written on either side
until they do, and the sync then follows their choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.accounts.store import Account, set_options
from models.exchange.importing.matching import ClientIndex, Match
from models.exchange.importing.names import display_name
from models.exchange.importing.records import ImportRecord
from models.store.entities import Client
from models.sync.cards import BadCard, read_card
from models.sync.discovery import session_for
from models.sync.listing import changes, fetch_cards
from models.sync.state import CardSync

if TYPE_CHECKING:
    from models.accounts.jobs import RunContext

REVIEW = "address_book_review"  # the account option holding the owner's choices


@dataclass(frozen=True)
class PairedCard:
    """A card and the client it is or may be."""

    href: str
    card: str  # "Benjamin Kim · ben@example.org"
    client_id: int
    client: str
    why: str  # "same email ben@example.org", "possibly: same phone +49…"
    certain: bool


@dataclass
class FirstSyncPlan:
    pairs: list[PairedCard] = field(default_factory=list)
    new_here: list[str] = field(default_factory=list)  # cards that become new clients
    new_there: int = 0  # clients that get a card
    unreadable: int = 0  # cards that cost only themselves


class Matcher:
    """Finds the client a new card is, never giving one client two cards."""

    def __init__(self, linked: set[int]) -> None:
        self.index = ClientIndex()
        self.linked = set(linked)

    def find(self, record: ImportRecord) -> Match | None:
        match = self.index.find(record)
        if match is None or match.client_id in self.linked:
            return None
        return match

    def take(self, client_id: int) -> None:
        self.linked.add(client_id)


def needs_review(account: Account) -> bool:
    """Whether a first sync in the window waits for the owner: no card synced yet, clients
    here, and no choice made (the job also checks that the address book has cards)."""
    first = not CardSync.select().where(CardSync.account == account).exists()
    return first and account.option(REVIEW) is None and Client.select().exists()


def plan_first_sync(context: RunContext) -> FirstSyncPlan:
    """Every card of the address book matched against the clients; nothing is written."""
    book = str(context.account.option("address_book_url"))
    with_note = bool(context.account.option("sync_notes", False))
    session = session_for(context)
    try:
        hrefs = list(changes(session, book, "").etags)
        fetched = fetch_cards(session, book, hrefs)
    finally:
        session.close()
    plan = FirstSyncPlan(unreadable=len(fetched.failed))
    matcher = Matcher(set())
    for href in hrefs:
        if href not in fetched.cards:
            continue
        try:
            record = read_card(fetched.cards[href][1], with_note).record
        except BadCard:
            plan.unreadable += 1
            continue
        match = matcher.find(record)
        if match is None:
            plan.new_here.append(_card_words(record))
            continue
        matcher.take(match.client_id)
        plan.pairs.append(
            PairedCard(
                href, _card_words(record), match.client_id, match.name, match.why, match.certain
            )
        )
    plan.new_there = Client.select().count() - len(plan.pairs)
    return plan


def approve(account: Account, merges: dict[str, int]) -> None:
    """The owner's choice: these cards (by href) are these clients; every other card is a
    new client. The next sync follows it."""
    set_options(account, **{REVIEW: {"merge": merges}})


def approved_merges(account: Account) -> dict[str, int] | None:
    review = account.option(REVIEW)
    return None if review is None else {href: int(c) for href, c in review["merge"].items()}


def done_reviewing(account: Account) -> None:
    set_options(account, **{REVIEW: None})


def _card_words(record: ImportRecord) -> str:
    name = display_name(record.first_name, record.last_name)
    emails = [address for _label, address in record.emails[:1]]
    return " · ".join([name, *emails])
