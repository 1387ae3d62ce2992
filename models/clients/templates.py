"""Message templates: a thank-you, greetings, a check-in, a review request, with
placeholders such as {first_name} filled in for one client.

A template with a placeholder Rapport does not know is refused when it is saved, so
nothing like "{frist_name}" ever reaches a client. A known placeholder with no value for
this client (no partner on file) is left empty and reported.
"""

from __future__ import annotations

import string
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from peewee import fn

from models.care.galleries import latest_galleries
from models.clients.couples import partner_short_names
from models.forms.dialog_forms import FieldError, ValidationError
from models.reminders.contact_rhythm import day_in_zone
from models.reminders.rules import Reminder, resolve_yearly
from models.store.database import one_of
from models.store.entities import Client, ImportantDate, Interaction, Setting, full_name
from models.store.settings import get_setting, leap_day_rule
from models.values.kinds import SESSION_KINDS
from models.values.plain_text import one_line, without_controls
from models.values.words import QT_TRANSLATE_NOOP

TEMPLATE_KINDS = {
    "thank_you": QT_TRANSLATE_NOOP("Vocabulary", "Thank-you note"),
    "anniversary": QT_TRANSLATE_NOOP("Vocabulary", "Anniversary greeting"),
    "birthday": QT_TRANSLATE_NOOP("Vocabulary", "Birthday greeting"),
    "check_in": QT_TRANSLATE_NOOP("Vocabulary", "Check-in"),
    "review_request": QT_TRANSLATE_NOOP("Vocabulary", "Review request"),
    "referral_thanks": QT_TRANSLATE_NOOP("Vocabulary", "Thanks for a referral"),
    "gallery": QT_TRANSLATE_NOOP("Vocabulary", "Gallery delivery"),
    "prints": QT_TRANSLATE_NOOP("Vocabulary", "Gallery closing: prints"),
    "anniversary_offer": QT_TRANSLATE_NOOP("Vocabulary", "Anniversary offer"),
}
# The template a reminder calls for: a greeting for the client's own birthday or wedding
# anniversary, or a note for a check-in. A family member's birthday and a "client since"
# day have no template of their own: the owner writes those.
_REMINDER_TEMPLATES = {
    "birthday": "birthday",
    "wedding_anniversary": "anniversary",
    "check_in": "check_in",
    "referral": "referral_thanks",
    "gallery": "prints",
}
PLACEHOLDERS = {
    "first_name": QT_TRANSLATE_NOOP("Vocabulary", "the client's first (or preferred) name"),
    "last_name": QT_TRANSLATE_NOOP("Vocabulary", "the client's last name"),
    "partner_name": QT_TRANSLATE_NOOP("Vocabulary", "their partner's first name"),
    "years": QT_TRANSLATE_NOOP("Vocabulary", "years married (or years as a client)"),
    "session_date": QT_TRANSLATE_NOOP("Vocabulary", "the day of their last session"),
    "referred_name": QT_TRANSLATE_NOOP("Vocabulary", "the client they referred last"),
    "gallery_link": QT_TRANSLATE_NOOP("Vocabulary", "the link to their newest gallery"),
    "your_name": QT_TRANSLATE_NOOP("Vocabulary", "your name, from Settings"),
}
DEFAULTS = {
    "thank_you": (
        "Thank you, {first_name}!",
        "Dear {first_name},\n\nthank you for the session on {session_date}. It was a joy "
        "to work with you, and your gallery is on its way.\n\nWarm wishes,\n{your_name}",
    ),
    "anniversary": (
        "Happy anniversary, {first_name} & {partner_name}!",
        "Dear {first_name} and {partner_name},\n\n{years} years married: "
        "congratulations! I still think of your wedding day often.\n\n{your_name}",
    ),
    "birthday": (
        "Happy birthday, {first_name}!",
        "Dear {first_name},\n\nhappy birthday! I hope your day is full of good light.\n\n"
        "{your_name}",
    ),
    "check_in": (
        "How are you, {first_name}?",
        "Dear {first_name},\n\nit has been a while, and I wondered how you are. If there "
        "is anything I can do for you, just reply.\n\n{your_name}",
    ),
    "review_request": (
        "A small favour, {first_name}?",
        "Dear {first_name},\n\nif you enjoyed our session on {session_date}, a short "
        "review would help me a lot.\n\nThank you!\n{your_name}",
    ),
    "referral_thanks": (
        "Thank you for the referral, {first_name}!",
        "Dear {first_name},\n\nthank you for sending {referred_name} my way. A kind word "
        "from a client means more than any advertising.\n\nWith thanks,\n{your_name}",
    ),
    "gallery": (
        "Your gallery is ready, {first_name}!",
        "Dear {first_name},\n\nyour photos from {session_date} are ready: {gallery_link}\n\n"
        "Take your time with them; I hope they make you smile.\n\n{your_name}",
    ),
    "prints": (
        "Your gallery closes soon, {first_name}",
        "Dear {first_name},\n\nyour gallery ({gallery_link}) closes soon. If you would like "
        "prints or an album of your favourites, now is a good time to tell me.\n\n{your_name}",
    ),
    "anniversary_offer": (
        "A year already, {first_name}!",
        "Dear {first_name},\n\nyour first anniversary is coming up. If you would like an "
        "anniversary session, I have kept a few dates for past couples.\n\n{your_name}",
    ),
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    missing: list[str]  # known placeholders with no value for this client


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in `text`; ValueError for a stray { or }."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def template_errors(subject: str, body: str) -> list[FieldError]:
    errors = []
    for field, text in (("subject", subject), ("body", body)):
        try:
            unknown = [n for n in placeholders_in(text) if n not in PLACEHOLDERS]
        except ValueError:
            errors.append(FieldError(field, "A { or } stands alone; write {{ or }} for one."))
            continue
        for name in dict.fromkeys(unknown):
            known = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
            errors.append(FieldError(field, f"Rapport does not know {{{name}}}. Use: {known}."))
    return errors


def get_template(kind: str) -> tuple[str, str]:
    rows = {
        row.key: row.value
        for row in Setting.select().where(
            Setting.key.in_([f"template:{kind}:subject", f"template:{kind}:body"])
        )
    }
    subject, body = DEFAULTS[kind]
    return rows.get(f"template:{kind}:subject", subject), rows.get(f"template:{kind}:body", body)


def save_template(kind: str, subject: str, body: str) -> None:
    subject, body = one_line(subject), without_controls(body)
    errors = template_errors(subject, body)
    if errors:
        raise ValidationError(errors)
    for part, text in (("subject", subject), ("body", body)):
        Setting.insert(key=f"template:{kind}:{part}", value=text).on_conflict_replace().execute()


def client_values(client: Client, today: date) -> dict[str, str]:
    """The placeholder values for this client; "" where Rapport knows none."""
    return values_for_clients([client], today)[client.id]


def values_for_clients(clients: Collection[Client], today: date) -> dict[int, dict[str, str]]:
    """client id -> the placeholder values for that client, read in a few queries however
    many clients there are (a month of cards at a large studio: thousands)."""
    ids = [client.id for client in clients]
    partners, referred = partner_short_names(ids), _referred_last(ids)
    years, sessions = _years(ids, today), _last_sessions(ids)
    galleries, your_name = latest_galleries(ids), get_setting("your_name")
    return {
        client.id: {
            "first_name": client.preferred_name or client.first_name,
            "last_name": client.last_name,
            "partner_name": partners.get(client.id, ""),
            "referred_name": referred.get(client.id, ""),
            "years": years.get(client.id, ""),
            "session_date": sessions.get(client.id, ""),
            "gallery_link": galleries[client.id].gallery_url if client.id in galleries else "",
            "your_name": your_name,
        }
        for client in clients
    }


# Where {years} counts from: the wedding anniversary, else the day they became a client.
_YEARS_FROM = ("wedding_anniversary", "client_since")


def _years(client_ids: list[int], today: date) -> dict[int, str]:
    """client id -> the count of years of their first date of _YEARS_FROM that has one."""
    query = (
        ImportantDate.select(
            ImportantDate.client,
            ImportantDate.kind,
            ImportantDate.month,
            ImportantDate.day,
            ImportantDate.year,
        )
        .where(ImportantDate.client.in_(one_of(client_ids)) & ImportantDate.kind.in_(_YEARS_FROM))
        .order_by(ImportantDate.id)  # of two of a kind, the one added first
        .tuples()
    )
    dates: dict[tuple[int, str], tuple[int, int, int | None]] = {}
    for client_id, kind, month, day, year in query:
        dates.setdefault((client_id, kind), (month, day, year))
    rule, years = leap_day_rule(), {}
    for client_id in client_ids:
        counts = (
            _years_since(*dates[client_id, kind], today, rule)
            for kind in _YEARS_FROM
            if (client_id, kind) in dates
        )
        years[client_id] = next(filter(None, counts), "")
    return years


def _years_since(month: int, day: int, year: int | None, today: date, rule: str) -> str:
    """The count of the nearest anniversary of the day, past or coming: a card written three
    days early or late says the same number; "" for a year unknown, or none yet."""
    if year is None:
        return ""
    nearest = resolve_yearly(month, day, today.year, rule)
    if (today - nearest).days > 182:
        nearest = resolve_yearly(month, day, today.year + 1, rule)
    elif (nearest - today).days > 182:
        nearest = resolve_yearly(month, day, today.year - 1, rule)
    return str(nearest.year - year) if nearest.year > year else ""


def _referred_last(client_ids: list[int]) -> dict[int, str]:
    """client id -> the name of the client they referred most recently."""
    referred = (
        Client.select(Client.referred_by, Client.first_name, Client.last_name)
        .where(Client.referred_by.in_(one_of(client_ids)))
        .order_by(Client.referred_at.desc(nulls="LAST"), Client.id.desc())
        .tuples()
    )
    names: dict[int, str] = {}
    for referrer, first, last in referred:
        names.setdefault(referrer, full_name(first, last))
    return names


def _last_sessions(client_ids: list[int]) -> dict[int, str]:
    """client id -> the day of their last session, in words: "20 October 2026"."""
    latest = (
        Interaction.select(Interaction.client, fn.MAX(Interaction.occurred_at))
        .where(Interaction.client.in_(one_of(client_ids)) & Interaction.kind.in_(SESSION_KINDS))
        .group_by(Interaction.client)
        .tuples()
    )
    days = {client_id: day_in_zone(instant) for client_id, instant in latest}
    return {client_id: f"{day.day} {day:%B %Y}" for client_id, day in days.items()}


def render(subject: str, body: str, values: dict[str, str]) -> Message:
    """Fill in the placeholders; a missing value becomes empty and is named in `missing`."""
    used = placeholders_in(subject) + placeholders_in(body)
    missing = [name for name in dict.fromkeys(used) if not values.get(name)]
    filled = {name: values.get(name, "") for name in PLACEHOLDERS}
    return Message(subject.format_map(filled), body.format_map(filled), missing)


def mailto_url(to: str | list[str], message: Message | None = None) -> str:
    """A mailto: link to `to`, and the message's subject and body if given, encoded as RFC
    6068 asks (line ends as CRLF); several addresses (a couple) are separated by commas.
    Each address is quoted too: an imported address like
    "x@example.org?attach=/etc/passwd" must not hand attach= to the mail program."""
    recipients = [to] if isinstance(to, str) else to
    address = "mailto:" + ",".join(quote(each, safe="@") for each in recipients)
    if message is None:
        return address
    body = message.body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"{address}?subject={quote(message.subject, safe='')}&body={quote(body, safe='')}"


def template_for(reminder: Reminder) -> str | None:
    """The message template a reminder asks for, if it asks for one (a follow-up, an
    "other" date, a family member's birthday or a client-since day does not)."""
    if reminder.for_family:
        return None
    if reminder.template in TEMPLATE_KINDS:  # a care step's own
        return reminder.template
    return _REMINDER_TEMPLATES.get(reminder.occasion or reminder.kind)
