"""Today: who needs the owner now — overdue, today and the next seven days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.clients.cards import is_card_greeting
from models.clients.entries import pinned_notes
from models.clients.photos import photo_versions
from models.clients.templates import template_for
from models.reminders.rules import SNOOZE_CHOICES, Reminder, TodayList, day_in_zone, done_log
from models.values.kinds import INTERACTION_KINDS, reminder_kind
from ui.avatar import face_pixmap
from ui.elided_label import ElidedLabel
from ui.first_start import FirstStartCard
from ui.formatting import vocabulary
from ui.labels import pinned_line, plain_label

if TYPE_CHECKING:  # what Today shows comes from the first look, after the first paint
    from models.capture.mail_store import MailStranger
    from models.exchange.booking_calendar import OfferedSession
    from models.insight.relationship import Suggestion

# What a greeting or a check-in was, in one click; the first is the default.
FACE_SIZE = 36


def chip_text(reminder: Reminder) -> str:
    return vocabulary(reminder_kind(reminder.kind, reminder.occasion))


def _short_day(day: QDate) -> str:
    """ "Wed 30 Sep", in the user's language."""
    return QLocale().toString(day, "ddd d MMM")


def _short_day_time(moment: datetime) -> str:
    """ "Wed 30 Sep, 09:00", in the user's language."""
    return QLocale().toString(QDateTime(moment.replace(tzinfo=None)), "ddd d MMM, HH:mm")


def days_words(listed: TodayList, reminder: Reminder, now: datetime, zone: ZoneInfo) -> str:
    """The reminder's own day, where it is not its event's: "reminder since Thu 3 Dec" or
    "snoozed until Wed 9 Dec, 09:00" (the event's day is in the reminder's text)."""
    snoozed = listed.snoozed(reminder, now)
    if snoozed is not None:
        until = _short_day_time(snoozed.astimezone(zone))
        return QCoreApplication.translate("TodayView", "snoozed until {when}").format(when=until)
    since = listed.reminder_since(reminder, day_in_zone(now, zone), zone)
    if since is None:
        return ""
    day = _short_day(QDate(since))
    return QCoreApplication.translate("TodayView", "reminder since {day}").format(day=day)


class RowShows(NamedTuple):
    """Everything a reminder's row shows but its pinned note: a row kept across a refresh
    shows the same again."""

    reminder: Reminder
    when: str  # its time today, or its day
    days: str  # `days_words`
    photo: str | None  # the version of the client's photo
    ratio: float  # the screen's device pixel ratio, which the face is drawn for


