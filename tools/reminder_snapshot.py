"""Write every reminder of several windows, one per line, to compare two versions of Rapport.

A check to run by hand on a copy of a big database (the XL bench studio) before and after a
change to how reminders are read: the two files must be identical.

    .venv/bin/python tools/reminder_snapshot.py COPY.sqlite before.txt
    (change the code)
    .venv/bin/python tools/reminder_snapshot.py COPY.sqlite after.txt
    cmp before.txt after.txt

The windows: the bench's own (late November, Berlin), days around Feb 29 in a leap and in a
common year under both leap-day rules, the two DST change days, zones far from UTC (+14,
-11, a quarter-hour offset) and a window reaching back a year (the first look after Rapport
was closed a long time). Opening the copy migrates it if the code has a new migration; the
database is not written otherwise.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.reminders.store import collect_reminders, reminder_window  # noqa: E402
from models.store.migrations import open_database  # noqa: E402
from models.store.settings import set_setting  # noqa: E402

FIELDS = (
    "key",
    "client_id",
    "kind",
    "due_at",
    "occurs_on",
    "title",
    "text",
    "occasion",
    "for_family",
    "former_key",
    "template",
)
BERLIN = ZoneInfo("Europe/Berlin")
# (leap-day rule, now, zone, reminder time, since)
WINDOWS = (
    ("feb28", datetime(2026, 11, 24, 10, tzinfo=UTC), BERLIN, time(9), None),
    ("feb28", datetime(2028, 2, 27, 12, tzinfo=UTC), BERLIN, time(9), None),
    ("mar1", datetime(2028, 2, 29, 23, 30, tzinfo=UTC), BERLIN, time(9), None),
    ("feb28", datetime(2027, 2, 26, 8, tzinfo=UTC), ZoneInfo("Pacific/Kiritimati"), time(0), None),
    ("mar1", datetime(2027, 3, 1, 8, tzinfo=UTC), ZoneInfo("Pacific/Niue"), time(23, 59), None),
    ("feb28", datetime(2026, 3, 29, 0, 30, tzinfo=UTC), BERLIN, time(2, 30), None),
    ("feb28", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), BERLIN, time(2, 30), None),
    ("feb28", datetime(2026, 12, 30, 20, tzinfo=UTC), ZoneInfo("Asia/Kathmandu"), time(9), None),
    (
        "feb28",
        datetime(2026, 6, 1, 7, tzinfo=UTC),
        ZoneInfo("America/New_York"),
        time(9),
        datetime(2025, 1, 1, tzinfo=UTC),  # closed for a year and a half: a year back
    ),
)


def lines() -> list[str]:
    out = []
    for rule, now, zone, at, since in WINDOWS:
        set_setting("leap_day_rule", rule)
        reminders = collect_reminders(reminder_window(now, zone, at, since))
        out.append(f"# {rule} {now.isoformat()} {zone.key} {at} {since}: {len(reminders)}")
        out += sorted(repr(tuple(getattr(r, name) for name in FIELDS)) for r in reminders)
    set_setting("leap_day_rule", "feb28")
    return out


def main() -> None:
    database, target = Path(sys.argv[1]), Path(sys.argv[2])
    open_database(database)
    target.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    target.chmod(0o600)


if __name__ == "__main__":
    main()
