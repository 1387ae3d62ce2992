"""Mail headers as they come in the wild, read the one way Rapport reads them: encoded
words, several addresses, no Date, a folded or missing Message-ID, raw 8-bit text."""

from __future__ import annotations

import email.utils
import io
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.capture.imap import (
    FetchedHeader,
    Folder,
    display_name,
    internal_date,
    read_response,
    sequence_set,
    server_address,
)
from models.capture.mail import one_year_back, read_further
from models.capture.mail_headers import (
    _BYTES_ADDRESS,
    Address,
    addresses,
    decoded,
    history_summary,
    instant,
    library_decoded,
    mentions,
    name_parts,
    parse_header,
    tidied,
)
from models.capture.mail_setup import sent_folder

RECEIVED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_encoded_words_in_names_and_subjects_are_read():
    header = parse_header(
        b"From: =?utf-8?q?J=C3=B6rg_=C3=96rtmann?= <Joerg@Firma.Example>\r\n"
        b"Subject: =?utf-8?q?Re=3A_Gr=C3=BC=C3=9Fe?=\r\n =?iso-8859-1?q?_aus_K=F6ln?=\r\n\r\n",
        RECEIVED,
    )
    assert header.senders == (Address("joerg@firma.example", "Jörg Örtmann"),)
    assert header.subject == "Re: Grüße aus Köln"


def test_several_addresses_count_once_each_with_cc():
    header = parse_header(
        b'To: "Meyer, Anna" <anna@meyer.example>, tom@meyer.example,\r\n'
        b" ANNA@meyer.example\r\nCc: Jens <jens@ortmann.example>, not an address\r\n\r\n"
    )
    assert [a.address for a in header.recipients] == [
        "anna@meyer.example",
        "tom@meyer.example",
        "jens@ortmann.example",
    ]


def test_a_missing_unreadable_or_far_future_date_is_the_server_s_time():
    unusable = (b"", b"Date: the day after tomorrow\r\n", b"Date: 1 Jan 2099 10:00 +0000\r\n")
    for date_line in unusable:
        assert parse_header(date_line + b"Subject: x\r\n\r\n", RECEIVED).sent_at == RECEIVED
    dated = parse_header(b"Date: Fri, 20 Nov 2026 10:00:00 +0100\r\n\r\n", RECEIVED)
    assert dated.sent_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_a_folded_message_id_is_unfolded_and_a_missing_one_is_derived_the_same_everywhere():
    folded = parse_header(b"Message-ID:\r\n <proofs-1@meyer.example>\r\n\r\n")
    assert folded.message_id == "proofs-1@meyer.example"
    one = parse_header(b"From: a@b.example\r\nSubject: Quick\r\n question\r\n\r\n")
    other = parse_header(b"Subject: Quick question\r\nFrom: a@b.example\r\n\r\n")
    assert one.message_id == other.message_id and one.message_id.startswith("derived:")
    assert one.message_id != parse_header(b"From: a@b.example\r\nSubject: Other\r\n\r\n").message_id


def test_raw_8bit_headers_are_read_as_utf8_or_latin1():
    assert parse_header("Subject: Grüße =?utf-8?q?und_mehr?=\r\n\r\n".encode()).subject == (
        "Grüße und mehr"
    )
    assert parse_header("Subject: Grüße\r\n\r\n".encode("latin-1")).subject == "Grüße"
    control = parse_header(b"Subject: =?utf-8?q?a=1B[31mb=0Ac?=\r\n\r\n").subject
    assert control == "a[31mb c"


def test_history_lines_and_lead_names():
    assert history_summary(False, "Re: album proofs") == "Email received: Re: album proofs"
    assert history_summary(True, "") == "Email sent: (no subject)"
    assert len(history_summary(True, "x" * 5000)) < 220
    assert name_parts(Address("lea@b.example", "Brandt, Lea")) == ("Lea", "Brandt")
    assert name_parts(Address("lea.brandt@b.example", "")) == ("lea.brandt", "")


def test_what_the_server_sends_back_is_read_whatever_the_order():
    answer = io.BytesIO(
        b'* 1 FETCH (INTERNALDATE "25-Nov-2026 09:00:00 +0100" BODY[HEADER.FIELDS (FROM)] {9}\r\n'
        b"From: x\r\n UID 17)\r\n"
        b"* 4 EXISTS\r\n"
        b"* 2 FETCH (UID 18 BODY[HEADER.FIELDS (FROM)] {9}\r\nFrom: y\r\n)\r\n"
        b"* 3 FETCH (UID 19 FLAGS (\\Seen))\r\n"
        b"A7 OK Fetch completed.\r\n"
    )  # fmt: skip
    fetched: list = []
    answered: dict[bytes, bytes] = {}
    while not answered:
        read_response(answer, fetched, answered)
    assert answered == {b"A7": b"OK Fetch completed."}
    first, second = fetched
    assert (first.uid, first.received_at, first.raw) == (17, RECEIVED, b"From: x\r\n")
    assert (second.uid, second.received_at) == (18, None)
    assert internal_date(b'INTERNALDATE " 1-Feb-2026 00:30:00 -0130"') == datetime(
        2026, 2, 1, 2, 0, tzinfo=UTC
    )
    assert sequence_set([5, 1, 2, 3, 7, 8]) == "1:3,5,7:8"


