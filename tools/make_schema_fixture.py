"""Write tests/fixtures/schema_vN.sqlite: a database as version N of Rapport left it.

Run once when a migration is added (`.venv/bin/python tools/make_schema_fixture.py N`)
and commit the file. tests/test_migrations.py opens every fixture with the current
code, so a user's database from any earlier version keeps opening. Fixtures are
frozen like the migrations: the rows below are raw SQL for that version's schema.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.store.migrations import MIGRATIONS  # noqa: E402
from models.values.folding import fold  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"

# One of everything the version could store, with the awkward values: accents,
# markup in names, a leap-day birthday, a year left unknown, a cent amount.
ROWS = {
    1: (
        "INSERT INTO client (id, first_name, last_name, preferred_name, stage, where_from,"
        " keep_in_touch_days, created_at) VALUES (1, 'Zoë', 'Martin-Dubois', 'Zo',"
        " 'client', 'Lyon', 90, '2021-03-01 09:00:00')",
        "INSERT INTO client (id, first_name, last_name, stage, referred_by_id, created_at)"
        " VALUES (2, '<b>Tom</b>', 'O''Brien', 'lead', 1, '2024-02-29 23:30:00')",
        "INSERT INTO contact_detail (client_id, kind, value, position)"
        " VALUES (1, 'email', 'zoe@example.org', 0), (1, 'phone', '+49 151 1234567', 0)",
        "INSERT INTO tag (id, name) VALUES (1, 'wedding')",
        "INSERT INTO client_tag (client_id, tag_id) VALUES (1, 1)",
        "INSERT INTO interaction (client_id, kind, occurred_at, summary, body, amount, currency)"
        " VALUES (1, 'session', '2021-06-12 12:00:00', 'Wedding day', 'Rain, then sun', "
        " '2890.50', 'EUR'), (1, 'call', '2026-01-05 08:15:00', 'Catch-up', '', NULL, NULL)",
        "INSERT INTO note (client_id, text, pinned, created_at, updated_at)"
        " VALUES (1, 'Shy in front of the camera', 1, '2021-03-01 09:05:00',"
        " '2021-03-01 09:05:00')",
        "INSERT INTO family_member (id, client_id, name, relation, notes)"
        " VALUES (1, 1, 'Étienne', 'partner', '')",
        "INSERT INTO important_date (client_id, family_member_id, kind, month, day, year,"
        " label, lead_days) VALUES (1, NULL, 'wedding_anniversary', 6, 12, 2021, '', 7),"
        " (1, 1, 'birthday', 2, 29, 1992, '', 0), (1, NULL, 'birthday', 11, 3, NULL, '', 0)",
        "INSERT INTO setting (key, value) VALUES ('reminder_time', '09:00')",
    ),
}
ROWS[2] = (
    *ROWS[1],
    "INSERT INTO follow_up (client_id, title, due_at, done_at, created_at) VALUES"
    " (1, 'Deliver the gallery', '2026-03-29 00:30:00', NULL, '2026-03-01 10:00:00')",
    "INSERT INTO reminder_state (key, client_id, notified_at, snoozed_until, done_at) VALUES"
    " ('date:1:2026-06-12:notice', 1, '2026-06-05 07:00:00', NULL, '2026-06-05 08:00:00')",
)

ROWS[3] = (
    *ROWS[2],
    "INSERT INTO client (id, first_name, last_name, stage, created_at)"
    " VALUES (3, 'Élodie', 'Ångström', 'customer', '2026-11-24 10:00:00')",
)

ROWS[4] = (
    *ROWS[3],
    "UPDATE client SET promotion_declined_at = 2 WHERE id = 3",
)

ROWS[5] = (
    *ROWS[4],
    "INSERT INTO wish (client_id, text, wanted_by, follow_up_id, fulfilled_at, created_at)"
    " VALUES (1, 'Canvas print of the wedding photo', '2026-12-01', 1, NULL,"
    " '2026-11-25 10:00:00'), (1, 'Family shoot when the baby arrives', NULL, NULL, NULL,"
    " '2026-11-25 10:01:00')",
    # The smallest valid PNG (1x1, transparent).
    "INSERT INTO client_photo (client_id, image, updated_at) VALUES (1, X'89504E470D0A1A0A"
    "0000000D4948445200000001000000010806000000"
    "1F15C4890000000D49444154789C6300010000050001"
    "0D0A2DB40000000049454E44AE426082', '2026-11-25 10:02:00')",
)

# Version 6 changed no table, only what is folded: a name with letters it learnt.
ROWS[6] = (
    *ROWS[5],
    "INSERT INTO client (id, first_name, last_name, stage, created_at)"
    " VALUES (4, 'Bjørn', 'Østergaard', 'lead', '2026-12-06 10:00:00')",
)

# Version 7 gave every client a UID; one kept from an imported card.
ROWS[7] = (
    *ROWS[6],
    "INSERT INTO client (id, first_name, stage, created_at, uid)"
    " VALUES (5, 'Camille', 'lead', '2026-12-06 11:00:00', 'urn:uuid:kept-from-a-card')",
)

# Version 8 added accounts; their passwords were never in the database.
ROWS[8] = (
    *ROWS[7],
    "INSERT INTO account (id, uid, kind, url, user, options, created_at) VALUES (1,"
    " 'acc-0001', 'dav', 'https://dav.example.org/', 'lena', '{\"address_book_url\":"
    " \"https://dav.example.org/lena/contacts/\"}', '2026-12-06 21:00:00')",
    "INSERT INTO account_status (account_id, job, ran_at, summary) VALUES"
    " (1, 'address book', '2026-12-06 21:05:00', '12 new')",
)

# Version 9: a couple (Zoë and Camille, both clients), a referral to thank, greetings off
# for a date, a gift with a cent amount and one planned without a cost.
ROWS[9] = (
    *ROWS[8],
    "UPDATE client SET partner_id = 5 WHERE id = 1",
    "UPDATE client SET partner_id = 1 WHERE id = 5",
    "UPDATE client SET referred_at = '2026-12-06 11:30:00' WHERE id = 2",
    "UPDATE important_date SET no_greetings = 1 WHERE id = (SELECT max(id) FROM important_date)",
    "INSERT INTO gift (client_id, given_on, what, occasion, cost, currency, planned)"
    " VALUES (1, '2026-06-12', 'Canvas print <b>30x40</b>', 'wedding_anniversary', '89.90',"
    " 'EUR', 0), (2, '2027-01-10', 'Flowers', 'birthday', NULL, NULL, 1)",
)

# Version 10 keeps booked sessions: one to come from a calendar, one that became history.
ROWS[10] = (
    *ROWS[9],
    "INSERT INTO booking (client_id, kind, starts_at, ends_at, place, summary, status,"
    " interaction_id, calendar, event_uid, recurrence_id, created_at) VALUES"
    " (1, 'wedding', '2027-06-12 08:00:00', '2027-06-12 16:00:00', 'Schloss Nymphenburg',"
    " 'Wedding Zoë & Tom', 'booked', NULL, 'ics', 'evt-1@example.org', '',"
    " '2026-12-06 12:00:00'),"
    " (1, 'session', '2021-06-12 12:00:00', '2021-06-12 14:00:00', '', 'Wedding day',"
    " 'held', 1, '', '', '', '2021-06-01 09:00:00')",
)

# Version 11, the care plans': a consent, a gallery that closes, a date with two notices,
# and a session's care step (marketing, yearly) beside a plain follow-up.
ROWS[11] = (
    *ROWS[10],
    "UPDATE client SET marketing_consent_on = '2026-05-02' WHERE id = 1",
    "UPDATE interaction SET gallery_url = 'https://anna.pixieset.com/wedding/',"
    " gallery_expires_on = '2027-01-15' WHERE id = 1",
    "UPDATE important_date SET more_lead_days = '1' WHERE id = 1",
    "INSERT INTO follow_up (client_id, title, due_at, created_at, session_id, template,"
    " marketing, yearly, step_months, step_days) VALUES (1, 'First-anniversary offer',"
    " '2027-04-02 08:00:00', '2026-05-02 10:00:00', 1, 'anniversary_offer', 1, 1, 11, 0)",
)

# Version 12 numbered each date's day and notice in the year, kept by triggers: a date
# inserted and one updated after it.
ROWS[12] = (
    *ROWS[11],
    "INSERT INTO important_date (client_id, kind, month, day, year, label, lead_days)"
    " VALUES (5, 'custom', 12, 31, NULL, 'Studio party', 30)",
    "UPDATE important_date SET lead_days = 14 WHERE month = 6 AND day = 12",
)

# Version 13 added mail capture: a captured email, one removed, a folder read to UID 42.
ROWS[13] = (
    *ROWS[12],
    "INSERT INTO account (id, uid, kind, url, user, options, created_at) VALUES (2,"
    " 'acc-0002', 'imap', 'imaps://mail.example.org', 'lena', '{\"sent_folder\": \"Sent\"}',"
    " '2026-12-06 21:00:00')",
    "INSERT INTO interaction (id, client_id, kind, occurred_at, summary) VALUES"
    " (90, 1, 'email', '2026-12-05 09:30:00', 'Email received: Re: album proofs')",
    "INSERT INTO captured_mail (message_id, client_id, interaction_id) VALUES"
    " ('proofs-1@mail.example.org', 1, 90), ('removed-2@mail.example.org', 1, NULL)",
    "INSERT INTO mail_folder (account_id, name, uidvalidity, next_uid) VALUES (2, 'INBOX', 7, 43)",
    "INSERT INTO mail_stranger (address, name, wrote_at) VALUES"
    " ('lea@example.net', 'Lea Brandt', '2026-12-04 17:00:00')",
)

# Version 14 remembers what was published to an account's calendar.
ROWS[14] = (
    *ROWS[13],
    "INSERT INTO published_item (account_id, job, uid, href, etag, digest) VALUES (1,"
    " 'client dates', 'u-0001', '/lena/dates/u-0001.ics', '\"e1\"', 'ab12')",
)

# Version 15 added address-book sync: a card as last synced, and a conflict to resolve.
ROWS[15] = (
    *ROWS[14],
    "INSERT INTO card_sync (account_id, client_id, href, etag, card, synced, fingerprint)"
    " VALUES (1, 1, 'https://dav.example.org/lena/contacts/zoe.vcf', '\"e1\"',"
    " 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nN:;Zoë;;;\r\nEND:VCARD\r\n',"
    " '{\"nickname\": \"Zo\"}', 'ab12')",
    "INSERT INTO card_sync (account_id, client_id, href, removed_at) VALUES"
    " (1, NULL, 'https://dav.example.org/lena/contacts/gone.vcf', '2026-12-06 21:10:00')",
    "INSERT INTO card_conflict (account_id, client_id, field, ours, theirs, found_at) VALUES"
    " (1, 1, 'nickname', '\"Zo\"', '\"Zozo\"', '2026-12-06 21:10:00')",
)

# Version 16 indexed the dates with further notices: one with them, one without.
ROWS[16] = (
    *ROWS[15],
    "INSERT INTO important_date (client_id, kind, month, day, year, label, lead_days,"
    " more_lead_days) VALUES (5, 'birthday', 2, 29, 1996, '', 7, '30,1'),"
    " (5, 'custom', 3, 1, NULL, 'Shop opening', 0, '')",
)

# Version 17 indexed each client's check-in day and when a client was referred: a client
# with a check-in interval and greetings off (left out of the index), one referred.
ROWS[17] = (
    *ROWS[16],
    "INSERT INTO client (id, first_name, last_name, stage, keep_in_touch_days, no_greetings,"
    " referred_by_id, referred_at, created_at) VALUES (6, 'Ida', 'Berg', 'client', 30, 1, 2,"
    " '2026-12-07 00:40:00', '2026-12-07 00:40:00')",
)

# Version 18 keeps paid interactions summed per day (its triggers fill them): a referred
# client's purchase with an odd amount, at a local year's edge.
ROWS[18] = (
    *ROWS[17],
    "INSERT INTO interaction (client_id, kind, occurred_at, summary, amount, currency)"
    " VALUES (2, 'purchase', '2026-12-31 23:30:00', 'Prints', '19.999', 'CHF')",
)

# Version 19 reads a client's activity from one index: a session in the main currency.
ROWS[19] = (
    *ROWS[18],
    "INSERT INTO interaction (client_id, kind, occurred_at, summary, amount, currency)"
    " VALUES (6, 'session', '2026-12-07 02:00:00', 'Portraits', '250.00', 'EUR')",
)

# Version 20 indexes the notices of the dates with a lead time only: a date without one.
ROWS[20] = (
    *ROWS[19],
    "INSERT INTO important_date (client_id, kind, month, day, year, label, lead_days,"
    " more_lead_days) VALUES (6, 'client_since', 12, 7, 2026, '', 0, '')",
)


def make_fixture(version: int) -> Path:
    target = FIXTURES / f"schema_v{version}.sqlite"
    if target.exists():
        raise SystemExit(f"{target} exists; fixtures are frozen once committed.")
    conn = sqlite3.connect(target)
    conn.create_function("fold", 1, fold, deterministic=True)  # as models/store/database.py does
    try:
        with conn:
            for statements in MIGRATIONS[:version]:
                for statement in statements:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            for statement in ROWS[version]:
                conn.execute(statement)
    finally:
        conn.close()
    return target


if __name__ == "__main__":
    print(make_fixture(int(sys.argv[1])))
