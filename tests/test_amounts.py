"""Money is never misread: amounts are read in the user's locale, an amount that could be
read two ways is refused with the reason, and the dialog shows what will be saved."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from models.clients.entries import interaction_form, save_interaction
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm, InteractionForm
from models.store.entities import Interaction
from models.values.amounts import AmountError, Separators, format_amount, parse_amount, typed_amount
from ui.dialogs.interaction_dialog import InteractionDialog
from ui.formatting import locale_separators

EN_US = Separators(".", ",")
DE_DE = Separators(",", ".")
DE_CH = Separators(".", "\u2019")  # the typographic apostrophe, as Qt's CLDR data has it
FR_FR = Separators(",", "\u202f")  # a narrow no-break space, as Qt has it

READ = [
    (EN_US, "2,400", "2400"),
    (EN_US, "2,400.50", "2400.50"),
    (EN_US, "1,234,567.5", "1234567.5"),
    (EN_US, "19.90", "19.90"),
    (EN_US, " 450 ", "450"),
    (EN_US, "0.001", "0.001"),
    (DE_DE, "2.400", "2400"),
    (DE_DE, "2.400,50", "2400.50"),
    (DE_DE, "19,90", "19.90"),
    (DE_CH, "2'400.50", "2400.50"),
    (DE_CH, "2\u2019400.50", "2400.50"),
    (DE_CH, "2400.50", "2400.50"),
    (FR_FR, "2 400,50", "2400.50"),
    (FR_FR, "2\u00a0400,50", "2400.50"),
    (FR_FR, "2\u202f400,50", "2400.50"),
    (FR_FR, "0,5", "0.5"),
]


@pytest.mark.parametrize(("separators", "typed", "saved"), READ)
def test_an_amount_is_read_as_the_locale_writes_it(separators, typed, saved):
    assert str(parse_amount(typed, separators)) == saved


REFUSED = [
    # The comma groups thousands here: "19,90" is a decimal typed the other way round.
    (EN_US, "19,90", "'.' before the cents, ',' between thousands, as in 2,400.50"),
    (EN_US, "2.400", "could be read as 2,400.00 or as 2.40"),
    (EN_US, "2 400", "is not an amount as written here"),
    (DE_DE, "2,400", "could be read as 2.400,00 or as 2,40"),
    (DE_DE, "2.40", "',' before the cents, '.' between thousands, as in 2.400,50"),
    (DE_DE, "2,400.50", "is not an amount as written here"),
    (DE_CH, "2,400", "an apostrophe between thousands, as in 2\u2019400.50"),
    (DE_CH, "2.400", "could be read as 2\u2019400.00 or as 2.40"),
    (FR_FR, "2.50", "',' before the cents, a space between thousands, as in 2\u202f400,50"),
    (FR_FR, "2,400", "could be read as"),
    (EN_US, "0,001", "is not an amount"),
    (EN_US, "1,2345", "is not an amount"),
    (EN_US, "NaN", "is not an amount"),
    (EN_US, "inf", "is not an amount"),
    (EN_US, "€5", "is not an amount"),
    (EN_US, "1.2.3", "is not an amount"),
    (EN_US, "-", "is not an amount"),
    (EN_US, "\u0663", "is not an amount"),  # an Arabic-Indic three
]


@pytest.mark.parametrize(("separators", "typed", "why"), REFUSED)
def test_an_amount_that_could_be_misread_is_refused_with_the_reason(separators, typed, why):
    with pytest.raises(AmountError) as error:
        parse_amount(typed, separators)
    assert why in str(error.value)
    assert repr(typed) in str(error.value)


def test_amounts_are_shown_grouped_with_every_decimal_they_have():
    assert format_amount(Decimal("2400"), EN_US) == "2,400.00"
    assert format_amount(Decimal("2400.5"), DE_DE) == "2.400,50"
    assert format_amount(Decimal("2400.5"), DE_CH) == "2\u2019400.50"
    assert format_amount(Decimal("1234567.5"), FR_FR) == "1\u202f234\u202f567,50"
    assert format_amount(Decimal("19.999"), EN_US) == "19.999"  # exactly what is saved


@pytest.mark.parametrize("separators", [EN_US, DE_DE, DE_CH, FR_FR])
@pytest.mark.parametrize("amount", ["2400", "2400.50", "19.999", "0.001", "1234567.891", "7"])
def test_an_amount_being_edited_reads_back_as_the_same_amount(separators, amount):
    assert parse_amount(typed_amount(Decimal(amount), separators), separators) == Decimal(amount)


def wedding_fee(amount: str) -> InteractionForm:
    return InteractionForm(
        "session", datetime(2026, 6, 1, tzinfo=UTC), "Wedding", amount=amount, currency="EUR"
    )


def test_an_edited_interaction_shows_its_amount_in_the_locale(database):
    anna = save_client(ClientForm(first_name="Anna"))
    row = save_interaction(wedding_fee("2400.5"), anna.id)
    assert interaction_form(row, DE_DE).amount == "2.400,5"


def type_into(widget, text: str) -> None:
    """Type `text` key by key; QTest.keyClicks aborts on a character beyond Latin-1."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)


