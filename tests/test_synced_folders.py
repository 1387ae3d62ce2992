from pathlib import Path

import pytest

from models.store.synced_folders import sync_service_of


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/home/lena/Dropbox/studio/rapport.sqlite", "Dropbox"),
        ("/home/lena/Dropbox (Studio Lena)/rapport.sqlite", "Dropbox"),
        ("C:/Users/lena/OneDrive - Studio/rapport.sqlite", "OneDrive"),
        ("/Users/lena/Library/Mobile Documents/com~apple~CloudDocs/rapport.sqlite", "iCloud Drive"),
        ("/home/lena/Nextcloud/rapport.sqlite", "Nextcloud"),
        ("/home/lena/.local/share/Rapport/rapport.sqlite", None),
        ("/home/dropboxer/rapport.sqlite", None),  # a name that only starts alike
        ("/home/lena/dropbox.sqlite", None),  # the file itself does not count
    ],
)
def test_sync_folders_are_recognised(path, service):
    assert sync_service_of(Path(path)) == service
