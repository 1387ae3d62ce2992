"""The selected client's page: header, actions, History, Notes, People & dates, Follow-ups,
Wishes, Booked sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from tzlocal import get_localzone

from models.capture.mail_store import captured_interactions
from models.care.galleries import newest_gallery
from models.care.steps import CareTiming, care_progress, pause_care, resume_care, skip_step
from models.clients import photos
from models.clients.bookings import set_booking_status, upcoming_bookings
from models.clients.couples import (
    link_partners,
    make_client_of,
    partner_of,
    separate,
    set_date_greetings_off,
    set_no_greetings,
)
from models.clients.entries import (
    delete_entry,
    family,
    follow_ups,
    history,
    important_dates,
    notes,
    set_follow_up_done,
    set_note_pinned,
)
from models.clients.gifts import gifts
from models.clients.wishes import delete_wish, set_wish_fulfilled, wishes
from models.clock import system_now
from models.insight.health import ValueRanks, healths
from models.insight.quarters import interactions_per_quarter
from models.insight.relationship import accept_promotion, decline_promotion, relationship
from models.reminders.anniversaries import add_wedding_anniversary, wedding_anniversary_offer
from models.reminders.store import follow_up_snoozes
from models.store.changes import CLIENT_KINDS, Change
from models.store.entities import (
    Booking,
    Client,
    FamilyMember,
    FollowUp,
    Gift,
    ImportantDate,
    Interaction,
    Note,
    Wish,
)
from models.store.settings import SHOW_CAPTURED_MAIL, is_on, leap_day_rule, reminder_time, set_on
from models.sync.conflicts import resolve
from models.values.kinds import INTERACTION_KINDS
from ui.card_sync_bar import CardSyncBar
from ui.client_header import ClientHeader, plain_label
from ui.confirm import ask, confirm_delete, tell
from ui.dialogs.booking_dialog import BookingDialog
from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.family_member_dialog import FamilyMemberDialog
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.gift_dialog import GiftDialog
from ui.dialogs.important_date_dialog import ImportantDateDialog
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.dialogs.note_dialog import NoteDialog
from ui.dialogs.wish_dialog import WishDialog
from ui.entry_models import (
    BookingsModel,
    FamilyModel,
    FollowUpsModel,
    GiftsModel,
    HistoryModel,
    ImportantDatesModel,
    NotesModel,
    WishesModel,
)
from ui.entry_table import EntryTable
from ui.file_dialogs import open_file
from ui.formatting import local_date, plain_tooltip, vocabulary, yearly_date
from ui.photo import PhotoError, square_photo
from ui.promotion_bar import PromotionBar
from ui.quarter_chart import QuarterChart
from ui.undo import UndoCommands

# the tabs' order
TAB_HISTORY, TAB_NOTES, TAB_PEOPLE, TAB_FOLLOW_UPS, TAB_WISHES, TAB_GIFTS = range(6)
BOOKINGS_SHOWN = 3  # sessions to come above the history, before the table scrolls


@dataclass(frozen=True)
class EntryKind:
    """A kind of entry on the page, and how the owner adds, edits and deletes one.
    The texts name the change for Ctrl+Z ("Added a note") and the entry for the question
    before deleting it ("this note")."""

    model: type  # Note, Wish…: the key the page knows the kind by
    table: EntryTable
    dialog: Callable[[object | None], QDialog]  # for a new entry (None) or this one
    added: str
    edited: Callable[[object], str]
    deleting: Callable[[object], str]
    add_text: str = ""  # in the Add menu; empty: a button of its own
    consequence: str = ""  # of deleting, when more goes than the entry
    tab: int | None = None  # shown once one is added
    delete_by_id: Callable[[int], None] | None = None  # when more than its row goes

    def delete(self, entry) -> None:
        if self.delete_by_id is not None:
            self.delete_by_id(entry.id)
        else:
            delete_entry(self.model, entry.id)


class ClientPage(QWidget):
    def __init__(
        self,
        today: Callable[[], date],
        now: Callable[[], datetime] = system_now,
        value_ranks: Callable[[], ValueRanks] = lambda: ValueRanks(None, ()),
        undo: UndoCommands | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self._today, self._now, self._value_ranks = today, now, value_ranks
        self.undo = undo or UndoCommands(now, self)
        self.client: Client | None = None
        self.header = ClientHeader()
        self.header.choose_photo_requested.connect(self.choose_photo)
        self.header.remove_photo_requested.connect(self.remove_photo)
        self.setAcceptDrops(True)  # a photo dropped anywhere on the page becomes the client's
        self.promotion = PromotionBar()
        self.promotion.accepted.connect(self._accept_promotion)
        self.promotion.declined.connect(self._decline_promotion)
        self.card_sync = CardSyncBar()
        self.card_sync.resolve_requested.connect(self._resolve_conflict)
        self.history = HistoryModel()
        self.notes = NotesModel()
        self.family = FamilyModel(today())
        self.dates = ImportantDatesModel(today())
        self.follow_ups = FollowUpsModel(today())
        self.history_table = EntryTable(self.history, HistoryModel.COL_SUMMARY, self.tr("History"))
        self.history_detail = plain_label("historyDetail")
        self.history_detail.setWordWrap(True)
        # Shown for a client with mail read from the owner's mailbox (models/capture/).
        self.captured_toggle = QCheckBox(self.tr("Show emails read from your mailbox"))
        self.captured_toggle.clicked.connect(self._show_captured_mail)  # the owner's click
        self.notes_table = EntryTable(self.notes, NotesModel.COL_TEXT, self.tr("Notes"))
        self.family_table = EntryTable(self.family, FamilyModel.COL_NAME, self.tr("Family"))
        self.dates_table = EntryTable(
            self.dates, ImportantDatesModel.COL_WHAT, self.tr("Important dates")
        )
        self.follow_ups_table = EntryTable(
            self.follow_ups, FollowUpsModel.COL_WHAT, self.tr("Follow-ups")
        )
        self.wishes = WishesModel()
        self.wishes_table = EntryTable(self.wishes, WishesModel.COL_WISH, self.tr("Wishes"))
        self.gifts = GiftsModel()
        self.gifts_table = EntryTable(self.gifts, GiftsModel.COL_WHAT, self.tr("Gifts"))
        self.bookings = BookingsModel()
        self.bookings_table = EntryTable(
            self.bookings, BookingsModel.COL_WHAT, self.tr("Booked sessions")
        )
        self.quarters = QuarterChart()
        self.kinds = self._entry_kinds()
        self._say_what_to_do_when_empty()
        self._connect_tables()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._history_tab(), self.tr("History"))
        self.tabs.addTab(self.notes_table, self.tr("Notes"))
        self.tabs.addTab(self._people_tab(), self.tr("People && dates"))
        self.tabs.addTab(self._follow_ups_tab(), self.tr("Follow-ups"))
        self.tabs.addTab(self.wishes_table, self.tr("Wishes"))
        self.tabs.addTab(self.gifts_table, self.tr("Gifts"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        layout.addWidget(self.header)
        layout.addWidget(self.promotion)
        layout.addWidget(self.card_sync)
        layout.addLayout(self._action_buttons())
        layout.addWidget(self.tabs, 1)

    def _say_what_to_do_when_empty(self) -> None:
        for table, text in (
            (self.history_table, self.tr("Nothing yet. Log interaction keeps sessions and calls.")),
            (self.notes_table, self.tr("No notes yet. Add ▸ Note… for preferences and hints.")),
            (self.family_table, self.tr("Add ▸ Family member… for a partner, children, pets.")),
            (self.dates_table, self.tr("Add ▸ Date… for a birthday or an anniversary.")),
            (self.follow_ups_table, self.tr("Nothing to follow up. Add ▸ Follow-up… for a task.")),
            (self.wishes_table, self.tr("No wishes yet. What would they love next? Add ▸ Wish…")),
            (self.gifts_table, self.tr("No gifts yet. Add ▸ Gift… for one given or planned.")),
        ):
            table.empty_text = text

    def _entry_kinds(self) -> dict[type, EntryKind]:
        kinds = (
            EntryKind(
                Interaction,
                self.history_table,
                lambda entry: InteractionDialog(self.client.id, self._now(), entry, parent=self),
                self.tr("Logged an interaction"),
                lambda entry: self.tr("Edited “{summary}”").format(summary=entry.summary),
                lambda entry: self.tr("“{summary}” from the history").format(summary=entry.summary),
            ),
            EntryKind(
                Note,
                self.notes_table,
                lambda entry: NoteDialog(self.client.id, entry, parent=self),
                self.tr("Added a note"),
                lambda _entry: self.tr("Edited a note"),
                lambda _entry: self.tr("this note"),
                add_text=self.tr("Note…"),
            ),
            EntryKind(
                FamilyMember,
                self.family_table,
                lambda entry: FamilyMemberDialog(self.client.id, entry, parent=self),
                self.tr("Added to the family"),
                lambda entry: self.tr("Edited {name}").format(name=entry.name),
                lambda entry: entry.name,
                add_text=self.tr("Family member…"),
                consequence=self.tr("Their birthday is deleted too."),
            ),
            EntryKind(
                ImportantDate,
                self.dates_table,
                lambda entry: ImportantDateDialog(
                    self.client.id, family(self.client.id), entry, parent=self
                ),
                self.tr("Added a date"),
                lambda _entry: self.tr("Edited a date"),
                lambda entry: self.tr("the date “{date}”").format(date=self.dates.describe(entry)),
                add_text=self.tr("Date…"),
            ),
            EntryKind(
                FollowUp,
                self.follow_ups_table,
                lambda entry: FollowUpDialog(self.client.id, self._now(), entry, parent=self),
                self.tr("Added a follow-up"),
                lambda _entry: self.tr("Edited a follow-up"),
                lambda entry: self.tr("the follow-up “{title}”").format(title=entry.title),
                add_text=self.tr("Follow-up…"),
                tab=TAB_FOLLOW_UPS,
            ),
            EntryKind(
                Wish,
                self.wishes_table,
                lambda entry: WishDialog(self.client.id, self._today(), entry, parent=self),
                self.tr("Added a wish"),
                lambda _entry: self.tr("Edited a wish"),
                lambda entry: self.tr("the wish “{text}”").format(text=entry.text),
                add_text=self.tr("Wish…"),
                consequence=self.tr("Its reminder goes too, if it is still open."),
                tab=TAB_WISHES,
                delete_by_id=delete_wish,
            ),
            EntryKind(
                Gift,
                self.gifts_table,
                lambda entry: GiftDialog(self.client.id, self._today(), entry, parent=self),
                self.tr("Added a gift"),
                lambda entry: self.tr("Edited the gift “{what}”").format(what=entry.what),
                lambda entry: self.tr("the gift “{what}”").format(what=entry.what),
                add_text=self.tr("Gift…"),
                tab=TAB_GIFTS,
            ),
            EntryKind(
                Booking,
                self.bookings_table,
                lambda entry: BookingDialog(self.client.id, self._now(), entry, parent=self),
                self.tr("Booked a session"),
                lambda _entry: self.tr("Changed a booked session"),
                lambda entry: self.tr("the booked session of {day}").format(
                    day=local_date(entry.starts_at)
                ),
                add_text=self.tr("Booked session…"),
                tab=TAB_HISTORY,
            ),
        )
        return {kind.model: kind for kind in kinds}

    def _connect_tables(self) -> None:
        for model, kind in self.kinds.items():
            kind.table.edit_requested.connect(partial(self.edit, model))
            kind.table.delete_requested.connect(partial(self.delete, model))
        self.history_table.selectionModel().currentRowChanged.connect(self._show_history_detail)
        pin = QAction(self.tr("Pin / unpin"), self.notes_table)
        pin.triggered.connect(self._toggle_pin)
        self.notes_table.extra_actions.append(pin)
        done = QAction(self.tr("Mark done / reopen"), self.follow_ups_table)
        done.triggered.connect(self._toggle_follow_up_done)
        self.follow_ups_table.extra_actions.append(done)
        for text, status in (
            (self.tr("Book it"), "booked"),
            (self.tr("Cancel the booking"), "cancelled"),
        ):
            action = QAction(text, self.bookings_table)
            action.triggered.connect(partial(self._set_booking_status, status))
            self.bookings_table.extra_actions.append(action)
        skip = QAction(self.tr("Skip this step"), self.follow_ups_table)
        skip.triggered.connect(self._skip_step)
        self.follow_ups_table.extra_actions.append(skip)
        open_gallery = QAction(self.tr("Open the gallery"), self.history_table)
        open_gallery.triggered.connect(
            lambda: self._open_gallery(self.history_table.current_entry())
        )
        self.history_table.extra_actions.append(open_gallery)
        came_true = QAction(self.tr("Came true / open again"), self.wishes_table)
        came_true.triggered.connect(self._toggle_wish_fulfilled)
        self.wishes_table.extra_actions.append(came_true)
        greetings = QAction(self.tr("Greetings off / on"), self.dates_table)
        greetings.triggered.connect(self._toggle_date_greetings)
        self.dates_table.extra_actions.append(greetings)
        make_client = QAction(self.tr("Make a client of them (as the partner)"), self.family_table)
        make_client.triggered.connect(
            lambda: self.make_client_of(self.family_table.current_entry())
        )
        self.family_table.extra_actions.append(make_client)

    def _action_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        for text, slot, primary in (
            (self.tr("Log interaction"), self.log_interaction, True),
            (self.tr("Write…"), self.compose, False),
        ):
            button = QPushButton(text)
            button.setProperty("primary", primary)
            button.clicked.connect(slot)
            row.addWidget(button)
        add = QPushButton(self.tr("Add"))
        self.add_menu = QMenu(add)
        for model, kind in self.kinds.items():
            if kind.add_text:
                self.add_menu.addAction(kind.add_text, partial(self.add, model))
        add.setMenu(self.add_menu)
        row.addWidget(add)
        couple = QPushButton(self.tr("Partner"))
        self.couple_menu = QMenu(couple)
        self.couple_menu.aboutToShow.connect(self._fill_couple_menu)
        couple.setMenu(self.couple_menu)
        row.addWidget(couple)
        row.addStretch()
        # The newest gallery, one click from the browser; its address in plain text.
        self.gallery_button = QPushButton()
        self.gallery_button.setObjectName("galleryLink")
        self.gallery_button.setFlat(True)
        self.gallery_button.clicked.connect(lambda: self._open_gallery(self._gallery))
        self._gallery: Interaction | None = None
        row.addWidget(self.gallery_button)
        return row

    def _fill_couple_menu(self) -> None:
        """What can be done about the client's partner now: link one, make a client of the
        partner who is only a name, separate; and greetings off for the client."""
        menu = self.couple_menu
        menu.clear()
        if self.client is None:
            return
        menu.addAction(self.tr("Link a partner…"), self.link_partner)
        for member in family(self.client.id):
            if member.relation == "partner":
                menu.addAction(
                    self.tr("Make a client of {name}").format(name=member.name),
                    partial(self.make_client_of, member),
                )
        menu.addAction(self.tr("Separate…"), self.separate)
        menu.addSeparator()
        silent = menu.addAction(self.tr("Do not send greetings"))
        silent.setCheckable(True)
        silent.setChecked(bool(self.client.no_greetings))
        silent.toggled.connect(self.set_no_greetings)

    def _follow_ups_tab(self) -> QWidget:
        """The follow-ups, and above them the switch that pauses a client's care steps."""
        self.care_button = QPushButton()
        self.care_button.setToolTip(self.tr("Hide or bring back this client's care steps on Today"))
        self.care_button.clicked.connect(self._toggle_care_paused)
        self.care_note = plain_label("quiet")
        self.care_note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.care_note, 1)
        bar.addWidget(self.care_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.follow_ups_table, 1)
        return tab

    def _history_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        # Sessions to come sit above the history they become once they are over.
        self.bookings_caption = QLabel(self.tr("Booked"))
        self.bookings_caption.setObjectName("quiet")
        layout.addWidget(self.bookings_caption)
        layout.addWidget(self.bookings_table)
        self.quarters_caption = QLabel(self.tr("Interactions per quarter"))
        self.quarters_caption.setObjectName("quiet")
        layout.addWidget(self.quarters_caption)
        layout.addWidget(self.quarters)
        layout.addWidget(self.captured_toggle)
        layout.addWidget(self.history_table, 1)
        layout.addWidget(self.history_detail)
        return tab

    def _people_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        for title, table in (
            (self.tr("Family"), self.family_table),
            (self.tr("Important dates"), self.dates_table),
        ):
            heading = QLabel(title)
            heading.setObjectName("sectionHeading")
            layout.addWidget(heading)
            layout.addWidget(table, 1)
        return tab

    def show_client(self, client: Client) -> None:
        self.client = client
        standing = relationship(client, self._today())
        health_now = healths([client.id], self._value_ranks(), self._now())[client.id]
        self.header.show_client(client, standing, health_now)
        self.promotion.show_suggestion(standing.promotion)
        self.card_sync.show_client(client.id)
        self.refresh_entries()

    def _accept_promotion(self) -> None:
        with self._changing(self.tr("Made a client")):
            accept_promotion(self.client.id, self._today())

    def _decline_promotion(self) -> None:
        with self._changing(self.tr("Kept as a customer")):
            decline_promotion(self.client.id)

    def _resolve_conflict(self, conflict_id: int, take_theirs: bool) -> None:
        with self._changing(self.tr("Resolved a conflict with the address book")):
            resolve(conflict_id, take_theirs)
        self.card_sync.show_client(self.client.id)  # keeping ours changes no client data

    def refresh_entries(self) -> None:
        client_id = self.client.id
        self.client = Client.get_or_none(Client.id == client_id) or self.client  # consent, pause
        self.history.care = care_progress(self.client)
        captured = captured_interactions(client_id)
        self.history.captured = captured
        self.captured_toggle.setVisible(bool(captured))
        shown = is_on(SHOW_CAPTURED_MAIL)
        self.captured_toggle.setChecked(shown)
        entries = history(client_id)
        self.history.set_entries([e for e in entries if shown or e.id not in captured])
        self.notes.set_entries(notes(client_id))
        members = family(client_id)
        dates = important_dates(client_id)
        self.family.leap_day_rule = self.dates.leap_day_rule = leap_day_rule()
        self.family.set_family(members, dates)
        self.dates.set_dates(dates, members)
        self.follow_ups.today = self._today()
        open_and_done = follow_ups(client_id)
        self.follow_ups.set_follow_ups(
            open_and_done, follow_up_snoozes(open_and_done, self._now()), self.client
        )
        self._show_care(open_and_done, newest_gallery(entries))
        self.wishes.set_entries(wishes(client_id))
        self.gifts.set_entries(gifts(client_id))
        self.bookings.set_entries(upcoming_bookings(client_id))
        self._fit_bookings()
        self.quarters.set_counts(
            interactions_per_quarter(
                (entry.occurred_at for entry in entries), self._today(), get_localzone()
            )
        )
        for tab, title, count in (
            (TAB_FOLLOW_UPS, self.tr("Follow-ups"), self.follow_ups.open_count()),
            (TAB_WISHES, self.tr("Wishes"), self.wishes.open_count()),
            (TAB_GIFTS, self.tr("Gifts"), self.gifts.planned_count()),
        ):
            counted = self.tr("{title} ({count})").format(title=title, count=count)
            self.tabs.setTabText(tab, counted if count else title)
        self.notes_table.resizeRowsToContents()
        self._show_history_detail()

    def _fit_bookings(self) -> None:
        """The sessions to come take the room of their rows (a few at most), so the history
        below keeps its room at 1024x700; none, and they take none."""
        table, rows = self.bookings_table, self.bookings.rowCount()
        self.bookings_caption.setVisible(rows > 0)
        table.setVisible(rows > 0)
        shown = sum(table.rowHeight(row) for row in range(min(rows, BOOKINGS_SHOWN)))
        table.setFixedHeight(shown + table.horizontalHeader().height() + 2 * table.frameWidth())

    def _show_care(self, open_and_done: list[FollowUp], gallery: Interaction | None) -> None:
        """The gallery link (of the newest session with one) and the pause switch, where
        the client has them."""
        self._gallery = gallery
        if self._gallery is not None:
            address = short_address(self._gallery.gallery_url)
            self.gallery_button.setText(self.tr("Gallery: {address}").format(address=address))
            self.gallery_button.setToolTip(plain_tooltip(self._gallery.gallery_url))
        self.gallery_button.setVisible(self._gallery is not None)
        has_care = any(
            step.session_id is not None and step.done_at is None for step in open_and_done
        )
        paused = self.client.care_paused_at is not None
        self.care_button.setText(
            self.tr("Resume care plan") if paused else self.tr("Pause care plan")
        )
        self.care_note.setText(
            self.tr("Care paused: these care steps wait, off Today, until you resume.")
            if paused
            else self.tr("Care steps come from the care plans of the sessions (Settings).")
        )
        for widget in (self.care_button, self.care_note):
            widget.setVisible(has_care or paused)

    def _open_gallery(self, session: Interaction | None) -> None:
        if session is not None and session.gallery_url:
            QDesktopServices.openUrl(QUrl(session.gallery_url))

    def _toggle_care_paused(self) -> None:
        if self.client.care_paused_at is None:
            with self._changing(self.tr("Paused the care plan")):
                pause_care(self.client.id, self._now())
        else:
            with self._changing(self.tr("Resumed the care plan")):
                resume_care(self.client.id, self._now())

    def _skip_step(self) -> None:
        step = self.follow_ups_table.current_entry()
        if step is None or step.done_at is not None:
            return
        timing = CareTiming(self._now(), get_localzone(), reminder_time())
        with self._changing(self.tr("Skipped “{title}”").format(title=step.title)):
            skip_step(step.id, timing)

    def _show_captured_mail(self, shown: bool) -> None:
        set_on(SHOW_CAPTURED_MAIL, shown)
        if self.client is not None:
            self.refresh_entries()

    def _show_history_detail(self) -> None:
        entry = self.history_table.current_entry()
        if entry is None:
            self.history_detail.setText(self.tr("Select an entry to read it in full."))
            return
        kind = vocabulary(INTERACTION_KINDS[entry.kind])
        detail = self.tr("{kind}: {summary}").format(kind=kind, summary=entry.summary)
        session = " · ".join(self.history.session_words(entry))  # its care, its gallery
        self.history_detail.setText("\n".join(filter(None, (detail, session, entry.body))))

    def _changing(self, what: str, also: list[int] | None = None):
        """A change to the client (and to `also`, a partner) that Ctrl+Z can take back:
        "Added a note — Anna Berger". The undo commands report it; the window shows it here
        and everywhere else."""
        described = self.tr("{what} — {name}").format(what=what, name=self.client.full_name)
        return self.undo.changing(self.client.id, described, also or [])

    # --- Couples -------------------------------------------------------------------------

    def _couple(self) -> list[int]:
        """The client's partner who is a client, and whoever their partner is now."""
        partner = partner_of(self.client.id)
        return [partner.id] if partner is not None else []

    def link_partner(self, partner_id: int | None = None) -> None:
        if partner_id is None:
            from ui.dialogs.pick_client_dialog import pick_client  # dialogs load when opened

            partner_id = pick_client(
                self,
                self.tr("Link a partner"),
                self.tr("{name}'s partner:").format(name=self.client.full_name),
                self.client.id,
            )
        if partner_id is None:
            return
        also = [partner_id, *self._couple(), *([p.id] if (p := partner_of(partner_id)) else [])]
        with self._changing(self.tr("Linked a partner"), also):
            link_partners(self.client.id, partner_id)

    def make_client_of(self, member: FamilyMember | None) -> None:
        """The partner who is only a name becomes a client of their own, linked as partner."""
        if member is None or member.relation != "partner":
            if member is not None:
                tell(
                    self,
                    self.tr("Not a partner"),
                    self.tr("Only a partner becomes a client linked as partner here."),
                )
            return
        # A new client is made: no undo step (undo puts clients back, it does not take a new
        # one away); the family row's birthday and notes went to them, nothing was lost.
        before = self._couple()
        partner = make_client_of(member.id)
        touched = frozenset({self.client.id, partner.id, *before})
        self.undo.changes.report(Change(touched, CLIENT_KINDS))

    def separate(self) -> None:
        if not ask(
            self,
            self.tr("Separate"),
            self.tr(
                "Unlink {name} and their partner, and stop the greetings for their wedding "
                "anniversary? Nothing is deleted: the history and the dates stay."
            ).format(name=self.client.full_name),
        ):
            return
        with self._changing(self.tr("Separated"), self._couple()):
            separate(self.client.id)

    def set_no_greetings(self, off: bool) -> None:
        with self._changing(
            self.tr("Greetings off") if off else self.tr("Greetings on again"), self._couple()
        ):
            set_no_greetings(self.client.id, off)

    def _toggle_date_greetings(self) -> None:
        entry = self.dates_table.current_entry()
        if entry is not None:
            with self._changing(
                self.tr("Greetings on again") if entry.no_greetings else self.tr("Greetings off")
            ):
                set_date_greetings_off(entry.id, not entry.no_greetings)

    def _run_dialog(self, dialog, what: str) -> bool:
        with self._changing(what) as change:
            change.made = bool(dialog.exec())
        return change.made

    def add(self, model: type) -> QDialog | None:
        """Add an entry of this kind (Note, Wish…) in its dialog; the dialog once saved."""
        kind = self.kinds[model]
        dialog = kind.dialog(None)
        if not self._run_dialog(dialog, kind.added):
            return None
        if kind.tab is not None:
            self.tabs.setCurrentIndex(kind.tab)
        return dialog

    def edit(self, model: type, entry) -> None:
        kind = self.kinds[model]
        self._run_dialog(kind.dialog(entry), kind.edited(entry))

    def delete(self, model: type, entry) -> None:
        kind = self.kinds[model]
        what = kind.deleting(entry)
        if confirm_delete(self, what, kind.consequence):
            with self._changing(self.tr("Deleted {what}").format(what=what)):
                kind.delete(entry)

    def log_interaction(self) -> None:
        dialog = self.add(Interaction)
        if dialog is not None:
            self._offer_wedding_anniversary(dialog.saved)

    def _offer_wedding_anniversary(self, interaction: Interaction) -> None:
        day = wedding_anniversary_offer(interaction, get_localzone())
        if day is None:
            return
        if ask(
            self,
            self.tr("Wedding anniversary"),
            self.tr(
                "Remember {day} as {name}'s wedding anniversary, with a reminder a week "
                "before each year?"
            ).format(day=yearly_date(day.day, day.month, None, day), name=self.client.full_name),
        ):
            with self._changing(self.tr("Added the wedding anniversary")):
                add_wedding_anniversary(self.client.id, day)

    def compose(self) -> None:
        dialog = ComposeDialog(self.client, now=self._now, today=self._today, parent=self)
        # An anniversary card is logged on both partners' histories: one undo for both.
        with self._changing(self.tr("Logged a message as sent"), self._couple()) as change:
            change.made = bool(dialog.exec())

    def _set_booking_status(self, status: str) -> None:
        booking = self.bookings_table.current_entry()
        if booking is not None and booking.status in ("offered", "booked"):
            what = self.tr("Booked a session") if status == "booked" else self.tr("Cancelled")
            with self._changing(what):
                set_booking_status(booking.id, status)

    def _toggle_wish_fulfilled(self) -> None:
        wish = self.wishes_table.current_entry()
        if wish is not None:
            with self._changing(
                self.tr("Opened a wish again") if wish.fulfilled_at else self.tr("A wish came true")
            ):
                set_wish_fulfilled(wish.id, None if wish.fulfilled_at else self._now())

    def _toggle_follow_up_done(self) -> None:
        follow_up = self.follow_ups_table.current_entry()
        if follow_up is not None:
            done_at = None if follow_up.done_at else self._now()
            with self._changing(
                self.tr("Reopened a follow-up") if done_at is None else self.tr("Done")
            ):
                timing = CareTiming(self._now(), get_localzone(), reminder_time())
                set_follow_up_done(follow_up.id, done_at, timing)

    def _toggle_pin(self) -> None:
        note = self.notes_table.current_entry()
        if note is not None:
            with self._changing(
                self.tr("Unpinned a note") if note.pinned else self.tr("Pinned a note")
            ):
                set_note_pinned(note.id, not note.pinned)

    # --- Photo ---------------------------------------------------------------------------

    def choose_photo(self) -> None:
        path = open_file(
            self,
            self.tr("Choose a photo"),
            self.tr("Images (*.jpg *.jpeg *.png *.webp *.gif *.bmp)"),
        )
        if path:
            self.use_photo_file(path)

    def use_photo_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            tell(
                self,
                self.tr("Photo not used"),
                self.tr("Rapport could not read {path}: {error}").format(path=path, error=error),
            )
            return
        self.use_photo(data)

    def use_photo(self, data: bytes) -> None:
        """Crop the image to its centre square, scale it, and keep it as the client's."""
        try:
            with self._changing(self.tr("New photo")):
                photos.set_photo(self.client.id, square_photo(data))
        except PhotoError as error:
            tell(
                self,
                self.tr("Photo not used"),
                self.tr("{error} Nothing was changed.").format(error=error),
            )
            return

    def remove_photo(self) -> None:
        with self._changing(self.tr("Removed the photo")):
            photos.remove_photo(self.client.id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        # Only a look here; the image is read once dropped.
        if self.client is not None and (
            mime.hasImage() or any(u.isLocalFile() for u in mime.urls())
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = _dropped_photo(event.mimeData())
        if self.client is None or dropped is None:
            return
        event.acceptProposedAction()
        if isinstance(dropped, Path):
            self.use_photo_file(dropped)
        else:
            self.use_photo(dropped)


def short_address(url: str, longest: int = 24) -> str:
    """A gallery's host as a button shows it ("anna.pixieset.com"), shortened: the header
    must fit 1024 px beside the partner and add buttons; the whole address is its tooltip."""
    host = QUrl(url).host() or url.split("://", 1)[-1].split("/", 1)[0]
    if len(host) > longest:
        host = host[: longest - 1] + "…"
    return host.replace("&", "&&")  # a button would read one "&" as a shortcut key


def _dropped_photo(mime: QMimeData) -> Path | bytes | None:
    """A local image file, or image data (dragged from a browser), or None."""
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    if mime.hasImage():
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        mime.imageData().save(buffer, "PNG")
        return bytes(buffer.data())
    return None