class ReminderRow(QFrame):
    """One reminder: who, what and why, and the three things one can do about it."""

    def __init__(self, shows: RowShows, view: TodayView):
        super().__init__()
        reminder, when, days, photo, ratio = self.shows = shows
        self.setObjectName("reminderRow")
        chip = plain_label("reminderChip")
        chip.setText(chip_text(reminder))
        chip.setProperty("kind", reminder.kind)
        title = ElidedLabel("reminderTitle")  # a couple's long names give way, whole in the tip
        title.setText(reminder.title)
        text = plain_label("reminderText")
        text.setText(f"{reminder.text} · {days}" if days else reminder.text)
        text.setWordWrap(True)
        due = plain_label("quiet")
        due.setText(when)
        words = QVBoxLayout()
        words.setSpacing(2)
        heading = QHBoxLayout()
        heading.setSpacing(10)
        heading.addWidget(title)
        heading.addWidget(chip)
        # A birthday or anniversary can be chosen for a card on paper (Print cards…).
        # Made the row's own at once: shown while without a parent, a widget would be
        # a window of its own for a moment (a native window each, a third of a refresh).
        self.for_card = QCheckBox(self.tr("Card"), self)
        self.for_card.setToolTip(self.tr("Choose for a card on paper (Print cards…)"))
        self.for_card.setAccessibleName(self.tr("Card for {name}").format(name=reminder.title))
        self.for_card.setVisible(is_card_greeting(reminder))
        heading.addWidget(self.for_card)
        heading.addStretch()
        words.addLayout(heading)
        words.addWidget(text)
        self.pinned = ElidedLabel("pinnedNote")
        self.pinned.hide()
        words.addWidget(self.pinned, 0, Qt.AlignmentFlag.AlignLeft)
        face = QLabel()
        face.setPixmap(face_pixmap(reminder.client_id, reminder.title, photo, FACE_SIZE, ratio))
        layout = QHBoxLayout(self)
        layout.addWidget(face)
        layout.addLayout(words, 1)
        layout.addWidget(due)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(lambda: view.open_requested.emit(reminder.client_id))
        self.snooze_button = self._menu_button(self.tr("Snooze"), view.snooze_menu(reminder, self))
        self.write_button = QPushButton(self.tr("Write…"), self)
        self.write_button.setToolTip(
            self.tr("Write from a template; logging it as sent closes this")
        )
        self.write_button.clicked.connect(lambda: view.compose_requested.emit(reminder))
        self.write_button.setVisible(template_for(reminder) is not None)
        keep_place = self.write_button.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)  # the rows' buttons stay in columns
        self.write_button.setSizePolicy(keep_place)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setProperty("primary", True)
        if reminder.occasion == "care_step":  # done, or skipped: the plan goes on
            self.done_button.setMenu(view.care_step_menu(reminder, self))
        elif not done_log(reminder.kind).choices:
            self.done_button.clicked.connect(lambda: view.done_requested.emit(reminder, ""))
        else:
            self.done_button.setMenu(view.done_menu(reminder, self))
        # Equal buttons and a fixed date column keep the rows' controls in line.
        due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        due.setMinimumWidth(due.fontMetrics().horizontalAdvance(_short_day(QDate(2026, 9, 30))))
        width = self.snooze_button.sizeHint().width()
        for button in (self.open_button, self.write_button, self.snooze_button, self.done_button):
            button.setMinimumWidth(width)
            layout.addWidget(button)

    @property
    def reminder(self) -> Reminder:
        return self.shows.reminder

    def show_pinned(self, note: str) -> None:
        """The client's pinned note ("allergic to lilies"), in sight while acting on this."""
        self.pinned.setText(pinned_line(note) if note else "")
        self.pinned.setVisible(bool(note))

    def _menu_button(self, text: str, menu: QMenu) -> QPushButton:
        button = QPushButton(text)
        button.setMenu(menu)
        return button


ROWS_AT_ONCE = 50  # per section, before "Show more"
# New rows built at once, about a screenful; the others at the next turns of the event loop,
# a few at each (a turn also lays out the whole list): a first Today at a big studio is 150
# rows, 0.7 s built at once.
SCREENFUL_OF_ROWS = 12
ROWS_PER_TURN = 5
ROW_BUTTONS = ("open_button", "write_button", "snooze_button", "done_button")


def _delete(widget: QWidget) -> None:
    """Gone from Today now, deleted at the next turn of the event loop (it may be the
    sender of the signal being handled)."""
    widget.setParent(None)
    widget.deleteLater()


class Waiting(NamedTuple):
    """A row still to build, and what holds its place in the list meanwhile."""

    stand_in: QWidget
    shows: RowShows
    section: str
    pinned: str


class Place(NamedTuple):
    """The owner's place on Today, kept across a refresh."""

    scrolled: int
    key: str = ""  # the reminder whose row has the focus
    button: str = ""  # which of its ROW_BUTTONS


class SuggestionRow(QFrame):
    """ "Jake has booked 5 times. Make Jake a client?" with Open, Make a client, Not now."""

    def __init__(self, suggestion: Suggestion, view: TodayView):
        super().__init__()
        self.suggestion = suggestion
        self.setObjectName("reminderRow")
        text = plain_label("reminderText")
        text.setText(suggestion.text)
        text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.addWidget(text, 1)
        client_id = suggestion.client_id
        for label, signal, primary in (
            (self.tr("Open"), view.open_requested, False),
            (self.tr("Make a client"), view.promote_requested, True),
            (self.tr("Not now"), view.decline_requested, False),
        ):
            button = QPushButton(label)
            button.setProperty("primary", primary)
            button.clicked.connect(lambda _=False, s=signal: s.emit(client_id))
            layout.addWidget(button)


