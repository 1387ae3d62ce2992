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

from models.store.entities import FamilyMember, FollowUp, ImportantDate, Interaction, Note, Wish
from models.values.kinds import IMPORTANT_DATE_KINDS, INTERACTION_KINDS, RELATIONS
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


class RecordTableModel(QAbstractTableModel):
    """Rows of peewee records; subclasses say what each column shows."""

    HEADERS: tuple[str, ...] = ()  # marked for translation, translated when shown
    RIGHT_ALIGNED: tuple[int, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._records: list = []

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int):
        return self._records[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            header = self.HEADERS[section]
            return QCoreApplication.translate("RecordTableModel", header) if header else ""
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            tooltip = self.tooltip(record)
            return plain_tooltip(tooltip) if tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in self.RIGHT_ALIGNED else _LEFT
        return None

    def display(self, record, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, record) -> str | None:
        return None


class HistoryModel(RecordTableModel):
    COL_DATE, COL_KIND, COL_SUMMARY, COL_AMOUNT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordTableModel", "Date"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Kind"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Summary"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Amount"),
    )
    RIGHT_ALIGNED = (COL_AMOUNT,)

    def display(self, record: Interaction, column: int) -> str:
        if column == self.COL_DATE:
            return local_date(record.occurred_at)
        if column == self.COL_KIND:
            return vocabulary(INTERACTION_KINDS[record.kind])
        if column == self.COL_SUMMARY:
            return record.summary + (" …" if record.body else "")
        return money(record.amount, record.currency)

    def tooltip(self, record: Interaction) -> str | None:
        return record.body or None


class NotesModel(RecordTableModel):
    COL_PINNED, COL_TEXT, COL_DATE = range(3)
    HEADERS = (
        "",
        QT_TRANSLATE_NOOP("RecordTableModel", "Note"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Written"),
    )
    RIGHT_ALIGNED = (COL_DATE,)

    def display(self, record: Note, column: int) -> str:
        if column == self.COL_PINNED:
            return "★" if record.pinned else ""
        if column == self.COL_TEXT:
            return record.text
        return local_date(record.created_at)


class FamilyModel(RecordTableModel):
    COL_NAME, COL_RELATION, COL_BIRTHDAY = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordTableModel", "Name"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Relation"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Birthday"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self._today = today
        self.leap_day_rule = "feb28"  # how ages count a 29 February: as the reminders do
        self._birthdays: dict[int, ImportantDate] = {}

    def set_family(self, members: list[FamilyMember], dates: list[ImportantDate]) -> None:
        self._birthdays = {d.family_member_id: d for d in dates if d.kind == "birthday"}
        self.set_records(members)

    def display(self, record: FamilyMember, column: int) -> str:
        if column == self.COL_NAME:
            return record.name
        if column == self.COL_RELATION:
            return vocabulary(RELATIONS[record.relation])
        birthday = self._birthdays.get(record.id)
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

    def tooltip(self, record: FamilyMember) -> str | None:
        return record.notes or None


class ImportantDatesModel(RecordTableModel):
    COL_DATE, COL_WHAT, COL_NOTICE = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordTableModel", "Date"),
        QT_TRANSLATE_NOOP("RecordTableModel", "What"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Remind me"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self._today = today
        self.leap_day_rule = "feb28"  # how ages count a 29 February: as the reminders do
        self._member_names: dict[int, str] = {}

    def set_dates(self, dates: list[ImportantDate], members: list[FamilyMember]) -> None:
        self._member_names = {m.id: m.name for m in members}
        self.set_records(dates)

    def display(self, record: ImportantDate, column: int) -> str:
        if column == self.COL_DATE:
            return yearly_date(
                record.day,
                record.month,
                record.year,
                self._today,
                record.kind,
                self.leap_day_rule,
            )
        if column == self.COL_WHAT:
            return self.describe(record)
        if record.lead_days == 0:
            return self.tr("on the day")
        return self.tr("%n days before", "", record.lead_days)

    def describe(self, record: ImportantDate) -> str:
        what = record.label or vocabulary(IMPORTANT_DATE_KINDS[record.kind])
        member = self._member_names.get(record.family_member_id)
        return f"{what} — {member}" if member else what


class FollowUpsModel(RecordTableModel):
    COL_DUE, COL_WHAT, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordTableModel", "Due"),
        QT_TRANSLATE_NOOP("RecordTableModel", "What"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Status"),
    )

    def __init__(self, today: date, parent=None):
        super().__init__(parent)
        self.today = today
        self._snoozed: dict[int, datetime] = {}

    def set_follow_ups(self, records: list[FollowUp], snoozed: dict[int, datetime]) -> None:
        """The follow-ups, and until when each snoozed one is snoozed (by id)."""
        self._snoozed = snoozed
        self.set_records(records)

    def display(self, record: FollowUp, column: int) -> str:
        if column == self.COL_DUE:
            return local_date_time(record.due_at)
        if column == self.COL_WHAT:
            return record.title
        if record.done_at is not None:
            return self.tr("done {day}").format(day=local_date(record.done_at))
        if record.id in self._snoozed:
            until = local_date_time(self._snoozed[record.id])
            return self.tr("snoozed until {when}").format(when=until)
        return self.tr("overdue") if shown_day(record.due_at) < self.today else self.tr("open")

    def open_count(self) -> int:
        return sum(1 for record in self._records if record.done_at is None)


class WishesModel(RecordTableModel):
    COL_WHEN, COL_WISH, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordTableModel", "By"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Wish"),
        QT_TRANSLATE_NOOP("RecordTableModel", "Status"),
    )

    def display(self, record: Wish, column: int) -> str:
        if column == self.COL_WHEN:
            wanted_by = record.wanted_by
            return QLocale().toString(wanted_by, "d MMM yyyy") if wanted_by else self.tr("some day")
        if column == self.COL_WISH:
            return record.text
        if record.fulfilled_at is not None:
            return self.tr("came true {day}").format(day=local_date(record.fulfilled_at))
        return self.tr("reminder set") if record.follow_up_id else self.tr("open")

    def open_count(self) -> int:
        return sum(1 for record in self._records if record.fulfilled_at is None)
