"""The texts of Rapport's own widgets go through Qt's translation functions.

A pseudo translation (every text comes back as ⟦text⟧) is installed before the widgets are
built on a real database with the sample clients. Then every label, button, check box, group
box, tab, window title, placeholder, tooltip, accessible name, menu entry, combo entry and
table header they show must be wrapped, except user data (names, tags, addresses...), what
models/ writes (reminder texts, health explanations, referral lines: models/ cannot use Qt,
so they stay English for now) and the day and month names QLocale writes.

And every text translated at run time must be found by pyside6-lupdate under the same
context, or a translator's file would never reach it (PySide takes tr()'s context from the
object's class at run time, so a tr() in a base class would silently miss).

Days and months are named by QLocale, not strftime (which ignores it): checked in German.

Not covered: the main window's own menus, labels and messages and the client page's labels,
tabs and buttons (ui/main_window.py, ui/client_page.py: still English); the start-up message
boxes (they need a damaged, locked or synced database); the import's file dialog, progress
texts and closing summary, the calendar and archive exports, the notifications; text painted
straight onto a widget (the client list's stage line; charts paint QLocale's month names and
numbers); and a language switch while Rapport runs (texts are set once, when built).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import PySide6
import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabBar,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)

from models.clients.finder import SORTS
from models.clients.saving import client_tags, contact_values, referral_line
from models.clients.templates import PLACEHOLDERS, TEMPLATE_KINDS
from models.exchange.importing.csv_presets import FIELDS
from models.exchange.importing.csv_reader import sniff_csv
from models.exchange.importing.plan import plan_import
from models.exchange.importing.vcard_reader import read_vcards
from models.reminders.rules import LEAP_DAY_RULES, SNOOZE_CHOICES, Reminder, TodayList
from models.sample.loading import load_sample_clients
from models.store.backups import make_backup
from models.store.entities import Client, FamilyMember, Interaction, Note
from models.values.kinds import (
    IMPORTANT_DATE_KINDS,
    INTERACTION_KINDS,
    RELATIONS,
    REMINDER_KINDS,
    STAGES,
)
from tests.test_today import clock  # noqa: F401 (a fixture)
from tests.ui_helpers import when_dialog_opens, with_reminders
from ui.client_filter_bar import ClientFilterBar
from ui.client_list_model import SinceRole
from ui.confirm import confirm_delete
from ui.dialogs.backups_box import BackupsBox
from ui.dialogs.client_dialog import ClientDialog
from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.csv_mapping_dialog import CsvMappingDialog
from ui.dialogs.family_member_dialog import FamilyMemberDialog
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.import_preview_dialog import ImportPreviewDialog
from ui.dialogs.important_date_dialog import ImportantDateDialog
from ui.dialogs.interaction_dialog import CURRENCIES, InteractionDialog
from ui.dialogs.note_dialog import NoteDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.snooze_dialog import SnoozeDialog
from ui.dialogs.templates_dialog import TemplatesDialog
from ui.dialogs.wish_dialog import WishDialog
from ui.exports import Exports
from ui.formatting import since
from ui.import_flow import ImportFlow
from ui.studio.studio_view import StudioView
from ui.style import APPEARANCES
from ui.today_view import TodayView

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
# models/' vocabularies: translated where shown, under "Vocabulary", and marked for lupdate
# with models/values/words.QT_TRANSLATE_NOOP.
VOCABULARIES = (
    STAGES, INTERACTION_KINDS, RELATIONS, IMPORTANT_DATE_KINDS, TEMPLATE_KINDS, PLACEHOLDERS,
    LEAP_DAY_RULES, SNOOZE_CHOICES, SORTS, FIELDS, APPEARANCES, REMINDER_KINDS,
)  # fmt: skip
CARDS = """BEGIN:VCARD
VERSION:3.0
FN:Anna Berger
N:Berger;Anna;;;
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Zoltan Quist
N:Quist;Zoltan;;;
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bea Broken
BDAY:2023-02-30
END:VCARD
"""


class PseudoTranslator(QTranslator):
    """Wraps every text in ⟦⟧ and remembers which (context, text) it was asked for."""

    def __init__(self):
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def translate(self, context, source, disambiguation=None, n=-1):
        self.asked.add((context, source))
        return f"⟦{source}⟧"

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def pseudo(qapp):
    translator = PseudoTranslator()
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


@pytest.fixture
def studio(database):
    load_sample_clients(TODAY)
    return database


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    """(context, text) of every text pyside6-lupdate finds in ui/ and models/ (whose
    vocabularies are marked with models/values/words.QT_TRANSLATE_NOOP)."""
    ts = tmp_path_factory.mktemp("translations") / "rapport.ts"
    lupdate = Path(PySide6.__file__).parent / "lupdate"
    sources = sorted(
        str(path) for folder in ("ui", "models") for path in (ROOT / folder).rglob("*.py")
    )
    subprocess.run([lupdate, "-silent", *sources, "-ts", ts], check=True, timeout=60)
    return {
        (context.findtext("name"), message.findtext("source"))
        for context in ElementTree.parse(ts).iter("context")
        for message in context.iter("message")
    }


# --- What a widget shows ------------------------------------------------------------------


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for each text `root` and its widgets show, or tell a screen reader."""
    found = [("window title", root.windowTitle())] if root.isWindow() else []
    for widget in [root, *root.findChildren(QWidget)]:
        kind = type(widget).__name__
        found.append((f"{kind} accessible name", widget.accessibleName()))
        found.append((f"{kind} tooltip", widget.toolTip()))
        found += [(kind, text) for text in texts_of(widget)]
    return [(where, text) for where, text in found if text]


