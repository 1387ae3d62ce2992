"""What real address books write that used to cost a person or vanish without a word:
phones as written, partners and children, WebP and base64 photos, a digits-only last
name, the properties Rapport does not keep."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from models.clients import client_form, contact_values, save_client
from models.database import db
from models.entities import Client, ClientPhoto, FamilyMember
from models.forms import ClientForm, FamilyMemberForm
from models.importing.apply import apply_import
from models.importing.csv_reader import read_csv
from models.importing.plan import Choice, plan_import
from models.importing.records import ImportRecord, ReadResult
from models.importing.vcard_reader import read_vcards
from models.migrations import open_database
from models.records import save_family_member
from models.vcard_export import write_vcards
from tests.reader_expectations import DATA
from tests.test_cli import rapport, rows
from ui.dialogs.import_preview_dialog import ImportPreviewDialog

PHONES = [
    "+1 555 0100 x123",
    "+49 30 1234567 ext. 12",
    "+1-418-656-9254;ext=102",
    "1-800-ELEPHANT",
    "+1 555 0199,,4711",
    "+1 555 0177;1234#",
    "030 1234567p89w1",
    "*31#",
]


def family(client_id: int) -> list[tuple[str, str]]:
    members = FamilyMember.select().where(FamilyMember.client == client_id)
    return sorted((member.relation, member.name) for member in members)


def test_phones_as_written_are_imported_and_the_client_form_takes_them(database):
    plan = plan_import(read_vcards((DATA / "vcard" / "phones_as_written_4.0.vcf").read_bytes()))
    [planned] = plan.records
    assert planned.left_out == ("'ask at the front desk' is not a phone number.",)
    [client_id] = apply_import(plan).added
    assert contact_values(client_id, "phone") == PHONES
    form = ClientForm(first_name="Marcus", phones=", ".join(PHONES))
    assert form.errors() == []
    client = save_client(form)
    assert contact_values(client.id, "phone") == PHONES
    assert client_form(client).phones == ", ".join(PHONES)  # the dialog shows them back
    for number in ("call me", "x123", "12", "ELEPHANT", "anna@example.org"):
        assert ClientForm(first_name="A", phones=number).errors(), number


def test_partners_and_children_become_family_and_a_merge_adds_only_the_new_names(database):
    csv = (DATA / "csv" / "outlook_spouse_children.csv").read_bytes()
    plan = plan_import(read_csv(csv))
    greta = plan.records[0]
    assert greta.summary == "Greta Holm — 1 email, 2 phones, 1 partner, 2 children"
    [greta_id, _frank_id] = apply_import(plan).added
    assert family(greta_id) == [("child", "Ebba"), ("child", "Linus"), ("partner", "Lars Holm")]

    again = ImportRecord(
        9, "Greta", "Holm", emails=[("", "greta@example.se")], family=[("child", "ebba")]
    )
    again.family.append(("parent", "Inger Holm"))
    plan = plan_import(ReadResult([again]))
    outcome = apply_import(plan, {0: Choice.MERGE})
    assert outcome.merged == [greta_id]
    assert family(greta_id) == [
        ("child", "Ebba"),
        ("child", "Linus"),
        ("parent", "Inger Holm"),
        ("partner", "Lars Holm"),
    ]


def test_family_from_vcards_is_written_with_rapports_relations(database):
    for name, expected in [
        (
            "related_and_group_4.0.vcf",
            [
                ("child", "Leo Doe"),
                ("child", "Mia Doe"),
                ("friend", "Sam Lee"),
                ("partner", "John Doe"),
            ],
        ),
        (
            "apple_related_names_3.0.vcf",
            [
                ("child", "Elsa"),
                ("child", "Nils"),
                ("other", "Bosse"),
                ("parent", "Astrid"),
                ("partner", "Karin Lindqvist"),
            ],
        ),
    ]:
        plan = plan_import(read_vcards((DATA / "vcard" / name).read_bytes()))
        client_id = apply_import(plan).added[0]
        assert family(client_id) == expected, name


def test_a_webp_photo_is_kept_and_qt_shows_it(database, qapp):
    plan = plan_import(read_vcards((DATA / "vcard" / "webp_photo.vcf").read_bytes()))
    added = apply_import(plan).added
    for client_id in added:
        image = bytes(ClientPhoto.get(ClientPhoto.client == client_id).image)
        assert image.startswith(b"RIFF") and not QImage.fromData(image).isNull()


def test_a_digits_only_last_name_survives_a_vcard_round_trip(database, tmp_path):
    save_client(ClientForm(first_name="Nora", last_name="2"))
    save_family_member(FamilyMemberForm("Lea", "child"), Client.get().id)
    target = tmp_path / "clients.vcf"
    write_vcards(target)
    db.close()
    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        apply_import(plan_import(read_vcards(target.read_bytes())))
        assert [(c.first_name, c.last_name) for c in Client.select()] == [("Nora", "2")]
    finally:
        fresh.close()


def test_the_command_line_names_what_was_left_out_and_what_was_not_kept(tmp_path):
    database = tmp_path / "rapport.sqlite"
    dates = rapport(
        tmp_path, "import", DATA / "vcard" / "dates_text_and_reduced_4.0.vcf", "--db", database
    )
    assert dates.returncode == 1, dates.stderr
    lines = dates.stdout.splitlines()
    assert lines[:2] == [
        "line 2: add Ole Brandt — 1 email",
        "line 2: Ole Brandt: birthday 1979-02-29 does not exist "
        "(1979 is not a leap year, so it has no 29 February); kept the rest",
    ]
    assert "line 9: add June Park — birthday 15 Apr" in lines
    assert "line 16: add Ada Quill — 1 note" in lines
    assert rows(database, "SELECT count(*) FROM client") == [(5,)]
    assert rows(database, "SELECT text FROM note ORDER BY id")[0] == ("Birthday: circa 1800",)

    related = rapport(
        tmp_path, "import", DATA / "vcard" / "related_and_group_4.0.vcf", "--db", database
    )
    lines = related.stdout.splitlines()
    assert "line 14: rejected: this card is a group, not a person: skipped" in lines
    assert lines[-4:-1] == [
        "1 record had IMPP: not kept",
        "1 record had RELATED (a link to another card): not kept",
        "2 records had X-SOCIALPROFILE: not kept",
    ]


def test_a_file_with_only_unkept_properties_exits_0(tmp_path):
    path = tmp_path / "social.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:4.0\nFN:Kai Berg\nX-SOCIALPROFILE:x\nEND:VCARD\n")
    done = rapport(tmp_path, "import", path, "--db", tmp_path / "rapport.sqlite")
    assert done.returncode == 0, done.stdout
    assert "1 record had X-SOCIALPROFILE: not kept" in done.stdout.splitlines()


def test_the_preview_says_what_the_file_has_that_is_not_kept(database, qtbot):
    plan = plan_import(read_vcards((DATA / "vcard" / "related_and_group_4.0.vcf").read_bytes()))
    dialog = ImportPreviewDialog(plan, "related.vcf")
    qtbot.addWidget(dialog)
    label = dialog.findChild(QLabel, "notKept")
    assert label.text() == (
        "1 record had IMPP: not kept; 1 record had RELATED (a link to another card): "
        "not kept; 2 records had X-SOCIALPROFILE: not kept."
    )
    assert label.textFormat() == Qt.TextFormat.PlainText
