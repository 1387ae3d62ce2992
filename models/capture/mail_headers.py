"""A message's headers as Rapport reads them: who, when, what about, and which message.

Pure functions over the bytes an IMAP server returns for
BODY.PEEK[HEADER.FIELDS (FROM TO CC DATE SUBJECT MESSAGE-ID)]; nothing else of a message
is ever fetched. Mail in the wild is odd: encoded words (RFC 2047) in names and subjects,
several addresses in one field, no Date, a Message-ID folded onto the next line, or none.
"""

from __future__ import annotations

import binascii
import email.errors
import email.header
import email.utils
import hashlib
import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cached_property, lru_cache

from models.values.plain_text import one_line

# Every header field Rapport asks the server for, and the only ones it ever sees.
FIELDS = ("FROM", "TO", "CC", "DATE", "SUBJECT", "MESSAGE-ID")
FETCH_ITEMS = f"(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS ({' '.join(FIELDS)})])"

SUBJECT_CHARS = 200  # a history line, not the whole of a 2 KB subject
# A Date more than this after the server received the message is not believed: a forged
# or broken date far ahead would keep a client "just in touch" for years.
DATE_SLACK = timedelta(days=1)

_MESSAGE_ID = re.compile(r"<([^<>]+)>")
# A field: its name, and its value with the lines folded into it (those that start blank).
_TEXT_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.MULTILINE)
_FOLD = re.compile(r"\r?\n(?=[ \t])")
# An address in bytes. It starts where no character of one is before it, which finds what
# it would find without that, but does not try each letter of a long encoded word in turn.
_BYTES_ADDRESS = re.compile(rb"(?<![^\s<>()\[\],;:\"@])[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d\d):(\d\d)(?::(\d\d))?"
    r"\s+([-+]\d{4})\s*(?:\(.*\))?\s*$"
)
_THOROUGH = re.compile(r'["():;\\]')  # quotes, comments, groups: for the thorough reader
_NAMED = re.compile(r"(.*?)\s*<([^<>]*)>")
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")


@dataclass(frozen=True)
class Address:
    address: str  # lower case: mail systems treat the domain, and in practice all, so
    name: str = ""


@dataclass(frozen=True)
class MailHeader:
    message_id: str
    sent_at: datetime  # UTC
    raw_subject: str  # as sent: decoded only for the messages that become history
    senders: tuple[Address, ...]
    recipients: tuple[Address, ...]  # To and Cc

    @cached_property
    def subject(self) -> str:
        return decoded(self.raw_subject)


def parse_header(raw: bytes, received_at: datetime | None = None) -> MailHeader:
    """The header fields of one message; `received_at` (the server's INTERNALDATE, UTC)
    stands in for a missing or unreadable Date."""
    fields = header_fields(raw)
    return MailHeader(
        message_id=message_id(_first(fields, "message-id"), raw),
        sent_at=sent_at(_first(fields, "date"), received_at),
        raw_subject=_first(fields, "subject"),
        senders=addresses(fields.get("from", [])),
        recipients=addresses([*fields.get("to", []), *fields.get("cc", [])]),
    )


def header_fields(raw: bytes) -> dict[str, list[str]]:
    """Field name (lower case) -> its values, each unfolded onto one line. A small reader
    of its own: the standard library's parser takes several times as long, which a first
    scan of 50,000 messages feels."""
    fields: dict[str, list[str]] = {}
    for name, value in _TEXT_FIELD.findall(_text(raw)):
        unfolded = _FOLD.sub(" ", value) if "\n" in value else value  # most are not folded
        fields.setdefault(name.lower(), []).append(unfolded.strip())
    return fields


def mentions(raw: bytes, names: tuple[bytes, ...], known: Container[str]) -> bool:
    """Whether the fields `names` ((b"to", b"cc")) may hold one of the `known` addresses: a
    quick look at the bytes, which may say yes wrongly (an address in a name) but never no
    wrongly. Most mail is with people who are not clients, and is read no further."""
    for value in _field_pattern(names).findall(b"\n" + raw.lower()):
        for address in _BYTES_ADDRESS.findall(value):
            if _text(address).lower() in known:  # as parse_header reads it
                return True
    return False


