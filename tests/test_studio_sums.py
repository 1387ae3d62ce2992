"""The Studio's figures stay exactly what they were while the way they are read changes.

tests/fixtures/studio_overview.txt holds overview()'s figures on tests/studio_sample.py's
varied studio, for three days and three zones, as the code before the kept per-day sums
(commit 0e91c70) computed them: every figure must stay the same, in the same order.
"""

from __future__ import annotations

from pathlib import Path

from models.insight.studio import overview
from tests.studio_sample import DAYS, ZONES, build_varied_studio

GOLDEN = Path(__file__).parent / "fixtures" / "studio_overview.txt"


def overviews() -> str:
    """overview()'s figures for each day and zone, one repr a line."""
    return "".join(f"{day} {zone.key}: {overview(day, zone)!r}\n" for day in DAYS for zone in ZONES)


def test_every_studio_figure_stays_what_it_was(database):
    build_varied_studio()
    assert overviews() == GOLDEN.read_text()
