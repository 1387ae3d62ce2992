"""An email address is never read as more than an address: the mailto: link is built in
one place, quoted, and an import keeps only real addresses (a bad one costs itself)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from models.clients import contact_values
from models.entities import Client, ContactDetail
from models.importing.apply import apply_import
from models.importing.plan import plan_import
from models.importing.records import ImportRecord, ReadResult
from models.importing.vcard_reader import read_vcards
from models.templates import mailto_url

HOSTILE = "victim@example.org?attach=/etc/passwd"


def test_an_address_in_a_mailto_link_is_only_an_address():
    url = QUrl(mailto_url(HOSTILE), QUrl.ParsingMode.TolerantMode)
    assert (url.scheme(), url.path(), url.query()) == ("mailto", HOSTILE, "")
    assert not url.hasQuery()


class MailProgram(QObject):
    """Stands in for the desktop's mail program: records the links it is asked to open."""

    def __init__(self):
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_the_email_button_on_the_client_header_hands_over_only_the_address(open_window, database):
    # An address stored before imports checked them, by an older Rapport.
    anna = Client.create(first_name="Anna")
    ContactDetail.create(client=anna, kind="email", label="", value=HOSTILE, position=0)
    mail = MailProgram()
    QDesktopServices.setUrlHandler("mailto", mail, "open")
    try:
        window = open_window()
        window.client_list.select_client(anna.id)
        button = next(
            b for b in window.page.header.findChildren(QPushButton, "contact") if "@" in b.text()
        )
        button.click()
    finally:
        QDesktopServices.unsetUrlHandler("mailto")
    assert len(mail.opened) == 1
    assert (mail.opened[0].path(), mail.opened[0].hasQuery()) == (HOSTILE, False)


VCARD = b"""BEGIN:VCARD
VERSION:3.0
N:Berger;Anna;;;
FN:Anna Berger
EMAIL;TYPE=HOME:victim@example.org?attach=/etc/passwd
EMAIL;TYPE=WORK:"Anna Berger" <anna@example.org>
TEL;TYPE=CELL:call me maybe
TEL;TYPE=HOME:+49 171 5550101
END:VCARD
"""


def test_an_import_drops_an_address_that_is_none_and_says_so_but_keeps_the_person(database):
    plan = plan_import(read_vcards(VCARD))
    assert plan.rejected == []
    (planned,) = plan.records
    assert planned.record.emails == [("work", "anna@example.org")]
    assert planned.record.phones == [("home", "+49 171 5550101")]
    assert planned.left_out == (
        f"{HOSTILE!r} is not an email address.",
        "'call me maybe' is not a phone number.",
    )
    assert planned.summary == (
        "Anna Berger — 1 email, 1 phone; left out: "
        f"{HOSTILE!r} is not an email address. 'call me maybe' is not a phone number."
    )
    outcome = apply_import(plan)
    (client_id,) = outcome.added
    assert contact_values(client_id, "email") == ["anna@example.org"]


def test_a_named_address_is_cleaned_to_the_address(database):
    record = ImportRecord(
        3, "Jens", emails=[("", "Jens <jens@example.org>"), ("", " <j@example.de> ")]
    )
    (planned,) = plan_import(ReadResult([record])).records
    assert planned.record.emails == [("", "jens@example.org"), ("", "j@example.de")]
    assert planned.left_out == ()
