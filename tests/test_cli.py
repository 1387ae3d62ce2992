"""`main.py import` and `main.py export`, run as the user runs them: a real process on
real files, checked by exit code, output and what the database holds afterwards."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reader_expectations import DATA
from tests.test_single_instance import ROOT

CARDS = """BEGIN:VCARD
VERSION:3.0
N:Berger;Anna;;;
FN:Anna Berger
EMAIL;TYPE=home:anna@x.org
TEL;TYPE=cell:+49 171 5550101
BDAY:--0415
CATEGORIES:VIP,wedding
NOTE:Loves film\\, cameras
END:VCARD
BEGIN:VCARD
VERSION:3.0
EMAIL:info@studio.de
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Jens Ortmann
N:Ortmann;Jens;;;
ORG:Ortmann Design
TEL:040 5550199
END:VCARD
"""

JENS_AGAIN = """BEGIN:VCARD
VERSION:4.0
FN:Jens Ortmann
N:Ortmann;Jens;;;
ORG:Another company
EMAIL:jens@ortmann.de
TEL:+49 40 5550199
END:VCARD
"""

ANNA_AGAIN = """BEGIN:VCARD
VERSION:4.0
FN:Anna Berger
N:Berger;Anna;;;
ORG:Studio Berger
EMAIL:Anna@X.org
TEL:+49 171 5550102
END:VCARD
"""


def rapport_env(tmp_path: Path, locale: str = "C.UTF-8") -> dict[str, str]:
    """The environment `main.py` runs in here: its own data and log folders, never the
    user's database."""
    return {
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
        "LANG": locale,
    }


def rapport(tmp_path: Path, *args: object, locale: str = "C.UTF-8") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        env=rapport_env(tmp_path, locale),
        timeout=120,
    )


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def dump(database: Path) -> dict[str, list[tuple]]:
    """Every row of every Rapport table, read without Rapport."""
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '%search%'"
            )
        ]
        return {
            t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
        }


@pytest.fixture
def cards(tmp_path) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS)
    return path


