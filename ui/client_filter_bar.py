"""Above the client list: the order, and the filters that narrow it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.clients.finder import SORTS, ClientFilter
from models.clients.saving import all_tag_names
from models.values.kinds import STAGES
from ui.date_fields import DateEdit
from ui.formatting import vocabulary

# (attribute of ClientFilter, menu text) of the filters that are simply on or off;
# the texts are translated when the menu is built.
_SWITCHES = (
    ("drifting", QT_TRANSLATE_NOOP("ClientFilterBar", "Drifting")),
    ("check_in_overdue", QT_TRANSLATE_NOOP("ClientFilterBar", "Check-in overdue")),
    (
        "greeting_this_month",
        QT_TRANSLATE_NOOP("ClientFilterBar", "Birthday or anniversary this month"),
    ),
)


class ClientFilterBar(QWidget):
    changed = Signal()  # `filters` changed

    def __init__(self, today: Callable[[], date], parent=None):
        super().__init__(parent)
        self._today = today
        self.filters = ClientFilter()
        self.sort = QComboBox()
        self.sort.setAccessibleName(self.tr("Sort clients by"))
        for value, label in SORTS.items():
            self.sort.addItem(self.tr("Sort: {order}").format(order=vocabulary(label)), value)
        self.sort.currentIndexChanged.connect(lambda: self._set(sort=self.sort.currentData()))
        self.button = QPushButton()
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.button.setAccessibleName(self.tr("Filter clients"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sort, 1)
        layout.addWidget(self.button)
        self._show_count()

    def _set(self, **changes) -> None:
        self.filters = replace(self.filters, **changes)
        self._show_count()
        self.changed.emit()

    def _show_count(self) -> None:
        count = self.filters.filters_set()
        self.button.setText(
            self.tr("Filters · {count}").format(count=count) if count else self.tr("Filters")
        )

    def _fill_menu(self) -> None:
        """Build the menu anew each time, so it shows the tags in use now."""
        self.menu.clear()
        stages = {value: vocabulary(label) for value, label in STAGES.items()}
        self._choice_menu(self.tr("Stage"), "stage", {"": self.tr("Any stage"), **stages})
        tags = {"": self.tr("Any tag"), **{name: f"#{name}" for name in all_tag_names()}}
        self._choice_menu(self.tr("Tag"), "tag", tags)
        self.menu.addSeparator()
        for name, text in _SWITCHES:
            action = self.menu.addAction(self.tr(text))
            action.setCheckable(True)
            action.setChecked(getattr(self.filters, name))
            action.toggled.connect(lambda on, name=name: self._set(**{name: on}))
        since = self.filters.no_contact_since
        action = self.menu.addAction(
            self.tr("No contact since {day}").format(
                day=QLocale().toString(QDate(since), "dd MMM yyyy")
            )
            if since
            else self.tr("No contact since…")
        )
        action.setCheckable(True)
        action.setChecked(since is not None)
        action.triggered.connect(self._ask_no_contact_since)
        self.menu.addSeparator()
        clear = self.menu.addAction(self.tr("Clear filters"))
        clear.setEnabled(bool(self.filters.filters_set()))
        clear.triggered.connect(lambda: self._set(**_NO_FILTERS))

    def _choice_menu(self, title: str, name: str, choices: dict[str, str]) -> None:
        current = getattr(self.filters, name)
        submenu = self.menu.addMenu(f"{title}: {choices.get(current, current)}")
        group = QActionGroup(submenu)
        for value, label in choices.items():
            action = QAction(label, submenu, checkable=True, checked=value == current)
            action.triggered.connect(lambda _on, value=value: self._set(**{name: value}))
            group.addAction(action)
            submenu.addAction(action)

    def _ask_no_contact_since(self, checked: bool) -> None:
        if not checked:
            self._set(no_contact_since=None)
            return
        default = self._today() - timedelta(days=182)
        picked = pick_date(
            self, self.tr("No contact since"), self.filters.no_contact_since or default
        )
        if picked is not None:
            self._set(no_contact_since=picked)


_NO_FILTERS = {
    "stage": "",
    "tag": "",
    "drifting": False,
    "check_in_overdue": False,
    "greeting_this_month": False,
    "no_contact_since": None,
}


def pick_date(parent: QWidget, title: str, initial: date) -> date | None:
    """Ask for a day; None if the user cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    edit = DateEdit(initial)
    edit.setAccessibleName(title)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(lambda: dialog.accept() if edit.date().isValid() else edit.setFocus())
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(
        QLabel(QCoreApplication.translate("ClientFilterBar", "{question}:").format(question=title))
    )
    layout.addWidget(edit)
    layout.addWidget(buttons)
    return edit.date().toPython() if dialog.exec() else None
