"""A client and a card as the fields both keep: read the same way from either side, merged
field by field, and written back with everything else on the card as it was."""

from __future__ import annotations

from models.sync.cards import card_text, merge, read_card
from models.sync.state import SYNCED

PHONE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-1\r\nN:Berger;Anna;;;\r\nFN:Anna Berger\r\n"
    "item1.X-ABDATE:2010-01-01\r\nitem1.X-ABLabel:first kiss\r\n"
    "EMAIL;TYPE=home:anna@example.org\r\nitem2.EMAIL:anna@studio.example\r\n"
    "item2.X-ABLabel:Studio\r\nADR;TYPE=home:;;Hauptstr. 1;Berlin;;10115;Germany\r\n"
    "CATEGORIES:wedding,vip\r\nNOTE:likes tea\r\nBDAY:1985-04-15\r\nEND:VCARD\r\n"
)


def fields(**changes) -> dict:
    base = {key: "" for key in SYNCED} | {"name": ["Anna", "Berger"]}
    base |= {key: [] for key in ("emails", "phones", "addresses", "tags", "note")}
    return base | {"birthday": None, "anniversary": None} | changes


def test_a_card_reads_as_the_synced_fields_and_the_note_only_when_synced():
    card = read_card(PHONE.encode(), with_note=False)
    assert card.fields["emails"] == [
        ["home", "anna@example.org"],
        ["Studio", "anna@studio.example"],
    ]
    assert card.fields["tags"] == ["vip", "wedding"]
    assert card.fields["birthday"] == [1985, 4, 15]
    assert card.fields["note"] == []
    assert read_card(PHONE.encode(), with_note=True).fields["note"] == ["likes tea"]


def test_a_card_written_back_keeps_every_line_it_did_not_change():
    card = read_card(PHONE.encode(), with_note=False)
    changed = card.fields | {"tags": ["vip"], "emails": [["home", "anna@example.org"]]}
    written = card_text(changed, card.uid, {"tags", "emails"}, card)
    again = read_card(written.encode(), with_note=False)
    assert again.fields == changed
    lines = written.split("\r\n")
    assert "ADR;TYPE=home:;;Hauptstr. 1;Berlin;;10115;Germany" in lines  # as the phone wrote it
    assert "NOTE:likes tea" in lines and "BDAY:1985-04-15" in lines
    # Apple's labelled date keeps its label, in a group of its own beside Rapport's.
    date_group = next(line for line in lines if "X-ABDATE" in line).partition(".")[0]
    assert f"{date_group}.X-ABLabel:first kiss" in lines
    assert "item2.X-ABLabel:Studio" not in lines  # the studio email went, with its label


def test_a_card_that_is_not_utf_8_is_read_as_windows_1252():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:z\r\nFN:Zoë Müller\r\nN:Müller;Zoë;;;\r\nEND:VCARD\r\n"
    )
    card = read_card(text.encode("cp1252"), with_note=False)
    assert card.fields["name"] == ["Zoë", "Müller"]
    assert "FN:Zoë Müller" in card.lines


def test_different_fields_changed_on_each_side_merge():
    base = fields()
    ours = fields(nickname="Annie")
    theirs = fields(organization="Studio A")
    merged = merge(base, ours, theirs)
    assert merged.fields == fields(nickname="Annie", organization="Studio A")
    assert (merged.for_client, merged.for_card, merged.conflicts) == (
        {"organization"}, {"nickname"}, {}
    )  # fmt: skip


def test_the_same_field_changed_differently_is_a_conflict_each_side_keeping_its_own():
    merged = merge(fields(), fields(nickname="Nan"), fields(nickname="Annie"))
    assert merged.conflicts == {"nickname": ("Nan", "Annie")}
    assert merged.fields["nickname"] == "Nan" and merged.card_fields()["nickname"] == "Annie"
    assert not merged.for_client and not merged.for_card
    same = merge(fields(), fields(nickname="Nan"), fields(nickname="Nan"))
    assert not same.conflicts and not same.for_card


def test_without_a_base_empty_fields_are_filled_and_lists_joined():
    ours = fields(emails=[["", "anna@example.org"]], tags=["wedding"], nickname="Nan")
    theirs = fields(emails=[["home", "a@b.org"]], tags=["vip"], organization="Studio A")
    merged = merge(None, ours, theirs)
    assert merged.fields["emails"] == [["", "anna@example.org"], ["home", "a@b.org"]]
    assert merged.fields["tags"] == ["vip", "wedding"]
    assert merged.fields["organization"] == "Studio A" and merged.fields["nickname"] == "Nan"
    assert merge(None, fields(name=["Ben", "Kim"]), fields(name=["Benjamin", "Kim"])).conflicts
