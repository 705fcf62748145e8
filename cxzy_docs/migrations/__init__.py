"""The store's schema, created and upgraded by alembic; the scripts ship inside the package.

``upgrade(conn)`` brings the database behind an open connection (inside its transaction) to the
newest revision. A store made by cxzy-docs before migrations existed (``cxzy_meta`` schema_version 1,
no ``alembic_version`` table) is first stamped as revision ``0001`` (exactly that schema), then
upgraded like any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HEAD = "0002"  # the newest revision (tests check it against the scripts)
REVISION_OF_VERSION = {1: "0001", 2: "0002"}  # cxzy_meta schema_version -> alembic revision


def _config(conn: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(conn: Any, stamp_first: str | None = None) -> None:
    """Upgrade to :data:`HEAD` on ``conn`` (in its transaction); ``stamp_first``: the revision an
    unversioned store is at."""
    from alembic import command

    cfg = _config(conn)
    if stamp_first:
        command.stamp(cfg, stamp_first)
    command.upgrade(cfg, HEAD)


def script_head() -> str | None:
    """The head revision the shipped scripts declare."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return ScriptDirectory.from_config(cfg).get_current_head()
