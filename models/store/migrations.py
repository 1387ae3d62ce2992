"""Versioned schema changes.

The schema version lives in SQLite's `PRAGMA user_version`. Each entry of
`MIGRATIONS` takes a database from version N to N+1 and is frozen once released:
never edit one, append a new one (and a fixture, see tools/make_schema_fixture.py).
Each step and its version bump run in one transaction, after the file was backed up.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase

from models.clock import system_now
from models.store.backups import Backup, copy_database, replace_damaged
from models.store.database import (
    APPLICATION_ID,
    DatabaseOpenError,
    StartCheck,
    check_file_is_usable,
    check_integrity,
    connect,
    db,
    explain,
    read_only_reason,
    read_schema_version,
)
from models.store.private_files import new_private_file
from models.store.search_index import ensure_search_index, set_update_triggers

_V1_CREATE_TABLES = (
    """CREATE TABLE client (
        id INTEGER PRIMARY KEY,
        first_name TEXT NOT NULL CHECK (trim(first_name) <> ''),
        last_name TEXT NOT NULL DEFAULT '',
        preferred_name TEXT NOT NULL DEFAULT '',
        organization TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT 'customer',
        address TEXT NOT NULL DEFAULT '',
        where_from TEXT NOT NULL DEFAULT '',
        lives_now TEXT NOT NULL DEFAULT '',
        how_we_met TEXT NOT NULL DEFAULT '',
        referred_by_id INTEGER REFERENCES client (id) ON DELETE SET NULL,
        keep_in_touch_days INTEGER CHECK (keep_in_touch_days IS NULL OR keep_in_touch_days > 0),
        created_at TEXT NOT NULL)""",
    "CREATE INDEX client_referred_by_id ON client (referred_by_id)",
    "CREATE INDEX client_sort_name ON client (first_name COLLATE NOCASE, last_name COLLATE NOCASE)",
    """CREATE TABLE contact_detail (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
        label TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX contact_detail_client_id ON contact_detail (client_id)",
    "CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)",
    """CREATE TABLE client_tag (
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
        PRIMARY KEY (client_id, tag_id))""",
    "CREATE INDEX client_tag_tag_id ON client_tag (tag_id)",
    """CREATE TABLE interaction (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        amount TEXT CHECK (amount IS NULL OR CAST(amount AS REAL) >= 0),
        currency TEXT,
        CHECK ((amount IS NULL) = (currency IS NULL)))""",
    "CREATE INDEX interaction_client_time ON interaction (client_id, occurred_at)",
    """CREATE TABLE note (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX note_client_id ON note (client_id)",
    """CREATE TABLE family_member (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        relation TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX family_member_client_id ON family_member (client_id)",
    """CREATE TABLE important_date (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        family_member_id INTEGER REFERENCES family_member (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
        day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
        year INTEGER CHECK (year IS NULL OR year BETWEEN 1 AND 9999),
        label TEXT NOT NULL DEFAULT '',
        lead_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_days BETWEEN 0 AND 365))""",
    "CREATE INDEX important_date_client_id ON important_date (client_id)",
    "CREATE INDEX important_date_family_member_id ON important_date (family_member_id)",
    "CREATE INDEX important_date_month_day ON important_date (month, day)",
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"PRAGMA application_id = {APPLICATION_ID}",
)

_V2_REMINDERS = (
    """CREATE TABLE follow_up (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        title TEXT NOT NULL CHECK (trim(title) <> ''),
        due_at TEXT NOT NULL,
        done_at TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX follow_up_client_id ON follow_up (client_id)",
    "CREATE INDEX follow_up_open ON follow_up (done_at, due_at)",
    """CREATE TABLE reminder_state (
        key TEXT PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        notified_at TEXT,
        snoozed_until TEXT,
        done_at TEXT)""",
    "CREATE INDEX reminder_state_client_id ON reminder_state (client_id)",
)

# The client list is ordered by the folded name ("Élodie" with the E's), through an index:
# a stored column kept by triggers, so every way of writing a client keeps it right.
_V3_SORT_NAME = (
    "ALTER TABLE client ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''",
    "UPDATE client SET sort_name = fold(first_name || ' ' || last_name)",
    "DROP INDEX client_sort_name",
    "CREATE INDEX client_sort_name ON client (sort_name, id)",
    """CREATE TRIGGER client_sort_name_insert AFTER INSERT ON client BEGIN
        UPDATE client SET sort_name = fold(new.first_name || ' ' || new.last_name)
        WHERE id = new.id;
    END""",
    """CREATE TRIGGER client_sort_name_update AFTER UPDATE OF first_name, last_name ON client
    BEGIN
        UPDATE client SET sort_name = fold(new.first_name || ' ' || new.last_name)
        WHERE id = new.id;
    END""",
)

# "Not now" to making a customer a client: remembered with the bookings counted then,
# so the suggestion returns only after another booking.
_V4_PROMOTION = (
    "ALTER TABLE client ADD COLUMN promotion_declined_at INTEGER"
    " CHECK (promotion_declined_at IS NULL OR promotion_declined_at >= 0)",
)

# Wishes: what a client said they want next, with a date that may become a follow-up.
# Photos live in a table of their own so reading client rows never drags images along.
_V5_WISHES_AND_PHOTOS = (
    """CREATE TABLE wish (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        text TEXT NOT NULL CHECK (trim(text) <> ''),
        wanted_by TEXT,
        follow_up_id INTEGER REFERENCES follow_up (id) ON DELETE SET NULL,
        fulfilled_at TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX wish_client_id ON wish (client_id)",
    "CREATE INDEX wish_follow_up_id ON wish (follow_up_id)",
    """CREATE TABLE client_photo (
        client_id INTEGER PRIMARY KEY REFERENCES client (id) ON DELETE CASCADE,
        image BLOB NOT NULL,
        updated_at TEXT NOT NULL)""",
)

# Folding learnt the letters Unicode does not decompose ("Bjørn" is found by "bjorn"):
# what was stored folded by the earlier rule is folded anew, for the rows that hold one
# of the characters whose folding changed (listed here, as they were computed then).
# Touching a row makes the search index's triggers fold its index row anew: a few rows,
# not the whole index (minutes for 100,000 clients). Where the index has no triggers
# (no FTS5), it is rebuilt whole once FTS5 is there, as always.
_V6_REFOLDED = "".join(
    map(
        chr,
        (
            *(0xC6, 0xD0, 0xD8, 0xDE, 0xE6, 0xF0, 0xF8, 0xFE, 0x110, 0x111, 0x126, 0x127),
            *(0x131, 0x141, 0x142, 0x152, 0x153, 0x166, 0x167, 0x1E2, 0x1E3, 0x1FC, 0x1FD),
            *(0x1FE, 0x1FF, 0x1D9E, 0x210F, 0xA7F9, 0x10783, 0x10795, 0x107A2, 0x1D6A4),
        ),
    )
)


def _v6_holds_refolded(text: str) -> str:
    """SQL: `text` holds one of them. Counting characters against bytes first leaves
    the slow GLOB to the few rows with any letter beyond ASCII (1M history items: 2 s,
    not 12)."""
    return f"(length({text}) <> length(CAST({text} AS BLOB)) AND {text} GLOB '*[{_V6_REFOLDED}]*')"


_V6_FOLD_ALL_LETTERS = (
    "UPDATE client SET sort_name = fold(first_name || ' ' || last_name) WHERE "
    + _v6_holds_refolded(
        "first_name || ' ' || last_name || ' ' || preferred_name || ' ' || organization"
    ),
    f"UPDATE contact_detail SET value = value WHERE {_v6_holds_refolded('value')}",
    f"UPDATE family_member SET name = name WHERE {_v6_holds_refolded('name')}",
    f"UPDATE tag SET name = name WHERE {_v6_holds_refolded('name')}",
    f"UPDATE note SET text = text WHERE {_v6_holds_refolded('text')}",
    "UPDATE interaction SET summary = summary WHERE "
    + _v6_holds_refolded("summary || ' ' || body"),
)

# A random version-4 UUID, as text ("1b4e28ba-2fa1-4d2b-a8f6-0e1c5f8e2b7a").
_RANDOM_UUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||"
    " substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) ||"
    " substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)

# Every client has a UID that stays theirs: it goes out on every vCard and calendar
# event, so that an address book or server knows the same person again. New clients get
# theirs from the model (models/store/entities.py new_uid).
_V7_CLIENT_UID = (
    "ALTER TABLE client ADD COLUMN uid TEXT NOT NULL DEFAULT ''",
    f"UPDATE client SET uid = {_RANDOM_UUID}",
    "CREATE INDEX client_uid ON client (uid)",
)

# Servers the owner connects (models/accounts/): no password here, it is in the keyring.
_ACCOUNTS = (
    """CREATE TABLE account (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('dav', 'imap')),
        url TEXT NOT NULL,
        user TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL DEFAULT '',
        options TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL)""",
    """CREATE TABLE account_status (
        account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        job TEXT NOT NULL,
        ran_at TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        failed INTEGER NOT NULL DEFAULT 0)""",
    "CREATE UNIQUE INDEX account_status_account_id_job ON account_status (account_id, job)",
)

# Couples, referrals to thank, gifts and cards on paper (models/clients/couples.py,
# models/insight/gifts.py): a partner who is a client of their own (both rows point at each
# other; a delete unlinks), "do not send greetings" on a person or a date (a separation,
# a death: nothing is deleted, the greetings stop), when a referral was recorded (Today
# suggests thanking the referrer from then on), and gifts given or planned.
_COUPLES_REFERRALS_GIFTS = (
    "ALTER TABLE client ADD COLUMN partner_id INTEGER REFERENCES client (id) ON DELETE SET NULL",
    "CREATE INDEX client_partner_id ON client (partner_id)",
    "ALTER TABLE client ADD COLUMN no_greetings INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE client ADD COLUMN referred_at TEXT",
    "ALTER TABLE important_date ADD COLUMN no_greetings INTEGER NOT NULL DEFAULT 0",
    """CREATE TABLE gift (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        given_on TEXT NOT NULL,
        what TEXT NOT NULL CHECK (trim(what) <> ''),
        occasion TEXT NOT NULL DEFAULT '',
        cost TEXT CHECK (cost IS NULL OR CAST(cost AS REAL) >= 0),
        currency TEXT,
        planned INTEGER NOT NULL DEFAULT 0,
        CHECK ((cost IS NULL) = (currency IS NULL)))""",
    "CREATE INDEX gift_client_id ON gift (client_id)",
    "CREATE INDEX gift_given_on ON gift (given_on)",
)

# Booked sessions: to come, and what became of them (held: the interaction they became).
# An event of a booking calendar is one booking, however often it is read.
_BOOKINGS = (
    """CREATE TABLE booking (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL CHECK (ends_at >= starts_at),
        place TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'booked'
            CHECK (status IN ('offered', 'booked', 'held', 'cancelled', 'declined')),
        interaction_id INTEGER UNIQUE REFERENCES interaction (id) ON DELETE SET NULL,
        calendar TEXT NOT NULL DEFAULT '',
        event_uid TEXT NOT NULL DEFAULT '',
        recurrence_id TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX booking_client_id ON booking (client_id)",
    "CREATE INDEX booking_status_start ON booking (status, starts_at)",
    """CREATE UNIQUE INDEX booking_event ON booking (calendar, event_uid, recurrence_id)
        WHERE event_uid <> ''""",
)

# The care loop around a session (models/care/): a session's care steps are follow-ups that
# remember their session, their template and whether they are marketing (a copy of the
# plan's step, so a later edit of the plan changes no session already logged); a session's
# gallery link and its closing day; a client's marketing consent (the day given) and a
# paused care plan; a date's further reminders ("7,1": a week and a day before).
_CARE_PLANS = (
    "ALTER TABLE client ADD COLUMN marketing_consent_on TEXT",
    "ALTER TABLE client ADD COLUMN care_paused_at TEXT",
    "ALTER TABLE interaction ADD COLUMN gallery_url TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE interaction ADD COLUMN gallery_expires_on TEXT",
    "CREATE INDEX interaction_gallery_expires_on ON interaction (gallery_expires_on)"
    " WHERE gallery_expires_on IS NOT NULL",
    "ALTER TABLE important_date ADD COLUMN more_lead_days TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE follow_up ADD COLUMN session_id INTEGER"
    " REFERENCES interaction (id) ON DELETE SET NULL",
    "CREATE INDEX follow_up_session_id ON follow_up (session_id)",
    "ALTER TABLE follow_up ADD COLUMN template TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE follow_up ADD COLUMN marketing INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE follow_up ADD COLUMN yearly INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE follow_up ADD COLUMN step_months INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE follow_up ADD COLUMN step_days INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE follow_up ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0",
)

# Speed at 100,000 clients (bench/run.py):
# - each important date keeps where its day and its notice fall in the year, as the day
#   of a leap year (1-366), indexed, so that the reminders of a week are range reads
#   (models/reminders/day_ordinals.py has the same rule in Python, and which ordinals a
#   window reads for Feb 29 and common years). Triggers keep both right on every write: saving,
#   import, undo, restore, anything that inserts or updates a date;
# - the Studio, the value ranks and the filters read what they need from indexes.
_DAY_OF_LEAP_YEAR = (
    "(CASE {row}month WHEN 1 THEN 0 WHEN 2 THEN 31 WHEN 3 THEN 60 WHEN 4 THEN 91"
    " WHEN 5 THEN 121 WHEN 6 THEN 152 WHEN 7 THEN 182 WHEN 8 THEN 213 WHEN 9 THEN 244"
    " WHEN 10 THEN 274 WHEN 11 THEN 305 ELSE 335 END + {row}day)"
)


def _ordinals(row: str) -> str:
    """SQL: the SET list of both ordinals, from the columns of `row` ("new." or "")."""
    day = _DAY_OF_LEAP_YEAR.format(row=row)
    return f"day_ordinal = {day}, notice_ordinal = ({day} - 1 - {row}lead_days + 366) % 366 + 1"


_LATEST_OF = "(SELECT MAX(occurred_at) FROM interaction WHERE client_id = {client})"

_DAY_ORDINALS_LAST_CONTACT_AND_INDEXES = (
    "ALTER TABLE important_date ADD COLUMN day_ordinal INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE important_date ADD COLUMN notice_ordinal INTEGER NOT NULL DEFAULT 0",
    f"UPDATE important_date SET {_ordinals('')}",
    "CREATE INDEX important_date_day_ordinal ON important_date (day_ordinal)",
    "CREATE INDEX important_date_notice_ordinal ON important_date (notice_ordinal)",
    f"""CREATE TRIGGER important_date_ordinals_insert AFTER INSERT ON important_date BEGIN
        UPDATE important_date SET {_ordinals("new.")} WHERE id = new.id;
    END""",
    # Any update: one that sets an ordinal alone is put right too (recursive triggers are
    # off, so the trigger's own update does not fire it again).
    f"""CREATE TRIGGER important_date_ordinals_update AFTER UPDATE ON important_date BEGIN
        UPDATE important_date SET {_ordinals("new.")} WHERE id = new.id;
    END""",
    # The Studio's months: paid interactions by time, read from the index alone.
    "CREATE INDEX interaction_kind_time ON interaction (kind, occurred_at, currency, amount)",
    # The main currency, the value ranks and the order by value: amounts by currency, in
    # client order, from the index alone.
    "CREATE INDEX interaction_currency ON interaction (currency, client_id, amount)",
    # The check-in filters read the longest check-in interval (models/reminders/contact_rhythm.py).
    "CREATE INDEX client_check_in_days ON client (keep_in_touch_days)",
    # The Studio's pipeline counts clients by stage, and its year of greetings dates by day.
    "CREATE INDEX client_stage ON client (stage)",
    "CREATE INDEX important_date_kind_day ON important_date (kind, month, day, year)",
    # Each client's last contact, their latest interaction's time, stored: the drifting and
    # check-in filters and reminders read it for 100,000 clients instead of looking up each
    # one's latest interaction. Triggers keep it right on every write of an interaction,
    # and put it right when a client row is written with another (a stale copy saved). A
    # new client has none yet; an undo or a restore brings a client back with the value
    # their interactions, brought back with them, give. (No trigger on inserting a client:
    # one that updated the new row could run before the search index's and clash with it.)
    "ALTER TABLE client ADD COLUMN last_contact_at TEXT",
    f"UPDATE client SET last_contact_at = {_LATEST_OF.format(client='client.id')}",
    f"""CREATE TRIGGER client_last_contact_update AFTER UPDATE OF last_contact_at ON client
    BEGIN
        UPDATE client SET last_contact_at = {_LATEST_OF.format(client="new.id")}
        WHERE id = new.id;
    END""",
    """CREATE TRIGGER interaction_last_contact_insert AFTER INSERT ON interaction BEGIN
        UPDATE client SET last_contact_at = new.occurred_at
        WHERE id = new.client_id
        AND (last_contact_at IS NULL OR last_contact_at < new.occurred_at);
    END""",
    f"""CREATE TRIGGER interaction_last_contact_update
    AFTER UPDATE OF occurred_at, client_id ON interaction BEGIN
        UPDATE client SET last_contact_at = {_LATEST_OF.format(client="client.id")}
        WHERE id IN (old.client_id, new.client_id);
    END""",
    f"""CREATE TRIGGER interaction_last_contact_delete AFTER DELETE ON interaction BEGIN
        UPDATE client SET last_contact_at = {_LATEST_OF.format(client="client.id")}
        WHERE id = old.client_id;
    END""",
)

# Mail capture (models/capture/): which message became history on which client (by its
# Message-ID; interaction_id NULL once the owner removed it, so it is never captured again),
# how far each account's folders were read, and the people written to who are no clients.
_MAIL_CAPTURE = (
    """CREATE TABLE captured_mail (
        message_id TEXT NOT NULL,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        interaction_id INTEGER REFERENCES interaction (id) ON DELETE SET NULL,
        PRIMARY KEY (message_id, client_id))""",
    "CREATE INDEX captured_mail_client_id ON captured_mail (client_id)",
    "CREATE UNIQUE INDEX captured_mail_interaction_id ON captured_mail (interaction_id)",
    """CREATE TABLE mail_folder (
        account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        next_uid INTEGER NOT NULL CHECK (next_uid >= 1),
        PRIMARY KEY (account_id, name))""",
    """CREATE TABLE mail_stranger (
        address TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        wrote_at TEXT NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0)""",
)

# What Rapport published to each account's calendar and task list (models/sync/publishing.py):
# an idle sync compares with it and writes nothing.
_PUBLISHED_ITEMS = (
    """CREATE TABLE published_item (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        job TEXT NOT NULL,
        uid TEXT NOT NULL,
        href TEXT NOT NULL,
        etag TEXT NOT NULL DEFAULT '',
        digest TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX published_item_account_id_job_uid"
    " ON published_item (account_id, job, uid)",
)

# Address-book sync (models/sync/): each client's card as last synced with an account, and
# the fields both sides changed otherwise, kept until the owner chooses.
_CARD_SYNC = (
    """CREATE TABLE card_sync (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        client_id INTEGER REFERENCES client (id) ON DELETE SET NULL,
        href TEXT NOT NULL,
        etag TEXT NOT NULL DEFAULT '',
        card TEXT NOT NULL DEFAULT '',
        synced TEXT NOT NULL DEFAULT '{}',
        fingerprint TEXT NOT NULL DEFAULT '',
        removed_at TEXT,
        delete_card INTEGER NOT NULL DEFAULT 0)""",
    "CREATE UNIQUE INDEX card_sync_account_id_href ON card_sync (account_id, href)",
    "CREATE INDEX card_sync_client_id ON card_sync (client_id)",
    """CREATE TABLE card_conflict (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL REFERENCES client (id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        ours TEXT NOT NULL,
        theirs TEXT NOT NULL,
        found_at TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX card_conflict_client_id_account_id_field"
    " ON card_conflict (client_id, account_id, field)",
)

# The dates with further notices, which every window reads (models/reminders/store.py
# `_may_fall_in`): an index of the few such dates lets SQLite read the window's dates
# from three indexes instead of scanning every date. It serves `more_lead_days > ''`
# (any further notice; `!=` can use no index).
_MORE_LEAD_DAYS_INDEX = (
    "CREATE INDEX important_date_more_lead_days ON important_date (more_lead_days)"
    " WHERE more_lead_days > ''",
)

# A window's check-ins are read from an index of each client's check-in day (counted in UTC
# days from the last contact), which also holds every column they need: a range read of the
# clients due instead of a pass over all of them (models/reminders/store.py `_DUE_CHECK_INS`
# writes the same expression term for term). SQLite keeps an index right on every write,
# whatever writes: no trigger to forget. And the referrals of a window, by when referred.
_CHECK_IN_DUE_AND_REFERRED_AT_INDEXES = (
    "CREATE INDEX client_check_in_due ON client ("
    "date(COALESCE(last_contact_at, created_at), '+' || keep_in_touch_days || ' days'),"
    " keep_in_touch_days, COALESCE(last_contact_at, created_at), first_name, last_name)"
    " WHERE keep_in_touch_days IS NOT NULL AND NOT no_greetings",
    "CREATE INDEX client_referred_at ON client (referred_at) WHERE referred_at IS NOT NULL",
)

# Paid interactions (sessions, weddings, purchases) summed per UTC day, kind, currency and
# whether the client was referred: the Studio's months and gift years read these few
# thousand rows instead of 100,000s of interactions (models/insight/paid_days.py). The
# days where a local month or year begins in mid-day are read from the interactions
# themselves, as are days with an amount of more decimals or an exponent (`odd`: exact
# only as Decimal). Triggers keep the sums right on every write: saving, import, undo,
# restore, mail capture, deleting a client (a referred client's sums move to "not
# referred" before the cascade removes their interactions, which no longer find them),
# naming or removing a referrer (and a referrer's deletion, which sets it to NULL).
# The amount is read as models/insight/exact_sums.py does, frozen here as SQL.
_PAID_KINDS = "('session', 'wedding', 'purchase')"
_ODD_AMOUNT = "(GLOB('*[^0-9.]*', {a}) OR GLOB('*.???*', {a}))"
_EXACT_CENTS = (
    "(CAST({a} AS INTEGER) * 100 + CASE WHEN instr({a}, '.') = 0 THEN 0"
    " ELSE CAST(substr(substr({a}, instr({a}, '.') + 1) || '00', 1, 2) AS INTEGER) END)"
)
_PAID_DAY_SUMS = (
    "payments = payments + excluded.payments, cents = cents + excluded.cents,"
    " odd = odd + excluded.odd"
)


def _cents_of(amount: str) -> str:
    """SQL: the whole cents `amount` adds to its day (none when odd or missing)."""
    odd = _ODD_AMOUNT.format(a=amount)
    return f"CASE WHEN {amount} IS NULL OR {odd} THEN 0 ELSE {_EXACT_CENTS.format(a=amount)} END"


def _odd_of(amount: str) -> str:
    """SQL: 1 for an odd amount, read from the interaction itself; else 0."""
    return f"CASE WHEN {amount} IS NOT NULL AND {_ODD_AMOUNT.format(a=amount)} THEN 1 ELSE 0 END"


def _referred(client_id: str) -> str:
    return f"COALESCE((SELECT referred_by_id IS NOT NULL FROM client WHERE id = {client_id}), 0)"


def _add_paid_day(row: str, sign: str) -> str:
    """SQL: add (sign "") or take away (sign "-") interaction `row` ("new" or "old")."""
    amount = f"{row}.amount"
    return f"""INSERT INTO paid_day (day, kind, currency, referred, payments, cents, odd)
        SELECT substr({row}.occurred_at, 1, 10), {row}.kind, COALESCE({row}.currency, ''),
            {_referred(f"{row}.client_id")}, {sign}1,
            {sign}({_cents_of(amount)}), {sign}({_odd_of(amount)})
        WHERE {row}.kind IN {_PAID_KINDS}
        ON CONFLICT (day, kind, currency, referred) DO UPDATE SET {_PAID_DAY_SUMS};"""


def _drop_empty_paid_day(row: str) -> str:
    return f"""DELETE FROM paid_day WHERE day = substr({row}.occurred_at, 1, 10)
        AND kind = {row}.kind AND currency = COALESCE({row}.currency, '')
        AND payments = 0;"""


def _move_paid_days(client: str, to: str) -> str:
    """SQL: move the sums of client `client`'s interactions to referred = `to` (from the
    other), and drop the days left empty."""
    moved = f"""SELECT substr(occurred_at, 1, 10), kind, COALESCE(currency, ''), {{flag}},
            {{sign}}COUNT(*), {{sign}}SUM({_cents_of("amount")}),
            {{sign}}SUM({_odd_of("amount")})
        FROM interaction WHERE client_id = {client} AND kind IN {_PAID_KINDS}
        GROUP BY 1, 2, 3"""
    upsert = (
        "INSERT INTO paid_day (day, kind, currency, referred, payments, cents, odd) {select}"
        f" ON CONFLICT (day, kind, currency, referred) DO UPDATE SET {_PAID_DAY_SUMS};"
    )
    return f"""{upsert.format(select=moved.format(flag=f"NOT {to}", sign="-"))}
        {upsert.format(select=moved.format(flag=to, sign=""))}
        DELETE FROM paid_day WHERE payments = 0 AND day IN (SELECT substr(occurred_at, 1, 10)
            FROM interaction WHERE client_id = {client});"""


_PAID_DAYS = (
    """CREATE TABLE paid_day (
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        currency TEXT NOT NULL,
        referred INTEGER NOT NULL,
        payments INTEGER NOT NULL,
        cents INTEGER NOT NULL,
        odd INTEGER NOT NULL,
        PRIMARY KEY (day, kind, currency, referred)) WITHOUT ROWID""",
    f"""INSERT INTO paid_day (day, kind, currency, referred, payments, cents, odd)
        SELECT substr(occurred_at, 1, 10), kind, COALESCE(currency, ''),
            {_referred("client_id")}, COUNT(*),
            SUM({_cents_of("amount")}), SUM({_odd_of("amount")})
        FROM interaction WHERE kind IN {_PAID_KINDS} GROUP BY 1, 2, 3, 4""",
    # Each trigger runs only for paid kinds: mail capture's thousands of emails skip it.
    f"""CREATE TRIGGER paid_day_insert AFTER INSERT ON interaction
    WHEN new.kind IN {_PAID_KINDS} BEGIN
        {_add_paid_day("new", "")}
    END""",
    f"""CREATE TRIGGER paid_day_update
    AFTER UPDATE OF kind, occurred_at, amount, currency, client_id ON interaction
    WHEN old.kind IN {_PAID_KINDS} OR new.kind IN {_PAID_KINDS} BEGIN
        {_add_paid_day("old", "-")}
        {_drop_empty_paid_day("old")}
        {_add_paid_day("new", "")}
    END""",
    f"""CREATE TRIGGER paid_day_delete AFTER DELETE ON interaction
    WHEN old.kind IN {_PAID_KINDS} BEGIN
        {_add_paid_day("old", "-")}
        {_drop_empty_paid_day("old")}
    END""",
    f"""CREATE TRIGGER paid_day_referral AFTER UPDATE OF referred_by_id ON client
    WHEN (old.referred_by_id IS NULL) != (new.referred_by_id IS NULL) BEGIN
        {_move_paid_days("new.id", "(new.referred_by_id IS NOT NULL)")}
    END""",
    f"""CREATE TRIGGER paid_day_client_delete BEFORE DELETE ON client
    WHEN old.referred_by_id IS NOT NULL BEGIN
        {_move_paid_days("old.id", "0")}
    END""",
    # The Studio's pipeline counts the clients added this year.
    "CREATE INDEX client_created_at ON client (created_at, stage)",
    # The referrers' value reads the kind too: from the index alone (it begins as before,
    # so the main currency, the value ranks and the order by value read it as they did).
    "DROP INDEX interaction_currency",
    "CREATE INDEX interaction_currency ON interaction (currency, client_id, amount, kind)",
)

# A page of the client list reads its clients' activity for health's dots (last contact,
# interactions in two years, sessions, value in the main currency) from this index alone,
# not from a thousand rows of the table; it serves all the (client_id, occurred_at) index
# it replaces did.
_CLIENT_ACTIVITY_INDEX = (
    "CREATE INDEX interaction_client_activity"
    " ON interaction (client_id, occurred_at, kind, currency, amount)",
    "DROP INDEX interaction_client_time",
)

# A date without a lead time (most of them) has its notice on its day: a window finds it by
# its day's ordinal, so the notices' index holds only the dates that have one (a window then
# reads 15% fewer dates at XL; models/reminders/store.py `_may_fall_in` names the condition
# as this index does, the one way SQLite uses a partial index).
_NOTICES_WITH_A_LEAD_INDEX = (
    "DROP INDEX important_date_notice_ordinal",
    "CREATE INDEX important_date_notice_ordinal ON important_date (notice_ordinal)"
    " WHERE lead_days > 0",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    _V1_CREATE_TABLES,
    _V2_REMINDERS,
    _V3_SORT_NAME,
    _V4_PROMOTION,
    _V5_WISHES_AND_PHOTOS,
    _V6_FOLD_ALL_LETTERS,
    _V7_CLIENT_UID,
    _ACCOUNTS,
    _COUPLES_REFERRALS_GIFTS,
    _BOOKINGS,
    _CARE_PLANS,
    _DAY_ORDINALS_LAST_CONTACT_AND_INDEXES,
    _MAIL_CAPTURE,
    _PUBLISHED_ITEMS,
    _CARD_SYNC,
    _MORE_LEAD_DAYS_INDEX,
    _CHECK_IN_DUE_AND_REFERRED_AT_INDEXES,
    _PAID_DAYS,
    _CLIENT_ACTIVITY_INDEX,
    _NOTICES_WITH_A_LEAD_INDEX,
)
SCHEMA_VERSION = len(MIGRATIONS)


START_CHECK_SECONDS = 0.25


def open_database(
    path: Path, verify: bool = False, build_index_later: bool = False, check_later: bool = False
) -> SqliteDatabase:
    """Check, back up if needed, open and migrate the database at `path`; with `verify`,
    first check every page (seconds for a large file: after a crash, say). With
    `build_index_later`, a search index to build is left for a worker (the window's).
    With `check_later`, a database that needs no upgrade is checked later, by whoever
    runs its `start_check` first (the window, once it shows; or the first write)."""
    path = path.absolute()  # SQLite's read-only URIs need an absolute path
    check_file_is_usable(path)
    version = read_schema_version(path)
    # Every start looks for damage, for a fraction of a second (a whole check of a
    # 40 MB file); after a crash, every page. Before anything is written, always.
    start_check = None
    if check_later and not verify and version == SCHEMA_VERSION:
        start_check = StartCheck(path, START_CHECK_SECONDS)
    else:
        check_integrity(path, None if verify else START_CHECK_SECONDS)
    if version > SCHEMA_VERSION:
        raise DatabaseOpenError(
            f"{path} was written by a newer version of Rapport (schema {version}; this "
            f"version understands up to {SCHEMA_VERSION}). Update Rapport to open it. "
            "The file was left untouched."
        )
    read_only = read_only_reason(path)
    if read_only and version < SCHEMA_VERSION:
        raise DatabaseOpenError(
            f"Rapport can only read {path} ({read_only}), and must first update it for "
            "this version. Make it writable and start Rapport again; it was left untouched."
        )
    if 0 < version < SCHEMA_VERSION:
        try:
            backup_before_migration(path, version)
        except sqlite3.Error as exc:
            raise DatabaseOpenError(explain(exc, path)) from exc
        except OSError as exc:
            raise DatabaseOpenError(
                f"Rapport cannot back up {path} before upgrading it ({exc.strerror}). "
                "Check the folder's permissions and free space; the file was left untouched."
            ) from exc
    database = connect(path, read_only=read_only is not None, start_check=start_check)
    try:
        apply_migrations(database, version)
        ensure_search_index(database, build_later=build_index_later)
    except DatabaseError as exc:
        database.close()
        db.initialize(None)
        raise DatabaseOpenError(explain(exc, path)) from exc
    return database


def reopen_with_backup(path: Path, backup: Backup, now: datetime) -> Path:
    """Put `backup` in place of the damaged database at `path` (set aside beside it, as
    it was) and open it; the damaged file's new path."""
    if db.obj is not None:
        db.close()  # this thread's connection to the damaged file
    damaged = replace_damaged(path, backup, now)
    open_database(path)
    return damaged


def apply_migrations(database: SqliteDatabase, from_version: int) -> None:
    if from_version < SCHEMA_VERSION:
        set_update_triggers(database, every_update=True)  # touched rows are indexed anew
    for version, statements in enumerate(MIGRATIONS[from_version:], start=from_version + 1):
        with database.atomic():
            for statement in statements:
                database.execute_sql(statement)
            database.execute_sql(f"PRAGMA user_version = {version}")


def backup_before_migration(path: Path, version: int) -> Path:
    """Copy the database with SQLite's online backup API before changing its schema."""
    stamp = system_now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.schema{version}-{stamp}.backup.sqlite")
    try:
        new_private_file(target)  # a copy of every client's data: the owner's alone
        copy_database(path, target)
    except (sqlite3.Error, OSError):
        target.unlink(missing_ok=True)  # a half-written backup would look like a good one
        raise
    return target
