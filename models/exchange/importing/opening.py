"""The first look at a file picked for import, before the owner is asked anything: what
kind it is, whether it is small enough to import, and for a CSV how its columns read.

Slow on a large file, so the window runs it on a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.exchange.importing.csv_reader import CsvTable, sniff_csv
from models.exchange.importing.file_kind import file_kind
from models.exchange.importing.limits import check_import_size
from models.exchange.importing.records import UnreadableFile


@dataclass(frozen=True)
class ImportFile:
    kind: str  # "archive", "vcard" or "csv"
    data: bytes = b""  # the whole file, when it is to be imported (not an archive)
    table: CsvTable | None = None  # a CSV's columns, for the owner to map


def open_import_file(path: Path) -> ImportFile:
    """Raises UnreadableFile, in words, when the file cannot be read or is too large."""
    try:
        kind = file_kind(path)
        if kind == "archive":
            return ImportFile(kind)
        check_import_size(path, kind)
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"Rapport could not read {path}: {error.strerror or error}") from error
    return ImportFile(kind, data, sniff_csv(data) if kind == "csv" else None)
