import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from models.clients.entries import (
    save_family_member,
    save_important_date,
    save_interaction,
    save_note,
)
from models.clients.finder import ClientFilter
from models.clients.saving import save_client
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
)
from models.store.database import db
from models.store.entities import Client, Interaction
from ui import client_list_model
from ui.client_list_model import (
    ClientIdRole,
    ClientListModel,
    FactRole,
    HealthRole,
    ReasonRole,
    SinceRole,
    StageRole,
)

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def searched(qtbot, model: ClientListModel, text: str | None = None) -> ClientListModel:
    """The model once it shows the result of a new search (run on its worker thread)."""
    with qtbot.waitSignal(model.found, timeout=5000):
        model.reload() if text is None else model.set_search(text)
    return model


def new_model() -> ClientListModel:
    return ClientListModel(now=lambda: NOW, today=lambda: NOW.date())


@pytest.fixture
def many_clients(database):
    rows = [{"first_name": f"Client {i:04d}", "created_at": NOW} for i in range(450)]
    with database.atomic():
        Client.insert_many(rows).execute()


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Meyer", stage="client"))
    save_client(ClientForm(first_name="Jens", last_name="Ortmann"))
    Interaction.create(
        client=anna, kind="call", occurred_at=NOW - timedelta(days=3), summary="Gallery"
    )
    model = searched(qtbot, new_model())
    qtmodeltester.check(model)
    first = model.index(0)
    assert first.data() == "Anna Meyer"
    assert first.data(ClientIdRole) == anna.id
    assert first.data(StageRole) == "client"
    assert first.data(SinceRole) == "3d"
    assert model.index(1).data(SinceRole) == "never"


def test_holds_a_bounded_window_of_rows_however_far_one_scrolls(qtbot, qtmodeltester, many_clients):
    model = new_model()
    model.PAGE_SIZE = 10  # 450 clients: 45 pages, of which at most MAX_PAGES are held
    searched(qtbot, model)
    assert model.total() == model.rowCount() == 450
    assert model.rows_held() == 0
    names = [model.index(row).data() for row in range(450)]
    assert names == [f"Client {i:04d}" for i in range(450)]
    assert model.rows_held() <= model.PAGE_SIZE * model.MAX_PAGES < 450  # pages were dropped
    assert model.index(3).data() == "Client 0003"  # read again after it was dropped
    assert model.row_of(Client.get(Client.first_name == "Client 0321").id) == 321
    qtmodeltester.check(model)


def test_search_narrows_and_resets_paging(qtbot, many_clients):
    model = searched(qtbot, new_model())
    model.index(300).data()
    searched(qtbot, model, "client 004")
    assert model.total() == model.rowCount() == 10
    assert model.rows_held() == 0


