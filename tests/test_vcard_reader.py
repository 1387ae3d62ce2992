"""The vCard reader against files that mimic each exporter, and its edge cases."""

from __future__ import annotations

import base64

import pytest

from models.exchange.importing.records import UnreadableFile
from models.exchange.importing.vcard_reader import read_vcards
from tests.reader_expectations import DATA, assert_matches, load_expected

CORPUS = sorted((DATA / "vcard").glob("*.vcf"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_each_exporters_file_reads_as_expected(path):
    assert_matches(read_vcards(path.read_bytes()), load_expected(path))


def card(*lines: str, version: str = "3.0") -> bytes:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]).encode()


def only_record(data: bytes):
    result = read_vcards(data)
    assert result.rejected == []
    [record] = result.records
    return record


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (bytes(range(256)) * 4, "binary"),
        (b"First Name,Last Name\nAnna,Meyer\n", "BEGIN:VCARD"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08", "binary"),
    ],
    ids=["empty", "blank", "binary", "csv", "png"],
)
def test_a_file_that_is_no_vcard_at_all_is_unreadable_with_what_to_do(data, words):
    with pytest.raises(UnreadableFile) as raised:
        read_vcards(data)
    assert words in str(raised.value)
    assert "choose" in str(raised.value)


@pytest.mark.parametrize(
    ("bday", "expected"),
    [
        ("BDAY:1985-04-15", (1985, 4, 15)),
        ("BDAY:19850415", (1985, 4, 15)),
        ("BDAY:--0415", (None, 4, 15)),
        ("BDAY:--04-15", (None, 4, 15)),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15", (None, 4, 15)),
        ("BDAY:1604-04-15", (None, 4, 15)),
        ("BDAY;X-APPLE-OMIT-YEAR=1900:1900-04-15", (None, 4, 15)),
        ("BDAY:1985-04-15T23:30:00-05:00", (1985, 4, 15)),
        ("BDAY:1985-04-15T01:30:00+14:00", (1985, 4, 15)),
        ("BDAY:19850415T000000Z", (1985, 4, 15)),
        ("BDAY;VALUE=date:2024-02-29", (2024, 2, 29)),
        ("BDAY:--0229", (None, 2, 29)),
        ("BDAY;VALUE=text:1985-04-15", (1985, 4, 15)),
        ("BDAY:", None),
    ],
)
def test_every_birthday_form_gives_the_day_as_written(bday, expected):
    record = only_record(card("FN:Anna Meyer", bday))
    dates = [(d.year, d.month, d.day) for d in record.dates if d.kind == "birthday"]
    assert dates == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("bday", "words"),
    [
        ("BDAY:2023-02-30", "birthday 2023-02-30 does not exist (February has only 28 days)"),
        ("BDAY:2023-02-29", "2023 is not a leap year"),
        ("BDAY:1985-13-40", "birthday 1985-13-40 does not exist (Month must be between 1 and 12)"),
        ("X-ANNIVERSARY:2010-06-31", "wedding anniversary 2010-06-31 does not exist"),
    ],
)
def test_a_date_that_does_not_exist_costs_only_itself(bday, words):
    record = only_record(card("N:Meyer;Anna;;;", "EMAIL:anna@example.de", "NOTE:hi", bday))
    assert (record.first_name, record.emails, record.notes) == (
        "Anna",
        [("", "anna@example.de")],
        ["hi"],
    )
    assert record.dates == []
    [reason] = record.left_out
    assert words in reason


@pytest.mark.parametrize(
    ("bday", "dates", "notes"),
    [
        ("BDAY;VALUE=text:April 15", [(None, 4, 15)], []),
        ("BDAY;VALUE=text:15 April", [(None, 4, 15)], []),
        ("BDAY;VALUE=text:April 15th, 1985", [(1985, 4, 15)], []),
        ("BDAY;VALUE=text:circa 1800", [], ["Birthday: circa 1800"]),
        ("BDAY:1985-04", [], ["Birthday: 1985-04"]),
        ("BDAY:1985", [], ["Birthday: 1985"]),
        ("BDAY:---15", [], ["Birthday: ---15"]),
        ("BDAY:--04", [], ["Birthday: --04"]),
    ],
)
def test_a_text_or_reduced_precision_birthday_keeps_what_is_known(bday, dates, notes):
    """A month and a day make a yearly date; anything less is kept as a note, as written."""
    record = only_record(card("N:Meyer;Anna;;;", "NOTE:hi", bday, version="4.0"))
    assert [(d.year, d.month, d.day) for d in record.dates] == dates
    assert record.notes == ["hi", *notes]
    assert record.left_out == []


