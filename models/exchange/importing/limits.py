"""How much one import may hold, checked before the file is read whole.

A studio's address book has hundreds or thousands of people; a file far beyond that is
an export of something else, or a mistake, and reading it whole would take gigabytes
and minutes. So the file's size is checked first, then its records are counted a
block at a time (memory stays flat) and counting stops as soon as the limit is passed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from models.exchange.importing.csv_reader import delimiter_of
from models.exchange.importing.records import MAX_BYTES, UnreadableFile
from models.exchange.importing.text_decoding import UTF16_SAMPLE, utf16_encoding
from models.exchange.importing.vcard_reader import BEGIN_CARD

MAX_RECORDS = 50_000


def check_import_size(path: Path, kind: str) -> None:
    """Raise UnreadableFile, in words naming the limit, when `path` (a "csv" or "vcard"
    file) is larger than one import may be. Raises OSError when it cannot be read."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableFile(
            f"{path.name} is {size / 1e6:,.0f} MB; Rapport imports files of at most "
            f"{MAX_BYTES / 1e6:,.0f} MB at a time. Split the file and import each part."
        )
    with _text(path) as text:
        records = _csv_rows(text) if kind == "csv" else _cards(text)
        if _more_than(records, MAX_RECORDS):
            raise UnreadableFile(
                f"{path.name} has more than {MAX_RECORDS:,} records; Rapport imports at most "
                f"{MAX_RECORDS:,} at a time. Split the file and import each part."
            )


def _text(path: Path) -> io.TextIOWrapper:
    """The file as text, read a block at a time. Counting only needs the line breaks,
    quotes and separators, which read the same in UTF-8 and Windows-1252."""
    raw = path.open("rb")
    # UTF-16 with a byte order mark or without, as the readers tell it (text_decoding).
    encoding = utf16_encoding(raw.peek(UTF16_SAMPLE)) or "utf-8"
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


def _more_than(items: Iterator[object], limit: int) -> bool:
    return any(count > limit for count, _item in enumerate(items, start=1))


def _csv_rows(text: io.TextIOWrapper) -> Iterator[None]:
    """One item per data row that is not blank, as csv_reader reads them, near enough for
    a limit. After broken quoting, csv_reader reads the broken row's lines again as rows:
    each of them counts as one, and counting goes on after them."""
    header = next((line for line in text if line.strip()), "")
    delimiter = delimiter_of(header)
    while True:
        reader = csv.reader(text, delimiter=delimiter, strict=True)  # as csv_reader
        row_end = 0  # reader.line_num after the last row read whole
        try:
            for cells in reader:
                row_end = reader.line_num
                if any(cell.strip() for cell in cells):
                    yield None
            return
        except csv.Error:
            yield from (None for _line in range(reader.line_num - row_end))


def _cards(text: io.TextIOWrapper) -> Iterator[None]:
    return (None for line in text if BEGIN_CARD.fullmatch(line.rstrip("\r\n")))