def test_importing_a_vcard_file_says_what_happens_to_each_card(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    done = rapport(tmp_path, "import", cards, "--db", database)
    assert done.returncode == 1, done.stderr  # one card was rejected
    assert done.stdout.splitlines() == [
        "line 1: add Anna Berger — 1 email, 1 phone, birthday 15 Apr, 1 note, 2 tags",
        "line 11: rejected: it has no name (only info@studio.de); add a name in your address "
        "book and export again",
        "line 15: add Jens Ortmann — 1 phone",
        "Added 2 clients; 1 record rejected.",
    ]
    assert rows(database, "SELECT first_name, last_name, organization FROM client ORDER BY id") == [
        ("Anna", "Berger", ""),
        ("Jens", "Ortmann", "Ortmann Design"),
    ]
    assert rows(database, "SELECT text FROM note") == [("Loves film, cameras",)]
    assert rows(database, "SELECT kind, month, day, year FROM important_date") == [
        ("birthday", 4, 15, None)
    ]


def test_known_people_are_skipped_or_merged_with_merge(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    again = tmp_path / "anna.vcf"
    again.write_text(ANNA_AGAIN)
    before = dump(database)

    skipped = rapport(tmp_path, "import", again, "--db", database)
    assert (skipped.returncode, skipped.stdout.splitlines()) == (
        0,
        [
            "line 1: skip Anna Berger — 1 email, 1 phone (same email Anna@X.org as Anna Berger)",
            "Added 0 clients, skipped 1.",
        ],
    )
    assert dump(database) == before

    merged = rapport(tmp_path, "import", again, "--db", database, "--merge")
    assert merged.returncode == 0 and merged.stdout.splitlines()[-1] == "Added 0 clients, merged 1."
    assert rows(database, "SELECT organization FROM client WHERE first_name = 'Anna'") == [
        ("Studio Berger",)  # she had none: filled in
    ]
    assert rows(
        database,
        "SELECT kind, value FROM contact_detail WHERE client_id = 1 ORDER BY kind, position",
    ) == [("email", "anna@x.org"), ("phone", "+49 171 5550101"), ("phone", "+49 171 5550102")]


def test_a_phone_match_is_only_possible_and_never_merged(tmp_path, cards):
    """A shared number (a studio's, a family's) says nothing certain: the person is added,
    and the line says whom they may be. The number is compared whole, read in the
    locale's country when written without one."""
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    again = tmp_path / "jens.vcf"
    again.write_text(JENS_AGAIN)

    merged = rapport(tmp_path, "import", again, "--db", database, "--merge", locale="de_DE.UTF-8")
    assert (merged.returncode, merged.stdout.splitlines()) == (
        0,
        [
            "line 1: add Jens Ortmann — 1 email, 1 phone (possibly: same phone +49 40 5550199 "
            "as Jens Ortmann)",
            "Added 1 client.",
        ],
    )
    assert rows(database, "SELECT organization FROM client WHERE first_name = 'Jens'") == [
        ("Ortmann Design",),
        ("Another company",),
    ]


def test_a_merge_keeps_her_birthday_and_says_the_file_gives_another(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    again = tmp_path / "anna.vcf"
    again.write_text(ANNA_AGAIN.replace("END:VCARD", "BDAY:--0416\nEND:VCARD"))
    merged = rapport(tmp_path, "import", again, "--db", database, "--merge")
    assert merged.stdout.splitlines()[0] == (
        "line 1: merge Anna Berger — 1 email, 1 phone, birthday 16 Apr (same email Anna@X.org "
        "as Anna Berger; birthday differs: 15 Apr here, 16 Apr in the file — a merge keeps "
        "15 Apr and adds the file's as a note)"
    )
    assert rows(database, "SELECT month, day FROM important_date") == [(4, 15)]
    assert rows(database, "SELECT text FROM note ORDER BY id") == [
        ("Loves film, cameras",),
        ("The imported file gave another birthday: 16 Apr (kept 15 Apr)",),
    ]


# A couple sharing one address, as Apple Contacts exports them, and Anna once more from
# her phone's address book: no UID, no last name, the same address.
MEYERS = """BEGIN:VCARD
VERSION:3.0
UID:u-anna
N:Meyer;Anna;;;
FN:Anna Meyer
EMAIL;TYPE=INTERNET;TYPE=HOME:family@example.org
TEL;TYPE=CELL:+49 171 1111111
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:u-ben
N:Meyer;Ben;;;
FN:Ben Meyer
EMAIL;TYPE=INTERNET;TYPE=HOME:family@example.org
TEL;TYPE=CELL:+49 171 2222222
NOTE:Ben likes B/W
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;Anna;;;
FN:Anna
EMAIL:Family@Example.org
TEL:+49 30 5550123
END:VCARD
"""


def test_people_sharing_an_email_stay_two_and_a_person_twice_is_said_to_be_joined(tmp_path):
    """An email is shared by a family as a phone is: only with the names agreeing (and no
    two UIDs) is it the same person twice, and the line says which lines were joined."""
    database = tmp_path / "rapport.sqlite"
    meyers = tmp_path / "meyers.vcf"
    meyers.write_text(MEYERS)
    done = rapport(tmp_path, "import", meyers, "--db", database)
    assert (done.returncode, done.stdout.splitlines()) == (
        0,
        [
            "line 1: add Anna Meyer — 2 emails, 2 phones"  # the same one twice: written once
            "; line 18 is the same person as line 1: merged into one",
            "line 9: add Ben Meyer — 1 email, 1 phone, 1 note",
            "Added 2 clients.",
        ],
    )
    assert rows(
        database,
        "SELECT first_name, kind, value FROM contact_detail JOIN client ON client.id = client_id"
        " ORDER BY client.id, kind, position",
    ) == [
        ("Anna", "email", "family@example.org"),
        ("Anna", "phone", "+49 171 1111111"),
        ("Anna", "phone", "+49 30 5550123"),
        ("Ben", "email", "family@example.org"),
        ("Ben", "phone", "+49 171 2222222"),
    ]
    assert rows(
        database, "SELECT first_name, text FROM note JOIN client ON client.id = client_id"
    ) == [("Ben", "Ben likes B/W")]


def test_a_dry_run_writes_nothing(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    nothing_yet = rapport(tmp_path, "import", cards, "--db", database, "--dry-run")
    assert nothing_yet.returncode == 1
    assert nothing_yet.stdout.splitlines()[-1] == (
        "Dry run: Added 2 clients; 1 record rejected. Nothing was written."
    )
    assert not database.exists()

    rapport(tmp_path, "import", cards, "--db", database)
    before = (database.read_bytes(), dump(database))
    again = rapport(tmp_path, "import", cards, "--db", database, "--dry-run", "--merge")
    assert again.stdout.splitlines()[0].startswith("line 1: merge Anna Berger")
    assert (database.read_bytes(), dump(database)) == before


def test_a_csv_file_is_imported_too(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address,Birthday\n"
        "Lea,Brandt,lea@x.org,1990-03-01\n"
        "Tom,Meyer,tom@x.org,1985-02-30\n",
        encoding="utf-8",
    )
    database = tmp_path / "rapport.sqlite"
    done = rapport(tmp_path, "import", path, "--db", database)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "line 2: add Lea Brandt — 1 email, birthday 1 Mar 1990"
    assert lines[1:3] == [
        "line 3: add Tom Meyer — 1 email",
        "line 3: Tom Meyer: birthday 1985-02-30 does not exist "
        "(February has only 28 days); kept the rest",
    ]
    assert rows(database, "SELECT first_name FROM client") == [("Lea",), ("Tom",)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.vcf", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "binary"),
        ("empty.csv", b"", "empty"),
        ("all.zip", b"PK\x03\x04 not really a zip", "not a Rapport archive"),
    ],
)
def test_a_file_that_cannot_be_read_changes_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    database = tmp_path / "rapport.sqlite"
    done = rapport(tmp_path, "import", path, "--db", database)
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""
    assert not database.exists()


def test_a_missing_file_or_a_database_that_is_not_one_exit_2(tmp_path, cards):
    missing = rapport(tmp_path, "import", tmp_path / "nope.vcf", "--db", tmp_path / "r.sqlite")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("my notes")
    done = rapport(tmp_path, "import", cards, "--db", not_a_database)
    assert done.returncode == 2 and "not a Rapport database" in done.stderr
    assert not_a_database.read_text() == "my notes"


def test_export_vcard_and_import_it_elsewhere(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    out = tmp_path / "out.vcf"
    done = rapport(tmp_path, "export", "vcard", out, "--db", database)
    assert (done.returncode, done.stdout.splitlines()) == (
        0,
        [
            f"Wrote 2 clients to {out}",
            "Private notes were left out (1 note of 1 client). Add --with-notes to include them.",
        ],
    )
    assert "Loves film" not in out.read_text()
    other = tmp_path / "other.sqlite"
    again = rapport(tmp_path, "import", out, "--db", other)
    assert again.returncode == 0, again.stdout
    assert rows(other, "SELECT first_name, last_name FROM client ORDER BY id") == [
        ("Anna", "Berger"),
        ("Jens", "Ortmann"),
    ]
    assert rows(other, "SELECT uid FROM client ORDER BY id") == rows(
        database, "SELECT uid FROM client ORDER BY id"
    )  # the same people, for an address book or a server that syncs them


def test_export_vcard_with_notes_says_nothing_was_left_out(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    out = tmp_path / "out.vcf"
    done = rapport(tmp_path, "export", "vcard", out, "--db", database, "--with-notes")
    assert (done.returncode, done.stdout.splitlines()) == (0, [f"Wrote 2 clients to {out}"])
    assert "NOTE:Loves film\\, cameras" in out.read_text()
    assert "VERSION:3.0" in out.read_text()
    four = rapport(tmp_path, "export", "vcard", out, "--db", database, "--vcard-version", "4.0")
    assert four.returncode == 0 and "VERSION:4.0" in out.read_text()


def test_a_full_export_restores_an_identical_database_only_into_an_empty_one(tmp_path, cards):
    database = tmp_path / "rapport.sqlite"
    rapport(tmp_path, "import", cards, "--db", database)
    archive = tmp_path / "everything.zip"
    done = rapport(tmp_path, "export", "full", archive, "--db", database)
    assert (done.returncode, done.stdout.strip()) == (
        0,
        f"Wrote everything (2 clients) to {archive}",
    )

    copy = tmp_path / "copy.sqlite"
    restored = rapport(tmp_path, "import", archive, "--db", copy)
    assert (restored.returncode, restored.stdout.strip()) == (
        0,
        "Restored 2 clients and everything about them.",
    )
    assert dump(copy) == dump(database)

    before = dump(database)
    refused = rapport(tmp_path, "import", archive, "--db", database)
    assert refused.returncode == 2 and "already has clients" in refused.stderr
    assert dump(database) == before


def test_export_needs_an_existing_database(tmp_path):
    for kind in ("vcard", "ics", "full"):
        done = rapport(tmp_path, "export", kind, tmp_path / "out", "--db", tmp_path / "none.sqlite")
        assert done.returncode == 2 and "there is no database" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]


def test_restoring_an_archive_says_which_settings_it_took_and_which_it_left(tmp_path, cards):
    database, archive, copy = tmp_path / "rapport.sqlite", tmp_path / "all.zip", tmp_path / "c"
    rapport(tmp_path, "import", cards, "--db", database)
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            [("calendar_file", str(tmp_path / "victim.txt")), ("your_name", "Mira")],
        )
    rapport(tmp_path, "export", "full", archive, "--db", database)
    restored = rapport(tmp_path, "import", archive, "--db", copy)
    assert restored.returncode == 0
    assert restored.stdout.splitlines()[-1] == (
        "Settings taken from the archive: your name. "
        "Settings left as they are on this computer: calendar file."
    )
    assert rows(copy, "SELECT key, value FROM setting") == [("your_name", "Mira")]


def test_a_csv_whose_encoding_cannot_be_told_is_refused_with_the_likely_ones(tmp_path):
    """A short Hebrew Windows-1255 file reads as Cyrillic too: exit 2 naming the likely
    encodings and --encoding, nothing written; with --encoding it imports in Hebrew."""
    path = DATA / "csv" / "encoding_windows_1255.csv"
    database = tmp_path / "rapport.sqlite"
    unsure = rapport(tmp_path, "import", path, "--db", database)
    assert unsure.returncode == 2 and unsure.stdout == ""
    assert "Windows-1255 (Hebrew): --encoding cp1255" in unsure.stderr
    assert not database.exists()
    done = rapport(tmp_path, "import", path, "--db", database, "--encoding", "cp1255")
    assert done.returncode == 0, done.stderr
    assert ("דוד", "כהן") in rows(database, "SELECT first_name, last_name FROM client")


def test_a_shift_jis_csv_is_imported_in_japanese(tmp_path):
    database = tmp_path / "rapport.sqlite"
    path = DATA / "csv" / "encoding_shift_jis.csv"
    done = rapport(tmp_path, "import", path, "--db", database)
    assert done.returncode == 0, done.stderr
    names = rows(database, "SELECT first_name, last_name FROM client ORDER BY id")
    assert names == [("太郎", "山田"), ("花子", "佐藤"), ("健一", "鈴木")]


def test_an_unknown_encoding_is_refused_in_words(tmp_path):
    path = DATA / "csv" / "encoding_windows_1255.csv"
    done = rapport(tmp_path, "import", path, "--db", tmp_path / "r.sqlite", "--encoding", "x")
    assert done.returncode == 2 and "does not know the encoding 'x'" in done.stderr


@pytest.mark.parametrize("name", ["birthdays.ics", "birthdays.txt"])
def test_a_calendar_file_is_said_to_be_a_calendar(tmp_path, name):
    path = tmp_path / name
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    done = rapport(tmp_path, "import", path, "--db", tmp_path / "r.sqlite")
    assert done.returncode == 2 and "calendar file" in done.stderr