def test_line_endings_and_byte_order_mark_do_not_change_the_result():
    text = "note\nBEGIN:VCARD\nVERSION:3.0\nFN:Zoë Brandt\nNOTE:a\\nb\nEND:VCARD\n"
    results = [
        read_vcards(variant)
        for variant in (
            text.encode(),
            text.replace("\n", "\r\n").encode(),
            text.replace("\n", "\r").encode(),
            b"\xef\xbb\xbf" + text.encode(),
            text.encode("utf-16"),
        )
    ]
    assert all(r == results[0] for r in results)
    [record] = results[0].records
    assert (record.line, record.first_name, record.last_name) == (2, "Zoë", "Brandt")
    assert record.notes == ["a\nb"]


@pytest.mark.parametrize(
    ("lines", "first", "last"),
    [
        (("N:Meyer;Anna;Maria;Dr.;PhD",), "Anna Maria", "Meyer"),
        (("N:;;;;", "FN:Anna Maria Meyer"), "Anna Maria", "Meyer"),
        (("FN:Meyer\\, Anna",), "Anna", "Meyer"),
        (("N:Meyer;;;;", "FN:Meyer"), "Meyer", ""),
        (("N:;;;;", "FN:", "ORG:Blumen & Co;Verkauf"), "Blumen & Co", ""),
        (("N:Ng;Anna,Lee;;;",), "Anna Lee", "Ng"),
    ],
)
def test_the_name_comes_from_the_parts_then_the_full_name_then_the_company(lines, first, last):
    record = only_record(card(*lines))
    assert (record.first_name, record.last_name) == (first, last)


@pytest.mark.parametrize(
    "lines",
    [
        ("FN:anna@example.de", "EMAIL:anna@example.de"),
        ("FN:+49 171 1234567", "TEL:+49 171 1234567"),
        ("N:;;;;", "NOTE:only a note"),
        ("N:;info@studio.de;;;", "EMAIL:info@studio.de"),  # an address as the given name
    ],
)
def test_a_card_without_a_name_is_rejected_naming_what_it_has(lines):
    result = read_vcards(card(*lines))
    [rejected] = result.rejected
    assert "no name" in rejected.reason
    value = lines[1].split(":", 1)[1]
    assert value in rejected.reason or value == "only a note"


def test_dates_come_once_and_a_second_birthday_is_read_too():
    """The plan keeps the second birthday as an other date (test_import_apply)."""
    record = only_record(
        card(
            "FN:Anna Meyer",
            "BDAY:1985-04-15",
            "BDAY:1986-01-01",
            "X-ANNIVERSARY:2010-06-01",
            "ANNIVERSARY:20100601",
        )
    )
    assert [(d.kind, d.year, d.month, d.day) for d in record.dates] == [
        ("birthday", 1985, 4, 15),
        ("birthday", 1986, 1, 1),
        ("wedding_anniversary", 2010, 6, 1),
    ]


def test_categories_become_tags_once_each_without_googles_own_groups():
    record = only_record(
        card(
            "FN:Anna Meyer", "CATEGORIES:VIP,myContacts,Hochzeit\\, 2020", "CATEGORIES:vip,starred"
        )
    )
    assert record.tags == ["VIP", "Hochzeit, 2020"]


