"""Showing a picture to the person: in the browser when the TUI is served, else with the system's viewer."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

VIEWER_ENV = "CXZY_VIEWER"  # a command that opens an image file, e.g. "eog" or "feh -."


def viewer_command() -> list[str] | None:
    """The command that opens an image here: CXZY_VIEWER, else the desktop's opener; None if none."""
    given = os.environ.get(VIEWER_ENV, "").strip()
    if given:
        return shlex.split(given)
    for name in ("open",) if sys.platform == "darwin" else ("xdg-open",):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def open_image(path: Path) -> bool:
    """Open ``path`` with the viewer, not waiting for it; False when there is no viewer to use."""
    command = viewer_command()
    if command is None:
        return False
    try:
        subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