def texts_of(widget: QWidget) -> list[str]:
    if isinstance(widget, QLabel):
        return [widget.text()]
    if isinstance(widget, QPushButton | QToolButton) and widget.menu() is not None:
        return [widget.text(), *menu_texts(widget.menu())]
    if isinstance(widget, QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabBar):
        return [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QLineEdit):
        return [widget.placeholderText()]
    if isinstance(widget, QSpinBox):
        return [widget.suffix(), widget.specialValueText()]
    if isinstance(widget, QComboBox):
        return [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QListWidget):
        return [widget.item(i).text() for i in range(widget.count())]
    if isinstance(widget, QTableView | QTreeView):
        return header_texts(widget.model())
    return []


def header_texts(model) -> list[str]:
    columns = range(model.columnCount(QModelIndex()))
    return [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]


def menu_texts(menu: QMenu) -> list[str]:
    texts = []
    for action in menu.actions():
        texts.append(action.text())
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return texts


def locale_words() -> set[str]:
    """Day and month names: QLocale writes them in the user's language already."""
    locale, words = QLocale(), set()
    for form in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
        words |= {locale.dayName(day, form) for day in range(1, 8)}
        words |= {locale.monthName(month, form) for month in range(1, 13)}
        words |= {locale.standaloneMonthName(month, form) for month in range(1, 13)}
    return words


def unwrapped(texts: list[tuple[str, str]], allowed=()) -> list[tuple[str, str]]:
    """The texts with a letter outside ⟦⟧ that is not in an allowed text (user data,
    models/' English, QLocale's names)."""
    allowed = sorted({*allowed, *locale_words()} - {""}, key=len, reverse=True)
    left = []
    for where, text in texts:
        rest = text
        while (inner := re.sub(r"⟦[^⟦⟧]*⟧", "", rest)) != rest:
            rest = inner
        for word in allowed:
            rest = rest.replace(word, "")
        if re.search(r"[^\W\d_]", rest):
            left.append((where, text))
    return left


def assert_all_translated(texts, translator: PseudoTranslator, extracted, allowed=()) -> None:
    assert texts, "nothing shown: the test looked at the wrong widget"
    assert unwrapped(texts, allowed) == []
    # Qt's own texts (QDialogButtonBox, QPlatformTheme...) are for Qt's translations.
    ours = {(where, text) for where, text in translator.asked if not re.match("Q[A-Z]", where)}
    vocabulary = {(context, text) for context, text in ours if context == "Vocabulary"}
    assert {text for _, text in vocabulary} <= {w for words in VOCABULARIES for w in words.values()}
    assert ours - extracted == set()  # the vocabularies too: lupdate finds them in models/


