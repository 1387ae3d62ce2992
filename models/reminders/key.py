"""The key of one reminder occurrence: what was notified, snoozed or done is stored under it.

Stored as text in `reminder_state.key`, in a format older databases already hold, so the
text never changes:

    date:<important date id>:<day of the occurrence>:notice|notice<N>|day
    check_in:<client id>:<check-in day, counted from the contact's UTC day>
    follow_up:<follow-up id>:<due instant, UTC, YYYYMMDDTHHMM>
    referral:<referred client id>:<referrer client id>   (thank the referrer)
    booking:<booking id>:<start instant, UTC, YYYYMMDDTHHMM>:notice|day
    gallery:<session (interaction) id>:<day the gallery closes>

(a date's "notice" comes its `lead_days` before; a further notice N days before, from
its `more_lead_days`, is "notice<N>"; a booked session reminds the day before, its
notice, and on the day; the start in the key makes a moved session a new occurrence,
reminded anew, and keeps it one across zones; a wish reminds through the follow-up it
makes, so it has no kind of its own). Build a key with its kind's constructor, store
`str(key)`, read one back with `ReminderKey.parse`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

KINDS = ("date", "check_in", "follow_up", "referral", "booking", "gallery")
# A date's notice `lead_days` before, and the day itself; a booking's, the day before.
PHASES = ("notice", "day")
_FOLLOW_UP_DUE = "%Y%m%dT%H%M"


@dataclass(frozen=True)
class ReminderKey:
    kind: str  # one of KINDS
    row_id: int  # the important date, client or follow-up it reminds of
    day: date | None = None  # a date's occurrence, a check-in's day
    phase: str = ""  # a date's or a booking's: one of PHASES
    due_at: datetime | None = None  # a follow-up's due, a booking's start: UTC, to the minute
    referrer: int | None = None  # a referral's: who is thanked

    @classmethod
    def for_date(cls, date_id: int, occurs_on: date, phase: str) -> ReminderKey:
        if phase not in PHASES and not _is_further_notice(phase):
            raise ValueError(f"unknown phase {phase!r}")
        return cls("date", date_id, day=occurs_on, phase=phase)

    @staticmethod
    def date_text(date_id: int, day_text: str, phase: str) -> str:
        """`str(ReminderKey.for_date(date_id, day, phase))` for a phase of the date's (no
        check) and the day as ISO text, without building the key: a window makes thousands."""
        return f"date:{date_id}:{day_text}:{phase}"

    @classmethod
    def gallery(cls, session_id: int, closes_on: date) -> ReminderKey:
        return cls("gallery", session_id, day=closes_on)

    @classmethod
    def check_in(cls, client_id: int, day: date) -> ReminderKey:
        return cls("check_in", client_id, day=day)

    @staticmethod
    def check_in_text(client_id: int, day: date | str) -> str:
        """`str(ReminderKey.check_in(client_id, day))` (the day as a date or ISO text),
        without building the key: a window makes thousands."""
        return f"check_in:{client_id}:{day}"  # a date's str is its ISO text

    @staticmethod
    def follow_up_text(follow_up_id: int, due_at: datetime) -> str:
        """`str(ReminderKey.follow_up(follow_up_id, due_at))` without building the key."""
        return f"follow_up:{follow_up_id}:{_minute(due_at.astimezone(UTC))}"

    @classmethod
    def follow_up(cls, follow_up_id: int, due_at: datetime) -> ReminderKey:
        minute = due_at.astimezone(UTC).replace(second=0, microsecond=0)
        return cls("follow_up", follow_up_id, due_at=minute)

    @classmethod
    def referral(cls, referred_id: int, referrer_id: int) -> ReminderKey:
        """Thanking `referrer_id` for `referred_id`; another referrer is another thanks."""
        return cls("referral", referred_id, referrer=referrer_id)

    @classmethod
    def booking(cls, booking_id: int, starts_at: datetime, phase: str) -> ReminderKey:
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}")
        minute = starts_at.astimezone(UTC).replace(second=0, microsecond=0)
        return cls("booking", booking_id, due_at=minute, phase=phase)

    def __str__(self) -> str:
        if self.kind in ("date", "booking"):
            return f"{self.occurrence}:{self.phase}"
        if self.kind == "check_in":
            return self.check_in_text(self.row_id, self.day)
        if self.kind == "gallery":
            return f"gallery:{self.row_id}:{self.day.isoformat()}"
        if self.kind == "referral":
            return f"referral:{self.row_id}:{self.referrer}"
        return self.follow_up_text(self.row_id, self.due_at)

    @classmethod
    def parse(cls, text: str) -> ReminderKey:
        """The key stored as `text`; ValueError when it is none."""
        kind, row_id, rest = _three_parts(text)
        if kind == "date":
            day, _, phase = rest.partition(":")
            return cls.for_date(row_id, date.fromisoformat(day), phase)
        if kind == "check_in":
            return cls.check_in(row_id, date.fromisoformat(rest))
        if kind == "follow_up":
            return cls.follow_up(row_id, _instant(rest))
        if kind == "referral" and rest.isdigit():
            return cls.referral(row_id, int(rest))
        if kind == "booking":
            starts, _, phase = rest.partition(":")
            return cls.booking(row_id, _instant(starts), phase)
        if kind == "gallery":
            return cls.gallery(row_id, date.fromisoformat(rest))
        raise ValueError(f"{text!r} is no reminder key")

    @property
    def occurrence(self) -> str:
        """What a date's notice and its on-the-day reminder share; the key itself else."""
        if self.kind == "date":
            return f"date:{self.row_id}:{self.day.isoformat()}"
        if self.kind == "booking":
            return f"booking:{self.row_id}:{_minute(self.due_at)}"
        return str(self)

    @staticmethod
    def occurrence_text(text: str) -> str:
        """`ReminderKey.parse(text).occurrence` of a key as Rapport writes it, without
        reading it whole: a look lists tens of thousands (a date's and a booking's phase is
        the text's last part)."""
        if text.startswith(("date:", "booking:")):
            return text.rpartition(":")[0]
        return text

    def phases(self) -> list[ReminderKey]:
        """Every key of this occurrence: a date's or a booking's notice and day, else itself."""
        if self.kind in ("date", "booking"):
            return [replace(self, phase=phase) for phase in PHASES]
        return [self]

    def for_row(self, row_id: int) -> ReminderKey:
        """The same key for the row under another id (a row brought back by undo)."""
        return replace(self, row_id=row_id)


