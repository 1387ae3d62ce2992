"""Reading a CSV file of contacts: Google Contacts, Outlook, or any spreadsheet with a header.

`sniff_csv` tells the column-mapping dialog what the file looks like and what each
column seems to hold; `read_csv` turns the rows into records with that mapping. A
broken row (bad quoting, a date that does not exist, no name) is rejected with its
line; the rows around it still come through.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from models.exchange.importing.csv_presets import FIELDS, PRESETS, CsvMapping, guess_mapping
from models.exchange.importing.csv_rows import row_record
from models.exchange.importing.records import MAX_BYTES, ReadResult, RejectedRecord, UnreadableFile
from models.exchange.importing.text_decoding import (
    EMPTY_FILE,
    EncodingGuess,
    decode,
    guess_encoding,
    looks_binary,
    without_controls,
)

__all__ = ["FIELDS", "PRESETS", "CsvMapping", "CsvTable", "EncodingUnsure", "read_csv", "sniff_csv"]

PREVIEW_ROWS = 5
_DELIMITERS = (",", ";", "\t")
_EXCEL_SEPARATOR = re.compile(r"sep=[,;\t]")
_SLASHED = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{2,4}\s*")

# Python's csv refuses a value over 131,072 characters, which would cost a client for a
# long note (a pasted email thread). No value is longer than its file, and no file is
# read that is longer than MAX_BYTES, the one limit.
csv.field_size_limit(MAX_BYTES)


@dataclass(frozen=True)
class CsvTable:
    """What the mapping dialog shows: how the file was read, its columns, a few rows."""

    encoding: str  # a Python codec name: "utf-8", "utf-8-sig", "cp1252", "cp932"...
    likely_encodings: tuple[str, ...]  # what else the file may be written in, likeliest first
    encoding_sure: bool  # False: the owner must choose, the letters may be wrong
    delimiter: str  # ",", ";" or "\t"
    header: list[str]
    rows: list[list[str]]  # the first data rows, as read
    row_count: int  # data rows, blank ones not counted
    preset: str  # a key of PRESETS, or "" when the header is no known exporter's
    mapping: CsvMapping  # the preset's, or a guess from the column names


class EncodingUnsure(UnreadableFile):
    """The file reads as text in several encodings and nothing tells which is right."""

    def __init__(self, likely: tuple[str, ...]):
        super().__init__("Rapport cannot tell which encoding this file is written in.")
        self.likely = likely


@dataclass(frozen=True)
class _Row:
    line: int  # where the row starts in the file, 1-based
    cells: list[str]
    problem: str = ""  # why the row could not be read; cells are then empty


def sniff_csv(data: bytes, encoding: str = "") -> CsvTable:
    """How `data` reads as CSV (in `encoding`, or the one guessed), and the mapping to
    offer. Raises UnreadableFile."""
    guess = guess_encoding(data) if not encoding else EncodingGuess(encoding, (encoding,), True)
    delimiter, header, rows = _table(data, guess.encoding)
    preset, mapping = guess_mapping(header.cells)
    mapping = _with_date_order(mapping, rows)
    readable = [row.cells for row in rows if not row.problem]
    likely = (guess.encoding, *guess.likely) if encoding else guess.likely
    return CsvTable(
        guess.encoding,
        tuple(dict.fromkeys(likely)),
        guess.sure,
        delimiter,
        header.cells,
        readable[:PREVIEW_ROWS],
        len(rows),
        preset,
        mapping,
    )


def read_csv(data: bytes, mapping: CsvMapping | None = None, encoding: str = "") -> ReadResult:
    """Every data row of `data`: a record, or a rejection saying why. Raises UnreadableFile.

    Without a mapping, the one sniff_csv offers is used; it must find a name column.
    Without an encoding, the guessed one; EncodingUnsure when the guess is unsure, so that
    no file is imported as mojibake.
    """
    if not encoding:
        guess = guess_encoding(data)
        if not guess.sure and not looks_binary(data):
            raise EncodingUnsure(guess.likely)
        encoding = guess.encoding
    _delimiter, header, rows = _table(data, encoding)
    if mapping is None:
        mapping = _with_date_order(guess_mapping(header.cells)[1], rows)
        if not mapping.has_name():
            columns = ", ".join(repr(c) for c in header.cells[:8] if c.strip())
            raise UnreadableFile(
                f"No column of this file holds names (its columns: {columns}). "
                "Choose which column holds what in the import dialog."
            )
    result = ReadResult()
    width = len(header.cells)
    for row in rows:
        outcome = RejectedRecord(row.line, row.problem) if row.problem else None
        extra = [cell for cell in row.cells[width:] if cell.strip()]
        if outcome is None and extra:
            outcome = RejectedRecord(row.line, _too_many_cells(len(row.cells), width))
        outcome = outcome or row_record(row.line, row.cells, mapping)
        target = result.rejected if isinstance(outcome, RejectedRecord) else result.records
        target.append(outcome)
    return result


def _too_many_cells(count: int, width: int) -> str:
    return (
        f"the row has {count} values but the header only {width} "
        f"column{'s' * (width != 1)}: "
        "is a value with a comma or semicolon missing its quotes?"
    )


def _table(data: bytes, encoding: str) -> tuple[str, _Row, list[_Row]]:
    """(delimiter, header row, data rows without blank ones)."""
    if looks_binary(data):
        raise UnreadableFile(
            "This file is not a CSV file: it holds binary data, not text (a spreadsheet "
            "saved as .xlsx?). Save or export it as CSV and choose that file."
        )
    text = _decoded(data, encoding)
    if not text.strip():
        raise UnreadableFile(EMPTY_FILE)
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        raise UnreadableFile("This is a vCard file, not a CSV file: import it as vCard instead.")
    lines = io.StringIO(text, newline="").readlines()
    delimiter = delimiter_of(next((line for line in lines if line.strip()), ""))
    if _EXCEL_SEPARATOR.fullmatch(lines[0].rstrip("\r\n")):
        delimiter, lines[0] = lines[0][4], "\n"  # Excel's "sep=;" line: not a row
    rows = [row for row in _rows(lines, delimiter) if row.problem or any(map(str.strip, row.cells))]
    if not rows or rows[0].problem:
        raise UnreadableFile(
            "The first line of this file is not a header of column names. "
            "Export your contacts as CSV with a header row and choose that file."
        )
    return delimiter, rows[0], rows[1:]


def _decoded(data: bytes, encoding: str) -> str:
    try:
        return decode(data, encoding)[0]
    except LookupError as error:
        raise UnreadableFile(
            f"Rapport does not know the encoding {encoding!r}. Choose another one."
        ) from error


def delimiter_of(first_line: str) -> str:
    """The separator used most in the header line outside quotes; a comma when none is."""
    unquoted = "".join(first_line.split('"')[::2])
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(lines: list[str], delimiter: str) -> Iterator[_Row]:
    """Each row with the line it starts on; a row with broken quoting becomes a problem.

    After broken quoting, reading starts again on the line after the broken row's first:
    a stray quote costs its row, and the lines it swallowed are read again as rows.
    """
    start = 0  # index in `lines` of the line the reader starts at
    while start < len(lines):
        rest = (lines[index] for index in range(start, len(lines)))  # a slice each time is slow
        reader = csv.reader(rest, delimiter=delimiter, strict=True)
        row_start = start
        try:
            for cells in reader:
                cells = [without_controls(cell.replace("\r\n", "\n")) for cell in cells]
                yield _Row(row_start + 1, cells)
                row_start = start + reader.line_num
            return
        except csv.Error as error:
            spanned = start + reader.line_num - row_start  # lines read into the broken row
            yield _Row(row_start + 1, [], _quoting_problem(str(error), spanned))
            start = row_start + 1


def _quoting_problem(message: str, spanned: int) -> str:
    """Python's csv error, in words that say what to fix in the file. A bad quote found
    lines below the row's start is most likely the row's own quote, never closed, that
    the next row's quote seemed to close."""
    if "unexpected end of data" in message or ("expected after" in message and spanned > 1):
        return 'a quote (") opened in this row is never closed; the row cannot be read'
    if "expected after" in message:
        return 'a quote (") in the middle of a quoted value must be written twice ("")'
    return f"the row cannot be read as CSV ({message})"


def _with_date_order(mapping: CsvMapping, rows: list[_Row]) -> CsvMapping:
    """The mapping with the file's date order, when its dates tell: 15/4/1985 can only be
    day first, 4/15/1985 only month first. Otherwise the exporter's habit stays."""
    columns = [i for i, key in mapping.fields.items() if key in ("birthday", "anniversary", "date")]
    orders = set()
    for row in rows:
        for i in columns:
            match = _SLASHED.fullmatch(row.cells[i]) if i < len(row.cells) else None
            if match and max(int(match[1]), int(match[2])) > 12:
                orders.add(int(match[2]) > 12)
    return replace(mapping, month_first=orders.pop()) if len(orders) == 1 else mapping