# --- Dialogs ------------------------------------------------------------------------------


def anna() -> Client:
    return Client.get(Client.first_name == "Anna")


def settings_with_a_problem(tmp_path: Path):
    folder = tmp_path / "backups"
    make_backup(tmp_path / "rapport.sqlite", folder, NOW)
    dialog = SettingsDialog(BackupsBox(folder, lambda: None, lambda backup: None))
    dialog.promote_value.setText("a lot")
    dialog.save()  # refused: the error line says why
    assert dialog.error.isVisibleTo(dialog)
    return dialog, ()


def csv_mapping_without_a_name(tmp_path: Path):
    table = sniff_csv(b"Who,Mail,Born\nAnna Berger,anna@example.org,1985-04-15\n")
    dialog = CsvMappingDialog(table, "clients.csv")
    for chooser in dialog.choosers:
        chooser.setCurrentIndex(0)  # ignore every column
    dialog.accept()  # refused: no column with a name
    return dialog, ()


def compose_to_anna(tmp_path: Path):
    return ComposeDialog(anna(), now=lambda: NOW, today=lambda: TODAY), ()


def important_date_for_anna(tmp_path: Path):
    family = list(FamilyMember.select().where(FamilyMember.client == anna()))
    return ImportantDateDialog(anna().id, family), [member.name for member in family]


def edited_interaction(tmp_path: Path):
    interaction = Interaction.select().where(Interaction.client == anna()).first()
    return InteractionDialog(anna().id, NOW, interaction), CURRENCIES


DIALOGS = {
    "new client": lambda tmp_path: (ClientDialog(), ()),
    "edit client": lambda tmp_path: (ClientDialog(anna()), ()),
    "log an interaction": lambda tmp_path: (InteractionDialog(anna().id, now=NOW), CURRENCIES),
    "edit an interaction": edited_interaction,
    "note": lambda tmp_path: (NoteDialog(anna().id), ()),
    "family member": lambda tmp_path: (FamilyMemberDialog(anna().id), ()),
    "important date": important_date_for_anna,
    "follow-up": lambda tmp_path: (FollowUpDialog(anna().id, now=NOW), ()),
    "wish": lambda tmp_path: (WishDialog(anna().id, TODAY), ()),
    "templates": lambda tmp_path: (TemplatesDialog(), [f"{{{name}}}" for name in PLACEHOLDERS]),
    "snooze": lambda tmp_path: (SnoozeDialog(NOW, NOW + timedelta(days=1)), ()),
    "compose": compose_to_anna,
    "settings, with backups and an error": settings_with_a_problem,
    "CSV columns, with an error": csv_mapping_without_a_name,
    "import preview": lambda tmp_path: (
        ImportPreviewDialog(plan_import(read_vcards(CARDS.encode())), "contacts.vcf"),
        (),
    ),
}


@pytest.mark.parametrize("name", DIALOGS)
def test_every_text_of_a_dialog_is_translated(qtbot, pseudo, extracted, studio, tmp_path, name):
    dialog, allowed = DIALOGS[name](tmp_path)
    qtbot.addWidget(dialog)
    assert_all_translated(shown_texts(dialog), pseudo, extracted, allowed)


def test_the_import_previews_own_cells_are_translated(qtbot, pseudo, studio):
    plan = plan_import(read_vcards(CARDS.encode()))
    dialog = ImportPreviewDialog(plan, "contacts.vcf")
    qtbot.addWidget(dialog)
    model = dialog.people.model()
    already = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert "⟦new⟧" in already
    assert re.fullmatch(r"⟦Import \d+⟧", dialog.import_button.text())
    assert dialog.windowTitle() == "⟦Import contacts.vcf⟧"


# --- The window: Today, the client list, the tray, a client's page ------------------------


@pytest.fixture
def window(qtbot, open_window, pseudo, studio):
    return with_reminders(qtbot, open_window(zone=BERLIN))


