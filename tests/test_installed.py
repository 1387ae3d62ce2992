"""Installed like an app: pip installs every package and asset, `rapport --version`, the
menu entry, icons and metainfo pass the desktop's validators, "Open with Rapport" on a
vCard shows its import preview (also in a Rapport already running), and the autostart
entry starts the installed command. (tests/test_packaging.py builds and installs the .deb.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from configparser import ConfigParser
from importlib.metadata import version
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import cli
import main
from models.about import APP_ID, bundled_libraries, rapport_version
from tests.ui_helpers import when_dialog_opens
from ui.autostart import autostart_file, desktop_entry, set_start_at_login
from ui.dialogs.import_preview_dialog import ImportPreviewDialog
from ui.single_instance import SingleInstance

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berger\r\nN:Berger;Anna;;;\r\n"
    "EMAIL:anna@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jonas Weber\r\nN:Weber;Jonas;;;\r\nEND:VCARD\r\n"
)


def test_pip_installs_every_module_and_asset_and_the_rapport_command(tmp_path):
    """A non-editable install (as pip and pipx make it) has every subpackage, the assets
    and the user guide, and its `rapport` command runs from anywhere."""
    source = tmp_path / "source"  # a copy: setuptools builds in the tree it is given
    left_out = (".*", "build", "dist", "*.egg-info", "tests", "bench", "screenshots")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*left_out))
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--target", str(target), str(source)],
        check=True,
        cwd=tmp_path,
    )  # fmt: skip
    for package in ("models", "ui", "scheduler", "background"):
        for source in (ROOT / package).rglob("*.py"):
            assert (target / source.relative_to(ROOT)).is_file(), source
    for asset in (ROOT / "assets").rglob("*"):
        assert (target / asset.relative_to(ROOT)).exists(), asset
    assert (target / "docs" / "user-guide.md").is_file()
    env = {**os.environ, "PYTHONPATH": str(target), "HOME": str(tmp_path)}
    command = [str(target / "bin" / "rapport")]
    said = subprocess.run(
        [*command, "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert said.stdout == f"Rapport {version('rapport')}\n"
    (tmp_path / "cards.vcf").write_text(CARDS, encoding="utf-8")
    imported = subprocess.run(
        [*command, "import", "cards.vcf", "--db", "r.sqlite"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert "Added 2 clients" in imported.stdout


def test_the_version_has_one_home_and_every_library_a_licence():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'version = "{rapport_version()}"' in pyproject
    metainfo = ElementTree.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert metainfo.find("releases/release").get("version") == rapport_version()
    libraries = {library.name: library.licence for library in bundled_libraries()}
    assert {"PySide6_Essentials", "shiboken6", "peewee", "Python"} <= set(libraries)
    assert "unknown" not in libraries.values()


def test_the_menu_entry_icons_and_metainfo_pass_the_desktop_s_validators():
    entry = LINUX / f"{APP_ID}.desktop"
    metainfo = LINUX / f"{APP_ID}.metainfo.xml"
    checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    checked = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
    desktop = ConfigParser(interpolation=None)
    desktop.read(entry)
    section = desktop["Desktop Entry"]
    assert section["Exec"] == "rapport %f" and section["Icon"] == APP_ID
    assert "text/vcard" in section["MimeType"].split(";")
    for size in (48, 128, 256):
        icon = QImage(str(LINUX / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"))
        assert (icon.width(), icon.height()) == (size, size)
    shots = ElementTree.parse(metainfo).getroot().findall("screenshots/screenshot/image")
    assert shots
    for shot in shots:  # each one is a screenshot the repository keeps up to date
        assert (ROOT / "docs" / "screenshots" / shot.text.rsplit("/", 1)[1]).is_file()


def test_rapport_file_is_read_as_a_file_to_open_and_a_typo_is_said(tmp_path, capsys):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS, encoding="utf-8")
    assert main.parse_args([str(cards)]).file == cards
    assert main.parse_args(["--db", "x.sqlite", str(cards)]).command is None
    assert main.parse_args(["today", "--db", "x.sqlite"]).command == "today"
    with pytest.raises(SystemExit):
        main.parse_args(["todya"])
    assert "todya is neither a file nor a command" in capsys.readouterr().err


def test_every_command_is_told_from_a_file_and_named_in_the_help(capsys):
    """main.py tells a command from a file by cli.COMMANDS, without building the parsers:
    the names must be those of the parsers add_commands builds, each of them."""
    commands = main.options_parser().add_subparsers(dest="command")
    cli.add_commands(commands)
    assert tuple(commands.choices) == cli.COMMANDS
    for name in cli.COMMANDS:
        with pytest.raises(SystemExit):
            main.parse_args([name, "--help"])
        assert f"usage: rapport {name}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main.parse_args(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps its lines
    assert f"(rapport COMMAND --help): {', '.join(cli.COMMANDS)}." in help_text


def test_open_with_rapport_shows_the_file_s_import_preview(qtbot, window, tmp_path):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS, encoding="utf-8")
    people = []

    def preview(dialog: ImportPreviewDialog) -> None:
        people.append(dialog.people.model().rowCount())
        assert dialog.parentWidget() is window  # the preview is the window's, in front of it
        dialog.reject()

    window.showMinimized()  # in the task bar when the file is opened with Rapport
    when_dialog_opens(preview, kind=ImportPreviewDialog)
    window.import_file(cards)
    # Which window has the focus is the window manager's call (there is none under Xvfb):
    # Rapport's part is to show itself normal and raised before the preview.
    assert window.isVisible() and not window.isMinimized()
    qtbot.waitUntil(lambda: bool(people) and not window.import_flow.busy, timeout=10000)
    assert people == [2]


def test_vcards_opened_together_are_previewed_one_after_the_other(qtbot, window, tmp_path):
    """Opening two files at once starts Rapport twice: the second file waits its turn."""
    (tmp_path / "two.vcf").write_text(CARDS, encoding="utf-8")
    (tmp_path / "one.vcf").write_text(CARDS.split("END:VCARD")[0] + "END:VCARD\r\n")
    people = []

    def preview(dialog: ImportPreviewDialog) -> None:
        people.append(dialog.people.model().rowCount())
        if len(people) == 1:
            when_dialog_opens(preview, kind=ImportPreviewDialog)
        dialog.reject()

    when_dialog_opens(preview, kind=ImportPreviewDialog)
    window.import_file(tmp_path / "two.vcf")
    window.import_file(tmp_path / "one.vcf")
    qtbot.waitUntil(lambda: len(people) == 2 and not window.import_flow.busy, timeout=10000)
    assert people == [2, 1]


def test_a_second_start_with_a_file_hands_it_to_the_running_rapport(qapp, qtbot, tmp_path):
    first = SingleInstance(tmp_path / "rapport.sqlite")
    assert first.acquire()
    (tmp_path / "cards.vcf").write_text(CARDS, encoding="utf-8")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    try:
        with qtbot.waitSignal(first.file_received, timeout=15000) as received:
            second = subprocess.Popen(
                [sys.executable, str(ROOT / "main.py"), "--db", "rapport.sqlite", "cards.vcf"],
                cwd=tmp_path,  # a relative name: the running Rapport is elsewhere
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
        output, _ = second.communicate(timeout=15)
    finally:
        first.release()
    assert received.args == [tmp_path / "cards.vcf"]
    assert second.returncode == 0
    assert f"It shows what importing {tmp_path / 'cards.vcf'} would add." in output


def test_the_autostart_entry_starts_the_installed_command(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # the .deb's bundle
    monkeypatch.setattr(sys, "executable", "/opt/rapport/rapport")
    assert 'Exec="/opt/rapport/rapport" --minimized' in desktop_entry()

    monkeypatch.setattr(sys, "frozen", False)
    venv = tmp_path / "pipx" / "venvs" / "rapport" / "bin"  # pip or pipx
    venv.mkdir(parents=True)
    monkeypatch.setattr(sys, "executable", str(venv / "python"))
    (venv / "rapport").write_text("#!/bin/sh\n")
    assert f'Exec="{venv / "rapport"}" --minimized' in desktop_entry()

    (venv / "rapport").unlink()  # a checkout's venv without the command
    assert f'Exec="{venv / "python"}" "{ROOT / "main.py"}" --minimized' in desktop_entry()
    set_start_at_login(True)
    checked = subprocess.run(
        ["desktop-file-validate", str(autostart_file())], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
