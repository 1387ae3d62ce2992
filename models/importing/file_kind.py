"""What kind of file the owner picked to import: told by its content first, then its name."""

from __future__ import annotations

from pathlib import Path

HEAD = 4096  # bytes enough to tell; the rest of the file is not read here


def file_kind(file: Path) -> str:
    """ "archive" (Rapport's full export), "vcard" or "csv". Raises OSError."""
    with file.open("rb") as opened:
        head = opened.read(HEAD).upper()
    if head.startswith(b"PK\x03\x04"):
        return "archive"
    if any("BEGIN:VCARD".encode(codec) in head for codec in ("utf-8", "utf-16-le", "utf-16-be")):
        return "vcard"
    return {".zip": "archive", ".vcf": "vcard", ".vcard": "vcard"}.get(file.suffix.lower(), "csv")
