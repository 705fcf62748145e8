"""Shared fixtures: paths to the bundled test corpus and the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def forms_dev() -> Path:
    return DATA / "forms-dev"


@pytest.fixture
def samples() -> Path:
    return ROOT / "samples"
