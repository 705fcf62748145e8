"""One exception base for the toolkit; every message is Chinese and names the file and place."""

from __future__ import annotations

import errno as _errno

_OS_REASONS = {
    _errno.ENOENT: "文件或文件夹不存在",
    _errno.EACCES: "没有权限",
    _errno.EPERM: "没有权限",
    _errno.EISDIR: "这是文件夹，不是文件",
    _errno.ENOTDIR: "路径中有一段不是文件夹",
    _errno.EEXIST: "已存在",
    _errno.ENOSPC: "磁盘空间已满",
    _errno.EDQUOT: "超出磁盘配额",
    _errno.EFBIG: "文件超过系统允许的大小",
    _errno.EROFS: "磁盘为只读",
    _errno.EIO: "磁盘读写错误",
    _errno.EBUSY: "文件被其他程序占用",
    _errno.ENAMETOOLONG: "文件名过长",
    _errno.ELOOP: "路径中的链接循环",
    _errno.EMFILE: "同时打开的文件过多",
}


def os_reason(exc: BaseException) -> str:
    """An operating-system error in Chinese (the usual ones by name, others by number)."""
    number = getattr(exc, "errno", None)
    if number in _OS_REASONS:
        return _OS_REASONS[number]
    return f"系统错误，错误号 {number}" if number else "系统错误"


class CxzyError(Exception):
    """Base of every error the toolkit raises on purpose.

    ``file`` is the input or output path concerned, ``where`` the place inside it (a row, a
    sheet, a field path), ``detail`` what is wrong, in Chinese for the user.
    """

    def __init__(self, detail: str, *, file: str | None = None, where: str | None = None) -> None:
        self.detail = detail
        self.file = file
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.where:
            parts.append(str(self.where))
        head = "，".join(parts)
        return f"{head}：{self.detail}" if head else self.detail


class RecordError(CxzyError):
    """A records JSON file (or a record in memory) does not fit ``cxzy.record/1``."""


class RosterError(CxzyError):
    """A roster (花名册) cannot be read at all: missing file, missing required column."""


class RenderError(CxzyError):
    """A book could not be written: output folder unwritable, font missing, ..."""


class ReadError(CxzyError):
    """An input file could not be read as a record book."""


class UnknownFormError(ReadError):
    """The file was read but holds no known record book layout (不是写实簿)."""


class DependencyMissing(CxzyError):
    """A system tool the feature needs (LibreOffice, tesseract, a CJK font) is not installed."""
