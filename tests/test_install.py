"""An installed copy (a wheel, run from another folder) finds its templates and works."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installed_elsewhere_finds_templates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = dist.glob("cxzy_docs-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "cxzy_docs/templates/docx/word/styles.xml" in names
    assert "cxzy_docs/schema/record.schema.json" in names
    assert "cxzy_docs/check/review_model.json" in names  # the review reader's weights

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # The dependencies are those of the Python running the tests, whether that is a system Python or
    # a virtual environment itself (a nested venv's "system site packages" would be the wrong ones):
    # their folders go on the new environment's path as plain entries, so the checkout's editable
    # install (a .pth hook in those folders) stays out of it.
    target = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    parents = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(target) / "_test_dependencies.pth").write_text("\n".join(parents) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "-q",
            "--root-user-action=ignore",
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH"
    }  # a checkout on the path is not an install
    probe = subprocess.run(
        [
            str(py),
            "-c",
            "import cxzy_docs, cxzy_docs.resources as r; print(cxzy_docs.__file__); print(r.templates_dir())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert str(ROOT) not in probe[0], "the installed copy, not the checkout, must be imported"
    assert probe[1].startswith(str(env_dir))
    out = elsewhere / "out"
    run = subprocess.run(
        [
            str(env_dir / "bin" / "cxzy"),
            "blank",
            "--roster",
            str(ROOT / "samples" / "roster.csv"),
            "--year",
            "2025",
            "--out",
            str(out),
            "--format",
            "docx",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(list(out.glob("*.docx"))) >= 20
