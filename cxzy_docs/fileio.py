"""Writing outputs safely: atomic writes, checked output folders, names that stay inside them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cxzy_docs.errors import RenderError, os_reason


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A reader never sees a half-written file, and a failed write leaves no partial output.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".cxzy-", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise RenderError(f"无法写入（{_why(exc)}）", file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise RenderError(f"无法写入（{_why(exc)}），未留下不完整的文件", file=str(path)) from None
        raise


def _why(exc: OSError) -> str:
    """An operating-system error on writing, in Chinese (the usual ones by name)."""
    import errno

    return {
        errno.ENOSPC: "磁盘空间已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EFBIG: "文件超过系统允许的大小",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "磁盘为只读",
        errno.EIO: "磁盘读写错误",
    }.get(exc.errno or 0, os_reason(exc))


def prepare_out_dir(out: str | Path) -> Path:
    """Create the output folder if needed and prove it writable, or raise a clear RenderError."""
    p = Path(out)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise RenderError("输出位置已存在且不是文件夹", file=str(out)) from None
    except OSError as exc:
        raise RenderError(f"无法创建输出文件夹（{os_reason(exc)}）", file=str(out)) from None
    if not p.is_dir():
        raise RenderError("输出位置不是文件夹", file=str(out))
    try:
        fd, probe = tempfile.mkstemp(prefix=".cxzy-probe-", dir=p)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RenderError(f"输出文件夹不可写（{os_reason(exc)}）", file=str(out)) from None
    return p


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would land outside ``folder``."""
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise RenderError(f"文件名 {name!r} 会写到输出文件夹之外，已拒绝", file=str(folder))
    return target
