"""The proof that Rapport installs like an app: build the .deb, install it with dpkg, run
what a user runs, remove it, and find the user's data still there.

Minutes long, so behind a marker: `bash rapport.sh test -m packaging` (.ci/run runs it once).
Needs root for dpkg (CI is root; elsewhere sudo is asked).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from bench.installed_start import (
    INSTALLED,
    folder_size,
    private_home,
    screen,
    wait_for_window,
)
from models.about import rapport_version

ROOT = Path(__file__).resolve().parent.parent
# Looked at after a run (docs/screenshots/installed-*.png are copies of one).
SCREENSHOTS = ROOT / "build" / "packaging-test"
SUDO = [] if os.geteuid() == 0 else ["sudo"]
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berger\r\nN:Berger;Anna;;;\r\n"
    "EMAIL:anna@example.org\r\nBDAY:1990-04-15\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jonas Weber\r\nN:Weber;Jonas;;;\r\nEND:VCARD\r\n"
)
MORE_CARDS = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Chloé Lefèvre\r\nN:Lefèvre;Chloé;;;\r\nEND:VCARD\r\n"


def wait_for_change(shown: QImage, timeout: float = 60) -> QImage:
    """The screen once it no longer shows `shown`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        image = screen()
        if image != shown:
            return image
        time.sleep(0.05)
    raise TimeoutError(f"the screen did not change in {timeout} s")


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.mark.packaging
@pytest.mark.timeout(3600)  # PyInstaller and compressing 140 MB on a busy machine
def test_the_deb_installs_runs_imports_and_leaves_the_data_when_removed(qapp, tmp_path):
    subprocess.run([sys.executable, str(ROOT / "packaging" / "make_packages.py")], check=True)
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    deb = ROOT / "dist" / f"rapport_{rapport_version()}_{arch}.deb"
    assert (ROOT / "dist" / f"rapport-{rapport_version()}-linux-{arch}.tar.gz").is_file()
    installed = run([*SUDO, "dpkg", "-i", str(deb)])
    assert installed.returncode == 0, installed.stderr
    home = tmp_path / "home"
    home.mkdir()
    env = private_home(home)
    database = home / ".local" / "share" / "Rapport" / "rapport.sqlite"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        assert folder_size(INSTALLED) <= 150 * 2**20  # the bundle stays small
        for path in ("/usr/share/applications/app.rapport.Rapport.desktop",
                     "/usr/share/icons/hicolor/scalable/apps/app.rapport.Rapport.svg",
                     "/usr/share/metainfo/app.rapport.Rapport.metainfo.xml"):  # fmt: skip
            assert Path(path).is_file(), path
        said = run(["/usr/bin/rapport", "--version"], env=env, cwd=tmp_path)
        assert said.stdout == f"Rapport {rapport_version()}\n", said.stderr

        app = subprocess.Popen(["/usr/bin/rapport"], env=env, cwd=tmp_path)
        try:
            frame = wait_for_window(app)  # painted before the database opens
            first_start = wait_for_change(frame)  # then Today's first-start card comes
            first_start.save(str(SCREENSHOTS / "first-start.png"))
            assert database.is_file()  # an empty database, made at the first start

            (tmp_path / "cards.vcf").write_text(CARDS, encoding="utf-8")
            imported = run(["/usr/bin/rapport", "import", "cards.vcf"], env=env, cwd=tmp_path)
            assert imported.returncode == 0, imported.stderr
            assert "Added 2 clients" in imported.stdout

            # "Open with Rapport" on a vCard while it runs: the running window shows it.
            (tmp_path / "more.vcf").write_text(MORE_CARDS, encoding="utf-8")
            handed = run(["/usr/bin/rapport", "more.vcf"], env=env, cwd=tmp_path)
            assert handed.returncode == 0, handed.stderr
            assert f"It shows what importing {tmp_path / 'more.vcf'} would add." in handed.stdout
            qapp.processEvents()
            time.sleep(3)  # the preview reads the file on a worker thread
            preview = wait_for_window(app)
            preview.save(str(SCREENSHOTS / "open-with-preview.png"))
            assert preview != first_start  # the preview is in front
        finally:
            app.terminate()
            app.wait(timeout=30)
    finally:
        removed = run([*SUDO, "dpkg", "-r", "rapport"])
    assert removed.returncode == 0, removed.stderr
    assert not Path("/usr/bin/rapport").exists() and not INSTALLED.exists()
    with sqlite3.connect(database) as kept:  # the user's data outlives the program
        names = {row[0] for row in kept.execute("SELECT first_name FROM client")}
    assert names == {"Anna", "Jonas"}
