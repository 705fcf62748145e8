"""Tolerances of the readers and the extractor, in one validated settings object."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

from cxzy_docs.errors import CxzyError

MIB = 1024 * 1024

# Opening OOXML zips (safezip): refused by the sizes the zip declares, before anything is inflated.
DEFAULT_MAX_FILE_SIZE = 200 * MIB  # the file itself, compressed
DEFAULT_MAX_TOTAL_UNCOMPRESSED = 256 * MIB  # all entries together, as declared
DEFAULT_MAX_PART_SIZE = 32 * MIB  # one XML part read and parsed (a book's document.xml is < 1 MB)
DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_MAX_COMPRESSION_RATIO = 200.0  # declared size / compressed size of one entry
DEFAULT_RATIO_MIN_SIZE = 1 * MIB  # entries smaller than this are not ratio-checked

# Extracting a record from a grid.
DEFAULT_MIN_FORM_LABELS = 3  # distinct labels of a record book needed to accept a file as one
DEFAULT_MAX_NAME_LENGTH = 12  # characters (spaces removed) a signer's name may have
DEFAULT_MAX_YEAR_LINE = 40  # a cover line or title cell holding the year is at most this long
DEFAULT_ATTACH_PAGES = True  # append marked attached pages (附页) to the box they continue

# File readers (pdf, xlsx, legacy): bounds for hostile or huge inputs.
DEFAULT_PDF_MAX_FILE_SIZE = 50 * MIB  # pdfminer holds about twice the file in memory
DEFAULT_PDF_MAX_PAGES = 200  # a longer PDF is refused by its page count, before any page is read
DEFAULT_MAX_PDF_PAGE_OPS = 50_000  # operators and operands of one PDF page (a form page has < 5,000)
DEFAULT_SHEET_MAX_ROWS = 2000  # rows of one worksheet read; the rest is cut with a warning
DEFAULT_SHEET_MAX_COLS = 64  # columns of one worksheet read
DEFAULT_MAX_CELL_CHARS = 32767  # characters kept of one cell or paragraph (Excel's own limit)
DEFAULT_MAX_NESTING_DEPTH = 32  # tables nested in tables (a book nests at most 2 deep)
DEFAULT_MAX_IMAGE_PIXELS = 80_000_000  # a scanned image larger than this is refused (decompression bombs)
DEFAULT_PARSE_TIMEOUT = 120  # seconds one file (a scan: each page) may take to read in a batch
DEFAULT_CONVERT_TIMEOUT = 180  # seconds LibreOffice may take to convert a batch of old files
DEFAULT_ISOLATE = True  # read every file in a worker process bounded in time and memory (Linux)
DEFAULT_WORKERS = 2  # reading workers a batch uses at once (each bounded on its own)
DEFAULT_MAX_MEMORY_MB = 300  # MB of address space a reading worker may add (RLIMIT_AS, enforced by the OS)
DEFAULT_MAX_RSS_MB = (
    200  # MB of resident memory reading one file may add (watchdog; damaged PDFs' xref recovery)
)
DEFAULT_OCR_MAX_RSS_MB = 1500  # MB reading one file by OCR may add (the RapidOCR engine alone is ~700 MB)

# Scans (OCR).
DEFAULT_OCR = True  # read scans and PDFs without a usable text layer by OCR (false: refuse them at once)
DEFAULT_OCR_ENGINE = "rapidocr"  # or "tesseract" (faster, less accurate on forms here)
OCR_ENGINES = ("rapidocr", "tesseract")
DEFAULT_OCR_LOW_CONFIDENCE = 0.8  # an OCR value below this is marked for a person to check
DEFAULT_OCR_DPI = 200  # pages are rasterised / scaled to this resolution before OCR
DEFAULT_OCR_MAX_PAGES = 200  # pages of one scanned file


LIMITS_ENV = "CXZY_LIMITS"
"""Environment variable overriding the defaults: ``CXZY_LIMITS="pdf_max_pages=400,max_file_size=500MB"``."""
_SIZE = re.compile(r"^(\d[\d_]*(?:\.\d+)?)\s*([KMG]I?B?|B)?$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 1024, "M": MIB, "G": 1024 * MIB}


class SettingsError(CxzyError, ValueError):
    """A limit given in ``CXZY_LIMITS`` is unknown or not a valid value."""


@dataclass(frozen=True)
class ReadSettings:
    """How tolerant the readers are; every value is checked, errors name the setting.

    ``ReadSettings.resolve(None)`` gives the defaults (as overridden by ``$CXZY_LIMITS``); a dict
    overrides some of them: ``ReadSettings.resolve({"max_entries": 500})``.
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
    pdf_max_file_size: int = DEFAULT_PDF_MAX_FILE_SIZE
    pdf_max_pages: int = DEFAULT_PDF_MAX_PAGES
    max_pdf_page_ops: int = DEFAULT_MAX_PDF_PAGE_OPS
    sheet_max_rows: int = DEFAULT_SHEET_MAX_ROWS
    sheet_max_cols: int = DEFAULT_SHEET_MAX_COLS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    max_nesting_depth: int = DEFAULT_MAX_NESTING_DEPTH
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    parse_timeout: int = DEFAULT_PARSE_TIMEOUT
    convert_timeout: int = DEFAULT_CONVERT_TIMEOUT
    isolate: bool = DEFAULT_ISOLATE
    workers: int = DEFAULT_WORKERS
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    max_rss_mb: int = DEFAULT_MAX_RSS_MB
    ocr_max_rss_mb: int = DEFAULT_OCR_MAX_RSS_MB
    ocr: bool = DEFAULT_OCR
    ocr_engine: str = DEFAULT_OCR_ENGINE
    ocr_low_confidence: float = DEFAULT_OCR_LOW_CONFIDENCE
    ocr_dpi: int = DEFAULT_OCR_DPI
    ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("bool", bool):
                if not isinstance(value, bool):
                    raise ValueError(f"设置 {f.name} 应为 true 或 false，实际为 {value!r}")
                continue
            if f.type in ("str", str):
                if value not in OCR_ENGINES:
                    raise ValueError(f"设置 {f.name} 应为 {' 或 '.join(OCR_ENGINES)}，实际为 {value!r}")
                continue
            kind = float if f.type in ("float", float) else int
            ok = isinstance(value, int | float) if kind is float else isinstance(value, int)
            if isinstance(value, bool) or not ok:
                raise ValueError(f"设置 {f.name} 应为{'数值' if kind is float else '整数'}，实际为 {value!r}")
            if f.name == "ocr_low_confidence":
                if not 0 <= value <= 1:
                    raise ValueError(f"设置 {f.name} 应在 0 与 1 之间，实际为 {value!r}")
            elif value < (1 if f.name != "ratio_min_size" else 0):
                raise ValueError(f"设置 {f.name} 应为正数，实际为 {value!r}")

    @classmethod
    def resolve(cls, settings: dict[str, Any] | ReadSettings | None = None) -> ReadSettings:
        """Settings from ``None`` (defaults), a dict of overrides, or an instance (as is).

        The defaults are those of this module, changed by ``$CXZY_LIMITS`` when it is set.
        """
        base = from_env(os.environ.get(LIMITS_ENV, ""))
        if settings is None:
            return base
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, dict):
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(settings) - known)
            if unknown:
                raise ValueError(f"未知的设置：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
            return replace(base, **settings)
        raise ValueError(f"设置应为 None、dict 或 ReadSettings，实际为 {type(settings).__name__}")


DEFAULTS = ReadSettings()


@cache
def from_env(text: str) -> ReadSettings:
    """The defaults changed by a ``CXZY_LIMITS`` text: ``name=value`` pairs separated by commas.

    Sizes may carry a unit (``500MB``, ``2G``, binary units); true/false for switches. Raises
    :class:`SettingsError` (Chinese, naming the variable and the setting) for anything else.
    """
    if not text.strip():
        return DEFAULTS
    types = {f.name: f.type for f in fields(ReadSettings)}
    values: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in re.split(r"[,;，；]", text))):
        name, sep, raw = (x.strip() for x in item.partition("="))
        if not sep or not raw:
            raise SettingsError(f"环境变量 {LIMITS_ENV} 中的“{item}”应写成 设置名=值")
        if name not in types:
            raise SettingsError(f"环境变量 {LIMITS_ENV} 中有未知的设置 {name}（可用：{'、'.join(types)}）")
        values[name] = _value(name, raw, types[name])
    try:
        return ReadSettings(**values)
    except ValueError as exc:
        raise SettingsError(f"环境变量 {LIMITS_ENV}：{exc}") from None


def _value(name: str, raw: str, kind: Any) -> Any:
    if kind in ("str", str):
        return raw
    if kind in ("bool", bool):
        low = raw.lower()
        if low in ("1", "true", "yes", "on", "是"):
            return True
        if low in ("0", "false", "no", "off", "否"):
            return False
        raise SettingsError(f"环境变量 {LIMITS_ENV}：设置 {name} 应为 true 或 false，实际为 {raw!r}")
    m = _SIZE.match(raw.replace(" ", ""))
    if not m:
        raise SettingsError(
            f"环境变量 {LIMITS_ENV}：设置 {name} 应为数值（大小可带 KB/MB/GB），实际为 {raw!r}"
        )
    number = float(m[1].replace("_", "")) * _UNITS[(m[2] or "")[:1].upper()]
    if kind in ("float", float):
        return number
    if not number.is_integer():
        raise SettingsError(f"环境变量 {LIMITS_ENV}：设置 {name} 应为整数，实际为 {raw!r}")
    return int(number)
