"""Table models for the client page: history, notes, family, dates, follow-ups, wishes."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from models.care.steps import CareProgress, step_state
from models.reminders.rules import lead_times
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
from models.values.kinds import GIFT_OCCASIONS, IMPORTANT_DATE_KINDS, INTERACTION_KINDS, RELATIONS
from ui.formatting import (
    local_date,
    local_date_time,
    money,
    plain_tooltip,
    shown_day,
    vocabulary,
    yearly_date,
)

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class EntryTableModel(QAbstractTableModel):
    """Rows of a client's entries (peewee rows); subclasses say what each column shows."""

    HEADERS: tuple[str, ...] = ()  # marked for translation, translated when shown
    RIGHT_ALIGNED: tuple[int, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list = []

    def set_entries(self, entries: list) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int):
        return self._entries[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            header = self.HEADERS[section]
            return QCoreApplication.translate("EntryTableModel", header) if header else ""
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            tooltip = self.tooltip(entry)
            return plain_tooltip(tooltip) if tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in self.RIGHT_ALIGNED else _LEFT
        return None

    def display(self, entry, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, entry) -> str | None:
        return None


class HistoryModel(EntryTableModel):
    COL_DATE, COL_KIND, COL_SUMMARY, COL_AMOUNT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "Date"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Kind"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Summary"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Amount"),
    )
    RIGHT_ALIGNED = (COL_AMOUNT,)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.care: dict[int, CareProgress] = {}  # session id -> how its care plan goes

    def display(self, entry: Interaction, column: int) -> str:
        if column == self.COL_DATE:
            return local_date(entry.occurred_at)
        if column == self.COL_KIND:
            return vocabulary(INTERACTION_KINDS[entry.kind])
        if column == self.COL_SUMMARY:
            return " · ".join(
                [entry.summary + (" …" if entry.body else ""), *self.session_words(entry)]
            )
        return money(entry.amount, entry.currency)

    def session_words(self, entry: Interaction) -> list[str]:
        """What a session row says of its care and gallery: "care 1 of 4 done", "1 step not
        offered: no marketing consent", "gallery until 15 Jan 2027"."""
        words = []
        care = self.care.get(entry.id)
        if care is not None:
            words.append(
                self.tr("care {closed} of {steps} done").format(
                    closed=care.closed, steps=care.steps
                )
            )
            if care.not_offered:
                words.append(
                    self.tr("%n step(s) not offered: no marketing consent", "", care.not_offered)
                )
        if entry.gallery_url:
            closes = entry.gallery_expires_on
            words.append(
                self.tr("gallery until {day}").format(day=QLocale().toString(closes, "d MMM yyyy"))
                if closes
                else self.tr("gallery")
            )
        return words

    def tooltip(self, entry: Interaction) -> str | None:
        return "\n".join(filter(None, (entry.body, entry.gallery_url))) or None


