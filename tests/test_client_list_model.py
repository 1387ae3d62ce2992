from datetime import UTC, datetime, timedelta

import pytest

from models.clients import save_client
from models.entities import Client, Interaction
from models.forms import ClientForm
from ui.client_list_model import ClientIdRole, ClientListModel, SinceRole, StageRole

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture
def many_clients(database):
    rows = [{"first_name": f"Client {i:04d}", "created_at": NOW} for i in range(450)]
    with database.atomic():
        Client.insert_many(rows).execute()


def test_model_passes_qtmodeltester(qtmodeltester, database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Meyer", stage="client"))
    save_client(ClientForm(first_name="Jens", last_name="Ortmann"))
    Interaction.create(
        client=anna, kind="call", occurred_at=NOW - timedelta(days=3), summary="Gallery"
    )
    model = ClientListModel(now=lambda: NOW)
    model.reload()
    qtmodeltester.check(model)
    first = model.index(0)
    assert first.data() == "Anna Meyer"
    assert first.data(ClientIdRole) == anna.id
    assert first.data(StageRole) == "client"
    assert first.data(SinceRole) == "3d"
    assert model.index(1).data(SinceRole) == "never"


def test_pages_rows_in_and_never_holds_more_than_loaded(qtmodeltester, many_clients):
    model = ClientListModel(now=lambda: NOW)
    model.reload()
    assert model.total() == 450
    assert model.rowCount() == ClientListModel.PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * ClientListModel.PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    assert [model.index(i).data() for i in (0, 449)] == ["Client 0000", "Client 0449"]
    qtmodeltester.check(model)


def test_search_narrows_and_resets_paging(many_clients):
    model = ClientListModel(now=lambda: NOW)
    model.reload()
    model.fetchMore()
    model.set_search("client 004")
    assert model.total() == 10
    assert model.rowCount() == 10
    assert not model.canFetchMore()
