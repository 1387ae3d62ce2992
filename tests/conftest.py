"""Shared fixtures: every test that needs data gets a real SQLite file in tmp_path."""

from __future__ import annotations

import os

import pytest

# The suite runs on a real X server (Xvfb in CI); without one, Qt draws offscreen.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.database import db
from models.migrations import open_database


@pytest.fixture
def database(tmp_path):
    """A freshly migrated Rapport database file, bound to the models."""
    path = tmp_path / "rapport.sqlite"
    database = open_database(path)
    yield database
    database.close()
    db.initialize(None)
