"""The CSV reader against files that mimic each exporter, and its edge cases."""

from __future__ import annotations

import pytest

from models.exchange.importing.csv_reader import (
    FIELDS,
    PRESETS,
    CsvMapping,
    EncodingUnsure,
    read_csv,
    sniff_csv,
)
from models.exchange.importing.records import UnreadableFile
from tests.reader_expectations import DATA, assert_matches, load_expected

CORPUS = sorted((DATA / "csv").glob("*.csv"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_each_exporters_file_reads_as_expected(path):
    """A file whose encoding cannot be told is never read as mojibake: the reader asks,
    naming the right encoding among the likely ones, and reads it in the one chosen."""
    expected = load_expected(path)
    chosen = expected.get("choose_encoding", "")
    if chosen:
        with pytest.raises(EncodingUnsure) as unsure:
            read_csv(path.read_bytes())
        assert chosen in unsure.value.likely
    assert_matches(read_csv(path.read_bytes(), encoding=chosen), expected)
    table = sniff_csv(path.read_bytes())
    sniffed = {
        "preset": table.preset,
        "encoding": table.encoding,
        "encoding_sure": table.encoding_sure,
        "delimiter": table.delimiter,
        "row_count": table.row_count,
        "month_first": table.mapping.month_first,
    }
    assert sniffed == {"encoding_sure": True} | expected["sniff"]


def only_record(data: bytes, mapping=None):
    result = read_csv(data, mapping)
    assert result.rejected == []
    [record] = result.records
    return record


def test_the_dialog_gets_fields_presets_and_a_preview():
    assert {"first_name", "last_name", "full_name", "preferred_name", "organization"} <= set(FIELDS)
    assert {"email", "phone", "address", "birthday", "anniversary", "note", "tags"} <= set(FIELDS)
    assert all(label and label[0].isupper() for label in FIELDS.values())
    assert {"google", "outlook"} <= set(PRESETS)
    rows = "".join(f"Person{i},Test,p{i}@example.com\n" for i in range(12))
    table = sniff_csv(("First name,Last name,Email\n" + rows).encode())
    assert table.header == ["First name", "Last name", "Email"]
    assert table.rows[0] == ["Person0", "Test", "p0@example.com"]
    assert len(table.rows) == 5 and table.row_count == 12
    assert (table.preset, table.mapping.fields) == (
        "",
        {0: "first_name", 1: "last_name", 2: "email"},
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\r\n \r\n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 20, "binary"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEND:VCARD\r\n", "vCard"),
        (b"Dear Anna,\nthank you for the lovely evening.\n", "No column"),
        (b"Colour,Size\nred,12\n", "'Colour', 'Size'"),
        (b'"unclosed header,Name\nAnna,Meyer\n', "header"),
    ],
    ids=["empty", "blank", "xlsx", "vcard", "letter", "no-name-columns", "broken-header"],
)
def test_a_file_that_cannot_be_read_as_contacts_is_unreadable_with_what_to_do(data, words):
    with pytest.raises(UnreadableFile) as raised:
        read_csv(data)
    assert words in str(raised.value)
    assert any(w in str(raised.value) for w in ("choose", "Choose", "import it as vCard"))


def test_a_mapping_from_the_dialog_reads_any_columns():
    data = "Kürzel,Wer,Post\nAM,Anna Meyer,anna@example.de ; am@example.de\n".encode()
    mapping = CsvMapping({1: "full_name", 2: "email", 0: "tags"}, labels={2: "work"})
    record = only_record(data, mapping)
    assert (record.first_name, record.last_name, record.tags) == ("Anna", "Meyer", ["AM"])
    assert record.emails == [("work", "anna@example.de"), ("work", "am@example.de")]


@pytest.mark.parametrize(
    ("data", "delimiter", "encoding"),
    [
        ("Name;E-Mail\nZoë Brandt;zoe@example.de\n".encode(), ";", "utf-8"),
        ("Name,E-Mail\r\nZoë Brandt,zoe@example.de\r\n".encode("cp1252"), ",", "cp1252"),
        ("\ufeffName\tE-Mail\nZoë Brandt\tzoe@example.de\n".encode("utf-16-le"), "\t", "utf-16"),
        ("sep=;\nName;E-Mail\nZoë Brandt;zoe@example.de\n".encode(), ";", "utf-8"),
        ('Name;"E-Mail, private"\nZoë Brandt;zoe@example.de\n'.encode(), ";", "utf-8"),
    ],
    ids=["semicolon", "windows-1252", "utf-16-tabs", "excel-sep-line", "comma-inside-quotes"],
)
def test_delimiter_and_encoding_are_detected(data, delimiter, encoding):
    table = sniff_csv(data)
    assert (table.delimiter, table.encoding) == (delimiter, encoding)
    record = only_record(data)
    assert (record.first_name, record.last_name) == ("Zoë", "Brandt")
    assert record.emails == [("", "zoe@example.de")]


def birthdays(data: bytes) -> list:
    result = read_csv(data)
    found = [(d.year, d.month, d.day) for r in result.records for d in r.dates]
    return found + [r.reason for r in result.rejected]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1985-04-15", (1985, 4, 15)),
        ("15.04.1985", (1985, 4, 15)),
        ("5.4.1985", (1985, 4, 5)),
        ("15.04.", (None, 4, 15)),
        ("--04-15", (None, 4, 15)),
        ("1985-04-15 00:00:00", (1985, 4, 15)),
        ("29.02.2024", (2024, 2, 29)),
        ("--02-29", (None, 2, 29)),
    ],
)
def test_csv_dates_in_every_common_form(cell, expected):
    assert birthdays(f"Name,Birthday\nAnna Meyer,{cell}\n".encode()) == [expected]


