"""Is an imported person already a client? Same email, same phone, or same name.

An email is personal, so the same email is the same person. Phones are shared (a studio,
a family's landline) and names repeat, so a match by either alone is only possible: the
preview says so and adds the person unless told otherwise.

The existing clients' emails, phones and names are read once into an index, so a file
of thousands of contacts is matched without a query per record.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.entities import Client, ContactDetail, full_name
from models.folding import fold
from models.importing.records import ImportRecord
from models.phone_numbers import home_region, phone_key


@dataclass(frozen=True)
class Match:
    """The existing client an imported person seems to be, and why: "same email anna@x.org".
    A `certain` match (by email) is skipped or merged by default; a possible one is not."""

    client_id: int
    name: str
    why: str
    certain: bool


def email_key(address: str) -> str:
    return address.strip().casefold()


def name_key(first: str, last: str) -> str:
    """As Client.sort_name, which SQLite triggers keep: fold(first || ' ' || last)."""
    return fold(f"{first.strip()} {last.strip()}")


class ClientIndex:
    """Every existing client's emails, phones and folded name, read at once."""

    def __init__(self, region: str | None = None) -> None:
        self.region = region or home_region()
        self.names: dict[int, str] = {}
        self.by_name: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        for client in Client.select(Client.id, Client.first_name, Client.last_name).order_by(
            Client.id
        ):
            self.names[client.id] = full_name(client.first_name, client.last_name)
            self.by_name.setdefault(name_key(client.first_name, client.last_name), client.id)
        for detail in ContactDetail.select().order_by(ContactDetail.client, ContactDetail.position):
            index, key = (
                (self.by_email, email_key(detail.value))
                if detail.kind == "email"
                else (self.by_phone, phone_key(detail.value, self.region))
            )
            if key:
                index.setdefault(key, detail.client_id)

    def find(self, record: ImportRecord) -> Match | None:
        """The client with the record's email, else phone, else name; None if nobody."""
        for _label, address in record.emails:
            if client_id := self.by_email.get(email_key(address)):
                return self._match(client_id, f"same email {address.strip()}", certain=True)
        for _label, number in record.phones:
            key = phone_key(number, self.region)
            if key and (client_id := self.by_phone.get(key)):
                return self._match(client_id, f"possibly: same phone {number.strip()}")
        if client_id := self.by_name.get(name_key(record.first_name, record.last_name)):
            return self._match(client_id, "possibly: same name")
        return None

    def _match(self, client_id: int, why: str, certain: bool = False) -> Match:
        return Match(client_id, self.names[client_id], why, certain)