def test_today_is_translated_but_for_the_reminders_own_words(window, pseudo, extracted):
    today = window.today_view
    assert today.rows and today.suggestion_rows
    models_words = [r.reminder.title for r in today.rows] + [r.reminder.text for r in today.rows]
    models_words += [row.suggestion.text for row in today.suggestion_rows]
    assert today.heading.text() == "⟦Today — Tuesday 24 November⟧"
    assert_all_translated(shown_texts(today), pseudo, extracted, models_words)


def test_the_client_list_its_filters_and_the_tray_are_translated(window, pseudo, extracted):
    panel = window.client_list
    panel.filter_bar._fill_menu()  # built when opened: the tags in use now
    texts = shown_texts(panel) + [("filter menu", t) for t in menu_texts(panel.filter_bar.menu)]
    texts += [("client list action", action.text()) for action in panel.list.actions()]
    texts += [("time since", panel.model.index(row).data(SinceRole)) for row in range(5)]
    if window.tray is not None:
        texts += [("tray tooltip", window.tray.toolTip())]
        texts += [("tray menu", text) for text in menu_texts(window.tray.contextMenu())]
    tags = [f"#{tag}" for client in Client.select() for tag in client_tags(client.id)]
    assert_all_translated(texts, pseudo, extracted, tags)
    assert since(None, NOW) == "⟦never⟧"


def test_a_clients_header_and_records_are_translated_but_for_their_data(
    qtbot, window, pseudo, extracted
):
    client = anna()
    window.open_client(client.id)
    page = window.page
    qtbot.waitUntil(lambda: page.client is not None and page.client.id == client.id)
    texts = shown_texts(page.header) + shown_texts(page.promotion)
    for model, status in (
        (page.history, page.history.COL_KIND),
        (page.family, page.family.COL_RELATION),
        (page.dates, page.dates.COL_NOTICE),
        (page.follow_ups, page.follow_ups.COL_STATUS),
        (page.wishes, page.wishes.COL_STATUS),
    ):
        assert model.rowCount(), f"{type(model).__name__}: nothing to look at"
        texts += [(type(model).__name__, text) for text in header_texts(model)]
        texts += [
            (type(model).__name__, model.index(row, status).data())
            for row in range(min(2, model.rowCount()))
        ]
    texts += [("table action", action.text()) for action in page.history_table.actions()]
    texts += [("quarters", page.quarters.accessibleName())]
    texts += [("quarters", page.quarters.accessibleDescription())]
    user_data = [  # and the referral line: models/' English
        referral_line(client),
        *(client.full_name, client.preferred_name, client.organization, client.address),
        *(f"#{tag}" for tag in client_tags(client.id)),
        *contact_values(client.id, "email"),
        *contact_values(client.id, "phone"),
        *(member.name for member in FamilyMember.select().where(FamilyMember.client == client)),
    ]
    assert_all_translated(texts, pseudo, extracted, user_data)


def test_the_windows_menus_sidebar_and_a_clients_page_are_translated(
    qtbot, window, pseudo, extracted
):
    client = anna()
    window.open_client(client.id)
    page = window.page
    texts = [("menu", action.text()) for action in window.menuBar().actions()]
    for action in window.menuBar().actions():
        texts += [("menu", text) for text in menu_texts(action.menu())]
    texts += [("sidebar", window.sidebar.item(row).text()) for row in range(3)]
    texts += [("tab", page.tabs.tabText(tab)) for tab in range(page.tabs.count())]
    texts += [("add menu", text) for text in menu_texts(page.add_menu)]
    texts += [("page", text) for _where, text in shown_texts(page) if text in BUTTONS_OF_PAGE]
    texts += [
        ("caption", page.quarters_caption.text()),
        ("undo", window.undo_bar.undo_button.text()),
    ]
    tables = (page.history_table, page.notes_table, page.family_table, page.wishes_table)
    texts += [("empty table", table.empty_text) for table in tables]
    # The sidebar's count of what is due is the one number among its words.
    due = [window.sidebar.item(0).text()]
    assert_all_translated(texts, pseudo, extracted, due)
    assert window.sidebar.item(0).text().startswith("⟦Today")


BUTTONS_OF_PAGE = {"⟦Log interaction⟧", "⟦Write…⟧", "⟦Add⟧", "Log interaction", "Write…", "Add"}