def test_the_sent_folder_is_the_flagged_one_or_the_one_named():
    folders = [
        Folder("INBOX", frozenset()),
        Folder("Gesendete Objekte", frozenset({"\\sent"})),
        Folder("Entw&APw-rfe", frozenset()),
    ]
    assert sent_folder(folders) == "Gesendete Objekte"
    assert sent_folder(folders, "Entwürfe") == "Entw&APw-rfe"
    assert display_name("Entw&APw-rfe") == "Entwürfe"
    assert sent_folder(folders[:1]) is None


def test_addresses_and_the_default_start_day():
    assert server_address("imaps://mail.example.org").port == 993
    plain = server_address("imap://mail.example.org:1143")
    assert (plain.port, plain.starttls) == (1143, True)
    assert one_year_back(datetime(2028, 2, 29).date()) == datetime(2027, 2, 28).date()


# Encoded words as found in names and subjects: the fast reading of one Q-encoded word
# must give exactly what the standard library's decode_header gives.
TRICKY_VALUES = [
    "=?utf-8?q?J=C3=B6rg_=C3=96rtmann?=",
    "=?UTF-8?Q?Re=3A_Gr=C3=BC=C3=9Fe?=",
    "=?iso-8859-1?q?_aus_K=F6ln?=",
    "=?utf-8?q?Re=3A_Gr=C3=BC=C3=9Fe?=\r\n =?iso-8859-1?q?_aus_K=F6ln?=",
    "=?x-unknown?q?caf=C3=A9?=",
    "=?utf-8?q?broken=C3?=",
    "=?utf-8?q?ends_with=?=",
    "=?utf-8?q?lower=c3=a9?=",
    "=?utf-8*en?q?with_language?=",
    "=?utf-8?b?SsO2cmc=?=",
    "=?rot13?q?not_text?=",
    "=?utf-8?q??=",
    "plain =?utf-8?q?J=C3=B6rg?= around",
]
_Q_TEXT = st.lists(
    st.one_of(
        st.sampled_from("!\"#$%&'()*+,-./0123456789:;<>@ABCXYZ[\\]^_`abcxyz{|}~= ?\t"),
        st.builds(lambda b: f"={b:02X}", st.integers(0, 255)),
        st.builds(lambda b: f"={b:02x}", st.integers(0, 255)),
    )
).map("".join)
_CHARSETS = st.sampled_from(["utf-8", "UTF-8", "iso-8859-1", "windows-1252", "koi8-r", "x-no"])


@pytest.mark.parametrize("value", TRICKY_VALUES)
def test_encoded_words_read_fast_are_read_as_the_email_library_reads_them(value):
    assert decoded(value) == tidied(library_decoded(value))


@settings(max_examples=300, deadline=None)
@given(charset=_CHARSETS, encoding=st.sampled_from("qQ"), text=_Q_TEXT)
def test_any_q_encoded_word_is_read_as_the_email_library_reads_it(charset, encoding, text):
    value = f"=?{charset}?{encoding}?{text}?="
    assert decoded(value) == tidied(library_decoded(value))


def library_addresses(values: list[str]) -> tuple[Address, ...]:
    """What the standard library alone reads in these fields: the reference."""
    seen: dict[str, Address] = {}
    for name, address in email.utils.getaddresses(values):
        address = address.strip().lower()
        if "@" in address and address not in seen:
            seen[address] = Address(address, tidied(library_decoded(name)))
    return tuple(seen.values())


_WORDS = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z0-9.'-]{1,8}", fullmatch=True),
        st.builds(
            lambda text: f"=?utf-8?q?{text}?=",
            st.from_regex(r"(?:[A-Za-z_]|=C3=[89AB][0-9A-F])+", fullmatch=True),
        ),
    ),
    min_size=0,
    max_size=3,
).map(" ".join)
_MAILBOXES = st.builds(
    lambda name, local, domain, bracket: (
        f"{name} <{local}@{domain}>" if bracket or name else f"{local}@{domain}"
    ),
    _WORDS,
    # International addresses too (RFC 6532: raw UTF-8), as jörg@müller.example
    st.from_regex(r"[A-Za-z0-9._+äöÖßéİ-]{1,10}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9äüÜ-]{1,8}\.[a-z]{2,4}", fullmatch=True),
    st.booleans(),
)


