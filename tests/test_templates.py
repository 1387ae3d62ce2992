"""Message templates: placeholders filled per client, unknown ones refused, missing named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from models.clients.couples import link_partners
from models.clients.entries import save_family_member, save_important_date, save_interaction
from models.clients.saving import save_client
from models.clients.templates import (
    Message,
    client_values,
    get_template,
    mailto_url,
    render,
    save_template,
    template_for,
    values_for_clients,
)
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
    ValidationError,
)
from models.reminders.rules import Reminder
from models.store.entities import Client, FamilyMember
from models.store.settings import set_setting

TODAY = date(2026, 11, 25)


@pytest.fixture
def anna(database):
    anna = save_client(ClientForm(first_name="Anna", last_name="Berger", preferred_name="Anni"))
    save_family_member(FamilyMemberForm(name="Tom Berger", relation="partner"), anna.id)
    save_important_date(ImportantDateForm("wedding_anniversary", 28, 11, "2021"), anna.id)
    form = InteractionForm("session", datetime(2026, 10, 20, 12, tzinfo=UTC), "Mini session")
    save_interaction(form, anna.id)
    set_setting("your_name", "Lena Wolf")
    return anna


def test_a_template_is_filled_for_the_client(anna):
    message = render(*get_template("anniversary"), client_values(anna, TODAY))
    assert message.subject == "Happy anniversary, Anni & Tom!"
    assert "5 years married: congratulations!" in message.body
    assert message.body.endswith("Lena Wolf")
    assert message.missing == []
    thanks = render(*get_template("thank_you"), client_values(anna, TODAY))
    assert "the session on 20 October 2026" in thanks.body


def test_a_missing_value_is_left_empty_and_named(database):
    jens = save_client(ClientForm(first_name="Jens"))
    message = render(*get_template("anniversary"), client_values(jens, TODAY))
    assert message.subject == "Happy anniversary, Jens & !"
    assert message.missing == ["partner_name", "years", "your_name"]
    assert "{" not in message.body


def test_unknown_placeholders_and_stray_braces_are_refused_when_saving(database):
    with pytest.raises(ValidationError) as error:
        save_template("birthday", "Hi {frist_name}", "Dear {first_name}, {oops} {frist_name}")
    messages = [e.message for e in error.value.errors]
    assert messages[0].startswith("Rapport does not know {frist_name}. Use: {first_name}")
    assert [m.split(".")[0] for m in messages[1:]] == [
        "Rapport does not know {oops}",
        "Rapport does not know {frist_name}",
    ]
    with pytest.raises(ValidationError, match="stands alone"):
        save_template("birthday", "Hi {first_name", "Body")
    assert get_template("birthday")[0] == "Happy birthday, {first_name}!"  # unchanged
    save_template("birthday", "Alles Gute, {first_name}!", "Liebe(r) {first_name}")
    assert get_template("birthday") == ("Alles Gute, {first_name}!", "Liebe(r) {first_name}")


def test_mailto_links_are_encoded():
    url = mailto_url("anna@example.org", Message("Hi & bye?", "Line 1\nLine 2 äö", []))
    parts = urlsplit(url)
    assert (parts.scheme, parts.path) == ("mailto", "anna@example.org")
    assert "%0D%0A" in parts.query and "+" not in parts.query
    query = parse_qs(parts.query)
    assert query["subject"] == ["Hi & bye?"]
    assert query["body"] == ["Line 1\r\nLine 2 äö"]


@pytest.mark.parametrize(
    ("kind", "occasion", "for_family", "template"),
    [
        ("date", "birthday", False, "birthday"),
        ("date", "wedding_anniversary", False, "anniversary"),
        ("check_in", "", False, "check_in"),
        ("date", "birthday", True, None),  # "Happy birthday, Maria!" for her child: no
        ("date", "client_since", False, None),  # not a wedding: no anniversary greeting
        ("date", "custom", False, None),
        ("follow_up", "", False, None),
    ],
)
def test_the_template_a_reminder_asks_for(kind, occasion, for_family, template):
    reminder = Reminder(
        "key", 1, kind, datetime(2026, 11, 25, tzinfo=UTC), date(2026, 11, 25), "Maria", "",
        occasion, for_family,
    )  # fmt: skip
    assert template_for(reminder) == template


def _session(client: Client, day: date, gallery: str = "", kind: str = "session") -> None:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    form = InteractionForm(kind, at, "Shoot", gallery_url=gallery)
    form.gallery_expires_on = day.replace(year=day.year + 1) if gallery else None
    save_interaction(form, client.id)


def _yearly(client: Client, kind: str, day: date, year: str = "") -> None:
    save_important_date(ImportantDateForm(kind, day.day, day.month, year), client.id)


@pytest.fixture
def studio(database):
    """Clients whose values take each road: a partner who is a client or only a name (the
    newest of two, a blank one), referrals with and without a day, galleries and sessions
    on the same day, years known, unknown, still to come and from a 29 February."""
    set_setting("your_name", "Lena Wolf")
    new = {name: save_client(ClientForm(first_name=name, last_name="Berg")) for name in "ABCDEFGH"}
    a, b, c, d, e, f, g, h = new.values()
    Client.update(preferred_name="Cleo").where(Client.id == c.id).execute()
    link_partners(b.id, c.id)
    save_family_member(FamilyMemberForm(name="Ghost", relation="partner"), b.id)  # b's client wins
    save_family_member(FamilyMemberForm(name="Old Flame", relation="partner"), a.id)
    save_family_member(FamilyMemberForm(name="Tom Meyer", relation="partner"), a.id)
    save_family_member(FamilyMemberForm(name="Ida", relation="partner"), d.id)
    FamilyMember.update(name="   ").where(FamilyMember.name == "Ida").execute()  # hand-edited
    referred = [(e, a, datetime(2026, 1, 1, tzinfo=UTC)), (f, a, None), (g, a, None)]
    referred += [(h, b, datetime(2026, 3, 1, tzinfo=UTC)), (d, b, datetime(2025, 3, 1, tzinfo=UTC))]
    for who, by, at in referred:
        Client.update(referred_by=by.id, referred_at=at).where(Client.id == who.id).execute()
    _session(a, date(2026, 10, 20), "https://x.example/first")
    _session(a, date(2026, 10, 20), "https://x.example/second")  # same day: logged last wins
    _session(a, date(2026, 11, 2), kind="call")  # not a session
    _session(b, date(2025, 6, 1), "https://x.example/b-old")
    _session(b, date(2026, 2, 1), kind="wedding")
    _yearly(a, "wedding_anniversary", date(2021, 11, 28), "2021")
    _yearly(b, "wedding_anniversary", date(2020, 2, 29), "2020")  # Feb 29
    _yearly(c, "wedding_anniversary", date(2020, 6, 1))  # year unknown: client since counts
    _yearly(c, "client_since", date(2019, 5, 3), "2019")
    _yearly(d, "wedding_anniversary", date(2027, 1, 5), "2027")  # not yet: client since
    _yearly(d, "client_since", date(2024, 12, 1), "2024")
    _yearly(e, "client_since", date(2026, 11, 20), "2026")  # this year: none yet
    return new


def test_values_read_for_many_clients_are_each_client_s_own(studio):
    clients = list(Client.select())
    together = values_for_clients(clients, TODAY)
    assert together == {client.id: client_values(client, TODAY) for client in clients}
    a, b, c, d, e = (together[studio[name].id] for name in "ABCDE")
    assert [v["partner_name"] for v in (a, b, c, d, e)] == ["Tom", "Cleo", "B", "", ""]
    assert [v["referred_name"] for v in (a, b, c)] == ["E Berg", "H Berg", ""]  # a day first
    assert [v["years"] for v in (a, b, c, d, e)] == ["5", "7", "8", "2", ""]
    assert [v["session_date"] for v in (a, b, c)] == ["20 October 2026", "1 February 2026", ""]
    assert [v["gallery_link"] for v in (a, b, c)] == [
        "https://x.example/second",
        "https://x.example/b-old",
        "",
    ]
    assert {v["your_name"] for v in together.values()} == {"Lena Wolf"}
