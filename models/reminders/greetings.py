"""Which important dates still greet: one rule for the reminders and the phone's calendar.

A date whose greetings are off (on the date, on its client, or for a couple's wedding
anniversary on the partner) reminds no more. A couple's wedding anniversary reminds once:
when both partners hold it, only the one of the partner with the lower id, and greetings
off on either partner's copy silence it (it is one anniversary: the copy left on must not
take over from the one turned off). The phone's calendar had its own rule, without the
couple's: both copies became events there.
"""

from __future__ import annotations

from peewee import JOIN, SQL, Case, Expression, fn

from models.store.entities import Client, ImportantDate

# The date's client's partner, joined as `Partner` by the queries that use `greeted`.
Partner = Client.alias("partner")
_PartnersDate = ImportantDate.alias("partners_date")


def greeted() -> Expression:
    """SQL, on the dates joined with their client and (LEFT OUTER, on Client.partner)
    `Partner`: the dates that still greet."""
    couples = (
        (ImportantDate.kind == "wedding_anniversary")
        & ImportantDate.family_member.is_null()
        & Client.partner.is_null(False)
    )
    # The partner's copy reminds instead (the lower id's), or silences it (greetings off).
    partner_holds_it = fn.EXISTS(
        _PartnersDate.select(SQL("1")).where(
            (_PartnersDate.client == Client.partner)
            & ((Client.partner < Client.id) | _PartnersDate.no_greetings)
            & (_PartnersDate.kind == "wedding_anniversary")
            & _PartnersDate.family_member.is_null()
            & (_PartnersDate.month == ImportantDate.month)
            & (_PartnersDate.day == ImportantDate.day)
        )
    )
    # A CASE, so that the EXISTS runs for a couple's anniversary only: SQLite may evaluate
    # the terms of an AND or an OR in any order. No partner row: greetings on.
    partner_off = fn.COALESCE(Partner.no_greetings, 0)
    silent_couple = Case(None, [(couples, partner_off | partner_holds_it)], 0)
    return ~ImportantDate.no_greetings & ~Client.no_greetings & ~silent_couple


def with_partner(query):
    """`query` (at its join of Client) joined with the client's partner, as `greeted` needs."""
    return query.join(Partner, JOIN.LEFT_OUTER, on=(Client.partner == Partner.id))
