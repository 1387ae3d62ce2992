"""Planning and applying an import: matching duplicates, add / skip / merge, and one
transaction that leaves the database untouched when it fails or is cancelled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.clients.entries import save_important_date
from models.clients.saving import client_tags, save_client
from models.exchange.importing.apply import ClientGone, NewClients, apply_import
from models.exchange.importing.matching import Match
from models.exchange.importing.plan import MAX_PHOTO_BYTES, Choice, plan_import
from models.exchange.importing.records import ImportedDate, ImportRecord, ReadResult, RejectedRecord
from models.exchange.importing.vcard_reader import read_vcards
from models.forms.dialog_forms import ClientForm, ImportantDateForm
from models.store.entities import Client, ClientPhoto, ContactDetail, ImportantDate, Note
from tests.database_dump import dump_tables

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def anna(line: int = 1, **changes) -> ImportRecord:
    fields = dict(
        line=line,
        first_name="Anna",
        last_name="Berger",
        emails=[("home", "anna@x.org"), ("work", "a.berger@studio.de")],
        phones=[("mobile", "+49 171 5550101")],
        addresses=[("home", "Hauptstr. 1, 10115 Berlin"), ("", "Studio Nord, Hamburg")],
        notes=["Loves film cameras", "Two kids"],
        tags=["VIP", "#vip", "wedding", "Ärztin"],
        dates=[ImportedDate("birthday", 4, 15), ImportedDate("wedding_anniversary", 6, 3, 2019)],
        photo=PNG,
    )
    return ImportRecord(**(fields | changes))


def contacts(client_id: int) -> list[tuple[str, str, str]]:
    query = (
        ContactDetail.select()
        .where(ContactDetail.client == client_id)
        .order_by(ContactDetail.kind, ContactDetail.position)
    )
    return [(row.kind, row.label, row.value) for row in query]


def dates(client_id: int) -> list[tuple]:
    query = (
        ImportantDate.select().where(ImportantDate.client == client_id).order_by(ImportantDate.id)
    )
    return [(d.kind, d.month, d.day, d.year, d.label, d.lead_days) for d in query]


def notes(client_id: int) -> list[str]:
    return [n.text for n in Note.select().where(Note.client == client_id).order_by(Note.id)]


def test_the_plan_says_what_each_record_brings(database):
    plan = plan_import(ReadResult([anna()]))
    [planned] = plan.records
    assert planned.summary == (
        "Anna Berger — 2 emails, 1 phone, 2 addresses, birthday 15 Apr, "
        "wedding anniversary 3 Jun 2019, 2 notes, 4 tags, photo"
    )
    assert (planned.match, planned.default, planned.choices) == (
        None,
        Choice.ADD,
        (Choice.ADD, Choice.SKIP),
    )
    assert plan_import(ReadResult([ImportRecord(2, "Jens")])).records[0].summary == "Jens"


def test_a_new_person_is_added_with_everything_they_bring(database):
    outcome = apply_import(plan_import(ReadResult([anna()])))
    [client_id] = outcome.added
    client = Client.get_by_id(client_id)
    assert (client.first_name, client.last_name, client.stage) == ("Anna", "Berger", "customer")
    assert client.address == "Home: Hauptstr. 1, 10115 Berlin\nStudio Nord, Hamburg"
    assert contacts(client_id) == [
        ("email", "home", "anna@x.org"),
        ("email", "work", "a.berger@studio.de"),
        ("phone", "mobile", "+49 171 5550101"),
    ]
    # One tag per folded name, the first spelling kept (as the client form does).
    assert client_tags(client_id) == ["Ärztin", "VIP", "wedding"]
    assert notes(client_id) == ["Loves film cameras", "Two kids"]
    assert dates(client_id) == [
        ("birthday", 4, 15, None, "", 0),
        ("wedding_anniversary", 6, 3, 2019, "", 7),
    ]
    assert ClientPhoto.get_by_id(client_id).image == PNG
    assert outcome.summary() == "Added 1 client."


def _anna() -> Client:
    return save_client(
        ClientForm(
            first_name="Ánna", last_name="Berger", emails="anna@x.org", phones="+49 171 5550101"
        )
    )


def test_a_person_with_a_clients_email_is_known_and_skipped_by_default(database):
    existing = _anna()
    # Her first name as another address book has it, without the last: still her.
    plan = plan_import(ReadResult([ImportRecord(1, "Anna", emails=[("", " ANNA@X.ORG ")])]))
    [planned] = plan.records
    assert planned.match == Match(existing.id, "Ánna Berger", "same email ANNA@X.ORG", True)
    assert planned.default == Choice.SKIP and plan.merge_choices() == {0: Choice.MERGE}
    before = dump_tables()
    outcome = apply_import(plan)
    assert (outcome.added, outcome.skipped, dump_tables()) == ([], 1, before)


def test_someone_else_writing_from_a_client_s_address_is_only_possibly_them(database):
    """As found: a couple shares one address, and Ben's card was taken for Anna, whose
    email it has: skipped by default (or merged into her), Ben was lost. Once both are
    clients, each card finds its own."""
    existing = save_client(ClientForm(first_name="Anna", last_name="Meyer", emails="fam@x.org"))
    ben = ImportRecord(1, "Ben", "Meyer", emails=[("home", "fam@x.org")])
    [planned] = plan_import(ReadResult([ben])).records
    why = "possibly: same email fam@x.org"
    assert planned.match == Match(existing.id, "Anna Meyer", why, False)
    assert planned.default == Choice.ADD
    [ben_id] = apply_import(plan_import(ReadResult([ben]))).added
    for record, client_id in ((ben, ben_id), (replace(ben, first_name="ANNA"), existing.id)):
        [planned] = plan_import(ReadResult([record])).records
        assert (planned.match.client_id, planned.match.certain) == (client_id, True)


def test_a_card_with_the_family_s_address_first_is_found_by_its_own(database):
    """The review's case: Ben's card lists the family's address before his own; the
    first, Anna's too, must not hide the second, Ben's alone."""
    save_client(ClientForm(first_name="Anna", last_name="Meyer", emails="fam@x.org"))
    ben = save_client(ClientForm(first_name="Ben", last_name="Meyer", emails="ben@x.org"))
    card = ImportRecord(1, "Ben", "Meyer", emails=[("home", "fam@x.org"), ("work", "ben@x.org")])
    [planned] = plan_import(ReadResult([card])).records
    assert planned.match == Match(ben.id, "Ben Meyer", "same email ben@x.org", True)


@pytest.mark.parametrize(("known", "incoming"), [("Dan", "Daniela"), ("John", "Jo")])
def test_a_name_that_only_begins_alike_is_another_person(database, known, incoming):
    """ "Dan" and "Daniela" Lee sharing their address were merged into one ("Dan"), and
    "Jo" was taken for "John", her father, and skipped: a first name that only begins
    like another is for the owner to judge."""
    in_file = [ImportRecord(line, name, "Lee", emails=[("", "lees@x.org")]) for line, name in (
        (1, known), (2, incoming)
    )]  # fmt: skip
    assert [planned.name for planned in plan_import(ReadResult(in_file)).records] == [
        f"{known} Lee",
        f"{incoming} Lee",
    ]
    apply_import(plan_import(ReadResult(in_file[:1])))  # the known one is a client
    [planned] = plan_import(ReadResult(in_file[1:])).records
    assert planned.match.why == "possibly: same email lees@x.org"
    assert planned.default == Choice.ADD


@pytest.mark.parametrize(
    ("record", "why"),
    [
        (ImportRecord(1, "Someone", phones=[("", "0171-555 0101")]), "same phone 0171-555 0101"),
        (ImportRecord(1, "anna", "BERGER"), "same name"),
    ],
)
def test_a_person_with_a_clients_phone_or_name_is_only_possibly_them_and_added(
    database, monkeypatch, record, why
):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # "0171..." is read as a German number
    monkeypatch.delenv("LC_ALL", raising=False)
    existing = _anna()
    plan = plan_import(ReadResult([record]))
    [planned] = plan.records
    assert planned.match == Match(existing.id, "Ánna Berger", f"possibly: {why}", False)
    assert planned.default == Choice.ADD and plan.merge_choices() == {0: Choice.ADD}
    assert Choice.MERGE in planned.choices  # the user may still merge, knowingly
    assert len(apply_import(plan).added) == 1


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("+44 20 7946 0958", "+1 207 946 0958"),  # London is not Maine
        ("+1 408 555 1234", "+49 408 555 1234"),  # nor California Germany
        ("+49 171 5550101 ext. 12", "+33 171 5550101"),
    ],
)
def test_numbers_of_other_countries_never_match_though_their_last_digits_do(database, theirs, ours):
    save_client(ClientForm(first_name="Oliver", phones=ours))
    plan = plan_import(ReadResult([ImportRecord(1, "Camille", phones=[("", theirs)])]))
    assert plan.records[0].match is None
    assert plan.merge_choices() == {0: Choice.ADD}


def test_short_numbers_and_other_names_do_not_match(database):
    save_client(ClientForm(first_name="Anna", last_name="Berger", phones="112"))
    plan = plan_import(ReadResult([ImportRecord(1, "Anna", "Bergmann", phones=[("", "112")])]))
    assert plan.records[0].match is None


def test_merging_fills_what_is_missing_and_keeps_what_the_user_typed(database, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # "0171..." is read as a German number
    monkeypatch.delenv("LC_ALL", raising=False)
    existing = save_client(
        ClientForm(
            first_name="Anna",
            organization="Own studio",
            emails="ANNA@x.org",
            phones="0171 5550101",
            tags="wedding, Family",
        )
    )
    save_important_date(ImportantDateForm("birthday", 16, 4, "1990", "", 1), existing.id)
    ClientPhoto.create(client=existing, image=b"typed by the user")
    Note.create(client=existing, text="Two kids")
    record = anna(organization="Studio Nord", preferred_name="Annie")
    plan = plan_import(ReadResult([record]))
    assert plan.records[0].choices == (Choice.ADD, Choice.SKIP, Choice.MERGE)
    # Both birthdays are shown before anything is chosen.
    assert plan.records[0].match.differs == (
        "birthday differs: 16 Apr 1990 here, 15 Apr in the file — a merge keeps 16 Apr 1990 "
        "and adds the file's as a note",
    )

    outcome = apply_import(plan, {0: Choice.MERGE})

    assert (outcome.added, outcome.merged) == ([], [existing.id])
    client = Client.get_by_id(existing.id)
    assert (client.last_name, client.preferred_name, client.organization) == (
        "Berger",
        "Annie",
        "Own studio",
    )
    assert contacts(existing.id) == [
        ("email", "", "ANNA@x.org"),
        ("email", "work", "a.berger@studio.de"),
        ("phone", "", "0171 5550101"),
    ]
    assert client_tags(existing.id) == ["Ärztin", "Family", "VIP", "wedding"]
    assert notes(existing.id) == [
        "Two kids",
        "Loves film cameras",
        "The imported file gave another birthday: 15 Apr (kept 16 Apr 1990)",
    ]
    # Their own birthday stays the only one; the anniversary was missing.
    assert dates(existing.id) == [
        ("birthday", 4, 16, 1990, "", 1),
        ("wedding_anniversary", 6, 3, 2019, "", 7),
    ]
    assert ClientPhoto.get_by_id(existing.id).image == b"typed by the user"


def test_merging_twice_adds_nothing_the_second_time(database):
    save_client(ClientForm(first_name="Anna", last_name="Berger"))
    apply_import(plan_import(ReadResult([anna()])), {0: Choice.MERGE})
    once = dump_tables()
    plan = plan_import(ReadResult([anna()]))
    apply_import(plan, plan.merge_choices())
    assert dump_tables() == once


def test_merge_needs_a_match(database):
    with pytest.raises(ValueError, match="Line 7: nobody to merge into"):
        apply_import(plan_import(ReadResult([anna(line=7)])), {0: Choice.MERGE})


def other(line: int, first_name: str, **changes) -> ImportRecord:
    """Someone other than Anna, with her kind of record but no email or phone of hers."""
    return anna(line=line, first_name=first_name, emails=[], phones=[], **changes)


def test_a_value_rapport_would_refuse_costs_only_itself_a_nameless_record_is_rejected(database):
    result = ReadResult(
        [
            anna(line=1),
            # Other people (the same email would make them one person with Anna)
            other(20, "Bea", dates=[ImportedDate("birthday", 2, 30)]),
            other(30, "Cleo", dates=[ImportedDate("birthday", 2, 29, 2023)]),
            other(40, "Dora", photo=b"x" * (MAX_PHOTO_BYTES + 1024 * 1024)),
            ImportRecord(50, " "),
        ],
        rejected=[RejectedRecord(5, "No name.")],
    )
    plan = plan_import(result)
    assert [planned.record.line for planned in plan.records] == [1, 20, 30, 40]
    assert [planned.left_out for planned in plan.records] == [
        (),
        ("birthday 30 Feb: February has only 29 days.",),
        ("birthday 29 Feb 2023: 2023 is not a leap year, so it has no 29 February.",),
        ("the photo is 6.0 MB; Rapport keeps photos up to 5 MB.",),
    ]
    assert plan.records[3].record.photo is None and plan.records[1].record.dates == []
    assert plan.rejected == [
        RejectedRecord(5, "No name."),
        RejectedRecord(50, "First name is required."),
    ]
    assert plan.dropped_anything
    assert plan.left_out_lines()[0] == (
        20,
        "Bea Berger: birthday 30 Feb: February has only 29 days; kept the rest",
    )
    outcome = apply_import(plan)
    assert len(outcome.added) == 4 and Client.select().count() == 4
    assert outcome.summary() == "Added 4 clients; 2 records rejected."


def test_feb_29_without_a_year_and_other_dates_are_imported(database):
    record = anna(
        dates=[
            ImportedDate("birthday", 2, 29),
            ImportedDate("custom", 9, 9),
            ImportedDate("custom", 5, 1, 2018, " client SINCE"),  # as Rapport's vCards say
            ImportedDate("custom", 7, 1, None, " First shoot "),
        ]
    )
    [client_id] = apply_import(plan_import(ReadResult([record]))).added
    assert dates(client_id) == [
        ("birthday", 2, 29, None, "", 0),
        ("custom", 9, 9, None, "Other date", 3),
        ("client_since", 5, 1, 2018, "", 3),
        ("custom", 7, 1, None, "First shoot", 3),
    ]


@pytest.fixture
def known_client(database):
    return save_client(ClientForm(first_name="Jens", last_name="Ortmann", tags="vip"))


def many(count: int) -> ReadResult:
    return ReadResult([anna(line=n, first_name=f"Anna{n}", emails=[]) for n in range(count)])


def test_cancelling_from_the_progress_dialog_writes_nothing(known_client):
    before = dump_tables()
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    outcome = apply_import(plan_import(many(5)), progress=progress)
    assert seen == [(0, 5), (1, 5), (2, 5), (3, 5)]
    assert outcome.cancelled and outcome.added == []
    assert outcome.summary() == "Import cancelled; nothing was written."
    assert dump_tables() == before


def test_an_error_midway_rolls_back_everything(known_client):
    before = dump_tables()
    plan = plan_import(
        ReadResult([*many(4).records, anna(line=9, first_name="Jens", last_name="Ortmann")])
    )

    def progress(done: int, total: int) -> bool:
        if done == 2:
            raise OSError("disk full")
        return True

    with pytest.raises(OSError, match="disk full"):
        apply_import(plan, plan.merge_choices(), progress=progress)
    assert dump_tables() == before


def test_a_client_deleted_after_planning_stops_the_merge_and_nothing_is_written(known_client):
    plan = plan_import(
        ReadResult([*many(3).records, anna(line=9, first_name="Jens", last_name="Ortmann")])
    )
    Client.delete_by_id(known_client.id)
    before = dump_tables()
    with pytest.raises(ClientGone, match="Jens Ortmann was deleted"):
        apply_import(plan, plan.merge_choices() | {3: Choice.MERGE})  # a possible match
    assert dump_tables() == before


def test_new_clients_written_in_batches_and_merges_between_them_keep_everything(known_client):
    """New clients' details wait to be written a batch at a time; a merge in between
    (which drops tags nobody has) must not lose a tag a waiting new client brings."""
    newcomers = [
        anna(line=n, first_name=f"Anna{n}", emails=[], phones=[], tags=["Newcomer", "VIP"])
        for n in range(NewClients.BATCH + 3)
    ]
    jens = anna(line=9999, first_name="Jens", last_name="Ortmann", emails=[], tags=["vip"])
    plan = plan_import(ReadResult([*newcomers[:2], jens, *newcomers[2:]]))
    outcome = apply_import(plan, plan.merge_choices() | {2: Choice.MERGE})  # a possible match
    assert len(outcome.added) == NewClients.BATCH + 3 and outcome.merged == [known_client.id]
    for client_id in (outcome.added[0], outcome.added[-1]):
        assert client_tags(client_id) == ["Newcomer", "vip"]  # the spelling already in use
        assert notes(client_id) == ["Loves film cameras", "Two kids"]
        assert ClientPhoto.get_by_id(client_id).image == PNG
    assert client_tags(known_client.id) == ["vip"]


def test_the_same_person_twice_in_one_file_becomes_one_client(database):
    first = anna(line=3, phones=[("", "+49 171 5550101")], notes=["Loves film cameras"])
    by_email = anna(
        line=12,
        emails=[("", " ANNA@x.org")],
        phones=[("", "+49 30 1234567")],
        notes=["Second note"],
        dates=[ImportedDate("birthday", 4, 16)],
    )
    by_phone = ImportRecord(20, "ANNA", "berger", phones=[("", "+49 (171) 555 0101")])
    namesake = ImportRecord(30, "Jens", phones=[("", "+49 171 5550101")])  # a shared phone
    plan = plan_import(ReadResult([first, by_email, by_phone, namesake]))
    assert [planned.record.line for planned in plan.records] == [3, 30]
    assert plan.records[0].summary.endswith(
        "; line 12 is the same person as line 3: merged into one"
        "; line 20 is the same person as line 3: merged into one"
    )
    outcome = apply_import(plan)
    assert len(outcome.added) == 2
    anna_id = outcome.added[0]
    assert [value for _kind, _label, value in contacts(anna_id)] == [
        "anna@x.org",
        "a.berger@studio.de",
        "+49 171 5550101",
        "+49 30 1234567",
    ]
    assert notes(anna_id) == [
        "Loves film cameras",
        "Second note",
        "Line 12 of the imported file gave another birthday: 16 Apr (kept 15 Apr)",
    ]
    assert dates(anna_id)[0][:3] == ("birthday", 4, 15)


def test_a_card_s_uid_is_kept_and_a_card_with_a_client_s_uid_is_them(database):
    plan = plan_import(ReadResult([ImportRecord(1, "Anna", uid="urn:uuid:card-1")]))
    [anna_id] = apply_import(plan).added
    assert Client.get_by_id(anna_id).uid == "urn:uuid:card-1"
    again = plan_import(ReadResult([ImportRecord(1, "Anna B.", uid="urn:uuid:card-1")]))
    assert again.records[0].match == Match(anna_id, "Anna", "same card (UID)", True)
    assert again.records[0].default == Choice.SKIP
    # Added anyway, knowingly: a UID names one client, so the new one gets its own.
    [other_id] = apply_import(again, {0: Choice.ADD}).added
    assert Client.get_by_id(other_id).uid not in ("", "urn:uuid:card-1")


def test_two_cards_with_their_own_uids_are_two_people_whatever_they_share(database):
    """Rapport's own export of two namesakes sharing a family address: each card has the
    UID of its client, so they are two clients again."""
    first = ImportRecord(1, "Anna", "Meyer", emails=[("home", "family@example.org")])
    second = replace(first, line=9, phones=[("cell", "+49 171 2222222")])
    plan = plan_import(
        ReadResult(
            [
                replace(first, uid="urn:uuid:0b6c4f1e-0001"),
                replace(second, uid="urn:uuid:0b6c4f1e-0002"),
                replace(second, line=17),  # no UID: the same card written again without one
            ]
        )
    )
    assert [planned.record.line for planned in plan.records] == [1, 9]
    assert plan.records[0].summary.endswith(
        "; line 17 is the same person as line 1: merged into one"
    )
    assert len(apply_import(plan).added) == 2


@pytest.mark.parametrize("locale", ["C.UTF-8", "de_DE.UTF-8"])
def test_numbers_differing_only_by_extension_or_pause_are_all_kept(database, monkeypatch, locale):
    """A studio's card: two extensions of one office number and one dialled after a
    pause; the same number written twice is still kept once."""
    monkeypatch.setenv("LANG", locale)
    monkeypatch.delenv("LC_ALL", raising=False)
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Haus;Studio;;;\r\nFN:Studio Haus\r\n"
        "TEL;TYPE=WORK:+49 30 1234567 ext. 12\r\nTEL;TYPE=WORK:+49 30 1234567 ext. 13\r\n"
        "TEL;TYPE=HOME:030 1234567,,99\r\nTEL;TYPE=WORK:+49 (30) 1234567 ext. 12\r\n"
        "END:VCARD\r\n"
    )
    [client_id] = apply_import(plan_import(read_vcards(card.encode()))).added
    assert [value for _kind, _label, value in contacts(client_id)] == [
        "+49 30 1234567 ext. 12",
        "+49 30 1234567 ext. 13",
        "030 1234567,,99",
    ]


def test_a_second_anniversary_or_birthday_on_a_card_is_kept_as_another_date(database):
    """Apple Contacts lets a card have two anniversaries, and a date labelled "Birthday"
    beside the birthday; a person has one of each, so the others are other dates."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kahn;Lea;;;\r\nFN:Lea Kahn\r\nBDAY:1990-04-15\r\n"
        "item1.X-ABDATE;type=pref:2012-06-20\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n"
        "item2.X-ABDATE:2020-09-12\r\nitem2.X-ABLabel:_$!<Anniversary>!$_\r\n"
        "item3.X-ABDATE:2001-01-01\r\nitem3.X-ABLabel:Birthday\r\n"
        "item4.X-ABDATE:2012-06-20\r\nitem4.X-ABLabel:_$!<Anniversary>!$_\r\n"
        "END:VCARD\r\n"
    )
    plan = plan_import(read_vcards(card.encode()))
    assert not plan.dropped_anything
    [client_id] = apply_import(plan).added
    assert [row[:5] for row in dates(client_id)] == [
        ("birthday", 4, 15, 1990, ""),
        ("wedding_anniversary", 6, 20, 2012, ""),
        ("custom", 9, 12, 2020, "Wedding anniversary"),
        ("custom", 1, 1, 2001, "Birthday"),
    ]