@pytest.mark.parametrize(
    ("name", "typed", "shown"),
    [
        ("en_US", "2,400", "= 2,400.00 EUR"),
        ("de_DE", "2.400,50", "= 2.400,50 EUR"),
        ("de_CH", "2'400.50", "= 2\u2019400.50 EUR"),
        ("de_CH", "2\u2019400.50", "= 2\u2019400.50 EUR"),
        ("fr_FR", "2\u00a0400,50", "= 2\u202f400,50 EUR"),
        ("fr_FR", "2\u202f400,50", "= 2\u202f400,50 EUR"),
    ],
)
def test_the_dialog_reads_the_fee_in_the_locale_and_shows_what_it_will_save(
    qtbot, database, locale, name, typed, shown
):
    locale(name)
    group = QLocale().groupSeparator()
    shown = shown.replace("\u2019", group).replace("\u202f", group)  # as this Qt writes it
    anna = save_client(ClientForm(first_name="Anna"))
    dialog = InteractionDialog(anna.id, now=datetime(2026, 6, 12, 15, tzinfo=UTC))
    qtbot.addWidget(dialog)
    dialog.summary.setText("Wedding")
    type_into(dialog.amount, typed)
    assert dialog.amount_shown.text() == shown
    assert not dialog.amount_problem.isVisibleTo(dialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert Interaction.get().amount == parse_amount(typed, locale_separators())
    assert Interaction.get().amount >= 2400


@pytest.mark.parametrize(("name", "typed"), [("de_DE", "2,400"), ("en_US", "2.400")])
def test_the_dialog_refuses_an_amount_it_could_misread_and_says_why(
    qtbot, database, locale, name, typed
):
    locale(name)
    anna = save_client(ClientForm(first_name="Anna"))
    dialog = InteractionDialog(anna.id, now=datetime(2026, 6, 12, 15, tzinfo=UTC))
    qtbot.addWidget(dialog)
    dialog.summary.setText("Wedding")
    type_into(dialog.amount, typed)
    assert dialog.amount_shown.text() == ""
    assert "could be read as" in dialog.amount_problem.text()
    assert dialog.amount_problem.isVisibleTo(dialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "could be read as" in dialog.error_label.text()
    assert dialog.amount.property("invalid") is True
    assert Interaction.select().count() == 0


def test_editing_an_interaction_in_german_saves_the_same_amount(qtbot, database, locale):
    locale("de_DE")
    anna = save_client(ClientForm(first_name="Anna"))
    row = save_interaction(wedding_fee("2400.5"), anna.id)
    dialog = InteractionDialog(anna.id, row.occurred_at, interaction=row)
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == "2.400,5"
    assert dialog.amount_shown.text() == "= 2.400,50 EUR"
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert Interaction.get().amount == Decimal("2400.5")