def test_a_search_says_why_each_client_was_found(qtbot, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Meyer"))
    save_note(NoteForm(text="Beach shoot in Sylt"), anna.id)
    save_client(ClientForm(first_name="Sylvia", last_name="Berg"))
    model = searched(qtbot, new_model(), "syl")
    rows = [(model.index(r).data(), model.index(r).data(ReasonRole)) for r in range(2)]
    # Found by name first.
    assert rows == [("Sylvia Berg", ""), ("Anna Meyer", "note: Beach shoot in Sylt")]


def test_only_the_latest_of_quick_searches_is_shown(qtbot, many_clients):
    model = new_model()
    with qtbot.waitSignal(model.found, timeout=5000):
        for typed in ("c", "cl", "client 01", "client 012"):
            model.set_search(typed)
    qtbot.wait(50)  # any result of an earlier search would arrive by now
    assert [model.index(row).data() for row in range(model.rowCount())] == [
        f"Client {n:04d}" for n in range(120, 130)
    ]


def test_a_failed_search_is_reported(qtbot, tmp_path):
    from models.store.database import db
    from models.store.migrations import open_database

    database = open_database(tmp_path / "rapport.sqlite")
    database.execute_sql("DROP TABLE client_tag")  # a damaged database
    model = new_model()
    with qtbot.waitSignal(model.failed, timeout=5000) as failure:
        model.set_criteria(ClientFilter(tag="vip"))
    assert "client_tag" in failure.args[0]
    assert not model.searching()
    database.close()
    db.initialize(None)


def test_after_a_change_to_one_client_only_their_payments_are_read_again(
    qtbot, database, monkeypatch
):
    anna = save_client(ClientForm(first_name="Anna"))
    ben = save_client(ClientForm(first_name="Ben"))
    for who, amount in ((anna, "100"), (ben, "900")):
        form = InteractionForm("session", NOW, "Portraits", amount=amount, currency="EUR")
        save_interaction(form, who.id)
    model = searched(qtbot, new_model())

    def every_payment_again():
        raise AssertionError("every paid interaction read again")

    monkeypatch.setattr(client_list_model, "value_ranks", every_payment_again)
    save_interaction(
        InteractionForm("session", NOW, "Prints", amount="50", currency="EUR"), anna.id
    )
    with qtbot.waitSignal(model.found, timeout=5000):
        model.reload(data_changed=True, clients=frozenset({anna.id}))
    assert model.value_ranks().cents == (15000, 90000)


def test_rows_read_while_ranks_are_read_again_keep_the_previous_ones(qtbot, database):
    """After a change the value ranks are read anew on the worker; a page painted before
    they arrive has the previous ranks and a health, never an error."""
    anna = save_client(ClientForm(first_name="Anna"))
    for amount in ("100", "900"):
        form = InteractionForm("session", NOW, "Portraits", amount=amount, currency="EUR")
        save_interaction(form, anna.id)
    save_client(ClientForm(first_name="Ben"))
    model = searched(qtbot, new_model())
    assert model.value_ranks().cents == (100000,)
    save_interaction(
        InteractionForm("session", NOW, "Prints", amount="500", currency="EUR"), anna.id
    )
    model.reload(data_changed=True)
    model._pages.clear()  # as if the rows had scrolled out of the pages held
    assert model.value_ranks().cents == (100000,)  # the previous ones, until the new
    assert model.index(0).data(HealthRole).level in {"good", "fair", "low"}
    qtbot.waitSignal(model.found, timeout=5000).wait()
    assert Decimal(model.value_ranks().cents[0]) / 100 == Decimal("1500")


def test_each_row_shows_what_the_filter_or_order_goes_by(qtbot, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Meyer", stage="client"))
    save_important_date(ImportantDateForm("birthday", 30, 11, "1986"), anna.id)
    lea = save_family_member(FamilyMemberForm(name="Lea", relation="child"), anna.id)
    save_important_date(ImportantDateForm("birthday", 2, 11, family_member_id=lea.id), anna.id)
    for amount in ("2400", "490.50"):
        form = InteractionForm("session", NOW, "Portraits", amount=amount, currency="EUR")
        save_interaction(form, anna.id)
    ben = save_client(ClientForm(first_name="Ben", last_name="Ek", check_in_days="30"))
    Client.update(created_at=NOW - timedelta(days=40)).where(Client.id == ben.id).execute()
    save_important_date(ImportantDateForm("wedding_anniversary", 28, 11, "2021"), ben.id)
    model = new_model()

    def facts() -> list[tuple[str, str]]:
        return [(model.index(r).data(), model.index(r).data(FactRole)) for r in range(2)]

    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_criteria(ClientFilter(greeting_this_month=True))
    assert facts() == [
        ("Anna Meyer", "Mon 2 Nov: Lea's birthday · Mon 30 Nov: birthday"),
        ("Ben Ek", "Sat 28 Nov: anniversary"),
    ]
    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_criteria(ClientFilter(sort="lifetime_value"))
    assert facts() == [("Anna Meyer", "2,890.50 EUR"), ("Ben Ek", "")]
    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_criteria(ClientFilter(sort="next_due", greeting_this_month=True))
    assert facts() == [  # Ben's check-in was due 30 days after he was added
        ("Ben Ek", "Sat 28 Nov: anniversary · Overdue since 14 Nov"),
        ("Anna Meyer", "Mon 2 Nov: Lea's birthday · Mon 30 Nov: birthday · Due Mon 30 Nov"),
    ]
    with qtbot.waitSignal(model.found, timeout=5000):
        model.set_criteria(ClientFilter())
    assert facts() == [("Anna Meyer", ""), ("Ben Ek", "")]  # by name: the row says enough


def test_a_search_cut_short_by_a_newer_one_is_no_failure(qtbot, many_clients, caplog):
    """A keystroke cuts the search the worker runs short (SQLite's interrupt): that search
    gives nothing and reports nothing, at whichever step of its queries it was cut (peewee
    wraps the error of a query's first step, not of the rows fetched after it)."""
    model = searched(qtbot, new_model())
    connection = db.connection()
    steps = []
    connection.set_progress_handler(lambda: steps.append(1), 20)  # a whole search's steps
    model._find(model._searches, ClientFilter(), NOW.date())
    for cut_at in range(1, len(steps) + 1, max(1, len(steps) // 8)):

        def newer_keystroke(cut_at=cut_at, step=itertools.count(1)) -> int:  # noqa: B008
            if next(step) < cut_at:
                return 0
            model._searches += 1  # as reload() counts it before it interrupts
            return 1  # SQLite stops the running statement: "interrupted"

        connection.set_progress_handler(newer_keystroke, 20)
        try:
            assert model._find(model._searches, ClientFilter(), NOW.date()) is None
        finally:
            connection.set_progress_handler(None, 20)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
