"""What a file is, by its content (never its extension): magic bytes, the zip's part names, OLE streams."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import input_errors

KINDS = (
    "docx",
    "xlsx",
    "ledger",
    "pdf",
    "doc",
    "xls",
    "rtf",
    "odt",
    "ods",
    "html",
    "png",
    "jpeg",
    "tiff",
    "encrypted",
    "damaged",
    "zip-other",
    "unknown",
)
"""What :func:`sniff` answers. ``ledger`` is an xlsx review ledger (点评台账); ``encrypted`` a
password-protected Office file; ``doc``/``xls`` include WPS ``.wps``/``.et`` (the same OLE layout);
``html`` a web page saved as ``.doc`` by Word; ``damaged`` a zip or OLE file whose directory cannot
be read (typically cut short by a download)."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 1024
_MAX_CONTENT_TYPES = 1024 * 1024  # [Content_Types].xml larger than this is not inflated to sniff

_MAIN_TYPES = {
    "wordprocessingml.document.main+xml": "docx",
    "wordprocessingml.template.main+xml": "docx",
    "ms-word.document.macroenabled.main+xml": "docx",
    "ms-word.template.macroenabledtemplate.main+xml": "docx",
    "spreadsheetml.sheet.main+xml": "xlsx",
    "spreadsheetml.template.main+xml": "xlsx",
    "ms-excel.sheet.macroenabled.main+xml": "xlsx",
}


def sniff(path: str | Path) -> str:
    """The kind of file at ``path`` (one of :data:`KINDS`), judged by content.

    Raises :class:`ReadError` for a missing, unreadable or empty (0 byte) file, and for a device,
    FIFO or socket (refused without blocking on it).
    """
    from cxzy_docs.read.worker import open_regular

    name = str(path)
    p = Path(path)
    with open_regular(p, name) as fh, input_errors(name):
        head = fh.read(_HEAD)
    if not head:
        raise ReadError("文件为空（0 字节）", file=name)
    kind = _by_magic(head)
    if kind == "zip":
        kind = _zip_kind(p)
        if kind == "xlsx" and _is_ledger(p):
            kind = "ledger"
    elif kind == "ole":
        kind = _ole_kind(p)
    return kind


def _by_magic(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in head:  # readers accept a PDF header after some junk within the first 1024 bytes
        return "pdf"
    low = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if low.startswith((b"<html", b"<!doctype html", b"mime-version:")) or (
        low.startswith(b"<?xml") and b"<html" in low
    ):
        return "html"
    return "unknown"


# --------------------------------------------------------------------------------------- OOXML


def _zip_kind(p: Path) -> str:
    """docx / xlsx / odt / ods / zip-other from the zip's directory (and [Content_Types].xml, if small).

    Raises :class:`ReadError` for a zip with more entries than ``max_entries`` (checked before the
    directory is parsed)."""
    from cxzy_docs.read.safezip import count_entries
    from cxzy_docs.read.settings import ReadSettings

    with p.open("rb") as fh:  # a million entries are refused before zipfile parses them
        count_entries(fh, str(p), ReadSettings.resolve(None).max_entries)
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mime = zf.read(info).decode("ascii", "replace")
                    if mime.endswith("opendocument.text"):
                        return "odt"
                    if mime.endswith("opendocument.spreadsheet"):
                        return "ods"
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size <= _MAX_CONTENT_TYPES:
                    types = zf.read(info).decode("utf-8", "replace").lower()
                    for marker, kind in _MAIN_TYPES.items():
                        if marker in types:
                            return kind
    except Exception:  # BadZipFile, zlib errors, EOFError...: a cut or hostile archive
        return "damaged"
    return "zip-other"


def _is_ledger(p: Path) -> bool:
    try:
        from cxzy_docs.read.ledger import looks_like_ledger

        return looks_like_ledger(p)
    except ReadError:
        return False


# ----------------------------------------------------------------------------------------- OLE2


def _ole_kind(p: Path) -> str:
    """doc / xls / encrypted / unknown from the stream names of an OLE2 compound file."""
    try:
        names = ole_stream_names(p)
    except (ValueError, OSError, struct.error):
        return "damaged"
    if "encryptedpackage" in names:
        return "encrypted"
    if "worddocument" in names:
        return "doc"
    if "workbook" in names or "book" in names:
        return "xls"
    return "unknown"


_MAX_DIR_SECTORS = 4096
_ENDOFCHAIN = 0xFFFFFFFE


def ole_stream_names(path: str | Path) -> set[str]:
    """Lower-cased names of the entries of an OLE2 compound file's directory (minimal, bounded reader)."""
    with Path(path).open("rb") as fh:
        header = fh.read(512)
        if len(header) < 512 or not header.startswith(_OLE_MAGIC):
            raise ValueError("not OLE2")
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        size = 1 << shift
        n_fat, first_dir = struct.unpack_from("<II", header, 44)
        first_difat, n_difat = struct.unpack_from("<II", header, 68)
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s < 0xFFFFFFFA]

        def sector(i: int) -> bytes:
            fh.seek(size + i * size)  # sector 0 follows the 512-byte header (4096 in v4: same formula)
            data = fh.read(size)
            if len(data) < size:
                raise ValueError("truncated")
            return data

        nxt, hops = first_difat, 0
        while nxt < 0xFFFFFFFA and hops < min(n_difat, 1024) and len(fat_sectors) < n_fat:
            data = sector(nxt)
            ids = struct.unpack(f"<{size // 4}I", data)
            fat_sectors += [s for s in ids[:-1] if s < 0xFFFFFFFA]
            nxt, hops = ids[-1], hops + 1
        fat: list[int] = []
        for s in fat_sectors[: min(n_fat, 1 << 16)]:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))
        names: set[str] = set()
        cur, seen = first_dir, set[int]()
        while cur != _ENDOFCHAIN and len(seen) < _MAX_DIR_SECTORS:
            if cur in seen or cur >= len(fat):
                break
            seen.add(cur)
            data = sector(cur)
            for off in range(0, size, 128):
                entry = data[off : off + 128]
                length = struct.unpack_from("<H", entry, 64)[0]
                kind = entry[66]
                if kind in (1, 2, 5) and 2 <= length <= 64:
                    names.add(entry[: length - 2].decode("utf-16-le", "replace").lower())
            cur = fat[cur]
        return names
