"""The Studio's gift panel: per year, what gifts cost beside the revenue and the revenue of
referred clients, per currency; and this year's gifts against the budget, with a warning
from 90 %."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from models.insight.gifts import BudgetStatus, GiftYear
from ui.client_header import plain_label
from ui.formatting import money


class GiftPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.budget = plain_label("quiet")
        self.budget.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.budget)
        layout.addLayout(self.grid)
        layout.addStretch()
        self.cells: dict[tuple[int, int], QLabel] = {}  # (row, column): for tests and scripts

    def show_years(self, years: list[GiftYear], status: BudgetStatus | None) -> None:
        self._clear()
        headers = (
            self.tr("Year"),
            self.tr("Revenue"),
            self.tr("Of it, from referred clients"),
            self.tr("Gifts given"),
            self.tr("Gifts planned"),
        )
        for column, text in enumerate(headers):
            self._cell(0, column, text, "sectionHeading")
        for row, year in enumerate(reversed(years), start=1):  # this year first
            self._cell(row, 0, str(year.year), "")
            for column, sums in enumerate(
                (year.revenue, year.referred, year.given, year.planned), start=1
            ):
                self._cell(row, column, _amounts(sums), "")
        self._show_budget(status)

    def _show_budget(self, status: BudgetStatus | None) -> None:
        if status is None:
            self.budget.setText(
                self.tr("No gift budget set — File ▸ Settings ▸ Gift budget per year.")
            )
            level = "ok"
        else:
            share = QLocale().toString(round(status.share * 100)) + " %"
            words = {
                "over": self.tr("Over the gift budget: {spent} of {budget} this year ({share})."),
                "near": self.tr("Near the gift budget: {spent} of {budget} this year ({share})."),
                "ok": self.tr("Gifts this year: {spent} of {budget} ({share})."),
            }[status.level]
            budget = status.budget
            self.budget.setText(
                words.format(
                    spent=money(status.spent, budget.currency),
                    budget=money(budget.amount, budget.currency),
                    share=share,
                )
            )
            level = status.level
        self.budget.setObjectName("formError" if level != "ok" else "quiet")
        self.budget.setProperty("level", level)
        self.budget.style().unpolish(self.budget)
        self.budget.style().polish(self.budget)

    def _cell(self, row: int, column: int, text: str, style: str) -> None:
        label = plain_label(style)
        label.setText(text)
        self.grid.addWidget(label, row, column)
        self.cells[(row, column)] = label

    def _clear(self) -> None:
        self.cells = {}
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()


def _amounts(sums: dict[str, Decimal]) -> str:
    """ "1,250.00 EUR · 300.00 CHF", or a dash: currencies side by side, never added."""
    return " · ".join(money(amount, currency) for currency, amount in sums.items()) or "—"
