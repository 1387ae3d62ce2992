"""A process's own peak memory, for the benchmarks that start processes."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_kib() -> int:
    """This process's peak resident set size, in KiB.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over an exec, so a process
    started by a large parent (bench/run.py, through vfork) reports the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
