"""Old Office files (.doc .xls, WPS .wps .et, .rtf, .odt .ods, Word's HTML .doc) via headless LibreOffice."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from cxzy_docs.errors import DependencyMissing, ReadError, os_reason
from cxzy_docs.read.settings import ReadSettings

INSTALL_HINT = "需要安装 LibreOffice：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"

# sniffed kind -> (extension LibreOffice is shown, target format)
TARGETS = {
    "doc": (".doc", "docx"),
    "rtf": (".rtf", "docx"),
    "odt": (".odt", "docx"),
    "html": (".htm", "docx"),
    "xls": (".xls", "xlsx"),
    "ods": (".ods", "xlsx"),
}
# Export filters named in full: HTML opens in Writer/Web, which has no plain "docx" export.
FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "pdf": "pdf:writer_pdf_Export",
}
# what a document is shown to LibreOffice as, to be printed to PDF (the debug view of a Word file)
PRINTABLE = {"docx": ".docx", "doc": ".doc", "rtf": ".rtf", "odt": ".odt", "html": ".htm"}


def soffice() -> str | None:
    """The LibreOffice program, if installed (``CXZY_SOFFICE`` overrides the search)."""
    env = os.environ.get("CXZY_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def _profile_dir() -> Path:
    """A LibreOffice user profile private to this process, so that concurrent runs do not clash
    (a reading worker is given one by the process that started it, which removes it at exit)."""
    given = os.environ.get("CXZY_LO_PROFILE")
    if given and Path(given).is_dir():
        return Path(given)
    root = Path(tempfile.mkdtemp(prefix="cxzy-lo-profile-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def convert_legacy(
    items: Sequence[tuple[str | Path, str]], outdir: str | Path, *, settings: Any = None
) -> dict[str, Path | ReadError]:
    """Convert many ``(path, kind)`` files in one LibreOffice call per target format.

    ``kind`` is what :func:`cxzy_docs.read.sniff.sniff` said (``doc``, ``xls``, ``rtf``, ...).
    Returns, for each path as given, the converted file in ``outdir`` or the error for that file.
    Raises :class:`DependencyMissing` (naming the first file) when LibreOffice is not installed.
    """
    s = ReadSettings.resolve(settings)
    out: dict[str, Path | ReadError] = {}
    if not items:
        return out
    program = soffice()
    if program is None:
        raise DependencyMissing(INSTALL_HINT, file=str(items[0][0]))
    outdir = Path(outdir)
    stage = Path(tempfile.mkdtemp(prefix="in-", dir=outdir))
    by_target: dict[str, list[tuple[str, Path]]] = {}
    for i, (path, kind) in enumerate(items):
        if kind not in TARGETS:
            out[str(path)] = ReadError(f"不能用 LibreOffice 转换这种文件（{kind}）", file=str(path))
            continue
        ext, target = TARGETS[kind]
        staged = stage / f"f{i:05d}{ext}"  # neutral names: no clashes, no odd characters on the command line
        try:
            os.symlink(Path(path).resolve(), staged)
        except OSError:
            shutil.copyfile(path, staged)
        by_target.setdefault(target, []).append((str(path), staged))
    for target, files in by_target.items():
        _run(program, target, [f for _, f in files], outdir, s.convert_timeout, files[0][0])
        for given, staged in files:
            result = outdir / f"{staged.stem}.{target}"
            if result.is_file() and result.stat().st_size > 0:
                out[given] = result
            else:
                out[given] = ReadError(
                    "LibreOffice 无法转换此文件（文件可能已损坏、加密或不是 Office 文件）", file=given
                )
    shutil.rmtree(stage, ignore_errors=True)
    return out


def _run(program: str, target: str, files: list[Path], outdir: Path, timeout: int, first: str) -> None:
    cmd = [
        program,
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        FILTERS[target],
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    from cxzy_docs.read.worker import for_libreoffice

    try:
        with for_libreoffice():  # in a reading worker: LibreOffice gets an address-space cap of its own
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
    except OSError as exc:
        raise DependencyMissing(
            f"无法启动 LibreOffice（{os_reason(exc)}）；{INSTALL_HINT}", file=first
        ) from None
    from cxzy_docs.read.worker import child_started

    child_started(proc.pid)  # in a reading worker: its group is killed with the worker on parse_timeout
    try:
        proc.wait(timeout=timeout + 10 * len(files))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin: end the whole group it leads
        proc.wait()


def print_to_pdf(path: str | Path, kind: str, outdir: str | Path, *, settings: Any = None) -> Path:
    """The file printed to PDF by LibreOffice, as Word would lay it out on pages (into ``outdir``)."""
    s = ReadSettings.resolve(settings)
    program = soffice()
    if program is None:
        raise DependencyMissing(INSTALL_HINT, file=str(path))
    if kind not in PRINTABLE:
        raise ReadError(f"不能用 LibreOffice 打印这种文件（{kind}）", file=str(path))
    outdir = Path(outdir)
    stage = Path(tempfile.mkdtemp(prefix="in-", dir=outdir))
    staged = stage / f"print{PRINTABLE[kind]}"
    try:
        os.symlink(Path(path).resolve(), staged)
    except OSError:
        shutil.copyfile(path, staged)
    _run(program, "pdf", [staged], outdir, s.convert_timeout, str(path))
    shutil.rmtree(stage, ignore_errors=True)
    result = outdir / "print.pdf"
    if not result.is_file() or result.stat().st_size == 0:
        raise ReadError("LibreOffice 无法把此文件转为 PDF（文件可能已损坏）", file=str(path))
    return result


def read_legacy(path: str | Path, kind: str, *, settings: Any = None) -> Any:
    """Convert one old file with LibreOffice and read the result (a Grid); ``grid.format`` says how."""
    with tempfile.TemporaryDirectory(prefix="cxzy-convert-") as tmp:
        result = convert_legacy([(path, kind)], tmp, settings=settings)[str(path)]
        if isinstance(result, ReadError):
            raise result
        return grid_of_converted(path, kind, result, settings=settings)


def grid_of_converted(path: str | Path, kind: str, converted: Path, *, settings: Any = None) -> Any:
    """Read a file LibreOffice made from ``path``, naming the original in the Grid and in errors."""
    target = TARGETS[kind][1]
    try:
        if target == "docx":
            from cxzy_docs.read.docx import read_docx

            grid = read_docx(converted)
        else:
            from cxzy_docs.read.xlsx import read_xlsx

            grid = read_xlsx(converted, settings=settings)
    except ReadError as exc:
        raise ReadError(f"转换为 {target} 后仍无法读取：{exc.detail}", file=str(path)) from None
    grid.source = str(path)
    grid.format = f"{kind}->{target}"
    for cell in grid.cells:
        cell.where = cell.where.replace(str(converted), str(path))
    return grid
