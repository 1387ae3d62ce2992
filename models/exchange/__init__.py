"""In from other address books and out to them: import, vCard, calendar, archive."""
