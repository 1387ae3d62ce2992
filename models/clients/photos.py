"""Client photos: one per client, kept in the database so that it travels with it.

The window scales and crops a picked image before it gets here (ui/photo.py); imports
keep the image as found. Reading photos is kept apart from reading client rows, so the
list only pays for the pictures it shows.
"""

from __future__ import annotations

from models.store.database import db
from models.store.entities import ClientPhoto, utc_now


def photo_of(client_id: int) -> bytes | None:
    row = ClientPhoto.get_or_none(ClientPhoto.client == client_id)
    return bytes(row.image) if row else None


def photo_versions(client_ids: list[int]) -> dict[int, str]:
    """client id -> a version that changes with the photo, for those who have one; the
    images themselves are read only when a face is drawn for the first time."""
    query = ClientPhoto.select(ClientPhoto.client, ClientPhoto.updated_at).where(
        ClientPhoto.client.in_(client_ids)
    )
    return {client_id: updated_at.isoformat() for client_id, updated_at in query.tuples()}


def set_photo(client_id: int, image: bytes) -> None:
    """Give the client this photo, replacing any other."""
    with db.atomic():
        ClientPhoto.insert(client=client_id, image=image, updated_at=utc_now()).on_conflict(
            conflict_target=[ClientPhoto.client],
            preserve=[ClientPhoto.image, ClientPhoto.updated_at],
        ).execute()


def remove_photo(client_id: int) -> None:
    with db.atomic():
        ClientPhoto.delete().where(ClientPhoto.client == client_id).execute()
