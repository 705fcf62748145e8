"""One exception base for the toolkit; every message is Chinese and names the file and place."""

from __future__ import annotations


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