@lru_cache
def _field_pattern(names: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """The values of the fields `names`, with the lines folded into them (those that start
    blank), in the header lowered and begun with a line break: a pattern that starts with
    plain text ("\nfrom") is looked for far faster than one that starts at any line's
    beginning."""
    either = b"|".join(re.escape(name.lower()) for name in names)
    return re.compile(rb"\n(?:" + either + rb")[ \t]*:(.*(?:\r?\n[ \t].*)*)")


def _first(fields: dict[str, list[str]], name: str) -> str:
    return fields.get(name, [""])[0]


@lru_cache(maxsize=4096)  # the same names come again and again
def decoded(value: str) -> str:
    """A header's text with its encoded words (=?utf-8?q?Gr=C3=BC=C3=9Fe?=) decoded, on
    one line. A part in an unknown or wrong charset keeps what can be read."""
    if "=?" not in value:  # most names and subjects: nothing to decode
        return tidied(value)
    word = _ONE_Q_WORD.fullmatch(value)
    return tidied(_q_word(*word.groups()) if word else library_decoded(value))


# A value that is one Q-encoded word and nothing else ("=?utf-8?q?J=C3=B6rg?="), as most
# encoded names are: read directly, at a fraction of decode_header's cost. Its text holds
# printable ASCII only, "=" only before two hex digits, so that binascii reads it exactly
# as decode_header does (tests/test_mail_headers.py compares the two).
_ONE_Q_WORD = re.compile(r"=\?([^?*\s]+)\?[qQ]\?((?:[!-<>@-~]|=[0-9A-Fa-f]{2})*)\?=")


def _q_word(charset: str, text: str) -> str:
    raw = binascii.a2b_qp(text.encode("ascii"), header=True)
    try:
        return raw.decode(charset.lower(), "replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", "replace")


def library_decoded(value: str) -> str:
    """The encoded words of `value` decoded by the standard library (unjoined, untidied)."""
    try:
        parts = email.header.decode_header(value)
    except (ValueError, email.errors.HeaderParseError):
        parts = [(value, None)]
    words = []
    for part, charset in parts:
        if isinstance(part, bytes):
            try:
                # decode_header hands the unencoded parts back in raw-unicode-escape
                part = part.decode(charset or "raw-unicode-escape", "replace")
            except LookupError:  # a charset Python does not know
                part = part.decode("utf-8", "replace")
        words.append(part)
    return "".join(words)


def tidied(text: str) -> str:
    return " ".join(one_line(text).split())


def _text(raw: bytes) -> str:
    """The header block (or an address in it) as text. Raw 8-bit text in a header (not
    encoded, as some mailers write UTF-8 or Latin-1, and international addresses such as
    jörg@müller.example) is read as UTF-8, or else as Latin-1, which reads any byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def addresses(values: list[str]) -> tuple[Address, ...]:
    """Every address in these From/To/Cc fields, once each, in order."""
    seen: dict[str, Address] = {}
    for name, address in _pairs(values):
        address = address.strip().lower()
        if "@" in address and address not in seen:
            seen[address] = Address(address, decoded(name))
    return tuple(seen.values())


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    """(name, address) of each address: the common forms read here, quickly; anything
    with quotes, comments or groups by the standard library's thorough reader."""
    text = ",".join(values)  # the same parts as each value's, in one string
    if _THOROUGH.search(text):
        return email.utils.getaddresses(values)
    pairs = []
    for part in text.split(","):
        part = part.strip()
        found = _NAMED.fullmatch(part)
        pairs.append(found.groups() if found else ("", part))
    return pairs


def message_id(value: str, raw: bytes) -> str:
    """The message's id: what is between < and > (unfolded), or, for a message without
    one, an id derived from its header fields, the same wherever the message is stored."""
    found = _MESSAGE_ID.search("".join(value.split()))
    if found:
        return found.group(1)
    return "derived:" + hashlib.sha256(_canonical_fields(raw)).hexdigest()


def _canonical_fields(raw: bytes) -> bytes:
    """The header fields with their folding undone and their order fixed: two copies of
    one message can come back folded or ordered differently."""
    lines = sorted(
        f"{name}:{' '.join(value.split())}"
        for name, values in header_fields(raw).items()
        for value in values
        if name != "message-id"
    )
    return "\n".join(lines).encode()


def sent_at(value: str, received_at: datetime | None) -> datetime:
    """The Date field as UTC; the server's receiving time when there is none, it cannot
    be read, or it lies far after that time."""
    common = _DATE.search(value)  # "Wed, 02 Dec 2026 17:30:00 +0100", read quickly
    when = instant(*common.groups()) if common else _any_date(value)
    if received_at is not None and (when is None or when > received_at + DATE_SLACK):
        return received_at
    return when or datetime(1970, 1, 1, tzinfo=UTC)


def _any_date(value: str) -> datetime | None:
    """A Date in any form the standard library reads, as UTC."""
    try:
        when = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def instant(
    day: str, month: str, year: str, hour: str, minute: str, second: str | None, zone: str
) -> datetime | None:
    """ "2", "Dec", "2026", "17", "30", "00", "+0100" as UTC; None if it is no time.
    Month names are English in mail and IMAP, whatever the machine's language."""
    try:
        local = datetime(
            int(year), _MONTH_NUMBERS.get(month.title(), 0), int(day), int(hour), int(minute),
            int(second or 0), tzinfo=_zone(zone),
        )  # fmt: skip
    except ValueError:
        return None
    return local if local.tzinfo is UTC else local.astimezone(UTC)


_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}


@lru_cache
def _zone(offset: str) -> timezone:
    """ "+0100" as a time zone; UTC itself for "+0000", which needs no converting."""
    minutes = int(offset[1:3]) * 60 + int(offset[3:5])
    if minutes == 0:
        return UTC
    return timezone(timedelta(minutes=-minutes if offset[0] == "-" else minutes))


def history_summary(sent: bool, subject: str) -> str:
    """ "Email received: Re: album proofs", "Email sent: (no subject)"."""
    subject = subject if len(subject) <= SUBJECT_CHARS else subject[: SUBJECT_CHARS - 1] + "…"
    return f"Email {'sent' if sent else 'received'}: {subject or '(no subject)'}"


def name_parts(address: Address) -> tuple[str, str]:
    """A lead's first and last name from how their mail names them: "Lea Brandt", or
    "lea.brandt" from the address when the mail gives no name."""
    name = address.name.strip().strip("'\"").strip()
    if "," in name:  # "Brandt, Lea"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    if not name or "@" in name:
        name = address.address.partition("@")[0]
    first, _, last = name.partition(" ")
    return first, last.strip()
