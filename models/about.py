"""What Rapport is: its version, and the libraries it runs on with their licences.

The version has one home, pyproject.toml: an installed Rapport (pip, pipx, the .deb's
bundle, which carries the package metadata) reads it from there through importlib.metadata;
a checkout that was never installed reads the file itself.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The desktop's name for Rapport: its menu entry, icon and metainfo (packaging/linux/).
APP_ID = "app.rapport.Rapport"
ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# Shipped beside the packages (pip's package data, the bundle's data): Help opens it.
USER_GUIDE = ROOT / "docs" / "user-guide.md"

# Packages whose metadata names no licence at all; what their licence file says.
LICENCE_FILES_SAY = {"peewee": "MIT"}


# importlib.metadata and tomllib load when asked (--version, Help → About): every start
# of the window would otherwise pay for them (about 15 ms).


def rapport_version() -> str:
    import tomllib
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapport")
    except PackageNotFoundError:  # a checkout run with `python main.py`, never installed
        with PYPROJECT.open("rb") as file:
            return tomllib.load(file)["project"]["version"]


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def bundled_libraries() -> list[Library]:
    """Python and every package Rapport runs on (its dependencies and theirs, as
    installed here), each with its licence, sorted by name."""
    from importlib.metadata import PackageNotFoundError, distribution

    python = ".".join(map(str, sys.version_info[:3]))
    found: dict[str, Library] = {"python": Library("Python", python, "PSF-2.0")}
    waiting = _requirements("rapport")
    while waiting:
        name = waiting.pop()
        key = _key(name)
        if key in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:  # another platform's (winrt, rubicon-objc...)
            continue
        found[key] = Library(dist.metadata["Name"], dist.version, _licence(dist.metadata))
        waiting.extend(_requirements(name))
    found.pop("rapport", None)
    return sorted(found.values(), key=lambda library: library.name.lower())


def _requirements(name: str) -> list[str]:
    """The names `name` requires, leaving out optional extras (tests, docs)."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        requires = distribution(name).requires or []
    except PackageNotFoundError:  # a checkout: read the list from pyproject.toml
        with PYPROJECT.open("rb") as file:
            requires = tomllib.load(file)["project"]["dependencies"]
    return [
        re.match(r"[A-Za-z0-9._-]+", requirement).group()
        for requirement in requires
        if "extra ==" not in requirement
    ]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(metadata) -> str:
    """The SPDX expression when the package gives one, else its short licence field,
    else its trove classifiers' words."""
    if metadata.get("License-Expression"):
        return metadata["License-Expression"]
    field = (metadata.get("License") or "").strip()
    if field and len(field) < 60 and "\n" not in field and field != "Dual License":
        return field
    classifiers = [
        c.rsplit(" :: ", 1)[-1]
        for c in metadata.get_all("Classifier") or []
        if c.startswith("License :: ")
    ]
    return " / ".join(classifiers) or LICENCE_FILES_SAY.get(_key(metadata["Name"]), "unknown")
