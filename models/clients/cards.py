"""Cards on paper: the birthday and anniversary greetings to print, their texts from the
message templates, the address labels' sheets, and marking each card as sent.

No Qt here: what to print and where on the sheet; ui/cards_pdf.py draws it with Qt's own
PDF writer. A client without a postal address still gets their card (to hand over) but no
label, and is named in the dialog: nobody is skipped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from models.clients.couples import each_shares_with
from models.clients.templates import get_template, render, template_for, values_for_clients
from models.forms.dialog_forms import InteractionForm
from models.reminders.key import ReminderKey
from models.reminders.rules import Reminder, ReminderWindow, is_open
from models.reminders.store import close_reminders, date_reminders_in, states_for
from models.store.database import one_of
from models.store.entities import Client
from models.store.settings import leap_day_rule, reminder_time
from models.values.words import QT_TRANSLATE_NOOP

CARD_OCCASIONS = ("birthday", "wedding_anniversary")


@dataclass(frozen=True)
class Card:
    reminder: Reminder  # the greeting it is for; printing it closes that reminder
    to: str  # "Anna & Tom Berger" for a couple's anniversary
    address: str  # the postal address as kept; "" when none
    subject: str  # the template's subject, filled in: the card's heading
    body: str  # the template's body, filled in

    @property
    def address_lines(self) -> list[str]:
        """The address as a label's lines: as typed, or an address typed on one line
        ("Türkenstraße 52, 80922 München") at its commas."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        if len(lines) == 1:
            lines = [part.strip() for part in lines[0].split(",") if part.strip()]
        return lines


def is_card_greeting(reminder: Reminder) -> bool:
    """A client's own birthday or a couple's wedding anniversary: a card to write."""
    return (
        reminder.kind == "date"
        and reminder.occasion in CARD_OCCASIONS
        and not (reminder.for_family)
    )


def next_month(today: date) -> tuple[date, date]:
    """The first and last day of the month after today's."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def greetings_between(first: date, last: date, today: date, zone: ZoneInfo) -> list[Reminder]:
    """The birthdays and anniversaries (each once, on its day) from `first` to `last`, by
    day: "all of next month"."""
    window = ReminderWindow(first, last, today, reminder_time(), zone, leap_day_rule())
    found = [
        reminder
        for reminder in date_reminders_in(window)
        if is_card_greeting(reminder) and ReminderKey.parse(reminder.key).phase == "day"
    ]
    # The key last: the order never hangs on the order the dates were read in.
    return sorted(found, key=lambda reminder: (reminder.occurs_on, reminder.title, reminder.key))


def cards_for(reminders: list[Reminder], today: date) -> list[Card]:
    """A card for each greeting still open, its text from the template the reminder asks
    for; a greeting done (its card sent) and a client deleted since are left out."""
    states = states_for(reminders)
    reminders = [reminder for reminder in reminders if is_open(states.get(reminder.key))]
    ids = one_of({reminder.client_id for reminder in reminders})
    clients = {client.id: client for client in Client.select().where(Client.id.in_(ids))}
    # Each template and each kind of value read once for all the cards, not once a card.
    values = values_for_clients(clients.values(), today)
    kinds = set(map(template_for, reminders)) - {None}
    templates = {kind: get_template(kind) for kind in kinds}
    cards = []
    for reminder in reminders:
        client = clients.get(reminder.client_id)
        kind = template_for(reminder)
        if client is None or kind is None or not is_card_greeting(reminder):
            continue
        message = render(*templates[kind], values[client.id])
        # A couple's anniversary is addressed to both, as Today names them.
        anniversary = reminder.occasion == "wedding_anniversary"
        to = reminder.title if anniversary else client.full_name
        cards.append(Card(reminder, to, client.address.strip(), message.subject, message.body))
    return cards


def without_address(cards: list[Card]) -> list[Card]:
    return [card for card in cards if not card.address_lines]


def card_clients(cards: list[Card]) -> list[int]:
    """Every client whose history a printed card goes on (a couple's: both)."""
    greetings = [(card.reminder.client_id, card.reminder.occasion) for card in cards]
    return list(dict.fromkeys(chain.from_iterable(each_shares_with(greetings))))


def mark_cards_sent(cards: list[Card], now: datetime) -> None:
    """Log each card as sent (a couple's on both histories) and close its reminder, all in
    one transaction."""
    sent = [
        (card.reminder, InteractionForm(
            kind="card", occurred_at=now, summary=f"Card: {card.subject}", body=card.body
        ))
        for card in cards
    ]  # fmt: skip
    close_reminders(sent, now)


# --- Label sheets ------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of address labels, in millimetres from the page's top left corner."""

    name: str
    page: str  # "A4" or "Letter"
    columns: int
    rows: int
    width: float
    height: float
    left: float  # the first label's left edge
    top: float  # the first label's top edge
    across: float  # from one label's left edge to the next one's
    down: float  # from one label's top edge to the next one's

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_at(self, index: int) -> tuple[int, float, float]:
        """(sheet, x, y) of the `index`th label: across, then down, then the next sheet."""
        sheet, place = divmod(index, self.per_sheet)
        row, column = divmod(place, self.columns)
        return sheet, self.left + column * self.across, self.top + row * self.down


INCH = 25.4
LABEL_SHEETS = {
    # Avery L7160: A4, 21 labels of 63.5 x 38.1 mm.
    "L7160": LabelSheet("Avery L7160", "A4", 3, 7, 63.5, 38.1, 7.25, 15.15, 66.04, 38.1),
    # Avery 5160: US Letter, 30 labels of 2 5/8 x 1 in.
    "5160": LabelSheet(
        "Avery 5160",
        "Letter",
        3,
        10,
        2.625 * INCH,
        1 * INCH,
        0.1875 * INCH,
        0.5 * INCH,
        2.75 * INCH,
        1 * INCH,
    ),
}
CARD_SIZES = {
    "a6": QT_TRANSLATE_NOOP("Vocabulary", "A6"),
    "a5_folded": QT_TRANSLATE_NOOP("Vocabulary", "A5, folded"),
}
