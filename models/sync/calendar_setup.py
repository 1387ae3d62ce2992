"""Set-up step for CalDAV: the calendar client dates go to, and the task list follow-ups go
to, found in the account's calendar home set (RFC 4791) or made there (MKCALENDAR).

Tasks get a list of their own, made for VTODO only: iCloud and others keep tasks apart
from events, and the phone's reminders app shows only such a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from models.accounts.jobs import RunContext
from models.accounts.store import AccountError, set_options
from models.sync.caldav_http import path_of
from models.sync.dav import CALDAV, DAV, DavSession, propfind_body, tag
from models.sync.discovery import home_set, session_for

CALENDAR_NAME = "Rapport \N{EN DASH} client dates"
TASK_LIST_NAME = "Rapport \N{EN DASH} follow-ups"
MAKE_CALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:displayname>{name}</D:displayname>
<C:supported-calendar-component-set><C:comp name="{component}"/>
</C:supported-calendar-component-set>
</D:prop></D:set></C:mkcalendar>"""


@dataclass(frozen=True)
class Collection:
    url: str
    name: str  # its display name, else the last part of its path
    components: frozenset[str]  # what it holds: VEVENT, VTODO; empty when the server won't say

    def is_named(self, name: str) -> bool:
        """Its display name or the last part of its path is `name`, in any case."""
        folder = path_of(self.url).rstrip("/").rsplit("/", 1)[-1]
        return name.casefold() in (self.name.casefold(), folder.casefold())


def set_up(context: RunContext) -> str:
    """Choose (or make) the calendar and the task list; a sentence of what was chosen."""
    session = session_for(context)
    try:
        home = home_set(session, "caldav")
        found = calendars(session, home)
        calendar, made_calendar = _chosen(
            session, home, found, context.choices.get("calendar", ""), "VEVENT", CALENDAR_NAME
        )
        tasks, made_tasks = _chosen(session, home, found, "", "VTODO", TASK_LIST_NAME)
    finally:
        session.close()
    set_options(context.account, calendar_url=calendar.url, task_list_url=tasks.url)
    return (
        f"Client dates go to the calendar “{calendar.name}”{' (new)' if made_calendar else ''}, "
        f"follow-ups to the task list “{tasks.name}”{' (new)' if made_tasks else ''}."
    )


def calendars(session: DavSession, home: str) -> list[Collection]:
    """The calendars in the home set."""
    body = propfind_body(
        (DAV, "resourcetype"), (DAV, "displayname"), (CALDAV, "supported-calendar-component-set")
    )
    found, _root = session.multistatus("PROPFIND", home, body, "1")
    collections = []
    for resource in found:
        kind = resource.properties.get(tag(DAV, "resourcetype"))
        if kind is None or kind.find(tag(CALDAV, "calendar")) is None:
            continue
        supported = resource.properties.get(tag(CALDAV, "supported-calendar-component-set"))
        components = [] if supported is None else supported.iter(tag(CALDAV, "comp"))
        name = resource.text(tag(DAV, "displayname"))
        collections.append(
            Collection(
                resource.url,
                name or path_of(resource.url).rstrip("/").rsplit("/", 1)[-1],
                frozenset(comp.get("name", "").upper() for comp in components),
            )
        )
    return collections


def _chosen(
    session: DavSession,
    home: str,
    found: list[Collection],
    named: str,
    component: str,
    default: str,
) -> tuple[Collection, bool]:
    """The calendar named by the owner (it must be there), else the one of Rapport's
    name, made if missing; and whether it was made."""
    wanted = named.strip() or default
    for collection in found:
        if collection.is_named(wanted) and _holds(collection, component):
            return collection, False
    if named.strip():
        there = ", ".join(f"“{c.name}”" for c in found if _holds(c, component)) or "none"
        raise AccountError(
            f"There is no calendar named “{named.strip()}” on {session.where} "
            f"(there: {there}). Name one of those, or none for “{default}”."
        )
    return make_calendar(session, home, default, component), True


def make_calendar(session: DavSession, home: str, name: str, component: str) -> Collection:
    """MKCALENDAR a collection for `component` named `name`, in the home set."""
    slug = "rapport-dates" if component == "VEVENT" else "rapport-follow-ups"
    url = (home if home.endswith("/") else home + "/") + quote(slug) + "/"
    body = MAKE_CALENDAR.format(name=_xml_text(name), component=component).encode()
    answer = session.request("MKCALENDAR", url, body, {"Content-Type": "application/xml"})
    if answer.status not in (200, 201):
        raise AccountError(
            f"{session.where} would not make the calendar “{name}” "
            f"(error {answer.status}); make it on the server "
            "and name it when adding the account."
        )
    return Collection(url, name, frozenset({component}))


def _holds(collection: Collection, component: str) -> bool:
    return not collection.components or component in collection.components


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
