"""The house's rules on imports, checked by import-linter (contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    """No loops across layers, the core never imports the TUI, the TUI only uses the front door."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    done = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def test_the_package_re_exports_the_front_door() -> None:
    import cxzy_docs
    from cxzy_docs import api

    assert cxzy_docs.api is api
    for name in api.__all__:
        assert hasattr(api, name), name
    assert cxzy_docs.validate is api.validate and cxzy_docs.parse is api.parse


def test_importing_the_package_loads_no_feature() -> None:
    """``import cxzy_docs`` (every worker and every command does) stays cheap: nothing heavy comes with it."""
    code = (
        "import sys, cxzy_docs; heavy = [m for m in ('sqlalchemy', 'openpyxl', 'pdfplumber', 'cxzy_docs.api') "
        "if m in sys.modules]; assert not heavy, heavy"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
