"""The newest gallery of a client: on their page (from the history read for it) and for
messages (latest_galleries, many clients at once) the same session."""

from __future__ import annotations

from datetime import UTC, datetime

from models.care.galleries import latest_galleries, newest_gallery
from models.clients.entries import history
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.entities import Interaction

JUNE = datetime(2026, 6, 20, 14, tzinfo=UTC)


def _session(client_id: int, at: datetime, gallery: str = "") -> int:
    return Interaction.create(
        client=client_id, kind="session", occurred_at=at, summary="Shoot", gallery_url=gallery
    ).id


def test_the_newest_session_with_a_gallery_of_two_at_one_moment_the_one_logged_last(database):
    anna = save_client(ClientForm(first_name="Anna")).id
    _session(anna, datetime(2025, 5, 1, tzinfo=UTC), "https://old.example/anna")
    _session(anna, JUNE, "https://first.example/anna")
    logged_last = _session(anna, JUNE, "https://second.example/anna")
    _session(anna, datetime(2026, 9, 1, tzinfo=UTC))  # newer, without a gallery
    ben = save_client(ClientForm(first_name="Ben")).id
    _session(ben, JUNE)

    assert newest_gallery(history(anna)).id == logged_last
    assert latest_galleries([anna, ben])[anna].id == logged_last
    assert newest_gallery(history(ben)) is None and ben not in latest_galleries([anna, ben])
