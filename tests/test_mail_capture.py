"""Mail capture against a real Dovecot on 127.0.0.1 with a certificate the test made:
mail with clients becomes their history once, whatever happens to the connection, the
server or the process; nothing on the server changes; failures are sentences."""

from __future__ import annotations

import imaplib
import threading
import time
from contextlib import closing
from datetime import UTC, datetime

import pytest

from models.accounts.runs import run_jobs, set_up_account
from models.accounts.store import Account, AccountError, set_options, statuses
from models.capture.imap import MailError, logged_in
from models.capture.mail_headers import parse_header
from models.capture.mail_store import (
    MailFolder,
    MailStranger,
    add_as_leads,
    captured_interactions,
    dismiss_strangers,
    strangers_this_month,
)
from models.clients.entries import delete_entry, history
from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.reminders.contact_rhythm import last_contact
from models.store.entities import CapturedMail, Client, Interaction
from tests.servers import MAIL_PASSWORD, MAIL_USER

NOW = datetime(2025, 12, 16, 12, 0, tzinfo=UTC)
SINCE = "2024-12-16"


def clock() -> datetime:
    return NOW


def mail(
    sender: str, to: str, subject: str, message_id: str | None, date: str | None, cc: str = ""
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    lines += [f"Cc: {cc}"] if cc else []
    lines += [f"Date: {date}"] if date else []
    lines += [f"Message-ID: {message_id}"] if message_id else []
    return ("\r\n".join(lines) + "\r\n\r\nThe body, which Rapport never reads.\r\n").encode()


STUDIO = "Lena Studio <studio@lens.example>"
PROOFS = mail(
    "Anna Meyer <anna@meyer.example>", STUDIO, "Re: album proofs", "<proofs-1@meyer.example>",
    "Fri, 20 Nov 2025 10:00:00 +0100",
)  # fmt: skip
GALLERY = mail(
    STUDIO, '"Anna Meyer" <anna@meyer.example>, Lea Brandt <lea@brandt.example>',
    "Your gallery is ready", "<gallery-7@lens.example>", "Wed, 02 Dec 2025 17:30:00 +0100",
    cc="jens@ortmann.example",
)  # fmt: skip
ODD = (
    b"From: =?utf-8?q?Jens_=C3=96rtmann?= <JENS.WORK@firma.example>\r\n"
    b"To: studio@lens.example\r\n"
    b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n"
    b"Message-ID:\r\n <koeln-3@firma.example>\r\n\r\nHallo\r\n"
)  # no Date: the server's time
NO_ID = mail(
    "anna@meyer.example", STUDIO, "Quick question", None, "Sat, 05 Dec 2025 08:00:00 +0000"
)
NEWSLETTER = mail(
    "Shop <news@shop.example>", STUDIO, "50% off", "<n1@shop.example>",
    "Sun, 06 Dec 2025 06:00:00 +0000",
)  # fmt: skip
TO_MAX = mail(
    STUDIO, "Max Weber <max@weber.example>", "Your quote", "<q1@lens.example>",
    "Thu, 10 Dec 2025 09:00:00 +0000",
)  # fmt: skip
TO_KAI = mail(
    STUDIO, "kai@x.example", "October", "<o1@lens.example>", "Mon, 12 Oct 2025 09:00:00 +0000"
)
TOO_OLD = mail(
    "anna@meyer.example", STUDIO, "Last year", "<old@meyer.example>",
    "Sun, 01 Jun 2024 09:00:00 +0000",
)  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def fill(dovecot) -> None:
    dovecot.append("INBOX", PROOFS, when=at("2025-11-20 09:01"))
    dovecot.append("INBOX", PROOFS, when=at("2025-11-20 09:02"))  # delivered twice
    dovecot.append("INBOX", ODD, when=at("2025-11-25 08:00"))
    dovecot.append("INBOX", NO_ID, NEWSLETTER, when=at("2025-12-06 08:00"))
    dovecot.append("INBOX", TOO_OLD, when=at("2024-06-01 09:00"))
    dovecot.append("INBOX", GALLERY, when=at("2025-12-02 16:31"))  # a copy to self
    dovecot.append("Sent", GALLERY, when=at("2025-12-02 16:30"))
    dovecot.append("Sent", TO_MAX, TO_KAI, when=at("2025-12-10 09:00"))


def client(first: str, last: str, emails: str) -> Client:
    return save_client(ClientForm(first_name=first, last_name=last, emails=emails))


@pytest.fixture
def clients(database):
    return {
        "anna": client("Anna", "Meyer", "anna@meyer.example"),
        "jens": client("Jens", "Ortmann", "jens@ortmann.example, jens.work@firma.example"),
    }


@pytest.fixture
def account(database, secret_service, dovecot):
    added, chosen = set_up_account(
        dovecot.url(), MAIL_USER, MAIL_PASSWORD, clock,
        {"trust_certificate": str(dovecot.certificate), "mail_since": SINCE},
    )  # fmt: skip
    assert chosen == [
        "Mail: the headers of the inbox and 'Sent' from 16 Dec 2024; never a message's text."
    ]
    return added


def capture() -> list:
    return run_jobs("capture", clock)


def lines(person: Client) -> list[tuple[str, datetime]]:
    return [(row.summary, row.occurred_at) for row in history(person.id)]


ANNA = [
    ("Email received: Quick question", at("2025-12-05 08:00")),
    ("Email sent: Your gallery is ready", at("2025-12-02 16:30")),
    ("Email received: Re: album proofs", at("2025-11-20 09:00")),
]
JENS = [
    ("Email sent: Your gallery is ready", at("2025-12-02 16:30")),
    ("Email received: Grüße aus Köln", at("2025-11-25 08:00")),
]


def test_mail_with_clients_becomes_their_history_once(clients, account, dovecot):
    fill(dovecot)
    (result,) = capture()
    assert result.report.summary == "5 new in history · 4 messages with people not in Rapport."
    assert lines(clients["anna"]) == ANNA
    assert lines(clients["jens"]) == JENS
    assert {row.kind for row in Interaction.select()} == {"email"}
    # Exactly like a logged email: the check-in counts from it.
    assert last_contact(clients["anna"].id) == at("2025-12-05 08:00")
    # Nothing new, nothing twice; the positions are kept per folder.
    (again,) = capture()
    assert again.report.summary == "Nothing new in history."
    assert Interaction.select().count() == 5
    positions = {row.name: row.next_uid for row in MailFolder.select()}
    assert positions == {"INBOX": 8, "Sent": 4}
    assert statuses(account)["mail"].summary == "Nothing new in history."


def test_reading_changes_nothing_on_the_server(clients, account, dovecot):
    fill(dovecot)
    capture()
    connection = dovecot.admin()
    connection.select("INBOX", readonly=True)
    status, flags = connection.fetch("1:*", "(FLAGS)")
    connection.logout()
    assert status == "OK" and len(flags) == 7
    assert not any(b"\\Seen" in line for line in flags)


def test_a_removed_message_stays_removed_and_history_can_tell_captured_mail(
    clients, account, dovecot
):
    fill(dovecot)
    capture()
    anna = clients["anna"]
    captured = captured_interactions(anna.id)
    assert len(captured) == 3
    proofs = next(row for row in history(anna.id) if "album proofs" in row.summary)
    delete_entry(Interaction, proofs.id)
    # Seen again after the server renumbered the folder: still removed.
    MailFolder.delete().execute()
    capture()
    assert [summary for summary, _ in lines(anna)] == [s for s, _ in ANNA if "proofs" not in s]
    assert CapturedMail.get(message_id="proofs-1@meyer.example").interaction is None


def test_a_renumbered_folder_is_read_again_without_duplicates(clients, account, dovecot):
    fill(dovecot)
    capture()
    before = {row.name: row.uidvalidity for row in MailFolder.select()}
    dovecot.run("DELETE", "Sent")
    dovecot.run("CREATE", "Sent")
    dovecot.append("Sent", GALLERY, TO_MAX, when=at("2025-12-02 16:30"))
    prints = mail(
        STUDIO, "anna@meyer.example", "Prints", "<p9@lens.example>",
        "Mon, 14 Dec 2025 10:00:00 +0000",
    )  # fmt: skip
    dovecot.append("Sent", prints, when=at("2025-12-14 10:00"))
    (result,) = capture()
    after = {row.name: row.uidvalidity for row in MailFolder.select()}
    assert after["Sent"] != before["Sent"] and after["INBOX"] == before["INBOX"]
    assert result.report.summary.startswith("1 new in history")
    assert lines(clients["anna"])[0] == ("Email sent: Prints", at("2025-12-14 10:00"))
    assert Interaction.select().count() == 6


def test_people_written_to_are_offered_as_leads_never_added_on_their_own(clients, account, dovecot):
    fill(dovecot)
    capture()
    assert Client.select().count() == 2
    offered = strangers_this_month(NOW)
    assert [(row.address, row.name) for row in offered] == [
        ("max@weber.example", "Max Weber"),
        ("lea@brandt.example", "Lea Brandt"),
    ]  # not Kai (October), not the owner, not the newsletter they never wrote to
    dismiss_strangers(["max@weber.example"])
    (lea,) = add_as_leads(["lea@brandt.example"])
    assert (lea.full_name, lea.stage) == ("Lea Brandt", "lead")
    assert strangers_this_month(NOW) == []
    capture()
    assert strangers_this_month(NOW) == []
    assert MailStranger.get_by_id("max@weber.example").dismissed


def test_strangers_in_last_months_mail_are_not_kept_its_clients_are(clients, account, dovecot):
    """Only this month's people are ever offered: a first scan keeps no one it could never
    offer (and reads the rest of a year of sent mail no further than its recipients)."""
    november = mail(
        STUDIO, "Tom Frei <tom@frei.example>", "Dates", "<d1@lens.example>",
        "Tue, 10 Nov 2025 09:00:00 +0000", cc="anna@meyer.example",
    )  # fmt: skip
    quote = mail(STUDIO, "ute@berg.example", "Quote", "<d2@lens.example>", None)
    dovecot.append("Sent", november, quote, when=at("2025-11-10 09:00"))
    dovecot.append("Sent", TO_MAX, when=at("2025-12-10 09:00"))
    (result,) = capture()
    assert result.report.summary == "1 new in history · 2 messages with people not in Rapport."
    assert lines(clients["anna"]) == [("Email sent: Dates", at("2025-11-10 09:00"))]
    assert [row.address for row in MailStranger.select()] == ["max@weber.example"]


def test_a_first_scan_shows_progress_can_be_stopped_and_goes_on_later(clients, account, dovecot):
    many = [
        mail("anna@meyer.example", STUDIO, f"Note {n}", f"<n{n}@meyer.example>", None)
        for n in range(1200)
    ]
    dovecot.write_messages("INBOX", many, at("2025-12-01 10:00"))
    seen = []

    def stopping() -> bool:
        return len(seen) >= 1

    (stopped,) = run_jobs("capture", clock, progress=lambda *p: seen.append(p), stopping=stopping)
    assert seen == [(500, 1200)]
    assert stopped.report.summary == ("Stopped after 500 of 1,200 messages; 500 new in history.")
    (rest,) = run_jobs("capture", clock, progress=lambda *p: seen.append(p))
    assert seen[1:] == [(500, 700), (700, 700)]
    assert rest.report.summary == "700 new in history."
    assert Interaction.select().count() == 1200


def test_headers_come_batch_by_batch_the_next_one_asked_for_ahead(dovecot):
    fill(dovecot)  # seven messages in the inbox
    certificate = dovecot.certificate.read_text()
    with logged_in(dovecot.url(), MAIL_USER, MAIL_PASSWORD, certificate) as server:
        server.examine("INBOX")
        batches = [[1, 2], [3, 4, 5], [6, 7]]
        with closing(server.headers(batches)) as answers:
            assert [header.uid for header in next(answers)] == [1, 2]
            # The second batch was asked for before the first was handed over; Dovecot
            # answers it before it ends the first, and each batch still gets its own.
            assert len(server.connection.tagged_commands) == 1
            assert [header.uid for header in next(answers)] == [3, 4, 5]
        # Stopped early: the third batch, asked for ahead, was read and let go, and the
        # connection goes on as before.
        assert server.connection.tagged_commands == {}
        (again,) = server.headers([[6, 7]])
        assert [header.uid for header in again] == [6, 7]
        assert parse_header(again[1].raw).message_id == "gallery-7@lens.example"
        # Mail that comes meanwhile is announced amid an answer (EXISTS, RECENT): passed
        # over, and read when asked for.
        dovecot.append("INBOX", TO_MAX, when=at("2025-12-10 09:00"))
        (announced,) = server.headers([[1, 2]])
        assert [header.uid for header in announced] == [1, 2]
        (new,) = server.headers([[8]])
        assert parse_header(new[0].raw).message_id == "q1@lens.example"
        # A FETCH the server refuses is a sentence, and the connection goes on.
        with pytest.raises(MailError, match=r"^127\.0\.0\.1 refused to FETCH \(Error in IMAP"):
            list(server.headers([[0]]))
        assert [header.uid for (batch,) in [server.headers([[3]])] for header in batch] == [3]


def test_a_server_stopped_mid_scan_is_a_sentence_and_the_next_run_goes_on(
    clients, account, dovecot
):
    many = [
        mail(STUDIO, "anna@meyer.example", f"Update {n}", f"<u{n}@lens.example>", None)
        for n in range(1200)
    ]
    dovecot.write_messages("Sent", many, at("2025-12-01 10:00"))

    def stop_server(done: int, total: int) -> None:
        if done == 500:
            dovecot.stop()

    (failed,) = run_jobs("capture", clock, progress=stop_server)
    assert failed.error.startswith(f"The connection to 127.0.0.1:{dovecot.imaps_port} was lost")
    assert "Rapport goes on from where it stopped next time" in failed.error
    # The next 500 were asked for before the server stopped: kept if their answer had
    # arrived by then (models/capture/imap.py fetches one batch ahead).
    kept = Interaction.select().count()
    assert kept in (500, 1000)
    (unreachable,) = capture()
    assert unreachable.error.startswith(f"The mail server 127.0.0.1:{dovecot.imaps_port} cannot")
    dovecot.start()
    (rest,) = capture()
    assert rest.report.summary == f"{1200 - kept} new in history."
    assert Interaction.select().count() == 1200


def test_a_sent_folder_that_vanished_is_said_and_the_inbox_still_read(clients, account, dovecot):
    fill(dovecot)
    dovecot.run("CREATE", "Gesendet")
    set_options(account, sent_folder="Gesendet")
    capture()
    dovecot.run("DELETE", "Gesendet")
    (result,) = capture()
    assert result.error.startswith("The folder 'Gesendet' is no longer on 127.0.0.1.")
    assert result.error.endswith(" Nothing new in history.")
    assert len(lines(clients["anna"])) == 2
    dovecot.append("INBOX", TO_MAX, when=at("2025-12-10 09:00"))
    (again,) = capture()
    assert again.error.endswith("Nothing new in history · 1 message with people not in Rapport.")


def test_wrong_password_no_server_and_an_untrusted_certificate_are_refused_in_words(
    database, secret_service, dovecot
):
    with pytest.raises(AccountError, match=r"refused the user name or password for 'studio'"):
        set_up_account(dovecot.url(), MAIL_USER, "wrong", clock,
                       {"trust_certificate": str(dovecot.certificate)})  # fmt: skip
    with pytest.raises(AccountError, match=r"certificate of 127\.0\.0\.1 was refused: self.signed"):
        set_up_account(dovecot.url(), MAIL_USER, MAIL_PASSWORD, clock)
    port = dovecot.imaps_port
    dovecot.stop()
    with pytest.raises(AccountError, match=rf"127.0.0.1:{port} cannot be reached \(nothing"):
        set_up_account(dovecot.url(), MAIL_USER, MAIL_PASSWORD, clock)
    assert Account.select().count() == 0


def test_starttls_is_used_and_a_server_without_it_is_refused(database, secret_service, dovecot):
    fill(dovecot)
    added, _ = set_up_account(
        dovecot.url("imap"), MAIL_USER, MAIL_PASSWORD, clock,
        {"trust_certificate": str(dovecot.certificate), "mail_since": SINCE},
    )  # fmt: skip
    assert added.url.startswith("imap://")
    client("Anna", "Meyer", "anna@meyer.example")
    (result,) = capture()
    assert result.report.summary.startswith("3 new in history")
    dovecot.restart_without_tls()
    (refused,) = capture()
    assert "does not offer encryption (STARTTLS)" in refused.error
    plain = imaplib.IMAP4("127.0.0.1", dovecot.imap_port)
    assert "STARTTLS" not in plain.capabilities
    plain.shutdown()


def _answer_of(server, wait) -> list:
    """What `wait` answered on a thread within 10 s; the connection is cut if it still
    waits then (its answer stays missing)."""
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(wait()), daemon=True)
    thread.start()
    for _ in range(100):
        if answers:
            break
        time.sleep(0.1)
    else:
        server.close_now()
    thread.join()
    return answers


