"""Tolerances of the readers and the extractor, in one validated settings object."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

MIB = 1024 * 1024

# Opening OOXML zips (safezip): refused by the sizes the zip declares, before anything is inflated.
DEFAULT_MAX_FILE_SIZE = 200 * MIB  # the file itself, compressed
DEFAULT_MAX_TOTAL_UNCOMPRESSED = 256 * MIB  # all entries together, as declared
DEFAULT_MAX_PART_SIZE = 64 * MIB  # one XML part read and parsed
DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_MAX_COMPRESSION_RATIO = 200.0  # declared size / compressed size of one entry
DEFAULT_RATIO_MIN_SIZE = 1 * MIB  # entries smaller than this are not ratio-checked

# Extracting a record from a grid.
DEFAULT_MIN_FORM_LABELS = 3  # distinct labels of a record book needed to accept a file as one
DEFAULT_MAX_NAME_LENGTH = 12  # characters (spaces removed) a signer's name may have
DEFAULT_MAX_YEAR_LINE = 40  # a cover line or title cell holding the year is at most this long
DEFAULT_ATTACH_PAGES = True  # append marked attached pages (附页) to the box they continue

# File readers (pdf, xlsx, legacy): bounds for hostile or huge inputs.
DEFAULT_PDF_MAX_PAGES = 200  # a longer PDF is refused by its page count, before any page is read
DEFAULT_SHEET_MAX_ROWS = 2000  # rows of one worksheet read; the rest is cut with a warning
DEFAULT_SHEET_MAX_COLS = 64  # columns of one worksheet read
DEFAULT_MAX_CELL_CHARS = 32767  # characters kept of one cell (Excel's own limit)
DEFAULT_CONVERT_TIMEOUT = 180  # seconds LibreOffice may take to convert a batch of old files


@dataclass(frozen=True)
class ReadSettings:
    """How tolerant the readers are; every value is checked, errors name the setting.

    ``ReadSettings.resolve(None)`` gives the defaults; a dict overrides some of them:
    ``ReadSettings.resolve({"max_entries": 500})``.
    """

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_total_uncompressed: int = DEFAULT_MAX_TOTAL_UNCOMPRESSED
    max_part_size: int = DEFAULT_MAX_PART_SIZE
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO
    ratio_min_size: int = DEFAULT_RATIO_MIN_SIZE
    min_form_labels: int = DEFAULT_MIN_FORM_LABELS
    max_name_length: int = DEFAULT_MAX_NAME_LENGTH
    max_year_line: int = DEFAULT_MAX_YEAR_LINE
    attach_pages: bool = DEFAULT_ATTACH_PAGES
    pdf_max_pages: int = DEFAULT_PDF_MAX_PAGES
    sheet_max_rows: int = DEFAULT_SHEET_MAX_ROWS
    sheet_max_cols: int = DEFAULT_SHEET_MAX_COLS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    convert_timeout: int = DEFAULT_CONVERT_TIMEOUT

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("bool", bool):
                if not isinstance(value, bool):
                    raise ValueError(f"设置 {f.name} 应为 true 或 false，实际为 {value!r}")
                continue
            kind = float if f.type in ("float", float) else int
            ok = isinstance(value, int | float) if kind is float else isinstance(value, int)
            if isinstance(value, bool) or not ok:
                raise ValueError(f"设置 {f.name} 应为{'数值' if kind is float else '整数'}，实际为 {value!r}")
            if value < (1 if f.name != "ratio_min_size" else 0):
                raise ValueError(f"设置 {f.name} 应为正数，实际为 {value!r}")

    @classmethod
    def resolve(cls, settings: dict[str, Any] | ReadSettings | None = None) -> ReadSettings:
        """Settings from ``None`` (defaults), a dict of overrides, or an instance (as is)."""
        if settings is None:
            return DEFAULTS
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, dict):
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(settings) - known)
            if unknown:
                raise ValueError(f"未知的设置：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
            return cls(**settings)
        raise ValueError(f"设置应为 None、dict 或 ReadSettings，实际为 {type(settings).__name__}")


DEFAULTS = ReadSettings()
