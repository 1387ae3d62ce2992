"""What the user typed into a dialog, and what is wrong with it.

Forms keep raw text where parsing can fail (amounts, years, lists), so that the
message can name the field; `save_*` functions refuse a form with any error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import ClassVar
from urllib.parse import urlsplit

from models.values.amounts import PLAIN, AmountError, Separators, parse_amount
from models.values.kinds import (
    GIFT_OCCASIONS,
    IMPORTANT_DATE_KINDS,
    INTERACTION_KINDS,
    RELATIONS,
    SESSION_KINDS,
    STAGES,
)
from models.values.partial_dates import partial_date_error
from models.values.plain_text import one_line, without_controls

# A mailbox and a domain of letters, digits and hyphens (any script), ending in a top-level
# domain: "anna@example.org?attach=/etc/passwd" is refused, as a mail program would read
# a query in it, and so are the brackets and quotes of "Anna" <anna@example.org>.
_EMAIL = re.compile(
    r"^[^@\s<>()\[\]\\,;:\"]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[\w-]+)$"
)
# A number as people write it: digits and separators, starting like a number ("+", a digit,
# "(", or "*" / "#" of a service code such as *31#), then maybe vanity letters
# (1-800-ELEPHANT), an extension (x123, ext. 12, ;ext=102) or pauses (p, w, "," and ";"
# that phones dial as waits). Three characters, two of them digits: "call me" is no number.
_PHONE = re.compile(r"^(?=.{3})(?=(?:\D*\d){2})[+(*#0-9][0-9A-Za-z ()./*#,;+-]*(?:;ext=\d+)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Ten years: a longer check-in interval is a typo, and a huge one would not fit in SQLite.
MAX_CHECK_IN_DAYS = 3650
MAX_LEAD_DAYS = 365
MAX_URL = 2000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas, blanks dropped."""
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


def split_phones(text: str) -> list[str]:
    """Phone numbers typed one per line or separated by ", " or "; ": a comma or semicolon
    right after a digit is a pause that the phone dials (+1 555 0100,,123), not a break."""
    return [item.strip() for item in re.split(r"[,;]\s+|\n", text) if item.strip()]


def contact_problem(kind: str, value: str) -> str | None:
    """Why `value` is no email address ("emails") or phone number ("phones"), or None."""
    if kind == "emails":
        return None if _EMAIL.match(value) else f"{value!r} is not an email address."
    return None if _PHONE.match(value) else f"{value!r} is not a phone number."


def gallery_problem(url: str) -> str | None:
    """Why `url` cannot be a gallery link, or None: one web address (http or https) with
    a host, on any service; anything else (file:, javascript:) is never opened."""
    url = url.strip()
    if not url:
        return None
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        return "Gallery: one web address, without spaces."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"Gallery: {url!r} is no web address; it starts with https://."
    return None


def parse_lead_days(text: str) -> list[int]:
    """Lead times typed as "7, 1" (days before); ValueError naming a wrong one."""
    days = []
    for item in split_list(text):
        if not item.isdigit() or not 0 < int(item) <= MAX_LEAD_DAYS:
            raise ValueError(
                f"Also remind me: {item!r} is no number of days from 1 to {MAX_LEAD_DAYS}."
            )
        if int(item) not in days:
            days.append(int(item))
    return days


def parse_optional_int(text: str) -> int | None:
    """None for empty text; raises ValueError for anything but a whole number."""
    text = text.strip()
    return int(text) if text else None


class _TypedText:
    """A form whose text is kept as people mean it (models/values/plain_text.py): no control
    characters, and line breaks only in the fields named in MULTILINE."""

    MULTILINE: ClassVar[frozenset[str]] = frozenset()

    def __post_init__(self) -> None:
        for name, keep in _keepers(type(self)):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, keep(value))


@cache  # each form's fields, worked out once: an import or a mail scan makes thousands
def _keepers(form: type[_TypedText]) -> tuple[tuple[str, Callable[[str], str]], ...]:
    """(field name, what keeps its text) of each field of the form."""
    return tuple(
        (field.name, without_controls if field.name in form.MULTILINE else one_line)
        for field in fields(form)
    )


