"""Shared fixtures: paths to the bundled test corpus and the samples."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def forms_dev() -> Path:
    return DATA / "forms-dev"


@pytest.fixture
def samples() -> Path:
    return ROOT / "samples"


@pytest.fixture(scope="session")
def pg() -> Iterator[Any]:
    """One private PostgreSQL server for the session (tests/pgserver.py; scripts/setup.sh installs it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pgserver

    server = pgserver.start()
    if server is None:
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
    try:
        yield server
    finally:
        server.stop()


_DB_COUNTER = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: an SQLite file, or a new database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'shared.db'}?timeout=30"
        return
    server = request.getfixturevalue("pg")
    name = f"t{os.getpid()}_{next(_DB_COUNTER)}"
    server.psql(f"CREATE DATABASE {name} OWNER cxzy")
    yield server.url.rsplit("/", 1)[0] + f"/{name}"
