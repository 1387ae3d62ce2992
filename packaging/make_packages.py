"""Build Rapport for Linux users: the PyInstaller bundle, then a .deb and a .tar.gz of it.

    .venv/bin/python packaging/make_packages.py     (what `bash rapport.sh package` runs)

Writes dist/rapport_<version>_<arch>.deb and dist/rapport-<version>-linux-<arch>.tar.gz.
The .deb puts the bundle under /opt/rapport, links /usr/bin/rapport to it and adds the
menu entry, the icons and the AppStream metainfo; it depends on system libraries only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.about import APP_ID, rapport_version  # noqa: E402 (this checkout's)

LINUX = ROOT / "packaging" / "linux"
# What the bundle leaves to the system: the C library, the time zones, and the X, Wayland
# and OpenGL client libraries, which PyInstaller never bundles because they must match the
# machine's drivers.
DEPENDS = (
    "libc6, tzdata, libxcb1, libgl1, libegl1, libwayland-client0, libwayland-cursor0,"
    " libwayland-egl1"
)


def build_bundle(work: Path) -> Path:
    """The one-folder bundle (its own Python and Qt), built from packaging/rapport.spec."""
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(work / "bundle"), "--workpath", str(work / "pyinstaller"),
            str(ROOT / "packaging" / "rapport.spec"),
        ],
        check=True,
    )  # fmt: skip
    return work / "bundle" / "rapport"


def desktop_files(share: Path) -> None:
    """The menu entry, the icon in every size and the metainfo, under `share` as in
    /usr/share."""
    (share / "applications").mkdir(parents=True)
    shutil.copy(LINUX / f"{APP_ID}.desktop", share / "applications")
    shutil.copytree(LINUX / "icons", share / "icons")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(ROOT / "assets" / "rapport.svg", scalable / f"{APP_ID}.svg")
    (share / "metainfo").mkdir()
    shutil.copy(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo")


def size_in_kib(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir()) // 1024 + 1


def control(version: str, arch: str, installed_kib: int) -> str:
    return "\n".join(
        (
            "Package: rapport",
            f"Version: {version}",
            f"Architecture: {arch}",
            "Maintainer: The Rapport authors <rapport@localhost>",
            f"Installed-Size: {installed_kib}",
            f"Depends: {DEPENDS}",
            "Section: misc",
            "Priority: optional",
            "Description: keep in touch with your clients",
            " Rapport is a contact-care assistant for solo service providers: each",
            " client's history, notes, family and important dates, and reminders for",
            " birthdays, anniversaries, check-ins and follow-ups. Your data stays on",
            " your computer, in ~/.local/share/Rapport, also after Rapport is removed.",
            "",
        )
    )


def build_deb(bundle: Path, work: Path, out: Path, version: str, arch: str) -> Path:
    root = work / "deb"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "rapport", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "rapport").symlink_to("/opt/rapport/rapport")
    desktop_files(root / "usr" / "share")
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control(version, arch, size_in_kib(root)))
    deb = out / f"rapport_{version}_{arch}.deb"
    subprocess.run(
        # gzip: a third larger than xz, but built in a fifth of the time, and every dpkg
        # old or new reads it.
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb


def build_tarball(bundle: Path, work: Path, out: Path, version: str, arch: str) -> Path:
    """The bundle with share/ (menu entry, icons, metainfo) beside the program, to unpack
    anywhere: docs/user-guide.md says how to add it to the menu."""
    name = f"rapport-{version}"
    folder = work / "tar" / name
    shutil.rmtree(folder.parent, ignore_errors=True)
    shutil.copytree(bundle, folder, symlinks=True)
    desktop_files(folder / "share")
    tarball = out / f"{name}-linux-{arch}.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(folder, arcname=name)
    return tarball


def main() -> int:
    version = rapport_version()
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    work = ROOT / "build" / "package"
    out = ROOT / "dist"
    out.mkdir(exist_ok=True)
    os.umask(0o022)  # files in the package readable by every user of the machine
    bundle = build_bundle(work)
    for made in (
        build_deb(bundle, work, out, version, arch),
        build_tarball(bundle, work, out, version, arch),
    ):
        print(f"{made.relative_to(ROOT)}: {made.stat().st_size / 1e6:.1f} MB")
    print(f"installed: {size_in_kib(bundle) / 1024:.1f} MiB in /opt/rapport")
    return 0


if __name__ == "__main__":
    sys.exit(main())
