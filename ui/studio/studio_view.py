"""Studio: the business at a glance — sessions and revenue per month, the pipeline, the
birthdays and anniversaries ahead, who refers clients and who is drifting away.

Construction reads nothing; `refresh()` reads every figure on a worker thread (a second
at 100,000 clients) and shows them when they are in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from tzlocal import get_localzone

from background.database_worker import DatabaseWorker
from models.insight.referrals import Referrer
from models.insight.studio import Month, Overview, greeting_window, greetings_on, overview
from models.reminders.rules import Reminder
from ui.client_header import plain_label
from ui.formatting import money
from ui.studio.client_rows import ClientRows
from ui.studio.date_strip import DateStrip
from ui.studio.gift_panel import GiftPanel
from ui.studio.month_bars import Bar, MonthBars, compact_number
from ui.studio.pipeline import PipelineChart

WHO_AT_ONCE = 20  # people listed for one day; more would only scroll past


class StudioView(QWidget):
    day_clicked = Signal(object)  # a datetime.date in the strip
    client_requested = Signal(int)  # open this client
    refreshed = Signal()  # the figures asked for last are shown

    def __init__(self, today: Callable[[], date], parent=None, zone: ZoneInfo | None = None):
        super().__init__(parent)
        self._today, self._zone = today, zone or get_localzone()
        self._worker = DatabaseWorker(self)  # one after the other, the newest shown last
        self._asked = self._answered = 0
        self._refreshes = 0
        self._content = QVBoxLayout()
        self._build()

    # --- Building (cheap: no queries) -------------------------------------------------------

    def _build(self) -> None:
        self.heading = plain_label("pageTitle")
        self.heading.setText(self.tr("Studio"))
        self.summary = plain_label("quiet")
        self._build_charts()
        self._build_lists()
        self._lay_out()

    def _build_charts(self) -> None:
        self.pipeline_chart = PipelineChart()
        self.conversion = plain_label("quiet")
        self.conversion.setWordWrap(True)
        self.sessions_chart = MonthBars(self.tr("Sessions per month"))
        self.sessions_empty = self._empty(
            self.tr("No sessions in the last 24 months — log one from a client's page.")
        )
        self.currencies = QTabBar()  # one chart at a time: currencies are not comparable
        self.currencies.setAccessibleName(self.tr("Currency"))
        self.currencies.setDrawBase(False)
        self.currencies.setExpanding(False)
        self.currencies.currentChanged.connect(self._show_currency)
        self.revenue_chart = MonthBars(self.tr("Revenue per month"))
        self._months: list[Month] = []
        self.revenue_empty = self._empty(
            self.tr(
                "No amounts in the last 24 months — add the amount when you log a session "
                "or a purchase."
            )
        )
        self.strip = DateStrip(self._today())
        self.strip.day_clicked.connect(lambda day: self.show_day(day, into_view=True))
        self.strip.day_clicked.connect(self.day_clicked)
        self.strip_empty = self._empty(
            self.tr(
                "No birthdays or anniversaries in the next 12 months — add them on a "
                "client's People & dates tab."
            )
        )

    def _build_lists(self) -> None:
        self.who_title = plain_label("quiet")
        self.who = ClientRows(self.tr("Birthdays and anniversaries on the chosen day"))
        self.who.hide()
        self.referrers = ClientRows(self.tr("Top referrers"))
        self.referrers_caption = self._caption(
            self.tr("By clients referred, then what those spent")
        )
        self.referrers_empty = self._empty(
            self.tr(
                "No referrals yet — when someone sends you a client, choose them under "
                "'Referred by' on the new client."
            )
        )
        self.drifting_title = plain_label("sectionTitle")
        self.drifting_caption = self._caption(self.tr("The most valuable first"))
        self.drifting = ClientRows(self.tr("Drifting clients"))
        self.drifting_empty = self._empty(
            self.tr("Nobody is drifting — everyone has heard from you lately.")
        )
        for rows in (self.who, self.referrers, self.drifting):
            rows.client_requested.connect(self.client_requested)
        self.gift_panel = GiftPanel()

    def _lay_out(self) -> None:
        content = self._content
        content.setSpacing(6)
        self._add_section(self.tr("Pipeline"), self.pipeline_chart, self.conversion)
        self._add_section(self.tr("Sessions per month"), self.sessions_chart, self.sessions_empty)
        revenue = QHBoxLayout()
        revenue.addWidget(self._title(self.tr("Revenue per month")))
        revenue.addSpacing(12)
        revenue.addWidget(self.currencies, 0, Qt.AlignmentFlag.AlignBottom)
        revenue.addStretch()
        content.addLayout(revenue)
        for widget in (self.revenue_chart, self.revenue_empty):
            content.addWidget(widget)
        self._add_section(
            self.tr("Birthdays and anniversaries — the next 12 months"),
            *(self.strip, self.strip_empty, self.who_title, self.who),
        )
        content.addLayout(self._columns())
        self._add_section(self.tr("Gifts beside revenue"), self.gift_panel)
        content.addStretch()
        inner = QWidget()
        inner.setObjectName("todayContent")  # transparent, as Today's
        inner.setLayout(content)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        for widget in (self.heading, self.summary):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)

    def _columns(self) -> QHBoxLayout:
        """Top referrers and drifting clients, side by side."""
        referrers = (self._title(self.tr("Top referrers")), self.referrers_caption)
        drifting = (self.drifting_title, self.drifting_caption)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(self._column(*referrers, self.referrers, self.referrers_empty), 1)
        columns.addLayout(self._column(*drifting, self.drifting, self.drifting_empty), 1)
        return columns

    def _add_section(self, title: str, *widgets: QWidget) -> None:
        self._content.addWidget(self._title(title))
        for widget in widgets:
            self._content.addWidget(widget)

    def _column(self, *widgets: QWidget) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(self._content.spacing())  # not the wide gap between the columns
        for widget in widgets:
            column.addWidget(widget)
        column.addStretch()
        return column

    def _title(self, text: str) -> QLabel:
        label = plain_label("sectionTitle")
        label.setText(text)
        return label

    def _caption(self, text: str) -> QLabel:
        label = plain_label("quiet")
        label.setText(text)
        return label

    def _empty(self, text: str) -> QLabel:
        label = plain_label("quiet")
        label.setText(text)
        label.setWordWrap(True)
        label.hide()
        return label

    # --- Reading, on the worker -------------------------------------------------------------

    def refresh(self) -> None:
        """Read every figure anew (on the worker); `refreshed` says when they are shown."""
        self._refreshes += 1
        number, today, zone = self._refreshes, self._today(), self._zone
        self.summary.setText(self.tr("Reading the figures…"))
        self._run(lambda: overview(today, zone), lambda found: self._show(number, today, found))

    def show_day(self, day: date, into_view: bool = False) -> None:
        """List whose birthday or anniversary falls on `day` (read on the worker); a day the
        owner chose scrolls its people `into_view`, a refresh leaves the view where it is."""
        today, zone = self._today(), self._zone
        self._run(
            lambda: greetings_on(day, today, zone),
            lambda found: self._show_who(day, found, into_view),
        )

    def busy(self) -> bool:
        """Something asked for is still being read (for tests and scripts)."""
        return self._answered != self._asked

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        def finish(result) -> None:
            self._answered += 1
            done(result)

        def fail(message: str) -> None:
            self._answered += 1
            self.summary.setText(self.tr("The figures could not be read: {}").format(message))

        self._asked += 1
        self._worker.run(work, finish, fail)

    # --- Showing ----------------------------------------------------------------------------

    def _show(self, number: int, today: date, found: Overview) -> None:
        if number != self._refreshes:
            return  # a newer refresh is on its way
        self.summary.setText(
            self.tr("As of {}").format(QLocale().toString(today, QLocale.FormatType.LongFormat))
        )
        self._show_sessions(found.months)
        self._show_revenue(found.months, found.currencies)
        self._show_pipeline(found)
        first, last = greeting_window(today)
        self.strip.set_days(first, last, found.greetings)
        self.strip.setHidden(not found.greetings)
        self.strip_empty.setHidden(bool(found.greetings))
        self._show_referrers(found.referrers)
        self._show_drifting(found)
        self.gift_panel.show_years(found.gift_years, found.budget)
        if self.strip.selected is not None:
            self.show_day(self.strip.selected)
        self.refreshed.emit()

    def _show_sessions(self, months: list[Month]) -> None:
        locale = QLocale()
        bars = []
        for month in months:
            tip = self.tr("{month}: {sessions} sessions, {purchases} purchases").format(
                month=_month_name(month.first_day),
                sessions=locale.toString(month.sessions),
                purchases=locale.toString(month.purchases),
            )
            bars.append(Bar(month.first_day, month.sessions, locale.toString(month.sessions), tip))
        self.sessions_chart.set_bars(bars)
        anything = any(month.sessions for month in months)
        self.sessions_chart.setHidden(not anything)
        self.sessions_empty.setHidden(anything)

    def _show_revenue(self, months: list[Month], currencies: list[str]) -> None:
        """A tab per currency, the main one first, each chart to its own scale: amounts in
        different currencies are never added up, nor drawn side by side."""
        shown = self.currencies.tabText(self.currencies.currentIndex())
        self._months = months
        with QSignalBlocker(self.currencies):
            while self.currencies.count():
                self.currencies.removeTab(0)
            for currency in currencies:
                self.currencies.addTab(currency)
        self.currencies.setHidden(len(currencies) < 2)
        self.revenue_chart.setHidden(not currencies)
        self.revenue_empty.setHidden(bool(currencies))
        if currencies:
            self.show_currency(shown if shown in currencies else currencies[0])

    def show_currency(self, currency: str) -> None:
        """Show the revenue in `currency` (one of the tabs)."""
        tabs = [self.currencies.tabText(i) for i in range(self.currencies.count())]
        self.currencies.setCurrentIndex(tabs.index(currency))
        self._show_currency(tabs.index(currency))

    def _show_currency(self, index: int) -> None:
        if index < 0:
            return
        currency = self.currencies.tabText(index)
        bars = []
        for month in self._months:
            value = month.revenue.get(currency, 0)
            tip = f"{_month_name(month.first_day)}: {money(value, currency)}"
            bars.append(Bar(month.first_day, value, compact_number(value), tip))
        self.revenue_chart.set_bars(bars)
        self.revenue_chart.setAccessibleName(self.tr("Revenue per month in {}").format(currency))

    def _show_pipeline(self, found: Overview) -> None:
        figures, locale = found.pipeline, QLocale()
        self.pipeline_chart.set_stages(figures.stages)
        share = figures.booked_share()
        if not any(figures.stages.values()):
            text = self.tr(
                "No clients yet — add your first with File > New client, or load the sample "
                "clients."
            )
        elif share is None:
            text = self.tr("Nobody added yet this year; {became} became clients this year.")
        else:
            text = self.tr(
                "This year: {added} people added, {booked} of them booked ({share}); "
                "{became} became clients."
            )
        self.conversion.setText(
            text.format(
                added=locale.toString(figures.added),
                booked=locale.toString(figures.booked),
                share=locale.toString(round((share or 0) * 100)) + "%",
                became=locale.toString(figures.became_clients),
            )
        )

    def _show_referrers(self, referrers: list[Referrer]) -> None:
        rows = []
        for referrer in referrers:
            referrals = referrer.referrals
            one = self.tr("%Ln referral", "", referrals)
            many = self.tr("%Ln referrals", "", referrals)
            count = one if referrals == 1 else many
            values = [money(amount, currency) for currency, amount in referrer.value.items()]
            rows.append((referrer.client_id, referrer.name, " · ".join([count, *values])))
        self.referrers.set_rows(rows)
        self.referrers.setHidden(not rows)
        self.referrers_caption.setHidden(not rows)
        self.referrers_empty.setHidden(bool(rows))

    def _show_drifting(self, found: Overview) -> None:
        drifting = found.drifting
        self.drifting_title.setText(
            self.tr("Drifting clients · {}").format(QLocale().toString(drifting.total))
        )
        rows = [(d.client_id, d.name, d.reason) for d in drifting.most_valuable]
        if drifting.total > len(rows):
            rows.append(self._more_row(drifting.total - len(rows)))
        self.drifting.set_rows(rows)
        self.drifting.setHidden(not rows)
        self.drifting_caption.setHidden(not rows)
        self.drifting_empty.setHidden(bool(rows))

    def _show_who(self, day: date, found: list[Reminder], into_view: bool = False) -> None:
        if day != self.strip.selected:
            return  # another day was chosen since
        self.who_title.setText(self.strip.describe(day))
        rows: list[tuple[int | None, str, str]] = [
            (r.client_id, r.title, r.text) for r in found[:WHO_AT_ONCE]
        ]
        if len(found) > WHO_AT_ONCE:
            rows.append(self._more_row(len(found) - WHO_AT_ONCE))
        self.who.set_rows(rows)
        self.who.setHidden(not rows)
        if into_view:
            self._bring_who_into_view()

    def _bring_who_into_view(self) -> None:
        """The chosen day's people, below the heat map, scrolled into sight with their title
        (the list first, so that the title wins when both do not fit)."""
        # The page learns its new height now, not at the next turn of the event loop.
        QCoreApplication.sendEvent(self.scroll, QEvent(QEvent.Type.LayoutRequest))
        for widget in (self.who, self.who_title):
            if widget.isVisibleTo(self):
                self.scroll.ensureWidgetVisible(widget, 0, 8)

    def _more_row(self, count: int) -> tuple[None, str, str]:
        """The last row of a cut list: "… and 12 more", which opens nobody."""
        return (None, "", self.tr("… and %Ln more", "", count))


def _month_name(first_day: date) -> str:
    """ "March 2026" in the locale."""
    return QLocale().toString(first_day, "MMMM yyyy")
