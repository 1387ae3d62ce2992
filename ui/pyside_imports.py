"""Imports after PySide6 without reading every module's source through `inspect`.

Once PySide6 is imported, its import hook asks of every module imported after it whether
the module uses PySide6 (for `from __feature__ import ...`, which Rapport does not use),
by searching `inspect.getsource(module)` for "PySide6": linecache and inspect for each of
the ~300 modules the window imports, about a tenth of the start's CPU time.
The same question answered from the file's bytes gives the same answer, quicker.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (installs the import hook this speeds up)


def read_sources_quickly() -> None:
    """Answer PySide6's "does this module use PySide6?" from the module's file."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_file", False):
        return  # another PySide6 (nothing to speed up), or done already

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built in, compiled or zipped: PySide6's own answer
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.reads_file = True
    feature._mod_uses_pyside = uses_pyside
