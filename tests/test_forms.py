"""What the dialogs refuse and why: each message names the field, and the value when typed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.amounts import Separators, parse_amount
from models.forms import (
    ClientForm,
    FamilyMemberForm,
    ImportantDateForm,
    InteractionForm,
    NoteForm,
    parse_optional_int,
    split_list,
)
from models.partial_dates import ordinal, partial_date_error, years_since

WHEN = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


def fields(form) -> list[str]:
    return [error.field for error in form.errors()]


def messages(form) -> str:
    return " ".join(error.message for error in form.errors())


def interaction(**typed) -> InteractionForm:
    return InteractionForm(**{"occurred_at": WHEN, "summary": "Family shoot", **typed})


def birthday(day: int, month: int, year: str) -> FamilyMemberForm:
    return FamilyMemberForm(
        name="Mia",
        relation="child",
        has_birthday=True,
        birthday_day=day,
        birthday_month=month,
        birthday_year=year,
    )


def test_a_client_needs_a_first_name_and_a_stage_we_know():
    assert fields(ClientForm(first_name=" \t")) == ["first_name"]
    assert fields(ClientForm(first_name="Anna", stage="vip")) == ["stage"]
    assert "'vip'" in messages(ClientForm(first_name="Anna", stage="vip"))
    assert fields(ClientForm(first_name="Anna")) == []


def test_a_bad_email_or_phone_is_named_in_the_message():
    form = ClientForm(
        first_name="Anna",
        emails="anna@example.org, anna(at)example.org",
        phones="+49 (151) 123-4567; call me",
    )
    assert fields(form) == ["emails", "phones"]
    assert "'anna(at)example.org' is not an email address" in messages(form)
    assert "'call me' is not a phone number" in messages(form)


def test_keep_in_touch_is_empty_or_a_whole_number_of_days_above_zero():
    for days in ("0", "-3", "abc", "2.5"):
        form = ClientForm(first_name="Anna", keep_in_touch_days=days)
        assert fields(form) == ["keep_in_touch_days"], days
    for days in ("", "  ", "90", " 90 "):
        assert fields(ClientForm(first_name="Anna", keep_in_touch_days=days)) == [], days


def test_an_interaction_needs_a_zoned_time_a_summary_and_a_kind_we_know():
    assert fields(interaction(occurred_at=None)) == ["occurred_at"]
    assert fields(interaction(occurred_at=datetime(2026, 11, 24, 15, 30))) == ["occurred_at"]
    assert fields(interaction(summary="  ", kind="visit")) == ["kind", "summary"]
    assert fields(interaction()) == []


def test_an_amount_must_be_a_finite_number_and_not_negative():
    for amount in ("abc", "NaN", "inf", "-Infinity", "1.2.3", "1 000"):
        form = interaction(amount=amount, currency="EUR")
        assert fields(form) == ["amount"], amount
        assert repr(amount) in messages(form)
    negative = interaction(amount="-5", currency="EUR")
    assert fields(negative) == ["amount"]
    assert "negative" in messages(negative)


def test_an_amount_is_read_with_the_separators_of_the_users_locale():
    for amount in ("19.90", " 450 ", "0", "2,400.50"):
        assert fields(interaction(amount=amount, currency="EUR")) == [], amount
    german = Separators(decimal=",", group=".")
    for amount in ("19,90", "2.400,50"):
        assert fields(interaction(amount=amount, currency="EUR", separators=german)) == []
    assert "could be read as" in messages(interaction(amount="2,400", separators=german))


def test_a_three_letter_currency_is_needed_only_with_an_amount():
    for currency in ("", "EU", "EURO", "E1R", "€", "E R"):
        assert fields(interaction(amount="450", currency=currency)) == ["currency"], currency
    assert fields(interaction(amount="450", currency=" eur ")) == []
    assert fields(interaction(amount="", currency="")) == []
    assert fields(interaction(amount="  ", currency="euros")) == []


def test_a_note_must_not_be_empty():
    assert fields(NoteForm("")) == fields(NoteForm("  \n\t ")) == ["text"]
    assert fields(NoteForm("  Loves golden hour ")) == []


def test_29_february_needs_a_leap_year_or_no_year_at_all():
    common = birthday(29, 2, "2023")
    assert fields(common) == ["day"]
    assert "2023 is not a leap year" in messages(common)
    assert fields(birthday(29, 2, "2024")) == []
    assert fields(birthday(29, 2, "")) == []


def test_a_birthday_year_must_be_a_number():
    form = birthday(12, 5, "19x2")
    assert fields(form) == ["year"]
    assert "'19x2'" in messages(form)


def test_a_family_member_needs_a_name_and_a_relation_we_know():
    assert fields(FamilyMemberForm(name=" ", relation="cousin")) == ["name", "relation"]
    no_birthday = FamilyMemberForm(name="Mia", birthday_day=31, birthday_month=2, birthday_year="x")
    assert fields(no_birthday) == []  # the date fields only count when the box is ticked


def test_a_custom_date_needs_a_label_and_a_kind_we_know():
    assert fields(ImportantDateForm(kind="custom", day=1, month=6, label=" ")) == ["label"]
    assert fields(ImportantDateForm(kind="custom", day=1, month=6, label="First shoot")) == []
    assert fields(ImportantDateForm(kind="nameday", day=1, month=6)) == ["kind"]


def test_a_date_reminds_between_0_and_365_days_before():
    for lead_days, accepted in ((-1, False), (0, True), (365, True), (366, False)):
        form = ImportantDateForm(day=14, month=6, lead_days=lead_days)
        assert fields(form) == ([] if accepted else ["lead_days"]), lead_days


def test_31_april_is_refused():
    form = ImportantDateForm(day=31, month=4, year="2020")
    assert fields(form) == ["day"]
    assert "April has only 30 days." in messages(form)


def test_lists_split_on_commas_semicolons_and_lines():
    assert split_list("") == split_list(" , ;\n ") == []
    assert split_list("a, b;c\nd") == ["a", "b", "c", "d"]
    assert split_list("  anna@example.org  ") == ["anna@example.org"]
    assert split_list("wedding,,family,") == ["wedding", "family"]
    assert split_list("New York; Paris") == ["New York", "Paris"]


def test_amounts_are_read_exactly_or_refused():
    for typed, amount in (("19.90", "19.90"), (" 450 ", "450"), ("0", "0")):
        assert str(parse_amount(typed)) == amount, typed  # "19.90" keeps its trailing zero
    assert parse_amount("19,90", Separators(decimal=",", group=".")) == Decimal("19.90")
    assert parse_amount("") is parse_amount("   ") is None
    for typed in ("abc", "NaN", "sNaN", "inf", "-Infinity", "19,90,00", "€5"):
        with pytest.raises(ValueError):
            parse_amount(typed)


def test_optional_whole_numbers():
    assert parse_optional_int("") is parse_optional_int("  ") is None
    assert parse_optional_int("42") == 42
    assert parse_optional_int(" -3 ") == -3
    for typed in ("abc", "4.0", "4 2", "19x2"):
        with pytest.raises(ValueError):
            parse_optional_int(typed)


def is_real_date(day: int, month: int, year: int | None) -> bool:
    try:
        date(2000 if year is None else year, month, day)  # 2000 was a leap year
    except ValueError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(day=st.integers(-2, 33), month=st.integers(-1, 14), year=st.none() | st.integers(1, 9999))
@example(day=29, month=2, year=None)
@example(day=29, month=2, year=2023)
@example(day=29, month=2, year=1900)
@example(day=29, month=2, year=2000)
@example(day=31, month=12, year=9999)
@example(day=1, month=1, year=1)
def test_a_partial_date_is_accepted_exactly_when_it_is_a_real_date(day, month, year):
    assert (partial_date_error(day, month, year) is None) == is_real_date(day, month, year)


def test_a_year_outside_1_to_9999_is_refused():
    for year in (0, -1, 10000):
        assert "between 1 and 9999" in partial_date_error(1, 1, year), year


def test_an_age_counts_up_on_the_birthday_itself_and_not_before():
    assert years_since(1990, 11, 24, date(2026, 11, 24)) == 36
    assert years_since(1990, 11, 25, date(2026, 11, 24)) == 35
    assert years_since(None, 11, 24, date(2026, 11, 24)) is None


def test_a_leap_day_birthday_counts_up_on_the_day_the_leap_day_rule_celebrates_it():
    """As the reminders do (one age everywhere): on 28 February by default, or 1 March."""
    assert years_since(1992, 2, 29, date(2027, 2, 27)) == 34
    assert years_since(1992, 2, 29, date(2027, 2, 28)) == 35
    assert years_since(1992, 2, 29, date(2027, 2, 28), "mar1") == 34
    assert years_since(1992, 2, 29, date(2027, 3, 1), "mar1") == 35
    assert years_since(1992, 2, 29, date(2028, 2, 28)) == 35  # a leap year: the 29th
    assert years_since(1992, 2, 29, date(2028, 2, 29)) == 36


def test_ordinals():
    expected = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th"}
    expected |= {21: "21st", 22: "22nd", 101: "101st", 111: "111th", 112: "112th"}
    assert {number: ordinal(number) for number in expected} == expected