def further_notice(lead_days: int) -> str:
    """The phase of a date's further notice `lead_days` before: "notice1"."""
    return f"notice{lead_days}"


def _is_further_notice(phase: str) -> bool:
    number = phase.removeprefix("notice")
    return number != phase and number.isdigit() and number == str(int(number))


def bounds_of(prefix: str) -> tuple[str, str]:
    """The keys that start with `prefix` (ending in ":"), as the bounds of a range of the
    key's index, both excluded: after the prefix, before it with ";" (the character after
    ":") in place of its last. A LIKE would read every row."""
    return prefix, f"{prefix[:-1]};"


def prefix_of(kind: str, row_id: int | None = None) -> str:
    """What every stored key of this row (of this kind, without a row) starts with: to
    find or drop them all."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    return f"{kind}:" if row_id is None else f"{kind}:{row_id}:"


def _minute(instant: datetime) -> str:
    """The instant as _FOLLOW_UP_DUE writes it ("20261124T0900"), not by strftime: with
    PySide6 loaded, each strftime goes through its import hook (several times slower)."""
    return (
        f"{instant.year:04}{instant.month:02}{instant.day:02}T{instant.hour:02}{instant.minute:02}"
    )


def _instant(text: str) -> datetime:
    return datetime.strptime(text, _FOLLOW_UP_DUE).replace(tzinfo=UTC)


def _three_parts(text: str) -> tuple[str, int, str]:
    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        raise ValueError(f"{text!r} is no reminder key")
    return parts[0], int(parts[1]), parts[2]
