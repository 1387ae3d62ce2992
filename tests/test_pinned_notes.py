"""What matters most is in sight: a pinned note shows in the client's
header, on their rows on Today and in Write…, as plain text, elided when long."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from models.entities import Client, Note
from models.records import pinned_notes

# The tests of Today open the sample studio on 24 Nov 2026: Anna's anniversary is coming.
from tests.test_today import clock, row_of, studio, window  # noqa: F401 (fixtures)
from ui.dialogs.compose_dialog import ComposeDialog

WRITTEN = datetime(2026, 11, 20, 9, tzinfo=UTC)


def pin(client: Client, text: str) -> None:
    Note.create(client=client, text=text, pinned=True, created_at=WRITTEN, updated_at=WRITTEN)


def test_pinned_notes_newest_first_on_one_line_and_only_pinned(database, studio):  # noqa: F811
    anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
    Note.delete().where(Note.client == anna).execute()
    pin(anna, "Allergic to\nlilies")
    Note.create(client=anna, text="Likes tea", created_at=WRITTEN)
    Note.create(client=anna, text="Vegan", pinned=True, created_at=WRITTEN.replace(day=22))
    assert pinned_notes([anna.id]) == {anna.id: "Vegan · Allergic to lilies"}


def test_a_pinned_note_shows_on_the_page_on_today_and_in_write(qtbot, window):  # noqa: F811
    anna = Client.get(Client.first_name == "Anna", Client.last_name == "Berger")
    Note.delete().where(Note.client == anna).execute()
    pin(anna, "Allergic to <b>lilies</b>")
    window.reminder_service.reconcile()
    qtbot.waitUntil(window.reminder_service.idle, timeout=5000)
    row = row_of(window, "Anna", "date")
    assert row.pinned.isVisibleTo(row)
    assert row.pinned.text() == "★ Allergic to <b>lilies</b>"
    assert row.pinned.textFormat() == Qt.TextFormat.PlainText
    pinned = pinned_notes([r.reminder.client_id for r in window.today_view.rows])
    unpinned = [r for r in window.today_view.rows if r.reminder.client_id not in pinned]
    assert unpinned and not any(r.pinned.isVisibleTo(r) for r in unpinned)

    window.open_client(anna.id)
    header = window.page.header
    assert header.pinned.isVisibleTo(header)
    assert header.pinned.text() == "★ Allergic to <b>lilies</b>"

    dialog = ComposeDialog(anna, "anniversary", now=window._now, today=window._today)
    qtbot.addWidget(dialog)
    assert dialog.pinned.isVisibleTo(dialog)
    assert dialog.pinned.text() == "★ Allergic to <b>lilies</b>"
    assert dialog.pinned.textFormat() == Qt.TextFormat.PlainText


def test_a_long_pinned_note_is_elided_in_write(qtbot, database):
    ruth = Client.create(first_name="Ruth", last_name="Schwarz")
    long_note = "Allergic to lilies, roses, tulips and " + "every other flower there is; " * 10
    pin(ruth, long_note)
    dialog = ComposeDialog(ruth, now=lambda: WRITTEN, today=lambda: WRITTEN.date())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() < 1000  # the note does not widen the dialog...
    assert dialog.pinned.is_elided()  # ...it gives way, whole in its tooltip
    assert " ".join(long_note.split()) in dialog.pinned.toolTip()