# --- Messages and the Studio --------------------------------------------------------------


def message_texts(box: QMessageBox) -> list[tuple[str, str]]:
    texts = [("title", box.windowTitle()), ("text", box.text())]
    texts += [("more", box.informativeText())]
    return texts + [("button", button.text()) for button in box.buttons()]


def test_the_delete_question_and_an_import_message_are_translated(
    qtbot, pseudo, extracted, studio, tmp_path
):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[tuple[str, str]]] = []

    def read_and_close(box: QMessageBox) -> None:
        seen.append(message_texts(box))
        box.reject()

    when_dialog_opens(read_and_close, kind=QMessageBox)
    confirm_delete(parent, "Anna Berger")
    when_dialog_opens(read_and_close, kind=QMessageBox)
    ImportFlow(parent).start(tmp_path / "gone.vcf")  # no such file: Rapport says so
    assert len(seen) == 2
    texts = [(where, text) for where, text in seen[0] + seen[1] if text]
    assert ("text", "⟦Delete Anna Berger?⟧") in texts
    assert_all_translated(texts, pseudo, extracted, ["Anna Berger"])


def test_the_studio_is_translated(qtbot, pseudo, extracted, studio):
    view = StudioView(lambda: TODAY, zone=BERLIN)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.busy(), timeout=10000)
    day = min(view.strip.counts())
    texts = [*shown_texts(view), ("date strip", view.strip.describe(day))]
    texts += [("referrer", fact) for _, _, fact in view.referrers.rows()]
    assert view.referrers.rows()
    assert_all_translated(texts, pseudo, extracted, ["EUR", "USD", "GBP", "CHF"])


def test_an_export_tells_what_it_wrote_translated(qtbot, pseudo, extracted, studio, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    exports = Exports(parent, lambda: NOW, tmp_path / "rapport.sqlite")
    target = tmp_path / "clients.vcf"
    titles: list[str] = []

    def save_as(dialog: QFileDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.selectFile(str(target))
        dialog.accept()

    questions: list[tuple[str, str]] = []

    def leave_notes_out(box: QMessageBox) -> None:
        questions.extend(("question", text) for text in (box.text(), box.informativeText()))
        questions.extend(("button", button.text()) for button in box.buttons()[:2])
        box.defaultButton().click()

    when_dialog_opens(leave_notes_out, kind=QMessageBox)
    when_dialog_opens(save_as, kind=QFileDialog)
    with qtbot.waitSignal(exports.written, timeout=10000) as written:
        exports.vcards()
    count = Client.select().count()
    notes = Note.select().count()
    assert written.args == [
        f"⟦Wrote {count} clients to {target}⟧; ⟦left out {notes} private notes⟧"
    ]
    assert titles == ["⟦Export as vCard⟧"]
    assert_all_translated([("status", written.args[0]), *questions], pseudo, extracted)


# --- Dates in the user's locale -----------------------------------------------------------


@pytest.fixture
def german():
    """QLocale's default set to German for the test (Rapport follows the system's)."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_todays_days_are_named_by_qlocale_not_by_strftime(qtbot, german, database):
    view = TodayView()
    qtbot.addWidget(view)
    coming = Reminder(
        "follow_up:1", 1, "follow_up", datetime(2026, 11, 25, 13, tzinfo=UTC),
        date(2026, 11, 25), "Anna Berger", "Deliver the gallery",
    )  # fmt: skip
    view.show_list(TodayList([], [], [coming]), NOW, BERLIN)
    assert view.heading.text() == "Today — Dienstag 24 November"
    [row] = view.rows
    assert "Mi. 25 Nov." in [label.text() for label in row.findChildren(QLabel)]


def test_the_no_contact_filter_names_its_month_by_qlocale(qtbot, german, database):
    bar = ClientFilterBar(lambda: TODAY)
    qtbot.addWidget(bar)
    bar.filters = replace(bar.filters, no_contact_since=date(2026, 3, 1))
    bar._fill_menu()
    assert "No contact since 01 März 2026" in menu_texts(bar.menu)
