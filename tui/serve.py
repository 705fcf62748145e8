"""Serving the app to a browser with textual-serve (each browser tab runs its own app process)."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

from cxzy_docs.store import to_url

LOCAL_HOST = "127.0.0.1"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the tui package


def app_command(db: str | Path | None, paths: list[str] | tuple[str, ...] = (), as_of: dt.date | None = None) -> str:
    """The shell command textual-serve runs for each browser: this Python, ``-m tui``, the store."""
    url = to_url(db)
    if url.startswith("sqlite:///"):  # a relative path must not depend on where the server runs
        url = "sqlite:///" + str(Path(url[len("sqlite:///"):]).resolve())
    args = [sys.executable, "-m", "tui", "--db", url, *(["--as-of", as_of.isoformat()] if as_of else []),
            *[str(Path(p).resolve()) for p in paths]]
    return shlex.join(args)


def serve(db: str | Path | None, *, host: str = LOCAL_HOST, port: int = 8000, as_of: dt.date | None = None) -> None:
    """Serve the app on http://host:port/ until Ctrl+C (only this machine can reach 127.0.0.1)."""
    from textual_serve.server import Server

    # the app process must find the tui package even when it is not installed
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(PACKAGE_ROOT) + (os.pathsep + path if path else "")
    Server(app_command(db, as_of=as_of), host=host, port=port, title="写实簿核对").serve()


if __name__ == "__main__":  # python -m tui.serve DB PORT: what the browser test starts
    serve(sys.argv[1], port=int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