@dataclass
class ClientForm(_TypedText):
    # Emails, phones and tags may be typed one per line, as split_list reads them.
    MULTILINE = frozenset({"address", "emails", "phones", "tags"})

    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    organization: str = ""
    stage: str = "customer"
    emails: str = ""
    phones: str = ""
    address: str = ""
    where_from: str = ""
    lives_now: str = ""
    how_we_met: str = ""
    tags: str = ""
    check_in_days: str = ""
    referred_by_id: int | None = None
    # The day the client agreed to marketing (review requests, offers); None: not agreed.
    marketing_consent_on: date | None = None

    def errors(self) -> list[FieldError]:
        errors = []
        if not self.first_name.strip():
            errors.append(FieldError("first_name", "First name is required."))
        if self.stage not in STAGES:
            errors.append(FieldError("stage", f"Unknown stage {self.stage!r}."))
        for kind, split in (("emails", split_list), ("phones", split_phones)):
            for value in split(getattr(self, kind)):
                problem = contact_problem(kind, value)
                if problem:
                    errors.append(FieldError(kind, problem))
        try:
            days = parse_optional_int(self.check_in_days)
        except ValueError:
            days = 0
        if days is not None and not 0 < days <= MAX_CHECK_IN_DAYS:
            errors.append(
                FieldError(
                    "check_in_days",
                    f"Check in every: a number of days from 1 to {MAX_CHECK_IN_DAYS}, or empty.",
                )
            )
        return errors


@dataclass
class InteractionForm(_TypedText):
    MULTILINE = frozenset({"body"})

    kind: str = "session"
    occurred_at: datetime | None = None
    summary: str = ""
    body: str = ""
    amount: str = ""
    currency: str = ""
    separators: Separators = PLAIN  # how the amount is written: the user's locale
    gallery_url: str = ""  # a session's gallery, and the day it closes
    gallery_expires_on: date | None = None

    def errors(self) -> list[FieldError]:
        errors = []
        if self.kind not in INTERACTION_KINDS:
            errors.append(FieldError("kind", f"Unknown kind {self.kind!r}."))
        if self.occurred_at is None or self.occurred_at.tzinfo is None:
            errors.append(FieldError("occurred_at", "Date and time are required."))
        if not self.summary.strip():
            errors.append(FieldError("summary", "Summary is required."))
        errors += self._gallery_errors()
        return errors + money_errors(self.amount, self.currency, self.separators)

    def _gallery_errors(self) -> list[FieldError]:
        if not self.gallery_url.strip():
            if self.gallery_expires_on is not None:
                return [FieldError("gallery_url", "Gallery: a closing day needs the link.")]
            return []
        if self.kind not in SESSION_KINDS:
            return [FieldError("gallery_url", "Only a session has a gallery.")]
        problem = gallery_problem(self.gallery_url)
        return [FieldError("gallery_url", problem)] if problem else []


def money_errors(amount_text: str, currency: str, separators: Separators) -> list[FieldError]:
    """What is wrong with an amount and its currency as typed (both may be left empty)."""
    try:
        amount = parse_amount(amount_text, separators)
    except AmountError as error:
        return [FieldError("amount", f"Amount: {error}")]
    if amount is not None and amount < 0:
        return [FieldError("amount", "Amount cannot be negative.")]
    if amount is not None and not _CURRENCY.match(currency.strip().upper()):
        return [FieldError("currency", "Currency must be a three-letter code like EUR.")]
    return []


@dataclass
class GiftForm(_TypedText):
    """A gift given (or planned) on a day, for an occasion, with what it cost."""

    what: str = ""
    given_on: date | None = None
    occasion: str = ""  # one of GIFT_OCCASIONS
    amount: str = ""  # the cost as typed
    currency: str = ""
    planned: bool = False
    separators: Separators = PLAIN

    def errors(self) -> list[FieldError]:
        errors = []
        if not self.what.strip():
            errors.append(FieldError("what", "Say what the gift is, e.g. 'Canvas print'."))
        if self.given_on is None:
            errors.append(
                FieldError("given_on", "A gift needs its day (planned: the day it is for).")
            )
        if self.occasion not in GIFT_OCCASIONS:
            errors.append(FieldError("occasion", f"Unknown occasion {self.occasion!r}."))
        return errors + money_errors(self.amount, self.currency, self.separators)


