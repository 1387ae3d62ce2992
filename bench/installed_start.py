"""The installed Rapport (the .deb's bundle) beside the developer's venv: its size on disk
and its start to the first painted window.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/installed_start.py [--runs 7]

Needs the .deb installed (`bash rapport.sh package`, then `dpkg -i dist/rapport_*.deb`).
Each start is a new process on an empty database in a HOME of its own (the file cache is
warm: dropping it needs root and slows everyone else on the machine); a start ends when
the window's pixels reach the X screen, seen from this process, and the runs alternate
between the two commands. Prints the installed size and the median start of each, and
their ratio (target: the installed one within 1.2x of the venv's).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QImage

ROOT = Path(__file__).resolve().parent.parent
INSTALLED = Path("/opt/rapport")
GIVE_UP_AFTER_S = 120


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def screen() -> QImage:
    return QGuiApplication.primaryScreen().grabWindow(0).toImage()


def is_blank(image: QImage) -> bool:
    """Xvfb's empty screen is one colour; a painted window is not (sampled, for speed)."""
    first = image.pixel(0, 0)
    step = 7
    return all(
        image.pixel(x, y) == first
        for y in range(0, image.height(), step * 5)
        for x in range(0, image.width(), step)
    )


def wait_for_window(process: subprocess.Popen, timeout: float = GIVE_UP_AFTER_S) -> QImage:
    """The screen once a window is painted on it (no window manager: nothing else draws)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} ended with {process.returncode}")
        image = screen()
        if not is_blank(image):
            return image
        time.sleep(0.02)
    raise TimeoutError(f"{process.args} showed no window in {timeout} s")


def private_home(folder: Path) -> dict[str, str]:
    """The environment of a first start: a new HOME, the XDG folders under it."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    runtime = {k: v for k, v in os.environ.items() if k == "XDG_RUNTIME_DIR"}  # the session's
    return {**kept, **runtime, "HOME": str(folder)}


def time_start(command: list[str]) -> float:
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=private_home(Path(home)))
        try:
            wait_for_window(process)
            return time.perf_counter() - started
        finally:
            process.kill()
            process.wait()
            while not is_blank(screen()):  # the next run starts on an empty screen
                time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--installed", default="/usr/bin/rapport")
    args = parser.parse_args()
    QGuiApplication(sys.argv[:1])
    commands = {
        "installed": [args.installed],
        "venv": [sys.executable, str(ROOT / "main.py")],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(time_start(command))
    installed, venv = (statistics.median(times[name]) for name in ("installed", "venv"))
    print(f"installed size: {folder_size(INSTALLED) / 2**20:.1f} MiB in {INSTALLED}")
    print(f"start to first window, median of {args.runs}:")
    print(f"  installed ({args.installed}): {installed:.2f} s")
    print(f"  venv (python main.py): {venv:.2f} s")
    print(f"  ratio: {installed / venv:.2f}x (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
