"""The Settings form (models/settings_form.py): what it refuses and why, and that it saves
every setting or none."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest

from models.amounts import Separators
from models.forms import ValidationError
from models.settings import get_setting, reminder_time
from models.settings_form import SettingsError, save_settings, settings_form

GERMAN = Separators(decimal=",", group=".")


def fields(form) -> list[str]:
    return [error.field for error in form.errors()]


def test_the_stored_settings_make_a_valid_form(database):
    form = settings_form()
    assert form.errors() == []
    assert (form.reminder_time, form.drifting_after_months) == (time(9), 12)
    assert form.notifications and not form.start_at_login


@pytest.mark.parametrize(
    ("typed", "field", "says"),
    [
        ({"promote_after_value": "lots"}, "promote_after_value", "For the lifetime value"),
        ({"promote_after_value": "0"}, "promote_after_value", "above 0"),
        ({"promote_after_value": "-5"}, "promote_after_value", "above 0"),
        ({"promote_after_bookings": 0}, "promote_after_bookings", "1 to 100 bookings"),
        ({"drifting_after_months": 121}, "drifting_after_months", "1 to 120 months"),
        ({"leap_day_rule": "feb30"}, "leap_day_rule", "29 February"),
        ({"calendar_file": "/no/such/folder/dates.ics"}, "calendar_file", "/no/such/folder"),
    ],
)
def test_a_wrong_value_is_named_and_nothing_is_saved(database, typed, field, says):
    form = replace(settings_form(), your_name="Lena Wolf", **typed)
    assert fields(form) == [field]
    with pytest.raises(ValidationError) as refused:
        save_settings(form)
    [problem] = refused.value.errors
    assert isinstance(problem, SettingsError) and says in problem.message
    assert problem.template.format(**dict(problem.values)) == problem.message
    assert get_setting("your_name") == ""  # nothing saved


def test_everything_is_saved_and_the_value_is_read_in_the_owners_locale(database, tmp_path):
    form = replace(
        settings_form(GERMAN),
        reminder_time=time(8, 30),
        leap_day_rule="mar1",
        start_at_login=True,
        promote_after_bookings=3,
        promote_after_value="2.400,50",
        drifting_after_months=18,
        your_name=" Lena\tWolf ",
        appearance="dark",
        calendar_file=str(tmp_path / "dates.ics"),
    )
    save_settings(form)
    assert reminder_time() == time(8, 30)
    assert get_setting("promote_after_value") == "2400.50"
    assert get_setting("your_name") == "Lena Wolf"
    assert get_setting("start_at_login") == "on"
    assert get_setting("calendar_file") == str(tmp_path / "dates.ics")
    again = settings_form(GERMAN)
    assert (again.promote_after_value, again.drifting_after_months) == ("2.400,50", 18)


def test_an_ambiguous_value_is_refused_not_guessed(database):
    form = replace(settings_form(GERMAN), promote_after_value="2,400")
    assert "could be read as" in form.errors()[0].message
