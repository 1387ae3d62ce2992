"""The database file, its schema and what is kept beside it: backups, settings,
the search index, the checks; every copy private to the owner."""