def test_slashed_dates_follow_the_order_the_file_shows():
    day_first = "Name,Birthday\nAnna Meyer,04/05/1985\nBen Vogt,15/04/1990\n"
    month_first = "Name,Birthday\nAnna Meyer,04/05/1985\nBen Vogt,04/15/1990\n"
    assert birthdays(day_first.encode()) == [(1985, 5, 4), (1990, 4, 15)]
    assert birthdays(month_first.encode()) == [(1985, 4, 5), (1990, 4, 15)]
    assert birthdays(b"Name,Birthday\nAnna Meyer,04/05/1985\n") == [(1985, 5, 4)]


def test_outlook_reads_slashes_month_first_unless_its_dates_say_otherwise():
    header = '"First Name","Last Name","E-mail Address","Mobile Phone","Birthday"\n'
    us = header + '"Anna","Meyer","","","4/5/1985"\n'
    uk = header + '"Anna","Meyer","","","4/5/1985"\n"Ben","Vogt","","","25/12/1990"\n'
    assert sniff_csv(us.encode()).preset == "outlook"
    assert birthdays(us.encode()) == [(1985, 4, 5)]
    assert birthdays(uk.encode()) == [(1985, 5, 4), (1990, 12, 25)]


@pytest.mark.parametrize(
    ("cell", "dates", "notes", "left_out"),
    [
        ("0/0/00", [], [], []),
        ("", [], [], []),
        ("4/15/85", [], ["Birthday: 4/15/85"], []),
        ("next spring", [], ["Birthday: next spring"], []),
        ("April 15", [(None, 4, 15)], [], []),
        ("31.02.1990", [], [], ["birthday 31.02.1990 does not exist (February has only 28 days)."]),
    ],
)
def test_a_wrong_date_costs_only_itself_and_text_is_kept_as_a_note(cell, dates, notes, left_out):
    record = only_record(f"Name,Birthday,Notes\nAnna Meyer,{cell},hi\n".encode())
    assert [(d.year, d.month, d.day) for d in record.dates] == dates
    assert record.notes == ["hi", *notes]
    assert record.left_out == left_out


def test_address_parts_with_one_label_make_one_address():
    data = b"Name,Street,City,Zip,Country\nAnna Meyer,Hauptstr. 5,Hamburg,20095,Germany\n"
    assert only_record(data).addresses == [("", "Hauptstr. 5, Hamburg, 20095, Germany")]


def test_several_email_and_phone_columns_each_count_and_duplicates_go():
    data = (
        b"First name,Last name,Email,Work email,Phone,Mobile\n"
        b"Anna,Meyer,anna@example.de,ANNA@example.de,040 123,0171 456\n"
    )
    record = only_record(data)
    assert record.emails == [("", "anna@example.de")]
    assert record.phones == [("", "040 123"), ("", "0171 456")]