class OfferRow(QFrame):
    """A session the booking calendar offers: "Session with Anna Berger on Sat 12 Dec 10:00
    · Schloss Nymphenburg", its event's title, and Book, Always for this calendar, Not a
    session."""

    def __init__(self, offer: OfferedSession, view: TodayView):
        super().__init__()
        self.offer = offer
        self.setObjectName("reminderRow")
        text = plain_label("reminderText")
        text.setText(offer.text)
        text.setWordWrap(True)
        title = plain_label("quiet")
        title.setText(self.tr("“{title}” in your calendar").format(title=offer.title))
        title.setVisible(bool(offer.title))
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(text)
        words.addWidget(title)
        layout = QHBoxLayout(self)
        layout.addLayout(words, 1)
        self.buttons = {}
        for answer, label, primary in (
            ("open", self.tr("Open"), False),
            ("book", self.tr("Book"), True),
            ("always", self.tr("Always for this calendar"), False),
            ("decline", self.tr("Not a session"), False),
        ):
            button = QPushButton(label)
            button.setProperty("primary", primary)
            button.clicked.connect(lambda _=False, a=answer: view.offer_answered.emit(offer, a))
            layout.addWidget(button)
            self.buttons[answer] = button


class LeadsRow(QFrame):
    """ "7 people you wrote to this month are not in Rapport: add them as leads?"."""

    def __init__(self, count: int, view: TodayView):
        super().__init__()
        self.setObjectName("reminderRow")
        self.text = plain_label("reminderText")
        self.text.setText(
            self.tr("1 person you wrote to this month is not in Rapport: add them as a lead?")
            if count == 1
            else self.tr(
                "{count} people you wrote to this month are not in Rapport: add them as leads?"
            ).format(count=count)
        )
        self.text.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.setProperty("primary", True)
        self.choose_button.clicked.connect(view.leads_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.choose_button)


