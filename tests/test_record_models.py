from datetime import UTC, date, datetime

from PySide6.QtCore import Qt

from models.clients import save_client
from models.forms import (
    ClientForm,
    FamilyMemberForm,
    FollowUpForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
)
from models.records import (
    family,
    follow_ups,
    history,
    important_dates,
    notes,
    save_family_member,
    save_follow_up,
    save_important_date,
    save_interaction,
    save_note,
    set_follow_up_done,
)
from ui.formatting import yearly_date
from ui.record_models import (
    FamilyModel,
    FollowUpsModel,
    HistoryModel,
    ImportantDatesModel,
    NotesModel,
)

TODAY = date(2026, 11, 24)


def test_history_model_shows_newest_first_with_right_aligned_amounts(qtmodeltester, database):
    client = save_client(ClientForm(first_name="Anna"))
    for day, summary, amount in ((3, "Family shoot", "450"), (12, "Gallery call", "")):
        form = InteractionForm(
            kind="session" if amount else "call",
            occurred_at=datetime(2026, 11, day, 12, tzinfo=UTC),
            summary=summary,
            amount=amount,
            currency="EUR" if amount else "",
        )
        save_interaction(form, client.id)
    model = HistoryModel()
    model.set_records(history(client.id))
    qtmodeltester.check(model)
    assert model.index(0, HistoryModel.COL_SUMMARY).data() == "Gallery call"
    assert model.index(1, HistoryModel.COL_KIND).data() == "Session"
    assert "450.00 EUR" in model.index(1, HistoryModel.COL_AMOUNT).data()
    alignment = model.index(1, HistoryModel.COL_AMOUNT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_notes_model_marks_pinned_notes(qtmodeltester, database):
    client = save_client(ClientForm(first_name="Anna"))
    save_note(NoteForm(text="Loves golden hour"), client.id)
    save_note(NoteForm(text="<b>Shy</b> in front of the camera", pinned=True), client.id)
    model = NotesModel()
    model.set_records(notes(client.id))
    qtmodeltester.check(model)
    assert model.index(0, NotesModel.COL_PINNED).data() == "★"
    assert model.index(0, NotesModel.COL_TEXT).data() == "<b>Shy</b> in front of the camera"
    assert model.index(1, NotesModel.COL_PINNED).data() == ""


def test_people_models_show_ages_only_when_the_year_is_known(qtmodeltester, database):
    client = save_client(ClientForm(first_name="Maria"))
    lea = FamilyMemberForm(
        name="Lea",
        relation="child",
        has_birthday=True,
        birthday_day=2,
        birthday_month=12,
        birthday_year="2019",
    )
    tom = FamilyMemberForm(
        name="Tom", relation="partner", has_birthday=True, birthday_day=29, birthday_month=2
    )
    save_family_member(lea, client.id)
    save_family_member(tom, client.id)
    wedding = ImportantDateForm(
        kind="wedding_anniversary", day=14, month=6, year="2021", lead_days=7
    )
    save_important_date(wedding, client.id)
    members, dates = family(client.id), important_dates(client.id)

    people = FamilyModel(TODAY)
    people.set_family(members, dates)
    qtmodeltester.check(people)
    # Lea is 6 and turns 7 on 2 Dec: the number says which it is.
    assert people.index(0, FamilyModel.COL_BIRTHDAY).data() == "2 December 2019 (turns 7)"
    assert "(" not in people.index(1, FamilyModel.COL_BIRTHDAY).data()

    dated = ImportantDatesModel(TODAY)
    dated.set_dates(dates, members)
    qtmodeltester.check(dated)
    whats = [dated.index(r, ImportantDatesModel.COL_WHAT).data() for r in range(3)]
    assert whats == ["Birthday — Tom", "Wedding anniversary", "Birthday — Lea"]
    days = [dated.index(r, ImportantDatesModel.COL_DATE).data() for r in range(3)]
    assert days == ["29 February", "14 June 2021 (5 years)", "2 December 2019 (turns 7)"]
    assert dated.index(1, ImportantDatesModel.COL_NOTICE).data() == "7 days before"
    assert dated.index(0, ImportantDatesModel.COL_NOTICE).data() == "on the day"


def test_follow_ups_model_lists_open_ones_first_and_says_which_are_overdue(qtmodeltester, database):
    client = save_client(ClientForm(first_name="Anna"))
    for day, title in ((20, "Send the proofs"), (30, "Ask for a review"), (10, "Print")):
        save_follow_up(FollowUpForm(title, datetime(2026, 11, day, 12, tzinfo=UTC)), client.id)
    printed = follow_ups(client.id)[0]
    set_follow_up_done(printed.id, datetime(2026, 11, 11, 9, tzinfo=UTC))
    model = FollowUpsModel(TODAY)
    model.set_records(follow_ups(client.id))
    qtmodeltester.check(model)
    column = [model.index(row, FollowUpsModel.COL_WHAT).data() for row in range(3)]
    assert column == ["Send the proofs", "Ask for a review", "Print"]
    statuses = [model.index(row, FollowUpsModel.COL_STATUS).data() for row in range(3)]
    assert statuses == ["overdue", "open", "done 11 Nov 2026"]
    assert model.open_count() == 2


def test_a_note_that_looks_like_html_is_shown_as_text_in_its_tooltip(qapp, database):
    anna = save_client(ClientForm(first_name="Anna"))
    when = datetime(2026, 11, 25, tzinfo=UTC)
    save_interaction(InteractionForm("email", when, "Reply", "<b>Yes</b>, Friday"), anna.id)
    save_interaction(InteractionForm("call", when, "Call", "plain words"), anna.id)
    model = HistoryModel()
    model.set_records(history(anna.id))
    tips = {model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) for row in range(2)}
    assert "plain words" in tips
    assert any("&lt;b&gt;Yes&lt;/b&gt;" in tip for tip in tips)


def test_the_number_beside_a_yearly_date_says_what_it_counts(qapp):
    on_the_day, before = date(2026, 6, 12), date(2026, 6, 11)
    assert yearly_date(12, 6, 2021, on_the_day, "wedding_anniversary") == "12 June 2021 (5 years)"
    assert yearly_date(12, 6, 2021, before, "client_since") == "12 June 2021 (4 years)"
    assert yearly_date(12, 6, 2025, on_the_day, "custom") == "12 June 2025 (1 year)"
    assert yearly_date(12, 6, 2026, on_the_day, "client_since") == "12 June 2026"  # no "0 years"
    assert yearly_date(12, 6, 2021, on_the_day, "birthday") == "12 June 2021 (turns 5)"  # today
    assert yearly_date(12, 6, 2021, before, "birthday") == "12 June 2021 (turns 5)"  # tomorrow
    assert yearly_date(12, 6, 2021, date(2026, 6, 13), "birthday") == "12 June 2021 (turns 6)"
    assert yearly_date(12, 6, None, on_the_day, "birthday") == "12 June"  # no made-up age