def test_mail_that_came_between_two_waits_is_news_at_once(dovecot):
    certificate = dovecot.certificate.read_text()
    with logged_in(dovecot.url(), MAIL_USER, MAIL_PASSWORD, certificate) as server:
        server.watch_from("INBOX")
        dovecot.append("INBOX", PROOFS, when=at("2025-11-20 09:01"))  # no wait under way
        assert _answer_of(server, lambda: server.wait_for_mail("INBOX")) == [True]

        # Told once: the next wait waits, until it is ended. (No threading.Timer: its
        # timed wait never ends under libfaketime.)
        def end_soon() -> None:
            time.sleep(0.5)
            server.end_waiting()

        def wait_then_end() -> bool:
            threading.Thread(target=end_soon, daemon=True).start()
            return server.wait_for_mail("INBOX")

        assert _answer_of(server, wait_then_end) == [False]

        # Asked to end while no wait is under way (the 20-minute renewal between two
        # waits): the next wait ends as it begins, and the connection goes on.
        server.end_waiting()
        assert _answer_of(server, lambda: server.wait_for_mail("INBOX")) == [False]
        assert server.examine("INBOX").uidnext == 2


def test_new_mail_is_noticed_at_once_while_rapport_runs(qtbot, clients, account, dovecot):
    from scheduler.mail_watch import MailWatch

    watch = MailWatch()
    arrived = []
    watch.arrived.connect(arrived.append)
    watch.watch()
    qtbot.waitUntil(lambda: watch.watching == 1, timeout=10_000)
    time.sleep(0.3)  # the wait (IDLE) is under way
    dovecot.append("INBOX", PROOFS, when=at("2025-11-20 09:01"))
    qtbot.waitUntil(lambda: len(arrived) == 1, timeout=10_000)
    assert arrived[0].id == account.id
    watch._end_waits()  # as every 20 minutes: the wait starts anew, nothing is reported
    time.sleep(0.3)
    assert len(arrived) == 1
    dovecot.append("INBOX", NO_ID, when=at("2025-12-06 08:00"))
    qtbot.waitUntil(lambda: len(arrived) == 2, timeout=10_000)
    watch.stop()
    qtbot.waitUntil(lambda: watch.watching == 0, timeout=10_000)
