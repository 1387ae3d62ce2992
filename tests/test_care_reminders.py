"""Galleries that close, dates with several reminders, consent kept by the full archive,
and the reminders carried by the vCard and calendar exports."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from models.care.plans import PlanStep, care_plans, save_care_plans
from models.clients.entries import (
    delete_entry,
    important_date_form,
    save_important_date,
    save_interaction,
)
from models.clients.saving import client_form, save_client
from models.clients.templates import TEMPLATE_KINDS
from models.exchange.calendar_export import write_calendar
from models.exchange.full_archive import import_archive, write_archive
from models.exchange.vcard_export import write_vcards
from models.forms.dialog_forms import (
    ClientForm,
    ImportantDateForm,
    InteractionForm,
    ValidationError,
)
from models.reminders.store import listed_today, mark_done, reconcile, reconcile_and_list
from models.store.entities import Client, Interaction, ReminderState

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def anna(database) -> Client:
    return save_client(ClientForm(first_name="Anna", last_name="Berger"))


def _session(client: Client, url: str, closes: date | None) -> Interaction:
    form = InteractionForm(
        kind="wedding",
        occurred_at=datetime(2026, 9, 5, 12, tzinfo=UTC),
        summary="Wedding at the lake",
        gallery_url=url,
        gallery_expires_on=closes,
    )
    return save_interaction(form, client.id)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Gallery: 'javascript:alert(1)' is no web address"),
        ("file:///etc/passwd", "Gallery: 'file:///etc/passwd' is no web address"),
        ("https://", "Gallery: 'https://' is no web address"),
        ("https://anna.pixieset.com/my gallery", "Gallery: one web address, without spaces."),
    ],
)
def test_a_gallery_link_is_a_web_address(anna, url, message):
    with pytest.raises(ValidationError) as refused:
        _session(anna, url, None)
    assert refused.value.errors[0].field == "gallery_url"
    assert refused.value.errors[0].message.startswith(message)
    assert not Interaction.select().exists()


def test_only_a_session_has_a_gallery_and_a_closing_day_needs_its_link(anna):
    call = InteractionForm(kind="call", occurred_at=NOW, summary="Hi", gallery_url="https://x.org")
    assert [e.message for e in call.errors()] == ["Only a session has a gallery."]
    form = InteractionForm(
        kind="session", occurred_at=NOW, summary="Hi", gallery_expires_on=date(2027, 1, 1)
    )
    assert [e.message for e in form.errors()] == ["Gallery: a closing day needs the link."]


def test_a_gallery_reminds_a_week_before_it_closes_once(anna):
    session = _session(anna, "https://anna.pixieset.com/wedding/?a=1&b=2", date(2026, 12, 1))
    [due] = reconcile(NOW, BERLIN, NINE).due_now  # the notice fell due today at 09:00
    assert (due.kind, due.key) == ("gallery", f"gallery:{session.id}:2026-12-01")
    assert due.text == "Anna's gallery closes in 7 days: a word about prints?"
    assert reconcile(NOW + timedelta(hours=1), BERLIN, NINE).due_now == []
    _, listed = listed_today(NOW, BERLIN, NINE)
    assert [r.key for r in listed.today] == [due.key]
    mark_done(due, NOW)
    assert listed_today(NOW, BERLIN, NINE)[1].count_due() == 0


@pytest.mark.parametrize("while_closed", [True, False])
def test_a_gallery_reminder_stays_on_today_until_done(anna, while_closed):
    """Its notice fell due (3 Nov, for 10 Nov) while Rapport was closed, or was notified and
    left open: on Today, as the summary counts it, weeks after the gallery closed."""
    session = _session(anna, "https://anna.pixieset.com/", date(2026, 11, 10))
    key = f"gallery:{session.id}:2026-11-10"
    if while_closed:
        reconcile(datetime(2026, 10, 30, 12, tzinfo=UTC), BERLIN, NINE)
        delivery, _, listed = reconcile_and_list(NOW, BERLIN, NINE, starting=True)
        assert [r.key for r in delivery.missed] == [key]
    else:
        notice = datetime(2026, 11, 3, 8, tzinfo=UTC)
        assert [r.key for r in reconcile(notice, BERLIN, NINE).due_now] == [key]
        _, listed = listed_today(NOW, BERLIN, NINE)
    assert [r.key for r in listed.overdue] == [key] and listed.count_due() == 1
    later = NOW + timedelta(days=30)
    assert reconcile(later, BERLIN, NINE).due_now == []
    [still] = listed_today(later, BERLIN, NINE)[1].overdue
    assert still.text == "Anna's gallery closed on Tue 10 Nov: a word about prints?"
    mark_done(still, later)
    assert listed_today(later, BERLIN, NINE)[1].count_due() == 0


def test_a_deleted_session_takes_its_gallery_reminder(anna):
    session = _session(anna, "https://anna.smugmug.com/", date(2026, 12, 1))
    reconcile(NOW, BERLIN, NINE)
    delete_entry(Interaction, session.id)
    assert not ReminderState.select().exists()


def _anniversary(client: Client, more: str) -> int:
    form = ImportantDateForm(
        kind="wedding_anniversary", day=8, month=12, year="2019", lead_days=7, more_lead_days=more
    )
    return save_important_date(form, client.id).id


def test_a_date_can_remind_a_week_before_a_day_before_and_on_the_day(anna):
    date_id = _anniversary(anna, "1, 7, 1")
    row = important_date_form(next(iter(Client.get_by_id(anna.id).important_dates)))
    assert row.more_lead_days == "1"  # 7 is the first reminder; each lead time once
    first = datetime(2026, 12, 1, 8, tzinfo=UTC)  # Tue 1 Dec, 09:00 in Berlin
    keys = []
    for at in (first, first + timedelta(days=6), first + timedelta(days=7)):
        delivery = reconcile(at, BERLIN, NINE)
        keys += [r.key for r in delivery.due_now]
        assert reconcile(at + timedelta(minutes=1), BERLIN, NINE).due_now == []
        assert [r.key for r in listed_today(at, BERLIN, NINE)[1].today] == [keys[0]]
    assert keys == [
        f"date:{date_id}:2026-12-08:notice",
        f"date:{date_id}:2026-12-08:notice1",
        f"date:{date_id}:2026-12-08:day",
    ]


def test_done_on_the_first_reminder_closes_the_others(anna):
    _anniversary(anna, "1")
    [notice] = reconcile(datetime(2026, 12, 1, 8, tzinfo=UTC), BERLIN, NINE).due_now
    mark_done(notice, datetime(2026, 12, 1, 8, tzinfo=UTC))
    for day in (7, 8):
        at = datetime(2026, 12, day, 8, 5, tzinfo=UTC)
        assert reconcile(at, BERLIN, NINE).due_now == []
        assert listed_today(at, BERLIN, NINE)[1].count_due() == 0


def test_a_wrong_lead_time_is_named(anna):
    form = ImportantDateForm(kind="birthday", day=3, month=4, more_lead_days="2, soon, 400")
    assert [e.message for e in form.errors()] == [
        "Also remind me: 'soon' is no number of days from 1 to 365."
    ]


def test_the_calendar_has_an_alarm_and_the_vcard_a_parameter_for_each_reminder(anna, tmp_path):
    _anniversary(anna, "1")
    write_calendar(tmp_path / "dates.ics", date(2026, 11, 24), NOW)
    [event] = Calendar.from_ical((tmp_path / "dates.ics").read_bytes()).walk("VEVENT")
    triggers = [alarm["trigger"].dt for alarm in event.walk("VALARM")]
    assert triggers == [-timedelta(days=7), -timedelta(days=1)]
    write_vcards(tmp_path / "anna.vcf")
    card = (tmp_path / "anna.vcf").read_text()
    assert 'ANNIVERSARY;X-RAPPORT-REMIND-DAYS="7,1":20191208' in card


def test_consent_care_plans_and_steps_survive_the_full_archive(anna, switch_to, tmp_path):
    form = client_form(anna)
    form.marketing_consent_on = date(2026, 5, 2)
    save_client(form, anna.id)
    save_care_plans({"session": [PlanStep("Print the favourite", days=3)]}, set(TEMPLATE_KINDS))
    _session(anna, "https://anna.pic-time.com/", date(2027, 1, 15))
    target = tmp_path / "all.zip"
    write_archive(target)
    with zipfile.ZipFile(target) as zipped:
        tables = json.loads(zipped.read("rapport.json"))["tables"]
    assert tables["client"][0]["marketing_consent_on"] == "2026-05-02"
    switch_to(tmp_path / "rebuilt.sqlite")
    import_archive(target)
    restored = Client.get()
    assert restored.marketing_consent_on == date(2026, 5, 2)
    assert [s.title for s in care_plans()["session"]] == ["Print the favourite"]
    assert Interaction.get().gallery_expires_on == date(2027, 1, 15)
