"""The Studio: its figures (models/insight/studio.py) and the page that draws them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from models.clients.entries import save_family_member, save_important_date, save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
)
from models.insight.studio import (
    Greetings,
    drifting_clients,
    greeting_window,
    greetings_ahead,
    greetings_on,
    month_starts,
    monthly_figures,
    pipeline,
)
from models.store.entities import Client
from models.store.settings import set_setting
from ui.formatting import money
from ui.studio.studio_view import StudioView

TODAY = date(2026, 11, 25)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def client(first: str, stage: str = "customer", **fields) -> Client:
    return save_client(ClientForm(first_name=first, stage=stage, **fields))


def log(who: Client, at: datetime, kind="session", amount="", currency="EUR") -> None:
    form = InteractionForm(
        kind=kind,
        occurred_at=at,
        summary=kind,
        amount=amount,
        currency=currency if amount else "",
    )
    save_interaction(form, who.id)


def yearly(who: Client, kind: str, day: int, month: int, year: int | None = None, **more):
    form = ImportantDateForm(kind=kind, day=day, month=month, year=str(year or ""), **more)
    return save_important_date(form, who.id)


# --- Sessions and revenue per month ---------------------------------------------------------


def test_month_starts_cross_the_year():
    assert month_starts(date(2026, 2, 17), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert len(month_starts(TODAY, 24)) == 24


def test_sessions_purchases_and_revenue_per_month_and_currency(database):
    anna = client("Anna")
    log(anna, datetime(2026, 3, 2, 10, tzinfo=UTC), amount="450.10")
    log(anna, datetime(2026, 3, 9, 10, tzinfo=UTC), "purchase", "0.20")
    log(anna, datetime(2026, 3, 20, 10, tzinfo=UTC), amount="1200", currency="CHF")
    log(anna, datetime(2026, 3, 21, 10, tzinfo=UTC))  # a session without an amount
    log(anna, datetime(2026, 3, 22, 10, tzinfo=UTC), "call", "99")  # not a booking
    log(
        anna, datetime(2026, 11, 24, 10, tzinfo=UTC), amount="19.9990"
    )  # an odd amount (19.999 reads two ways)
    log(anna, datetime(2026, 11, 24, 11, tzinfo=UTC), amount="0.001")
    log(anna, datetime(2024, 11, 30, 10, tzinfo=UTC), amount="5000")  # 25 months ago

    months = monthly_figures(TODAY, BERLIN)

    assert [m.first_day for m in months] == month_starts(TODAY, 24)
    march = months[15]
    assert march.first_day == date(2026, 3, 1)
    assert (march.sessions, march.purchases) == (3, 1)
    assert march.revenue == {"EUR": Decimal("450.30"), "CHF": Decimal("1200")}
    assert months[-1].revenue == {"EUR": Decimal("20.000")}
    assert months[0].revenue == {} and months[0].sessions == 0
    assert sum(m.sessions + m.purchases for m in months) == 6


@pytest.mark.parametrize(
    ("zone", "instant", "month"),
    [
        # 23:30 on 31 January in New York is already 1 February in UTC: still January.
        (NEW_YORK, datetime(2026, 2, 1, 4, 30, tzinfo=UTC), date(2026, 1, 1)),
        # 00:30 on 1 February in Berlin is still 31 January in UTC: February.
        (BERLIN, datetime(2026, 1, 31, 23, 30, tzinfo=UTC), date(2026, 2, 1)),
        # The last moment of October in Berlin, just after the clocks went back (CET).
        (BERLIN, datetime(2026, 10, 31, 22, 59, tzinfo=UTC), date(2026, 10, 1)),
    ],
)
def test_a_session_counts_in_its_local_month(database, zone, instant, month):
    log(client("Anna"), instant, amount="100")
    months = {m.first_day: m for m in monthly_figures(TODAY, zone)}
    assert months[month].sessions == 1
    assert months[month].revenue == {"EUR": Decimal("100")}
    assert sum(m.sessions for m in months.values()) == 1


# --- Pipeline -------------------------------------------------------------------------------


def added_at(who: Client, instant: datetime) -> None:
    Client.update(created_at=instant).where(Client.id == who.id).execute()


def test_pipeline_counts_stages_and_this_years_moves(database):
    for stage, count in (("lead", 3), ("customer", 2), ("client", 4), ("past", 1)):
        for number in range(count):
            added_at(client(f"{stage}{number}", stage), datetime(2025, 6, 1, tzinfo=UTC))
    # Added this year (local Berlin time: 23:30 UTC on 31 Dec 2025 is 2026 already).
    added_at(client("New lead", "lead"), datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    added_at(client("New customer"), datetime(2026, 5, 1, tzinfo=UTC))
    booked_client = client("New client", "client")
    added_at(booked_client, datetime(2026, 7, 1, tzinfo=UTC))
    yearly(booked_client, "client_since", 2, 7, 2026)
    old_client = Client.get(Client.first_name == "client0")
    yearly(old_client, "client_since", 3, 1, 2026)  # a customer of 2025, a client since
    yearly(Client.get(Client.first_name == "client1"), "client_since", 3, 1, 2019)

    figures = pipeline(TODAY, BERLIN)

    assert figures.stages == {"lead": 4, "customer": 3, "client": 5, "past": 1}
    assert (figures.added, figures.booked, figures.became_clients) == (3, 2, 2)
    assert figures.booked_share() == pytest.approx(2 / 3)


def test_pipeline_of_an_empty_studio(database):
    figures = pipeline(TODAY, BERLIN)
    assert figures.stages == {"lead": 0, "customer": 0, "client": 0, "past": 0}
    assert (figures.added, figures.booked, figures.became_clients) == (0, 0, 0)
    assert figures.booked_share() is None


# --- Birthdays and anniversaries ahead ------------------------------------------------------


def test_the_greeting_window_is_this_month_and_the_next_eleven():
    assert greeting_window(TODAY) == (TODAY, date(2027, 10, 31))
    assert greeting_window(date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 12, 31))


def test_greetings_per_day_over_the_next_twelve_months(database):
    anna, ben = client("Anna"), client("Ben")
    yearly(anna, "birthday", 28, 11, 1990)
    yearly(ben, "birthday", 28, 11)
    yearly(anna, "wedding_anniversary", 28, 11, 2021)
    yearly(ben, "wedding_anniversary", 1, 5, 2026)  # married this year: first one in 2027
    yearly(ben, "birthday", 24, 11, 1980)  # yesterday: next year, beyond the window
    yearly(anna, "client_since", 28, 11, 2020)  # not a greeting
    yearly(anna, "custom", 28, 11, label="First shoot")
    days = greetings_ahead(TODAY)
    assert days == {
        date(2026, 11, 28): Greetings(birthdays=2, anniversaries=1),
        date(2027, 5, 1): Greetings(anniversaries=1),
    }


def test_a_baby_born_this_year_has_no_birthday_until_next_year(database):
    baby = client("Baby")
    yearly(baby, "birthday", 1, 12, 2026)
    yearly(baby, "birthday", 30, 11, 2026)  # a twin entered twice, say: born 30 Nov 2026
    assert greetings_ahead(TODAY) == {}
    assert greetings_ahead(date(2026, 11, 29)) == {}
    assert date(2027, 11, 30) in greetings_ahead(date(2027, 1, 5))


@pytest.mark.parametrize(
    ("rule", "day"), [("feb28", date(2027, 2, 28)), ("mar1", date(2027, 3, 1))]
)
def test_29_february_follows_the_leap_day_rule(database, rule, day):
    set_setting("leap_day_rule", rule)
    yearly(client("Leap"), "birthday", 29, 2, 1996)
    assert greetings_ahead(TODAY) == {day: Greetings(birthdays=1)}
    assert [r.text for r in greetings_on(day, TODAY, BERLIN)] == [
        f"Leap turns 31 on {day:%a} {day.day} {day:%b}"
    ]


def test_who_has_a_greeting_on_a_day(database):
    maria = client("Maria", last_name="Schneider")
    lea = save_family_member(
        FamilyMemberForm(
            name="Lea",
            relation="child",
            has_birthday=True,
            birthday_day=29,
            birthday_month=11,
            birthday_year="2019",
        ),
        maria.id,
    )
    assert lea is not None
    anna = client("Anna", last_name="Berger")
    yearly(anna, "wedding_anniversary", 29, 11, 2021, lead_days=7)
    yearly(anna, "birthday", 30, 11)
    found = greetings_on(date(2026, 11, 29), TODAY, BERLIN)
    assert [(r.client_id, r.text) for r in found] == [
        (anna.id, "5th wedding anniversary on Sun 29 Nov"),
        (maria.id, "Maria's child Lea turns 7 on Sun 29 Nov"),
    ]


# --- Drifting clients -----------------------------------------------------------------------


def test_drifting_clients_the_most_valuable_first(database):
    set_setting("drifting_after_months", "12")
    long_ago = datetime(2025, 6, 1, 10, tzinfo=UTC)
    modest, big = client("Modest", "client"), client("Big", "client")
    log(modest, long_ago, amount="100")
    log(big, long_ago, amount="3000")
    gone = client("Gone", "past")
    log(gone, long_ago, amount="9000")  # past clients moved on on purpose: never drifting
    fresh = client("Fresh", "client")
    log(fresh, datetime(2026, 11, 1, tzinfo=UTC))
    overdue = client("Overdue", check_in_days="30")
    log(overdue, datetime(2026, 9, 25, 12, tzinfo=UTC))  # 61 days: over 1.5 x 30
    for who in (modest, big, gone, fresh, overdue):
        added_at(who, datetime(2025, 1, 1, tzinfo=UTC))

    drifting = drifting_clients(TODAY, BERLIN)

    assert drifting.total == 3
    assert [(d.name, d.reason) for d in drifting.most_valuable] == [
        ("Big", "Last contact 17 months ago — send a note"),
        ("Modest", "Last contact 17 months ago — send a note"),
        ("Overdue", "Check-in overdue by 31 days — call or write"),
    ]
    assert drifting.most_valuable[0].client_id == big.id
    assert drifting_clients(TODAY, BERLIN, limit=1).most_valuable[0].name == "Big"


# --- The page -------------------------------------------------------------------------------


@pytest.fixture
def studio(database):
    """A small studio with a bit of everything the page shows."""
    anna = client("Anna", "client", last_name="Berger")
    ben = client("Ben", referred_by_id=anna.id)
    cleo = client("Cleo", "lead", referred_by_id=anna.id)
    log(ben, datetime(2026, 3, 2, 10, tzinfo=UTC), amount="450.10")
    log(ben, datetime(2026, 3, 9, 10, tzinfo=UTC), "purchase", "0.20")
    log(cleo, datetime(2026, 10, 20, 10, tzinfo=UTC), amount="1200", currency="CHF")
    log(anna, datetime(2025, 5, 2, 10, tzinfo=UTC), amount="99.90")
    yearly(anna, "birthday", 30, 11, 1990)
    yearly(ben, "wedding_anniversary", 30, 11, 2020)
    yearly(cleo, "birthday", 4, 2)
    return {"anna": anna, "ben": ben, "cleo": cleo}


def open_view(qtbot) -> StudioView:
    view = StudioView(lambda: TODAY, zone=BERLIN)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.refresh()
    return view


def test_the_charts_draw_the_figures_of_the_queries(qtbot, studio):
    view = open_view(qtbot)
    months = monthly_figures(TODAY, BERLIN)
    assert view.sessions_chart.bars() == [(m.first_day, m.sessions) for m in months]
    assert dict(view.sessions_chart.bars())[date(2026, 3, 1)] == 1
    tabs = [view.currencies.tabText(i) for i in range(view.currencies.count())]
    assert tabs == ["EUR", "CHF"]  # the main currency first
    eur = dict(view.revenue_chart.bars())
    assert eur[date(2026, 3, 1)] == Decimal("450.30")
    assert eur[date(2025, 5, 1)] == Decimal("99.90")
    assert sum(eur.values()) == Decimal("550.20")  # CHF never added in
    view.show_currency("CHF")
    assert view.revenue_chart.bars() == [(m.first_day, m.revenue.get("CHF", 0)) for m in months]
    assert view.pipeline_chart.stages() == [
        ("lead", 1),
        ("customer", 1),
        ("client", 1),
        ("past", 0),
    ]
    assert view.strip.counts() == greetings_ahead(TODAY)
    assert view.strip.counts()[date(2026, 11, 30)] == Greetings(birthdays=1, anniversaries=1)
    anna = studio["anna"]
    assert view.referrers.rows() == [
        (
            anna.id,
            "Anna Berger",
            f"2 referrals · {money(Decimal('450.30'), 'EUR')} · {money(Decimal('1200'), 'CHF')}",
        )
    ]
    for empty in (view.sessions_empty, view.revenue_empty, view.strip_empty, view.referrers_empty):
        assert empty.isHidden()


def test_an_empty_studio_says_what_to_do(qtbot, database):
    view = open_view(qtbot)
    assert view.sessions_chart.isHidden() and not view.sessions_empty.isHidden()
    assert "log one from a client's page" in view.sessions_empty.text()
    assert view.revenue_chart.isHidden() and not view.revenue_empty.isHidden()
    assert view.strip.isHidden() and not view.strip_empty.isHidden()
    assert view.referrers.isHidden() and not view.referrers_empty.isHidden()
    assert view.drifting.isHidden() and not view.drifting_empty.isHidden()
    assert view.conversion.text().startswith("No clients yet")
    assert view.pipeline_chart.stages() == [
        ("lead", 0),
        ("customer", 0),
        ("client", 0),
        ("past", 0),
    ]


def test_a_click_on_a_day_lists_who_and_opens_them(qtbot, studio):
    view = open_view(qtbot)
    day = date(2026, 11, 30)
    with qtbot.waitSignal(view.day_clicked) as clicked:
        qtbot.mouseClick(
            view.strip, Qt.MouseButton.LeftButton, pos=_centre(view.strip.cell_rect(day))
        )
    assert clicked.args == [day]
    qtbot.waitUntil(lambda: not view.busy())
    anna, ben = studio["anna"], studio["ben"]
    assert view.who.rows() == [
        (anna.id, "Anna Berger", "Anna Berger turns 36 on Mon 30 Nov"),
        (ben.id, "Ben", "6th wedding anniversary on Mon 30 Nov"),
    ]
    assert view.who_title.text().endswith("1 birthday, 1 wedding anniversary")
    item = view.who.topLevelItem(1)
    with qtbot.waitSignal(view.client_requested) as requested:
        qtbot.mouseClick(
            view.who.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.who.visualItemRect(item).center(),
        )
    assert requested.args == [ben.id]


def test_the_strip_works_from_the_keyboard(qtbot, studio):
    view = open_view(qtbot)
    view.strip.setFocus()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left):
        qtbot.keyClick(view.strip, key)
    assert view.strip.selected == date(2026, 12, 26)  # 25 Nov, two right, down, one left
    qtbot.keyClick(view.strip, Qt.Key.Key_Up)
    qtbot.keyClick(view.strip, Qt.Key.Key_Up)  # not before today
    assert view.strip.selected == TODAY
    with qtbot.waitSignal(view.day_clicked) as clicked:
        qtbot.keyClick(view.strip, Qt.Key.Key_Return)
    assert clicked.args == [TODAY]
    qtbot.waitUntil(lambda: not view.busy())
    assert view.who.isHidden()  # nobody today
    assert view.who_title.text().endswith("no birthdays or anniversaries")


def test_drifting_clients_open_on_click(qtbot, database):
    gone_quiet = client("Quiet", "client")
    log(gone_quiet, datetime(2025, 1, 10, tzinfo=UTC))
    added_at(gone_quiet, datetime(2024, 1, 1, tzinfo=UTC))
    view = open_view(qtbot)
    assert view.drifting.rows() == [
        (gone_quiet.id, "Quiet", "Last contact 22 months ago — send a note")
    ]
    assert view.drifting_title.text() == "Drifting clients · 1"
    view.drifting.setFocus()
    view.drifting.setCurrentItem(view.drifting.topLevelItem(0))
    with qtbot.waitSignal(view.client_requested) as requested:
        qtbot.keyClick(view.drifting, Qt.Key.Key_Return)
    assert requested.args == [gone_quiet.id]


def _centre(rect):
    return rect.center().toPoint()


def test_a_long_drifting_list_is_cut_with_how_many_more(qtbot, database):
    for number in range(10):
        quiet_one = client(f"Quiet {number}", "client")
        log(quiet_one, datetime(2025, 1, 10, tzinfo=UTC), amount=str(100 + number))
        added_at(quiet_one, datetime(2024, 1, 1, tzinfo=UTC))
    view = open_view(qtbot)
    rows = view.drifting.rows()
    assert [name for _id, name, _fact in rows[:2]] == ["Quiet 9", "Quiet 8"]  # by value
    assert len(rows) == 9
    assert rows[-1] == (None, "", "… and 2 more")
    assert view.drifting_title.text() == "Drifting clients · 10"


def test_the_charts_paint_at_any_width(qtbot, studio):
    view = open_view(qtbot)
    charts = (view.sessions_chart, view.revenue_chart, view.pipeline_chart, view.strip)
    for chart in charts:
        chart.setParent(None)  # on its own, as narrow as asked
        qtbot.addWidget(chart)
        for width in (40, 480, 1920):
            chart.resize(width, chart.sizeHint().height())
            assert not chart.grab().isNull()


def test_a_click_on_a_day_brings_its_people_into_view(qtbot, studio):
    view = open_view(qtbot)
    view.resize(1024 - 150, 700)  # the Studio in a window of 1024x700, beside the sidebar
    qtbot.wait(10)
    day = date(2026, 11, 30)
    qtbot.mouseClick(view.strip, Qt.MouseButton.LeftButton, pos=_centre(view.strip.cell_rect(day)))
    qtbot.waitUntil(lambda: not view.busy())
    viewport = view.findChild(QScrollArea).viewport()
    for widget in (view.who_title, view.who):
        top = widget.mapTo(viewport, widget.rect().topLeft()).y()
        assert top >= 0 and top + widget.height() <= viewport.height(), widget
    scrolled = view.findChild(QScrollArea).verticalScrollBar().value()
    assert scrolled > 0  # below the heat map, out of sight before
    with qtbot.waitSignal(view.refreshed, timeout=5000):
        view.refresh()  # shows the chosen day again: the view stays where the owner is
    qtbot.waitUntil(lambda: not view.busy())
    assert view.findChild(QScrollArea).verticalScrollBar().value() == scrolled
