"""Fuzzing the vCard and CSV readers: whatever the bytes, no crash and no half a record.

Every outcome is either UnreadableFile, or records that each have a first name, real
dates and family members with a name, and rejections whose line is inside the file; a
phone or a date as people write them (extensions, pauses, RFC 6350's reduced precision)
never costs the person. Inputs: random bytes and text,
the corpus files (tests/data) cut, shuffled and sprinkled with junk, and well-formed
files whose field values are random.

About 2,000 cases in all for CI; RAPPORT_FUZZ=soak runs ten times as many.
"""

from __future__ import annotations

import csv
import io
import os
import quopri
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.importing.csv_reader import read_csv
from models.importing.date_text import DateTextError, read_date
from models.importing.plan import with_savable_values
from models.importing.records import ReadResult, UnreadableFile
from models.importing.vcard_reader import read_vcards
from models.kinds import IMPORTANT_DATE_KINDS, RELATIONS
from models.partial_dates import partial_date_error
from tests.reader_expectations import DATA

settings.register_profile(
    "import-fuzz",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "import-fuzz-soak",
    parent=settings.get_profile("import-fuzz"),
    deadline=None,
)
SOAK = os.environ.get("RAPPORT_FUZZ") == "soak"
PROFILE = settings.get_profile("import-fuzz-soak" if SOAK else "import-fuzz")


def fuzz(examples: int):
    """Settings for one test: `examples` cases in CI, ten times that in a soak run."""
    return settings(PROFILE, max_examples=examples * (10 if SOAK else 1))


VCARDS = [p.read_bytes() for p in sorted((DATA / "vcard").glob("*.vcf"))]
CSVS = [p.read_bytes() for p in sorted((DATA / "csv").glob("*.csv"))]
READERS = {"vcard": read_vcards, "csv": read_csv}
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks are text


def line_count(data: bytes) -> int:
    """Physical lines, counted as generously as any decoding of `data` could count them."""
    counts = [len(re.split(rb"\r\n|\r|\n", data))]
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-8"):
        text = data.decode(encoding, errors="replace")
        counts.append(len(re.split(r"\r\n|\r|\n", text)))
    return max(counts)


def assert_sound(result: ReadResult, data: bytes) -> None:
    """The promises every read keeps, whatever the input."""
    last = line_count(data)
    starts = [r.line for r in result.records] + [r.line for r in result.rejected]
    assert all(1 <= line <= last for line in starts), (starts, last)
    assert len(set(starts)) == len(starts), starts
    for record in result.records:
        assert record.first_name.strip(), record
        texts = [record.first_name, record.last_name, record.preferred_name, record.organization]
        texts += [
            t
            for pairs in (record.emails, record.phones, record.addresses)
            for p in pairs
            for t in p
        ]
        texts += record.notes + record.tags + [d.label for d in record.dates]
        for text in texts:
            text.encode("utf-8")  # no lone surrogates from undecodable bytes
            assert not CONTROLS.search(text), text
        for date in record.dates:
            assert date.kind in IMPORTANT_DATE_KINDS, date
            assert partial_date_error(date.day, date.month, date.year) is None, date
            assert date.kind != "custom" or date.label.strip(), date
        assert record.photo is None or len(record.photo) > 0
        for relation, name in record.family:
            assert relation in RELATIONS and name.strip() and not CONTROLS.search(name), record
        assert all(reason.strip() for reason in record.left_out), record
    for rejected in result.rejected:
        assert rejected.reason.strip()
        rejected.reason.encode("utf-8")


def read_soundly(reader: str, data: bytes) -> ReadResult | None:
    try:
        result = READERS[reader](data)
    except UnreadableFile as error:
        assert str(error).strip()
        return None
    assert_sound(result, data)
    return result


# Random input -------------------------------------------------------------------------


@fuzz(250)
@given(reader=st.sampled_from(sorted(READERS)), data=st.binary(max_size=3000))
def test_random_bytes(reader, data):
    read_soundly(reader, data)


@fuzz(250)
@given(
    reader=st.sampled_from(sorted(READERS)),
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=1500),
    prefix=st.sampled_from(["", "BEGIN:VCARD\r\n", "Name,Email,Birthday\r\n", "\ufeff"]),
)
def test_random_text(reader, text, prefix):
    read_soundly(reader, (prefix + text).encode("utf-8"))


# The corpus, damaged ------------------------------------------------------------------

JUNK_LINES = [
    b"BEGIN:VCARD",
    b"END:VCARD",
    b"BDAY:2023-02-30",
    b"N:;;;;",
    b"FN:",
    b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=",
    b"PHOTO;ENCODING=b:@@@",
    b" folded continuation",
    b"item1.X-ABLabel:_$!<Anniversary>!$_",
    b'"',
    b'Anna,"Meyer',
    b";;;;;;;;",
    b"sep=;",
    b"\x00\x01\x02",
    b"\xff\xfe",
    b"",
]


