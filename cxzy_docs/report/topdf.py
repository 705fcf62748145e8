"""DOCX to PDF through headless LibreOffice, in a private profile and a private staging folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from cxzy_docs.errors import DependencyMissing, RenderError
from cxzy_docs.report.output import write_output

TIMEOUT_S = 180
INSTALL_HINT = (
    "未找到 LibreOffice（soffice），无法生成 PDF；DOCX 已生成。"
    "请安装：apt-get install libreoffice-writer-nogui，或用 Word/WPS 另存为 PDF"
)


def docx_to_pdf(docx: str | Path, pdf: str | Path) -> Path:
    """Convert ``docx`` to ``pdf`` with ``soffice --headless --convert-to pdf``."""
    from cxzy_docs.read.legacy import soffice

    program = soffice()
    if program is None:
        raise DependencyMissing(INSTALL_HINT, file=str(pdf))
    with tempfile.TemporaryDirectory(prefix="cxzy-pdf-") as tmp:
        stage = Path(tmp)
        src = stage / "report.docx"  # a neutral name: no odd characters on the command line
        shutil.copyfile(docx, src)
        profile = (stage / "profile").as_uri()
        cmd = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(stage),
            str(src),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin: end the group it leads
            proc.wait()
            raise RenderError(f"LibreOffice 转换 PDF 超时（{TIMEOUT_S} 秒）", file=str(docx)) from None
        made = stage / "report.pdf"
        if not made.is_file() or made.stat().st_size == 0:
            raise RenderError("LibreOffice 未能生成 PDF", file=str(docx))
        return write_output(pdf, made.read_bytes())
