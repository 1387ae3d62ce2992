"""The backup service in a real Qt event loop: daily in the background, and at quit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.clients.saving import save_client
from models.forms.dialog_forms import ClientForm
from models.store.backups import list_backups
from scheduler.daily_backup import BackupService

NOW = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def test_backs_up_at_start_then_only_when_a_day_has_passed(qtbot, database, tmp_path):
    save_client(ClientForm(first_name="Anna"))
    clock = Clock(NOW)
    service = BackupService(tmp_path / "rapport.sqlite", tmp_path / "backups", clock)
    with qtbot.waitSignal(service.backed_up, timeout=5000) as made:
        service.start()
    assert made.args[0].taken_at == NOW
    clock.moment += timedelta(hours=23)
    with qtbot.assertNotEmitted(service.backed_up, wait=200):
        service.back_up_if_due()
    clock.moment += timedelta(hours=1)
    with qtbot.waitSignal(service.backed_up, timeout=5000):
        service.back_up_if_due()
    clock.moment += timedelta(minutes=5)
    at_quit = service.stop_and_back_up()
    # One a day is kept: the one at quit replaces the one of the same day.
    assert [b.taken_at for b in list_backups(tmp_path / "backups")] == [at_quit.taken_at, NOW]


def test_a_failed_backup_says_what_to_do(qtbot, database, tmp_path):
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the folder should be")
    service = BackupService(tmp_path / "rapport.sqlite", blocked, lambda: NOW)
    with qtbot.waitSignal(service.failed, timeout=5000) as failure:
        service.start()
    assert "Check that the folder is writable" in failure.args[0]
    assert service.stop_and_back_up() is None
