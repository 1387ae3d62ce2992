"""Database work on a worker thread, reported on the Qt main thread.
Used by scheduler/ and ui/; imports models/ only (and QtCore)."""
