"""Message templates: placeholders filled per client, unknown ones refused, missing named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

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
)
from models.forms.dialog_forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
    ValidationError,
)
from models.reminders.rules import Reminder
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
