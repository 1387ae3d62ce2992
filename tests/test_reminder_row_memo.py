"""A look builds only the reminders of rows it did not meet at the last look, and gives
what a look building every row gives, after every kind of change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clients.entries import save_family_member, save_important_date, save_interaction
from models.clients.saving import delete_client, save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
)
from models.reminders.row_memo import RowMemo
from models.reminders.rules import Reminder, ReminderWindow
from models.reminders.store import collect_reminders, forget_kept_reminders, reminder_window
from models.store.entities import Client, FamilyMember, ImportantDate

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def studio(database):
    """Clients with dates and check-ins in the window at NOW: a couple who are both
    clients, a client married to a family member, a child's birthday, check-ins due."""
    anna = _client("Anna", "Berger", every="30")
    tom = _client("Tom", "Berger", every="60")
    Client.update(partner=tom.id).where(Client.id == anna.id).execute()
    Client.update(partner=anna.id).where(Client.id == tom.id).execute()
    _date(anna, "wedding_anniversary", 27, 11, "2020")
    maria = _client("Maria", "Keller", every="14")
    save_family_member(FamilyMemberForm(name="Jon", relation="partner"), maria.id)
    _date(maria, "wedding_anniversary", 28, 11, "2015")
    lea = FamilyMemberForm(name="Lea", relation="child", has_birthday=True)
    lea.birthday_day, lea.birthday_month = 26, 11
    save_family_member(lea, maria.id)
    ben = _client("Ben", every="7")
    _date(ben, "birthday", 25, 11, "1990")
    return {"anna": anna, "tom": tom, "maria": maria, "ben": ben}


def _client(first: str, last: str = "", every: str = "") -> Client:
    made = save_client(ClientForm(first_name=first, last_name=last, check_in_days=every))
    Client.update(created_at=NOW - timedelta(days=90)).where(Client.id == made.id).execute()
    return Client.get_by_id(made.id)


def _date(owner: Client, kind: str, day: int, month: int, year: str = "") -> None:
    save_important_date(ImportantDateForm(kind, day, month, year, "", 0), owner.id)


def _look(now: datetime = NOW) -> list[Reminder]:
    return collect_reminders(reminder_window(now, BERLIN, NINE))


def _fresh_look(now: datetime = NOW) -> list[Reminder]:
    """A look that builds every row's reminders: nothing kept from an earlier look."""
    forget_kept_reminders()
    return _look(now)


def _rename_client(people: dict) -> None:
    Client.update(first_name="Annika").where(Client.id == people["anna"].id).execute()


def _rename_family_partner(people: dict) -> None:
    FamilyMember.update(name="Jonas").where(FamilyMember.relation == "partner").execute()


def _longer_check_in(people: dict) -> None:
    Client.update(check_in_days=45).where(Client.id == people["ben"].id).execute()


def _contact(people: dict) -> None:
    talk = InteractionForm(kind="call", occurred_at=NOW - timedelta(days=20), summary="Talked")
    save_interaction(talk, people["maria"].id)


def _move_a_date(people: dict) -> None:
    ImportantDate.update(day=29).where(ImportantDate.client == people["ben"].id).execute()


def _greetings_off(people: dict) -> None:
    Client.update(no_greetings=True).where(Client.id == people["tom"].id).execute()


def _delete(people: dict) -> None:
    delete_client(people["ben"].id)


def _add_a_date(people: dict) -> None:
    _date(people["tom"], "birthday", 30, 11)


CHANGES: list[Callable[[dict], None]] = [
    _rename_client,
    _rename_family_partner,
    _longer_check_in,
    _contact,
    _move_a_date,
    _greetings_off,
    _delete,
    _add_a_date,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_look_after_a_change_is_a_look_built_afresh(studio, change):
    before = _look()
    assert {r.kind for r in before} == {"date", "check_in"}
    change(studio)
    after = _look()
    assert after == _fresh_look()
    assert after != before  # each change shows in the reminders


def test_a_look_on_another_day_is_built_for_that_day(studio):
    """The words of a check-in ("last contact 90 days ago") and of a date ("tomorrow")
    change with the day, the rows do not."""
    _look()
    next_day = NOW + timedelta(days=1)
    assert _look(next_day) == _fresh_look(next_day)
    assert _look(next_day) != _look()


def test_in_another_zone_the_same_rows_give_that_zones_reminders(studio):
    _look()
    window = reminder_window(NOW, ZoneInfo("Pacific/Auckland"), NINE)
    assert {r.due_at for r in collect_reminders(window)} != {r.due_at for r in _look()}
    kept = collect_reminders(window)
    forget_kept_reminders()
    assert kept == collect_reminders(window)


WINDOW = ReminderWindow(date(2026, 11, 17), date(2026, 12, 1), date(2026, 11, 24), NINE, BERLIN)


class Counting:
    """A builder that says which rows it was asked for: (row,) reminders of one fake each."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, rows: list[str]) -> list[tuple[str, ...]]:
        self.asked.append(list(rows))
        return [(f"{row} in {WINDOW.today}",) for row in rows]


def test_only_rows_not_met_at_the_last_look_are_built():
    memo, build = RowMemo(), Counting()
    assert memo.reminders(WINDOW, ["a", "b"], build) == ["a in 2026-11-24", "b in 2026-11-24"]
    assert memo.reminders(WINDOW, ["b", "c"], build) == ["b in 2026-11-24", "c in 2026-11-24"]
    assert memo.reminders(WINDOW, ["a", "b", "c"], build) == [
        "a in 2026-11-24",
        "b in 2026-11-24",
        "c in 2026-11-24",
    ]
    # "a" was not in the second look: it is not kept, and is built again.
    assert build.asked == [["a", "b"], ["c"], ["a"]]


def test_another_window_builds_every_row_again():
    memo, build = RowMemo(), Counting()
    memo.reminders(WINDOW, ["a", "b"], build)
    memo.reminders(WINDOW.__class__(*vars(WINDOW).values()), ["a", "b"], build)  # an equal one
    memo.reminders(ReminderWindow(WINDOW.first, WINDOW.last, WINDOW.today, time(8), BERLIN),
                   ["a", "b"], build)  # fmt: skip
    assert build.asked == [["a", "b"], ["a", "b"]]


def test_rows_without_reminders_are_kept_too():
    memo, asked = RowMemo(), []

    def none_due(rows):
        asked.append(list(rows))
        return [() for _ in rows]

    assert memo.reminders(WINDOW, ["a"], none_due) == []
    assert memo.reminders(WINDOW, ["a"], none_due) == []
    assert asked == [["a"]]
