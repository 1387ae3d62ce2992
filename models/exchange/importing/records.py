"""What a reader makes of a file: client records to import, and the ones it rejected.

Readers (vCard, CSV) only parse; they never touch the database. Applying records,
matching duplicates and the one transaction live elsewhere in this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The largest file one import reads (limits.py refuses a larger one before reading it):
# 10,000 cards with photos stay well below.
MAX_BYTES = 200 * 1000 * 1000


class UnreadableFile(Exception):
    """The file could not be read at all (missing, not text, not the format): exit code 2."""


@dataclass(frozen=True)
class ImportedDate:
    """A yearly date; `year` is None when the source says it is unknown."""

    kind: str  # a key of models.values.kinds.IMPORTANT_DATE_KINDS
    month: int
    day: int
    year: int | None = None
    label: str = ""


@dataclass
class ImportRecord:
    """One person from the file, in Rapport's terms; `line` is where it starts (1-based)."""

    line: int
    first_name: str
    last_name: str = ""
    preferred_name: str = ""
    organization: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (label, address)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (label, number)
    addresses: list[tuple[str, str]] = field(default_factory=list)  # (label, one line)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    dates: list[ImportedDate] = field(default_factory=list)
    photo: bytes | None = None  # the image file's bytes (PNG, JPEG...), as found
    family: list[tuple[str, str]] = field(default_factory=list)  # (relation, name)
    # Values that cost only themselves, and why: "birthday 2023-02-30 does not exist (...)".
    left_out: list[str] = field(default_factory=list)
    uid: str = ""  # the card's UID, kept as the client's: the same person in every export


@dataclass(frozen=True)
class RejectedRecord:
    """A record that cannot be imported, and why, in words the user can act on."""

    line: int
    reason: str


@dataclass
class ReadResult:
    records: list[ImportRecord] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)
    # What the file has that Rapport does not keep: kind -> how many records had it
    # ("X-SOCIALPROFILE": 12), said once per kind in the report.
    not_kept: dict[str, int] = field(default_factory=dict)
