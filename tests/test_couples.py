"""Couples and households: a partner who is a client of their own, one anniversary for
both, its card on both histories, separating and "do not send greetings"."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from models.clients.couples import (
    display_name,
    link_partners,
    make_client_of,
    separate,
    set_date_greetings_off,
    set_no_greetings,
)
from models.clients.entries import (
    add_yearly_date,
    save_family_member,
    save_interaction,
)
from models.clients.saving import delete_client, save_client
from models.clients.undo import restore_client, snapshot_client
from models.forms.dialog_forms import ClientForm, FamilyMemberForm, InteractionForm
from models.reminders.store import listed_today, mark_done, reconcile
from models.store.entities import Client, FamilyMember, ImportantDate, Interaction, Note
from tests.database_dump import dump_tables
from tests.ui_helpers import NOW, when_dialog_opens, with_reminders
from ui.client_list_model import ClientListModel
from ui.dialogs.compose_dialog import ComposeDialog
from ui.undo import UndoCommands

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
TODAY = NOW.astimezone(BERLIN).date()  # Wed 25 Nov 2026
WEDDING = TODAY.replace(year=2021) + timedelta(days=3)  # 5th anniversary on Sat 28 Nov


def client(first: str, last: str = "", **details) -> Client:
    return save_client(ClientForm(first_name=first, last_name=last, **details))


def couple() -> tuple[Client, Client]:
    """Anna and Tom, both clients, linked; both logged the wedding (both hold the date)."""
    anna = client("Anna", "Berger", emails="anna@example.org", address="Hauptstraße 1")
    tom = client("Tom", "Berger", emails="tom@example.org")
    link_partners(anna.id, tom.id)
    for each in (anna, tom):
        add_yearly_date(each.id, "wedding_anniversary", WEDDING)
    return Client.get_by_id(anna.id), Client.get_by_id(tom.id)


def greetings(now: datetime = NOW) -> list:
    _, listed = listed_today(now, BERLIN, NINE)
    return [r for r in (*listed.overdue, *listed.today, *listed.coming) if r.kind == "date"]


def test_a_couple_s_anniversary_reminds_once_as_both(database):
    anna, tom = couple()
    [anniversary] = greetings()  # not one per partner
    assert anniversary.client_id == anna.id
    assert anniversary.title == "Anna & Tom Berger"
    assert anniversary.text == "Anna & Tom — 5th wedding anniversary on Sat 28 Nov"
    delivered = reconcile(NOW, BERLIN, NINE).due_now
    assert [r.key for r in delivered] == [anniversary.key]  # notified once
    assert reconcile(NOW + timedelta(minutes=5), BERLIN, NINE).due_now == []
    assert display_name(tom) == "Tom & Anna Berger"
    other = client("Lea", "Meyer")
    link_partners(tom.id, other.id)  # Tom moves on: Anna is unlinked
    assert Client.get_by_id(anna.id).partner_id is None
    assert display_name(Client.get_by_id(tom.id)) == "Tom Berger & Lea Meyer"


def test_done_on_the_anniversary_logs_the_card_on_both_histories_and_undo_takes_both_back(
    qtbot, database
):
    anna, tom = couple()
    [anniversary] = greetings()
    undo = UndoCommands(lambda: NOW)
    with undo.changing(anna.id, "Done", [tom.id]):
        mark_done(anniversary, NOW, "card")
    for each in (anna, tom):
        [card] = Interaction.select().where(Interaction.client == each.id)
        assert (card.kind, card.summary) == ("card", anniversary.text)
    assert greetings() == []
    assert undo.undo()
    assert Interaction.select().count() == 0
    assert len(greetings()) == 1


def test_separating_stops_the_shared_greetings_and_deletes_nothing(database):
    anna, tom = couple()
    save_interaction(InteractionForm("wedding", NOW - timedelta(days=2000), "Wedding"), anna.id)
    reconcile(NOW, BERLIN, NINE)  # the notice is pending on Today
    assert len(greetings()) == 1
    before = {
        table: len(rows) for table, rows in dump_tables().items() if table != "reminder_state"
    }
    separate(tom.id)
    assert greetings() == []  # pending or not
    assert greetings(NOW + timedelta(days=365)) == []  # nor next year
    after = {table: len(rows) for table, rows in dump_tables().items() if table != "reminder_state"}
    assert after == before  # nothing deleted
    assert Client.get_by_id(anna.id).partner_id is None is Client.get_by_id(tom.id).partner_id
    assert ImportantDate.select().where(ImportantDate.no_greetings).count() == 2


def test_do_not_send_greetings_on_a_person_or_a_date(database):
    _, tom = couple()
    birthday = add_yearly_date(tom.id, "birthday", TODAY.replace(year=1990) + timedelta(days=1))
    assert len(greetings()) == 2
    set_no_greetings(tom.id, True)  # Tom died: his birthday and the couple's anniversary stop
    assert greetings() == []
    assert ImportantDate.select().count() == 3  # kept
    set_no_greetings(tom.id, False)
    set_date_greetings_off(birthday.id, True)
    assert [r.occasion for r in greetings()] == ["wedding_anniversary"]
    checked = client("Ben", check_in_days="30")
    save_interaction(InteractionForm("call", NOW - timedelta(days=60), "Talked"), checked.id)
    _, listed = listed_today(NOW, BERLIN, NINE)
    assert any(r.kind == "check_in" for r in listed.overdue)
    set_no_greetings(checked.id, True)
    _, listed = listed_today(NOW, BERLIN, NINE)
    assert not any(r.kind == "check_in" for r in listed.overdue)


def test_greetings_off_on_either_copy_of_a_couple_s_anniversary_silence_it(database):
    """Both hold the anniversary and the lower id's reminds: turning greetings off on it
    must not hand the anniversary to the other copy, on Today or as a notification."""
    anna, tom = couple()
    reconcile(NOW, BERLIN, NINE)  # the notice was notified
    copies = {c.client_id: c.id for c in ImportantDate.select()}
    for off in (anna, tom):
        set_date_greetings_off(copies[off.id], True)
        assert greetings() == []
        delivery = reconcile(NOW + timedelta(minutes=15), BERLIN, NINE)
        assert (delivery.due_now, delivery.missed) == ([], [])
        set_date_greetings_off(copies[off.id], False)
    [again] = greetings()  # both on: once, as before
    assert again.title == "Anna & Tom Berger"


def test_a_deleted_partner_leaves_the_other_alone_and_undo_links_them_again(database):
    anna, tom = couple()
    snapshot = snapshot_client(tom.id)
    delete_client(tom.id)
    assert Client.get_by_id(anna.id).partner_id is None
    [anniversary] = greetings()  # Anna's own date, hers alone now
    assert anniversary.title == "Anna Berger"
    restore_client(snapshot)
    assert Client.get_by_id(anna.id).partner_id == tom.id
    assert Client.get_by_id(tom.id).partner_id == anna.id
    assert len(greetings()) == 1


def test_a_partner_who_is_only_a_name_stays_and_can_be_made_a_client(database):
    anna = client("Anna", "Berger", address="Hauptstraße 1")
    form = FamilyMemberForm(name="Tom", relation="partner", notes="Shy in front of the camera")
    form.has_birthday, form.birthday_day, form.birthday_month = True, 26, 11
    member = save_family_member(form, anna.id)
    add_yearly_date(anna.id, "wedding_anniversary", WEDDING)
    kid = save_family_member(FamilyMemberForm(name="Lea", relation="child"), anna.id)
    titles = sorted(r.title for r in greetings())
    assert titles == ["Anna & Tom Berger", "Anna Berger"]  # the name-only partner still counts
    tom = make_client_of(member.id)
    assert (tom.first_name, tom.last_name, tom.address) == ("Tom", "Berger", "Hauptstraße 1")
    assert Client.get_by_id(anna.id).partner_id == tom.id == Client.get_by_id(anna.id).partner.id
    assert [m.id for m in FamilyMember.select()] == [kid.id]  # the other rows as they were
    assert [n.text for n in Note.select().where(Note.client == tom.id)] == [
        "Shy in front of the camera"
    ]
    by_title = {r.title: r for r in greetings()}
    assert set(by_title) == {"Anna & Tom Berger", "Tom Berger"}  # his birthday is his own now
    assert by_title["Tom Berger"].client_id == tom.id


def test_the_couple_is_one_name_on_today_in_the_list_and_in_write(qtbot, open_window, database):
    anna, tom = couple()
    window = open_window(zone=BERLIN)
    with_reminders(qtbot, window)
    [row] = window.today_view.rows
    title = row.findChild(type(window.today_view.summary), "reminderTitle")
    assert title.text() == "Anna & Tom Berger"
    model = ClientListModel(lambda: NOW, lambda: TODAY)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    names = {model.index(r, 0).data() for r in range(2)}
    assert names == {"Anna & Tom Berger", "Tom & Anna Berger"}

    def write(dialog: ComposeDialog) -> None:
        assert dialog.windowTitle() == "Write to Anna & Tom Berger"
        assert dialog.body.toPlainText().startswith("Dear Anna and Tom,")
        assert dialog.recipients() == ["anna@example.org", "tom@example.org"]
        dialog.sent_as.setCurrentIndex(dialog.sent_as.findData("card"))
        dialog.log_button.click()

    seen = when_dialog_opens(write)
    row.write_button.click()
    assert len(seen) == 1
    assert {i.client_id for i in Interaction.select().where(Interaction.kind == "card")} == {
        anna.id,
        tom.id,
    }
    window.quit()


def test_names_with_markup_stay_text_on_today(qtbot, open_window, database):
    anna = client("<b>Anna</b>", "<i>Berger</i>")
    tom = client("<img src=x>", "Berger")
    link_partners(anna.id, tom.id)
    add_yearly_date(anna.id, "wedding_anniversary", WEDDING)
    window = open_window(zone=BERLIN)
    with_reminders(qtbot, window)
    [row] = window.today_view.rows
    title = row.findChild(type(window.today_view.summary), "reminderTitle")
    assert title.text() == "<b>Anna</b> <i>Berger</i> & <img src=x> Berger"
    assert title.textFormat() == Qt.TextFormat.PlainText
    window.quit()


def test_a_family_member_s_anniversary_is_never_the_couple_s_even_unnamed(database):
    """Whose a wedding anniversary is goes by the row it belongs to, in the query and in the
    words alike: a family member's stays theirs when a hand-edited row left them no name."""
    anna, tom = couple()
    set_no_greetings(tom.id, True)  # silences the couple's own anniversary...
    sister = save_family_member(FamilyMemberForm(name="Mia", relation="sibling"), anna.id)
    FamilyMember.update(name="").where(FamilyMember.id == sister.id).execute()
    ImportantDate.create(
        client=anna.id, family_member=sister.id, kind="wedding_anniversary",
        month=WEDDING.month, day=WEDDING.day, year=2019, lead_days=0,
    )  # fmt: skip
    [theirs] = greetings()  # ...not the sister's
    assert theirs.title == "Anna Berger"
    assert "&" not in theirs.text