@st.composite
def damaged(draw, files: list[bytes]) -> bytes:
    """A corpus file after one to five random edits of its lines or bytes."""
    lines = draw(st.sampled_from(files)).split(b"\n")
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        edit = draw(
            st.sampled_from(["cut", "delete", "duplicate", "swap", "junk", "bytes", "flip"])
        )
        if edit == "cut":
            data = b"\n".join(lines)
            lines = data[: draw(st.integers(0, len(data)))].split(b"\n")
        elif edit == "delete" and lines:
            del lines[at]
        elif edit == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif edit == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "junk":
            lines.insert(at, draw(st.sampled_from(JUNK_LINES)) + b"\r")
        elif edit == "bytes" and lines:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(st.binary(min_size=1, max_size=12)) + line[cut:]
        elif edit == "flip" and lines and lines[at]:
            line = bytearray(lines[at])
            line[draw(st.integers(0, len(line) - 1))] ^= 1 << draw(st.integers(0, 7))
            lines[at] = bytes(line)
    return b"\n".join(lines)


@fuzz(400)
@given(data=damaged(VCARDS))
def test_damaged_vcard_files(data):
    read_soundly("vcard", data)


@fuzz(400)
@given(data=damaged(CSVS))
def test_damaged_csv_files(data):
    read_soundly("csv", data)


# Well-formed files, random values -----------------------------------------------------

# What people type: no control characters (random bytes and text bring those), and on one
# line, so that each property stays one property.
TYPED = st.characters(
    codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="\u2028\u2029"
)
ONE_LINE = st.text(alphabet=TYPED, max_size=40)


@st.composite
def date_texts(draw) -> str:
    """Date-like text: real, impossible, partial and placeholder dates in every form."""
    year = draw(st.sampled_from([0, 1604, 1900, 1985, 2000, 2023, 2024, 9999]))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    form = draw(
        st.sampled_from(
            [
                "{y:04}-{m:02}-{d:02}",
                "{y:04}{m:02}{d:02}",
                "--{m:02}{d:02}",
                "--{m:02}-{d:02}",
                "{y:04}-{m:02}-{d:02}T23:30:00-05:00",
                "{y:04}{m:02}{d:02}T000000Z",
                "{d}.{m}.{y}",
                "{m}/{d}/{y}",
                "{d}.{m}.",
                "{y:04}-{m:02}",
                "{y:04}",  # RFC 6350's reduced precision: a year, a day, a month alone
                "---{d:02}",
                "--{m:02}",
                "circa {y}",  # VALUE=text
                "{name} {d}",
                "{d} {name}",
                "{name} {d}, {y}",
            ]
        )
    )
    name = draw(st.sampled_from(["April", "Apr", "Sept", "Ju", "Mai", "Foo"]))
    return form.format(y=year, m=month, d=day, name=name)


@st.composite
def phone_texts(draw) -> str:
    """Numbers as people write them: a number, then an extension, pauses or vanity letters,
    or a service code."""
    digits = st.text(alphabet="0123456789", min_size=3, max_size=12)
    number = draw(st.sampled_from(["+1 555 ", "+49 (30) ", "0", "1-800-", ""])) + draw(digits)
    tail = draw(
        st.sampled_from(
            ["", " x{n}", " ext. {n}", ";ext={n}", ",,{n}", ";{n}#", "p{n}w{n}", "-ELEPHANT"]
        )
    )
    if draw(st.booleans()) and not tail:
        return "*" + draw(digits) + "#"
    return number + tail.format(n=draw(digits))


PROPERTIES = [
    "N", "FN", "NICKNAME", "ORG", "EMAIL", "TEL", "ADR", "NOTE", "CATEGORIES", "BDAY",
    "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-ABDATE", "X-ABLabel", "PHOTO",
    "X-ANDROID-CUSTOM", "RELATED", "X-ABRELATEDNAMES", "KIND", "X-SOCIALPROFILE",
]  # fmt: skip
PARAMETERS = [
    "",
    ";TYPE=HOME",
    ";type=INTERNET;type=WORK;type=pref",
    ";CELL;PREF",
    ';TYPE="voice,cell"',
    ";ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8",
    ";CHARSET=Windows-1252",
    ";CHARSET=NOPE",
    ";ENCODING=b;TYPE=JPEG",
    ";X-APPLE-OMIT-YEAR=1604",
    ";VALUE=text",
]