@dataclass
class NoteForm(_TypedText):
    MULTILINE = frozenset({"text"})

    text: str = ""
    pinned: bool = False

    def errors(self) -> list[FieldError]:
        if not self.text.strip():
            return [FieldError("text", "The note is empty.")]
        return []


def _partial_date_errors(day: int, month: int, year_text: str) -> list[FieldError]:
    try:
        year = parse_optional_int(year_text)
    except ValueError:
        message = f"Year {year_text.strip()!r} is not a number; leave it empty when unknown."
        return [FieldError("year", message)]
    message = partial_date_error(day, month, year)
    return [FieldError("day", message)] if message else []


@dataclass
class FamilyMemberForm(_TypedText):
    name: str = ""
    relation: str = "partner"
    notes: str = ""
    has_birthday: bool = False
    birthday_day: int = 1
    birthday_month: int = 1
    birthday_year: str = ""

    def errors(self) -> list[FieldError]:
        errors = []
        if not self.name.strip():
            errors.append(FieldError("name", "Name is required."))
        if self.relation not in RELATIONS:
            errors.append(FieldError("relation", f"Unknown relation {self.relation!r}."))
        if self.has_birthday:
            errors += _partial_date_errors(
                self.birthday_day, self.birthday_month, self.birthday_year
            )
        return errors


@dataclass
class ImportantDateForm(_TypedText):
    kind: str = "birthday"
    day: int = 1
    month: int = 1
    year: str = ""
    label: str = ""
    lead_days: int = 0
    family_member_id: int | None = None
    more_lead_days: str = ""  # further reminders, days before: "1" or "30, 1"

    def errors(self) -> list[FieldError]:
        errors = []
        try:
            parse_lead_days(self.more_lead_days)
        except ValueError as error:
            errors.append(FieldError("more_lead_days", str(error)))
        if self.kind not in IMPORTANT_DATE_KINDS:
            errors.append(FieldError("kind", f"Unknown kind {self.kind!r}."))
        if self.kind == "custom" and not self.label.strip():
            errors.append(FieldError("label", "Say what the date is, e.g. 'First shoot'."))
        if not 0 <= self.lead_days <= MAX_LEAD_DAYS:
            errors.append(
                FieldError("lead_days", f"Remind me: between 0 and {MAX_LEAD_DAYS} days before.")
            )
        return errors + _partial_date_errors(self.day, self.month, self.year)


@dataclass
class FollowUpForm(_TypedText):
    title: str = ""
    due_at: datetime | None = None

    def errors(self) -> list[FieldError]:
        errors = []
        if not self.title.strip():
            errors.append(FieldError("title", "Say what to do, e.g. 'Deliver the gallery'."))
        if self.due_at is None or self.due_at.tzinfo is None:
            errors.append(FieldError("due_at", "Due date and time are required."))
        return errors


@dataclass
class WishForm(_TypedText):
    text: str = ""
    wanted_by: date | None = None
    follow_up: bool = False  # remind me on that day

    def errors(self) -> list[FieldError]:
        errors = []
        if not self.text.strip():
            errors.append(FieldError("text", "Say what they wish for, e.g. 'Canvas print'."))
        if self.follow_up and self.wanted_by is None:
            errors.append(FieldError("wanted_by", "A reminder needs a date."))
        return errors


@dataclass
class BookingForm(_TypedText):
    """A session booked to come: when it starts and ends (aware instants), where, what."""

    kind: str = "session"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    summary: str = ""

    def errors(self) -> list[FieldError]:
        errors = []
        if self.kind not in SESSION_KINDS:
            errors.append(FieldError("kind", f"Unknown kind of session {self.kind!r}."))
        for name, words in (("starts_at", "Start"), ("ends_at", "End")):
            moment = getattr(self, name)
            if moment is None or moment.tzinfo is None:
                errors.append(FieldError(name, f"{words}: date and time are required."))
        if not errors and self.ends_at < self.starts_at:
            errors.append(FieldError("ends_at", "The session cannot end before it starts."))
        return errors
