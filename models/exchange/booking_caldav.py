"""The "bookings" job: the booking calendar of a CalDAV account, read into booked sessions.

The account's option "booking_calendar_url" names the calendar. One calendar-query REPORT
asks for every event in it (only reading: nothing is written to the server), and
models/exchange/booking_calendar.py offers, moves and cancels the bookings from what it
holds. From the command line (not interactive) it does the same: an offer waits for the
owner on Today; only a calendar they said "always" for books at once.
"""

from __future__ import annotations

import base64
import ssl
import urllib.error
import urllib.request
from xml.etree import ElementTree

from tzlocal import get_localzone

from models.accounts.jobs import JobReport, RunContext
from models.accounts.store import AccountError
from models.exchange.booking_calendar import (
    CalendarError,
    CalendarReport,
    apply_events,
    read_events,
)

OPTION = "booking_calendar_url"
_SECONDS = 30
_EVERY_EVENT = b"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>
</C:filter></C:calendar-query>"""
_CALENDAR_DATA = "{urn:ietf:params:xml:ns:caldav}calendar-data"


def calendar_name(account) -> str:
    """What the bookings from this account's calendar are known by: one per account."""
    return f"dav:{account.uid}"


def sync_bookings(context: RunContext) -> JobReport:
    account = context.account
    url = str(account.option(OPTION, "")).strip()
    if not url:
        return JobReport("No booking calendar chosen")
    texts = _calendar_data(url, account.user, context.password)
    now, zone = context.now(), get_localzone()
    events, skipped = [], []
    for text in texts:
        try:
            read, bad = read_events(text, now, zone)
        except CalendarError as error:
            skipped.append(str(error))
            continue
        events += read
        skipped += bad
    report = apply_events(calendar_name(account), events, now, CalendarReport(skipped=skipped))
    return JobReport(report.summary(), failed=len(report.skipped))


def _calendar_data(url: str, user: str, password: str) -> list[str]:
    """Every calendar object's iCalendar text, in one REPORT; AccountError in words."""
    login = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(
        url,
        data=_EVERY_EVENT,
        method="REPORT",
        headers={
            "Authorization": f"Basic {login}",
            "Depth": "1",
            "Content-Type": "application/xml; charset=utf-8",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=_SECONDS) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        raise AccountError(_refused(error.code, url)) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, ssl.SSLCertVerificationError):
            why = error.reason.verify_message or error.reason
            raise AccountError(f"The server's certificate was refused ({why}).") from error
        raise AccountError(
            f"The booking calendar's server could not be reached ({error.reason})."
        ) from error
    except OSError as error:
        raise AccountError(
            f"The booking calendar's server could not be reached ({error})."
        ) from error
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise AccountError(
            f"The server's answer about {url} could not be read ({error})."
        ) from error
    return [element.text for element in root.iter(_CALENDAR_DATA) if element.text]


def _refused(status: int, url: str) -> str:
    if status in (401, 403):
        return "The server refused the user name or password for the booking calendar."
    if status == 404:
        return f"The booking calendar {url} is gone from the server; choose it again."
    return f"The server could not give the booking calendar ({status})."
