"""What kind of file the owner picked to import: told by its content first, then its name."""

from __future__ import annotations

from pathlib import Path

from models.importing.records import UnreadableFile

HEAD = 4096  # bytes enough to tell; the rest of the file is not read here
CALENDAR = (
    "This is a calendar file (iCalendar), not a contacts file: it holds events, not people. "
    "Export your contacts as vCard (.vcf) or CSV and choose that file."
)


def file_kind(file: Path) -> str:
    """ "archive" (Rapport's full export), "vcard" or "csv". Raises OSError, and
    UnreadableFile for a calendar (its events would otherwise be read as a CSV)."""
    with file.open("rb") as opened:
        head = opened.read(HEAD).upper()
    if _holds(head, b"BEGIN:VCALENDAR") or file.suffix.lower() in (".ics", ".ical", ".ifb"):
        raise UnreadableFile(CALENDAR)
    if head.startswith(b"PK\x03\x04"):
        return "archive"
    if _holds(head, b"BEGIN:VCARD"):
        return "vcard"
    return {".zip": "archive", ".vcf": "vcard", ".vcard": "vcard"}.get(file.suffix.lower(), "csv")


def _holds(head: bytes, marker: bytes) -> bool:
    """Whether the start of the file holds `marker`, in UTF-8 or UTF-16."""
    text = marker.decode()
    return any(text.encode(codec) in head for codec in ("utf-8", "utf-16-le", "utf-16-be"))