@pytest.mark.parametrize(
    "values",
    [
        ["=?utf-8?q?J=C3=B6rg_=C3=96rtmann?= <Joerg@Firma.Example>"],
        ['"Meyer, Anna" <anna@meyer.example>, tom@meyer.example,', "Anna <ANNA@meyer.example>"],
        ["Lea (Studio) <lea@x.example>; undisclosed-recipients:;"],
        ["anna@meyer.example, tom@meyer.example", "lena@lens.example"],
        ["Jörg Müller <joerg@x.example>"],
    ],
)
def test_addresses_read_fast_are_read_as_the_email_library_reads_them(values):
    assert addresses(values) == library_addresses(values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_MAILBOXES, min_size=1, max_size=3).map(", ".join), max_size=3))
def test_any_list_of_addresses_is_read_as_the_email_library_reads_it(values):
    assert addresses(values) == library_addresses(values)


# The plain address pattern, without the look-behind that makes _BYTES_ADDRESS fast.
_PLAIN_ADDRESS = re.compile(rb"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab.@<> ,;:"()[]\t\r\n=?_', max_size=30).map(str.encode))
def test_addresses_in_bytes_are_found_as_the_plain_pattern_finds_them(text):
    assert _BYTES_ADDRESS.findall(text) == _PLAIN_ADDRESS.findall(text)


@settings(max_examples=200, deadline=None)
@given(
    mailboxes=st.lists(_MAILBOXES, min_size=1, max_size=3),
    field=st.sampled_from(["From", "FROM", "from ", "fRoM"]),
    first=st.booleans(),
    folded=st.booleans(),
)
def test_the_quick_look_finds_every_sender_the_full_reading_finds(mailboxes, field, first, folded):
    value = (",\r\n " if folded else ", ").join(mailboxes)
    lines = [f"{field}: {value}", "To: Lena <studio@lens.example>", "Subject: x"]
    raw = "\r\n".join(lines if first else lines[::-1]).encode() + b"\r\n"
    senders = parse_header(raw).senders
    assert senders and all(mentions(raw, (b"from",), {a.address}) for a in senders)
    assert not mentions(raw, (b"from",), {"studio@lens.example"})


@settings(max_examples=200, deadline=None)
@given(
    to=st.lists(_MAILBOXES, min_size=1, max_size=2),
    cc=st.lists(_MAILBOXES, max_size=2),
    folded=st.booleans(),
)
def test_the_quick_look_finds_every_recipient_the_full_reading_finds(to, cc, folded):
    join = ",\r\n " if folded else ", "
    lines = ["From: Lena <studio@lens.example>", f"To: {join.join(to)}", "Subject: x"]
    lines += [f"CC: {join.join(cc)}"] if cc else []
    raw = "\r\n".join(lines).encode() + b"\r\n"
    recipients = parse_header(raw).recipients
    assert recipients and all(mentions(raw, (b"to", b"cc"), {a.address}) for a in recipients)
    assert not mentions(raw, (b"to", b"cc"), {"studio@lens.example"})


LEADS_FROM = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    received=st.datetimes(datetime(2026, 11, 20), datetime(2026, 12, 5)),
    sent=st.one_of(st.none(), st.datetimes(datetime(2026, 11, 15), datetime(2026, 12, 10))),
    zone=st.sampled_from(["+0000", "-1100", "+1400", "+0530"]),
)
def test_sent_mail_passed_over_unread_could_never_be_offered_as_leads(received, sent, zone):
    """The owner's mail to strangers is read whole only from a day on: what is passed over
    by its INTERNALDATE alone would read as older than that day, whatever its Date says."""
    lines = ["From: studio@lens.example", "To: Lea <lea@brandt.example>"]
    lines += [f"Date: {sent:%a, %d %b %Y %H:%M:%S} {zone}"] if sent else []
    raw = "\r\n".join(lines).encode() + b"\r\n"
    prefix = f'UID 7 INTERNALDATE "{received:%d-%b-%Y %H:%M:%S} +0000"'.encode()
    header = FetchedHeader(7, prefix, raw)
    read = read_further([header], True, {}, LEADS_FROM)
    offered = parse_header(raw, header.received_at).sent_at >= LEADS_FROM
    leads = [message.offers_leads for message in read]
    assert leads == ([True] if offered else [False] * len(read))


@pytest.mark.parametrize("zone", ["+0000", "-0000", "+0100", "-0530", "+1400"])
def test_a_time_in_any_zone_is_read_as_the_email_library_reads_it(zone):
    text = f"Wed, 02 Dec 2026 17:30:05 {zone}"
    expected = email.utils.parsedate_to_datetime(text).astimezone(UTC)
    assert instant("02", "Dec", "2026", "17", "30", "05", zone) == expected
    assert instant("02", "Dec", "2026", "17", "30", "05", zone).utcoffset().total_seconds() == 0