class NotesModel(EntryTableModel):
    COL_PINNED, COL_TEXT, COL_DATE = range(3)
    HEADERS = (
        "",
        QT_TRANSLATE_NOOP("EntryTableModel", "Note"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Written"),
    )
    RIGHT_ALIGNED = (COL_DATE,)

    def display(self, entry: Note, column: int) -> str:
        if column == self.COL_PINNED:
            return "★" if entry.pinned else ""
        if column == self.COL_TEXT:
            return entry.text
        return local_date(entry.created_at)


class FamilyModel(EntryTableModel):
    COL_NAME, COL_RELATION, COL_BIRTHDAY = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "Name"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Relation"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Birthday"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self._today = today
        self.leap_day_rule = "feb28"  # how ages count a 29 February: as the reminders do
        self._birthdays: dict[int, ImportantDate] = {}

    def set_family(self, members: list[FamilyMember], dates: list[ImportantDate]) -> None:
        self._birthdays = {d.family_member_id: d for d in dates if d.kind == "birthday"}
        self.set_entries(members)

    def display(self, entry: FamilyMember, column: int) -> str:
        if column == self.COL_NAME:
            return entry.name
        if column == self.COL_RELATION:
            return vocabulary(RELATIONS[entry.relation])
        birthday = self._birthdays.get(entry.id)
        if birthday is None:
            return ""
        return yearly_date(
            birthday.day,
            birthday.month,
            birthday.year,
            self._today,
            "birthday",
            self.leap_day_rule,
        )

    def tooltip(self, entry: FamilyMember) -> str | None:
        return entry.notes or None


class ImportantDatesModel(EntryTableModel):
    COL_DATE, COL_WHAT, COL_NOTICE = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "Date"),
        QT_TRANSLATE_NOOP("EntryTableModel", "What"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Remind me"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self._today = today
        self.leap_day_rule = "feb28"  # how ages count a 29 February: as the reminders do
        self._member_names: dict[int, str] = {}

    def set_dates(self, dates: list[ImportantDate], members: list[FamilyMember]) -> None:
        self._member_names = {m.id: m.name for m in members}
        self.set_entries(dates)

    def display(self, entry: ImportantDate, column: int) -> str:
        if column == self.COL_DATE:
            return yearly_date(
                entry.day,
                entry.month,
                entry.year,
                self._today,
                entry.kind,
                self.leap_day_rule,
            )
        if column == self.COL_WHAT:
            return self.describe(entry)
        times = lead_times(entry.lead_days, entry.more_lead_days)
        if times == [0]:
            return self.tr("on the day")
        if len(times) == 1:
            return self.tr("%n days before", "", times[0])
        days = ", ".join(str(days) for days in times if days)
        return self.tr("{days} days before").format(days=days)

    def describe(self, entry: ImportantDate) -> str:
        what = entry.label or vocabulary(IMPORTANT_DATE_KINDS[entry.kind])
        member = self._member_names.get(entry.family_member_id)
        what = f"{what} — {member}" if member else what
        return self.tr("{what} (no greetings)").format(what=what) if entry.no_greetings else what


class FollowUpsModel(EntryTableModel):
    COL_DUE, COL_WHAT, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "Due"),
        QT_TRANSLATE_NOOP("EntryTableModel", "What"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Status"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self.today = today
        self._snoozed: dict[int, datetime] = {}
        self._client: Client | None = None

    def set_follow_ups(
        self, entries: list[FollowUp], snoozed: dict[int, datetime], client: Client | None = None
    ) -> None:
        """The follow-ups, until when each snoozed one is snoozed (by id), and their client
        (whose consent and paused care say why a care step waits)."""
        self._snoozed = snoozed
        self._client = client
        self.set_entries(entries)

    def display(self, entry: FollowUp, column: int) -> str:
        if column == self.COL_DUE:
            return local_date_time(entry.due_at)
        if column == self.COL_WHAT:
            return entry.title
        state = step_state(entry, self._client) if self._client is not None else ""
        if state == "skipped":
            return self.tr("skipped {day}").format(day=local_date(entry.done_at))
        if entry.done_at is not None:
            return self.tr("done {day}").format(day=local_date(entry.done_at))
        if state == "paused":
            return self.tr("waiting: care paused")
        if state == "no_consent":
            return self.tr("not offered: no marketing consent")
        if entry.id in self._snoozed:
            until = local_date_time(self._snoozed[entry.id])
            return self.tr("snoozed until {when}").format(when=until)
        return self.tr("overdue") if shown_day(entry.due_at) < self.today else self.tr("open")

    def open_count(self) -> int:
        return sum(1 for entry in self._entries if entry.done_at is None)


class WishesModel(EntryTableModel):
    COL_WHEN, COL_WISH, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "By"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Wish"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Status"),
    )

    def display(self, entry: Wish, column: int) -> str:
        if column == self.COL_WHEN:
            wanted_by = entry.wanted_by
            return QLocale().toString(wanted_by, "d MMM yyyy") if wanted_by else self.tr("some day")
        if column == self.COL_WISH:
            return entry.text
        if entry.fulfilled_at is not None:
            return self.tr("came true {day}").format(day=local_date(entry.fulfilled_at))
        return self.tr("reminder set") if entry.follow_up_id else self.tr("open")

    def open_count(self) -> int:
        return sum(1 for entry in self._entries if entry.fulfilled_at is None)


class GiftsModel(EntryTableModel):
    COL_DAY, COL_WHAT, COL_OCCASION, COL_COST = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "Day"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Gift"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Occasion"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Cost"),
    )
    RIGHT_ALIGNED = (COL_COST,)

    def display(self, entry: Gift, column: int) -> str:
        if column == self.COL_DAY:
            day = QLocale().toString(entry.given_on, "d MMM yyyy")
            return self.tr("planned for {day}").format(day=day) if entry.planned else day
        if column == self.COL_WHAT:
            return entry.what
        if column == self.COL_OCCASION:
            return vocabulary(GIFT_OCCASIONS.get(entry.occasion, GIFT_OCCASIONS[""]))
        return money(entry.cost, entry.currency)

    def planned_count(self) -> int:
        return sum(1 for entry in self._entries if entry.planned)


_BOOKING_STATUS = {
    "offered": QT_TRANSLATE_NOOP("EntryTableModel", "from the calendar: confirm?"),
    "booked": QT_TRANSLATE_NOOP("EntryTableModel", "booked"),
}


class BookingsModel(EntryTableModel):
    """Sessions to come: booked, or on offer from the booking calendar."""

    COL_WHEN, COL_WHAT, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("EntryTableModel", "When"),
        QT_TRANSLATE_NOOP("EntryTableModel", "What"),
        QT_TRANSLATE_NOOP("EntryTableModel", "Status"),
    )

    def display(self, entry: Booking, column: int) -> str:
        if column == self.COL_WHEN:
            return local_date_time(entry.starts_at)
        if column == self.COL_WHAT:
            kind = vocabulary(INTERACTION_KINDS.get(entry.kind, INTERACTION_KINDS["session"]))
            what = f"{kind}: {entry.summary}" if entry.summary else kind
            return f"{what} · {entry.place}" if entry.place else what
        return QCoreApplication.translate("EntryTableModel", _BOOKING_STATUS.get(entry.status, ""))
