"""Whether a database lives in a folder that a sync service (Dropbox...) copies around.

Sync services copy the database file while SQLite writes it, and can corrupt it; the
owner should keep the live file local and let backups go to the synced folder instead.
"""

from __future__ import annotations

from pathlib import Path

# Folder names the services create, as they appear in a path (compared ignoring case).
SYNC_SERVICES = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "icloudDrive".casefold(): "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "mydrive": "Google Drive",
}


def sync_service_of(path: Path) -> str | None:
    """The sync service whose folder holds `path`, e.g. "Dropbox", or None."""
    for part in path.parent.parts:
        folded = part.casefold()
        for marker, service in SYNC_SERVICES.items():
            # "Dropbox", "Dropbox (Studio)", "OneDrive - Company"; not "dropboxer"
            if folded == marker or folded.startswith((f"{marker} ", f"{marker}-")):
                return service
    return None
