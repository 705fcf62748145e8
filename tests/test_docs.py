"""The README documents what the code has: every command, every finding code, the set-up commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxzy_docs.check import RULES
from cxzy_docs.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"cxzy {command}" in README


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_finding_code_is_documented(code: str) -> None:
    assert f"`{code}`" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = [
        ln
        for ln in (ROOT / ".ci" / "run").read_text().splitlines()
        if ln.strip() and not ln.startswith(("#", "set ", "cd "))
    ]
    assert ci[-1] in README
    assert re.search(r"bash scripts/demo\.sh", README)


def test_project_never_reaches_outside_itself() -> None:
    """A user clones only this project: nothing may read the development workspace's shared folder."""
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix in {".py", ".sh", ".toml", ".cfg", ".j2"} or path.name in {"run", "Makefile"}:
            if ".git" in path.parts or "node_modules" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            if re.search(r"\.\./shared|/work/shared", text) and path.name != "test_docs.py":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_limit_is_documented() -> None:
    from dataclasses import fields

    from cxzy_docs.read.settings import ReadSettings

    for f in fields(ReadSettings):
        assert f"`{f.name}`" in README, f.name