def test_blank_rows_are_skipped_and_lines_count_the_physical_file():
    data = b'Name,Notes\n\nAnna Meyer,"one\ntwo\nthree"\n,\n\nBen Vogt,x\n'
    result = read_csv(data)
    assert [(r.line, r.first_name) for r in result.records] == [(3, "Anna"), (8, "Ben")]
    assert result.rejected == []


def test_control_characters_are_dropped_and_quote_problems_explained():
    data = b'Name,Notes\nAnna Meyer,"one\x00 \x1b[0mtwo\ttab"\nBen Vogt,"size 5"" and "6" print"\n'
    result = read_csv(data)
    assert [r.notes for r in result.records] == [["one [0mtwo\ttab"]]
    [rejected] = result.rejected
    assert rejected.line == 3 and "written twice" in rejected.reason


def test_a_quote_never_closed_costs_its_row_and_the_rows_it_swallowed_are_read():
    """Outlook writes what was typed: a note starting with a quote it never closes. Its
    row is rejected; the rows below, a quoted note over two lines among them, are not."""
    data = (
        b"First Name,Last Name,E-mail Address,Notes\r\n"
        b"Anna,Adler,anna@example.org,ok\r\n"
        b'Ben,Berg,ben@example.org,"prefers 8x10 prints\r\n'
        b"Carl,Czerny,carl@example.org,\r\n"
        b'Dora,Dietz,dora@example.org,"Studio session:\r\n2 hours"\r\n'
        b"Fritz,Frey,fritz@example.org,last\r\n"
    )
    result = read_csv(data)
    assert [(r.line, r.first_name, r.notes) for r in result.records] == [
        (2, "Anna", ["ok"]),
        (4, "Carl", []),
        (5, "Dora", ["Studio session:\n2 hours"]),
        (7, "Fritz", ["last"]),
    ]
    [rejected] = result.rejected
    assert rejected.line == 3 and "never closed" in rejected.reason


def test_a_note_longer_than_pythons_csv_limit_is_kept_whole():
    """A pasted email thread in Outlook's Notes: 224 KB in one cell, over the 131,072
    characters Python's csv module takes by default."""
    thread = "> Am 12.03. schrieb Anna Groß:\r\n> Danke für die Bilder!\r\n" * 4_000
    data = (
        "First Name,Last Name,E-mail Address,Notes\r\n"
        f'Anna,Groß,anna@example.org,"{thread}"\r\n'
        "Ben,Klein,ben@example.org,short\r\n"
    ).encode()
    result = read_csv(data)
    assert result.rejected == []
    assert [r.notes for r in result.records] == [[thread.replace("\r\n", "\n").strip()], ["short"]]


def test_google_joins_values_with_colons_only_so_a_comma_is_part_of_one():
    data = (
        b"First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Relation 1 - Label,"
        b"Relation 1 - Value,Relation 2 - Label,Relation 2 - Value\r\n"
        b'Sophie,Durand,"Clients, 2024 ::: Hochzeit ::: * myContacts",* Home,sophie@example.fr,'
        b'Spouse,"Durand, Marc",Child,"Martin Luther King, Jr. ::: Lou"\r\n'
    )
    record = only_record(data)
    assert record.tags == ["Clients, 2024", "Hochzeit"]
    assert record.family == [
        ("partner", "Durand, Marc"),
        ("child", "Martin Luther King, Jr."),
        ("child", "Lou"),
    ]


def test_a_column_mapped_by_hand_splits_at_commas_and_semicolons():
    data = b'Kunde,Kinder,Gruppen\nAnna Meyer,"Mia, Tom",VIP; Hochzeit\n'
    record = only_record(data)
    assert record.family == [("child", "Mia"), ("child", "Tom")]
    assert record.tags == ["VIP", "Hochzeit"]


def test_a_row_longer_than_a_one_column_header_is_told_in_the_singular():
    [rejected] = read_csv(b"Name\nAnna,Berger\n").rejected
    assert "the header only 1 column:" in rejected.reason
