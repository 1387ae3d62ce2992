"""Syncing with the owner's servers: CardDAV address books (and CalDAV calendars)."""