@st.composite
def cards(draw) -> tuple[bytes, int]:
    """A file of well-formed cards with random properties, and how many cards it has."""
    count = draw(st.integers(1, 4))
    lines = []
    for _ in range(count):
        lines += ["BEGIN:VCARD", f"VERSION:{draw(st.sampled_from(['2.1', '3.0', '4.0']))}"]
        for _ in range(draw(st.integers(0, 8))):
            name = draw(st.sampled_from(PROPERTIES))
            group = draw(st.sampled_from(["", "item1."]))
            value = draw(date_texts()) if "DAY" in name or "ANNIV" in name or "DATE" in name else ""
            value = value or (draw(phone_texts()) if name == "TEL" else "")
            value = value or draw(ONE_LINE)
            lines.append(f"{group}{name}{draw(st.sampled_from(PARAMETERS))}:{value}")
        lines.append("END:VCARD")
    newline = draw(st.sampled_from(["\r\n", "\n", "\r\r\n"]))  # the last, an iPhone's
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be"]))
    return newline.join(lines).encode(encoding), count


@fuzz(300)
@given(generated=cards())
def test_cards_with_random_values(generated):
    data, count = generated
    result = read_soundly("vcard", data)
    assert result is not None
    assert len(result.records) + len(result.rejected) == count


@fuzz(300)
@given(phone=phone_texts(), bday=date_texts(), version=st.sampled_from(["2.1", "3.0", "4.0"]))
def test_any_phone_or_date_value_costs_at_most_itself(phone, bday, version):
    """The person is always kept; the phone as written; the date as a date, as a note
    with its text, or left out with a word naming it."""
    data = f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:Anna Meyer\r\nTEL:{phone}\r\n"
    data += f"BDAY:{bday}\r\nEND:VCARD\r\n"
    [read] = read_soundly("vcard", data.encode()).records
    record, left_out = with_savable_values(read)  # what the import will write
    assert record.phones == [("", phone)]
    birthday = [d for d in record.dates if d.kind == "birthday"]
    noted = record.notes == [f"Birthday: {bday}"]
    said = any(bday in reason for reason in left_out)
    assert [bool(birthday), noted, said].count(True) == 1 or read_date_is_empty(bday)


def read_date_is_empty(text: str) -> bool:
    """Outlook's "no date" (0/0/00, a day and month of 0 without a year) is nothing to keep."""
    try:
        return read_date(text) is None
    except DateTextError:
        return False


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


NOTE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=200)


@fuzz(100)
@given(note=NOTE_TEXT, name=st.sampled_from(["Zoë", "陈美", "Anna 🌿"]), width=st.integers(1, 76))
def test_any_note_survives_escaping_folding_and_quoted_printable(note, name, width):
    """A note written by a 3.0 exporter (escaped, folded) and by a 2.1 one (quoted-printable
    with soft line breaks anywhere, even inside a character) reads back as it was."""
    value = escaped(note)
    folded = "\r\n ".join(value[i : i + width] for i in range(0, len(value), width))
    encoded = quopri.encodestring(note.encode("utf-8")).decode("ascii").replace("=\n", "")
    tokens = re.findall(r"=[0-9A-F]{2}|.", encoded.replace("\n", "=0A"), flags=re.DOTALL)
    soft = "=\r\n".join("".join(tokens[i : i + width]) for i in range(0, len(tokens), width))
    for note_line in (f"NOTE:{folded}", f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{soft}"):
        data = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{note_line}\r\nEND:VCARD\r\n"
        [record] = read_soundly("vcard", data.encode("utf-8")).records
        kept = CONTROLS.sub("", note).strip()  # control characters are dropped
        assert record.notes == ([kept] if kept else []), note_line


CSV_HEADERS = [
    [
        "First Name",
        "Last Name",
        "Birthday",
        "Notes",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
    ],
    [
        "First Name",
        "Last Name",
        "E-mail Address",
        "Mobile Phone",
        "Birthday",
        "Anniversary",
        "Notes",
    ],
    ["Name", "Email", "Phone", "Birthday", "Notes", "Tags"],
    ["First Name", "Relation 1 - Type", "Relation 1 - Value", "Phone 1 - Value", "Birthday"],
    ["First Name", "Last Name", "E-mail Address", "Home Phone", "Spouse", "Children"],
]


@st.composite
def csv_files(draw) -> tuple[bytes, int]:
    """A well-quoted CSV file with random cells, and how many of its rows are not blank."""
    header = draw(st.sampled_from(CSV_HEADERS))
    typed = st.text(alphabet=st.one_of(TYPED, st.sampled_from('\n\r\t",;')), max_size=30)
    cell = st.one_of(date_texts(), phone_texts(), typed, st.sampled_from(["", " ", '"', "0/0/00"]))
    rows = draw(st.lists(st.lists(cell, min_size=1, max_size=len(header) + 2), max_size=6))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    return data, sum(1 for row in rows if any(c.strip() for c in row))


@fuzz(300)
@given(generated=csv_files())
def test_csv_rows_with_random_values(generated):
    data, rows = generated
    result = read_soundly("csv", data)
    assert result is not None
    assert len(result.records) + len(result.rejected) == rows