def test_a_partner_named_with_blanks_alone_is_left_out_of_the_words(database):
    anna = client("Anna", "Berger")
    save_family_member(FamilyMemberForm(name="Tom", relation="partner"), anna.id)
    FamilyMember.update(name="   ").where(FamilyMember.client == anna.id).execute()
    add_yearly_date(anna.id, "wedding_anniversary", WEDDING)
    [anniversary] = greetings()
    assert anniversary.title == "Anna Berger"
    assert anniversary.text == "5th wedding anniversary on Sat 28 Nov"


def test_the_family_partner_named_last_is_the_couple_s_a_blank_one_passed_over(database):
    """One rule for the family's partner, the one added last (Today, the calendar, card
    templates); a later row of blanks alone (hand-edited) names no one and is passed over."""
    anna = client("Anna", "Berger")
    for name in ("Old Flame", "Tom Meyer", "Ida"):
        save_family_member(FamilyMemberForm(name=name, relation="partner"), anna.id)
    FamilyMember.update(name="   ").where(FamilyMember.name == "Ida").execute()
    add_yearly_date(anna.id, "wedding_anniversary", WEDDING)
    [anniversary] = greetings()
    assert anniversary.title == "Anna & Tom Berger"
    assert anniversary.text.startswith("Anna & Tom — ")