def test_photos_that_are_links_or_not_images_are_left_out_and_the_card_kept():
    for photo in (
        "PHOTO;VALUE=uri:https://example.com/a.jpg",
        "PHOTO;ENCODING=b;TYPE=JPEG:aGVsbG8gd29ybGQ=",  # base64 of "hello world"
        "PHOTO;ENCODING=b;TYPE=JPEG:%%%",
        "PHOTO:data:image/jpeg;base64,@@@",
    ):
        record = only_record(card("FN:Anna Meyer", photo))
        assert record.photo is None, photo


def test_a_percent_encoded_data_uri_photo_is_read():
    record = only_record(card("FN:Anna Meyer", "PHOTO:data:image/gif,GIF89a%01%00", version="4.0"))
    assert record.photo == b"GIF89a\x01\x00"


def test_escapes_that_mean_nothing_are_kept_as_written():
    record = only_record(card("FN:Anna Meyer", "NOTE:Folder C:\\Photos\\2020\\; done\\"))
    assert record.notes == ["Folder C:\\Photos\\2020; done\\"]


def test_bytes_that_are_not_utf8_are_read_as_windows_1252_never_kept_raw():
    data = b"BEGIN:VCARD\r\nFN:Ren\xe9 Meyer\r\nNOTE:caf\xe9 \x81\r\nEND:VCARD\r\n"
    record = only_record(data)
    assert record.first_name == "Ren\u00e9"
    assert record.notes == ["caf\u00e9 \ufffd"]  # 0x81 means nothing in Windows-1252


def test_base64_photo_lines_without_indent_still_belong_to_the_photo():
    photo = read_vcards((DATA / "vcard" / "outlook_2.1.vcf").read_bytes()).records[0].photo
    encoded = base64.b64encode(photo).decode()
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    record = only_record(
        card(
            "FN:Anna Meyer",
            f"PHOTO;ENCODING=BASE64;JPEG:{lines[0]}",
            *lines[1:],
            "",
            "TEL:1",
            version="2.1",
        )
    )
    assert record.photo == photo
    assert record.phones == [("", "1")]


def test_a_folded_line_holding_only_spaces_keeps_the_card():
    record = only_record(card("FN:Anna Meyer", "NOTE:before", "     ", " after"))
    assert record.notes == ["before    after"]


def test_note_lines_an_exporter_did_not_fold_stay_in_the_note():
    """Some exporters write a note's line breaks as they are, not as \\n: the lines
    after NOTE are no properties, but the note's next lines."""
    record = only_record(
        card(
            "FN:Mia Roth",
            "NOTE:Wedding 2019 in Hamburg",
            "likes warm tones",
            "Studio session: 2 hours\\, outdoors",
            "TEL;TYPE=CELL:+49 170 5555555",
        )
    )
    assert record.notes == [
        "Wedding 2019 in Hamburg\nlikes warm tones\nStudio session: 2 hours, outdoors"
    ]
    assert record.phones == [("mobile", "+49 170 5555555")]
    assert record.left_out == []


def test_a_line_that_is_no_property_costs_only_itself():
    """A property named in Latin-1 (X-GRÜSSE), and a stray line after a phone number."""
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Eins;Anna;;;\r\nFN:Anna Eins\r\n"
        b"X-GR\xdcSSE:hallo\r\nTEL;TYPE=HOME:+49 30 999999\r\nB\xc4D LINE\r\n"
        b"EMAIL:anna@example.org\r\nEND:VCARD\r\n"
    )
    record = only_record(data)
    assert (record.first_name, record.phones, record.emails) == (
        "Anna",
        [("home", "+49 30 999999")],
        [("", "anna@example.org")],
    )
    assert record.left_out == [
        "line 5 is not a vCard property: 'X-GRÜSSE:hallo'",
        "line 7 is not a vCard property: 'BÄD LINE'",
    ]


def test_a_quoted_printable_note_keeps_its_backslashes_as_written():
    """2.1 exporters quoted-print a note as it is, without backslash escapes (hypothesis
    found "\\\\" read back as "\\")."""
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:C:\\\\Photos\\n=0D=0Anext\r\nEND:VCARD\r\n"
    )
    [record] = read_vcards(data.encode()).records
    assert record.notes == ["C:\\\\Photos\\n\nnext"]