class TodayView(QWidget):
    leads_requested = Signal()  # choose among the people written to who are no clients
    open_requested = Signal(int)  # client id
    promote_requested = Signal(int)  # client id: make this customer a client
    decline_requested = Signal(int)  # client id: not now
    snooze_requested = Signal(object, str)  # reminder, a key of SNOOZE_CHOICES or "pick"
    done_requested = Signal(object, str)  # reminder, interaction kind to log ("" for none)
    compose_requested = Signal(object)  # reminder: write the greeting or check-in it asks for
    print_cards_requested = Signal(list)  # the greetings chosen for a card (maybe none)
    # An OfferedSession, and the answer: "open", "book", "always" or "decline".
    offer_answered = Signal(object, str)
    skip_requested = Signal(object)  # reminder: a care step, closed without being done

    def __init__(self, parent=None):
        super().__init__(parent)
        self.heading = plain_label("pageTitle")
        self.summary = plain_label("quiet")
        self.rows: list[ReminderRow] = []
        self._spare: dict[RowShows, ReminderRow] = {}  # during a refresh: rows to show again
        self._waiting: list[Waiting] = []  # rows to build at the next turns, in order
        self._builds_left = 0  # new rows still to build at once in this turn
        self._keep_key = ""  # the reminder whose row has the focus: built at once
        self._chosen: set[str] = set()  # the reminders chosen for a card
        self._row_height = 0  # a row's, held by a stand-in until the row is built
        self._build_waiting = QTimer(self)
        self._build_waiting.setSingleShot(True)
        self._build_waiting.timeout.connect(self._build_next)
        self.listed = TodayList([], [], [])  # what the view shows
        self._now = datetime.min
        self.suggestion_rows: list[SuggestionRow] = []
        self.offer_rows: list[OfferRow] = []
        self.strangers: list[MailStranger] = []  # offered as leads
        self.leads_row: LeadsRow | None = None
        self._content = QVBoxLayout()
        self._content.setSpacing(8)
        inner = QWidget()
        inner.setObjectName("todayContent")
        inner.setLayout(self._content)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        self.print_button = QPushButton(self.tr("Print cards…"))
        self.print_button.setToolTip(
            self.tr("Cards on paper for the birthdays and anniversaries chosen, or next month's")
        )
        self.print_button.clicked.connect(
            lambda: self.print_cards_requested.emit(self.chosen_for_cards())
        )
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.print_button)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        self.first_start = FirstStartCard()  # on an empty database only: what to do first
        layout.addWidget(self.first_start)
        layout.addWidget(scroll, 1)

    def show_list(
        self,
        today: TodayList,
        now: datetime,
        zone: ZoneInfo,
        suggestions: Sequence[Suggestion] = (),
        offers: Sequence[OfferedSession] = (),
        strangers: Sequence[MailStranger] = (),
    ) -> None:
        self.listed, self._now = today, now
        day = day_in_zone(now, zone)
        day_name = QLocale().toString(QDate(day), "dddd d MMMM")
        self.heading.setText(self.tr("Today — {day}").format(day=day_name))
        due = today.count_due()
        self.summary.setText(
            self.tr("{due} to do now, {coming} coming up this week").format(
                due=due, coming=len(today.coming)
            )
            if due or today.coming
            else self.tr("Nothing due. Enjoy your coffee — Rapport will remind you.")
        )
        place = self._place()
        # A card chosen stays chosen, its row kept or built anew, now or at a later turn.
        self._chosen = {reminder.key for reminder in self.chosen_for_cards()}
        # The rows that show the same again are kept: a refresh after one change (or none)
        # builds a row or two, not 150 (0.5 s at a big studio, each time).
        self._spare = {row.shows: row for row in self.rows}
        self._clear()
        self._builds_left, self._keep_key = SCREENFUL_OF_ROWS, place.key
        try:
            self._fill(today, zone, suggestions, offers, strangers)
        finally:  # kept for nothing, or the build failed half-way: gone all the same
            for row in self._spare.values():
                _delete(row)
            self._spare = {}
        self._list_rows()
        self._return_to(place)

    def _fill(
        self,
        today: TodayList,
        zone: ZoneInfo,
        suggestions: Sequence[Suggestion],
        offers: Sequence[OfferedSession],
        strangers: Sequence[MailStranger],
    ) -> None:
        """The sections, offers, suggestions and leads, into the emptied list."""
        self.offer_rows = [OfferRow(offer, self) for offer in offers]
        for title, reminders, style in (
            (self.tr("Overdue"), today.overdue, "overdue"),
            (self.tr("Today"), today.today, "today"),
            (self.tr("Next 7 days"), today.coming, "coming"),
        ):
            if reminders:
                self._add_section(title, reminders, style, zone)
            if style == "today" and self.offer_rows:  # to confirm now, before what comes
                label = plain_label("sectionTitle")
                heading = self.tr("From your booking calendar  ·  {count}")
                label.setText(heading.format(count=len(offers)))
                self._content.addWidget(label)
                for row in self.offer_rows:
                    self._content.addWidget(row)
        self.suggestion_rows = [SuggestionRow(suggestion, self) for suggestion in suggestions]
        if self.suggestion_rows:
            label = plain_label("sectionTitle")
            label.setText(self.tr("Customers to make clients"))
            self._content.addWidget(label)
            for row in self.suggestion_rows:
                self._content.addWidget(row)
        self.strangers = list(strangers)
        self.leads_row = LeadsRow(len(strangers), self) if strangers else None
        if self.leads_row is not None:
            label = plain_label("sectionTitle")
            label.setText(self.tr("Not in Rapport yet"))
            self._content.addWidget(label)
            self._content.addWidget(self.leads_row)
        self._content.addStretch()

    def _place(self) -> Place:
        """Where the owner is on Today: how far down, and which row's button has the focus."""
        focused = QApplication.focusWidget()
        for row in self.rows:
            for name in ROW_BUTTONS:
                if getattr(row, name) is focused:
                    return Place(self.scroll.verticalScrollBar().value(), row.reminder.key, name)
        return Place(self.scroll.verticalScrollBar().value())

    def _return_to(self, place: Place) -> None:
        """After a refresh, the owner's place again: a refresh while they only wait must
        not move the list (the focused button, deleted, sent Qt's focus to the end)."""
        row = self.row_for(place.key) if place.key else None
        if row is not None:
            getattr(row, place.button).setFocus(Qt.FocusReason.OtherFocusReason)
        # The new rows show, and the scroll bar learns the new length, now rather than at the
        # next turn of the event loop (which would first scroll to fit an empty list).
        self._show_new()
        QCoreApplication.sendEvent(self.scroll, QEvent(QEvent.Type.LayoutRequest))
        self.scroll.verticalScrollBar().setValue(place.scrolled)

    def _clear(self) -> None:
        """Empty the list; the rows kept for showing again (`_spare`) wait out of it."""
        self.rows, self._waiting = [], []
        kept = set(self._spare.values())
        while self._content.count():
            widget = self._content.takeAt(0).widget()
            if widget is not None and widget not in kept:
                _delete(widget)

    def _add_section(self, title: str, reminders: list, style: str, zone: ZoneInfo) -> None:
        label = plain_label("sectionTitle")
        label.setText(f"{title}  ·  {len(reminders)}")
        label.setProperty("section", style)
        self._content.addWidget(label)
        self._add_rows(reminders, style, zone, self._content.count())

    def _add_rows(self, reminders: list, style: str, zone: ZoneInfo, at: int) -> None:
        """Rows for the first ROWS_AT_ONCE reminders at layout position `at`; a button
        adds the next ones, so that thousands of overdue check-ins stay quick to show.
        Past SCREENFUL_OF_ROWS new rows, the others are built at the next turns."""
        shown, rest = reminders[:ROWS_AT_ONCE], reminders[ROWS_AT_ONCE:]
        photos = photo_versions([reminder.client_id for reminder in shown])
        pinned = pinned_notes([reminder.client_id for reminder in shown])
        today = day_in_zone(self._now, zone)
        ratio = self.devicePixelRatioF()
        for offset, reminder in enumerate(shown):
            local = self.listed.fires_at(reminder).astimezone(zone)
            days = days_words(self.listed, reminder, self._now, zone)
            when = f"{local:%H:%M}" if local.date() == today else _short_day(QDate(local.date()))
            if days:
                when = ""  # the words say the reminder's day
            shows = RowShows(reminder, when, days, photos.get(reminder.client_id), ratio)
            note = pinned.get(reminder.client_id, "")
            row = self._spare.pop(shows, None)
            if row is None and (self._builds_left > 0 or reminder.key == self._keep_key):
                self._builds_left -= 1
                row = self._new_row(shows, style, note)
            elif row is not None:
                row.section = style
                row.show_pinned(note)
            else:
                row = QWidget()
                row.setFixedHeight(self._row_height)
                self._waiting.append(Waiting(row, shows, style, note))
            self._content.insertWidget(at + offset, row)
        if rest:
            more = QPushButton(
                self.tr("Show {count} more of {total}").format(
                    count=min(len(rest), ROWS_AT_ONCE), total=len(rest)
                )
            )
            more.setObjectName("showMore")
            more.clicked.connect(lambda: self._show_more(more, rest, style, zone))
            self._content.insertWidget(at + len(shown), more)

    def _new_row(self, shows: RowShows, section: str, pinned: str) -> ReminderRow:
        row = ReminderRow(shows, self)
        row.section = section
        row.show_pinned(pinned)
        row.for_card.setChecked(shows.reminder.key in self._chosen)
        self._row_height = self._row_height or row.sizeHint().height()
        return row

    def _build_next(self) -> None:
        """The next ROWS_PER_TURN rows waiting, in place of their stand-ins."""
        self._fit_stand_ins()
        now, self._waiting = self._waiting[:ROWS_PER_TURN], self._waiting[ROWS_PER_TURN:]
        for stand_in, shows, section, pinned in now:
            row = self._new_row(shows, section, pinned)
            self._content.replaceWidget(stand_in, row)
            _delete(stand_in)
        self._show_new()
        self._list_rows()

    def _fit_stand_ins(self) -> None:
        """The stand-ins as tall as a row laid out by now: a row's size before it is laid
        out, all `_new_row` has, is taller (58-83 px for 56), and the list would creep."""
        laid_out = next((row.height() for row in self.rows if row.isVisible()), 0)
        if laid_out and laid_out != self._row_height:
            self._row_height = laid_out
            for waiting in self._waiting:
                waiting.stand_in.setFixedHeight(laid_out)

    def _show_new(self) -> None:
        """Show the widgets just added to the list, laid out once for all of them: shown
        one by one (as Qt does at the next turn), each would lay out the whole list again
        (a *Show 50 more* at XL: 0.7 s)."""
        self._content.setEnabled(False)
        for index in range(self._content.count()):
            widget = self._content.itemAt(index).widget()
            if widget is not None and not widget.testAttribute(
                Qt.WidgetAttribute.WA_WState_ExplicitShowHide
            ):
                widget.show()
        self._content.setEnabled(True)

    def _list_rows(self) -> None:
        """`rows` as the list shows them, top to bottom; the next rows waiting built soon."""
        items = (self._content.itemAt(index) for index in range(self._content.count()))
        self.rows = [item.widget() for item in items if isinstance(item.widget(), ReminderRow)]
        if self._waiting:
            self._build_waiting.start()

    @property
    def building(self) -> bool:
        """Rows are still waiting to be built."""
        return bool(self._waiting)

    def _show_more(self, button: QPushButton, rest: list, style: str, zone: ZoneInfo) -> None:
        at = self._content.indexOf(button)
        _delete(button)
        self._builds_left = SCREENFUL_OF_ROWS
        self._add_rows(rest, style, zone, at)
        self._show_new()
        self._list_rows()

    def snooze_menu(self, reminder: Reminder, row: QWidget) -> QMenu:
        menu = QMenu(row)  # the row's: gone with it
        for choice, text in SNOOZE_CHOICES.items():
            action = menu.addAction(vocabulary(text))
            action.triggered.connect(
                lambda _=False, c=choice: self.snooze_requested.emit(reminder, c)
            )
        menu.addAction(self.tr("Pick a time…")).triggered.connect(
            lambda: self.snooze_requested.emit(reminder, "pick")
        )
        return menu

    def done_menu(self, reminder: Reminder, row: QWidget) -> QMenu:
        menu = QMenu(row)  # the row's: gone with it
        log = done_log(reminder.kind)
        for kind in log.choices:
            kind_word = vocabulary(INTERACTION_KINDS[kind]).lower()
            action = menu.addAction(self.tr("Done: {kind}").format(kind=kind_word))
            action.setData(kind)
            action.triggered.connect(lambda _=False, k=kind: self.done_requested.emit(reminder, k))
        if log.dismissable:
            dismiss = menu.addAction(self.tr("Dismiss (log nothing)"))
            dismiss.setData("")
            dismiss.triggered.connect(lambda: self.done_requested.emit(reminder, ""))
        return menu

    def chosen_for_cards(self) -> list[Reminder]:
        """The reminders chosen for a card: ticked, or chosen for a row not built yet."""
        ticked = [row.reminder for row in self.rows if row.for_card.isChecked()]
        waiting = [each.shows.reminder for each in self._waiting]
        return ticked + [reminder for reminder in waiting if reminder.key in self._chosen]

    def care_step_menu(self, reminder: Reminder, row: QWidget) -> QMenu:
        menu = QMenu(row)  # the row's: gone with it
        menu.addAction(self.tr("Done")).triggered.connect(
            lambda: self.done_requested.emit(reminder, "")
        )
        menu.addAction(self.tr("Skip this step")).triggered.connect(
            lambda: self.skip_requested.emit(reminder)
        )
        return menu

    def row_for(self, key: str) -> ReminderRow | None:
        return next((row for row in self.rows if row.reminder.key == key), None)
