"""A .zip of books, opened: its members written to a private folder, bounded like any hostile input.

Runs in the reading worker (time and memory bounded there). Refused before anything is inflated when
the directory declares too many entries, too much in total or a compression ratio of a bomb (the
limits of :mod:`cxzy_docs.read.safezip`); while inflating, a member is cut off as soon as it gives
more than it declared or the whole more than ``max_total_uncompressed``. Member names are never used
as paths on disk (``../`` and absolute names cannot escape): each member is written as a numbered
file keeping only its extension; its name is shown as ``archive.zip/folder/member.docx``. A .zip
inside the .zip is not opened (listed with the reason), nor are hidden members and lock files.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from cxzy_docs.errors import ReadError
from cxzy_docs.read.safezip import _check_declared, _mib, count_entries
from cxzy_docs.read.settings import ReadSettings

ARCHIVE_SUFFIXES = (".zip",)
_CHUNK = 1 << 20
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,6}$")


def is_archive(path: str | Path) -> bool:
    return str(path).lower().endswith(ARCHIVE_SUFFIXES)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: names not flagged UTF-8 are often GBK (Windows zips)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", "replace")
        for codec in ("utf-8", "gb18030"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                continue
    return name


def unpack(
    path: str, given: str, settings: ReadSettings, dest: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The members of the zip ``path`` written under ``dest``: ``(files, skipped)`` where ``files`` are
    (path on disk, name shown) and ``skipped`` (name shown, reason). Raises :class:`ReadError`."""
    from cxzy_docs.read.batch import skip_reason
    from cxzy_docs.read.sniff import sniff

    s = settings
    if sniff(path) in ("docx", "xlsx"):  # a Word or Excel file named .zip: read as what it is
        return [(path, given)], []
    with open(path, "rb") as fh:
        head = fh.read(4)
        if not head.startswith(b"PK"):
            raise ReadError("不是有效的 ZIP 压缩包（文件已损坏或扩展名不对），未读取", file=given)
        fh.seek(0, 2)
        size = fh.tell()
        if size > s.max_file_size:
            raise ReadError(f"压缩包大小 {_mib(size)} 超过上限 {_mib(s.max_file_size)}，未读取", file=given)
        fh.seek(0)
        count_entries(fh, given, s.max_entries)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ReadError(f"压缩包已损坏，无法打开（{exc}）", file=given) from None
        with zf:
            _check_declared(zf, given, s, size)
            out = Path(dest)
            out.mkdir(parents=True, exist_ok=True)
            files: list[tuple[str, str]] = []
            skipped: list[tuple[str, str]] = []
            total = 0
            for k, info in enumerate(zf.infolist()):
                if info.is_dir():
                    continue
                name = member_name(info)
                shown = f"{given}/{name}"
                parts = PurePosixPath(name.replace("\\", "/")).parts
                if any(p.startswith(".") and p not in (".", "..") for p in parts) or "__MACOSX" in parts:
                    skipped.append((shown, "压缩包中的隐藏文件，未读取"))
                    continue
                base = PurePosixPath(parts[-1] if parts else name)
                if base.suffix.lower() in ARCHIVE_SUFFIXES:
                    skipped.append((shown, "压缩包中的压缩包不再打开，请解压后再导入"))
                    continue
                reason = skip_reason(Path(base.name))
                if reason is not None:
                    skipped.append((shown, reason))
                    continue
                suffix = _SUFFIX.search(base.name)
                target = out / f"{k:05d}{suffix[0].lower() if suffix else ''}"
                limit = min(info.file_size, s.max_file_size)
                written = 0
                try:
                    with zf.open(info) as src, open(target, "wb") as dst:
                        while chunk := src.read(_CHUNK):
                            written += len(chunk)
                            total += len(chunk)
                            if written > limit:
                                raise ReadError(
                                    f"压缩包中的 {name} 解压后超过它声明的大小（疑似压缩炸弹），拒绝解压",
                                    file=given,
                                )
                            if total > s.max_total_uncompressed:
                                raise ReadError(
                                    f"解压后总大小超过上限 {_mib(s.max_total_uncompressed)}"
                                    "（疑似压缩炸弹），拒绝解压",
                                    file=given,
                                )
                            dst.write(chunk)
                except (
                    zipfile.BadZipFile,
                    zlib.error,
                    EOFError,
                    ValueError,
                    NotImplementedError,
                    RuntimeError,
                ) as exc:
                    target.unlink(missing_ok=True)
                    skipped.append(
                        (shown, f"压缩包中的这个文件已损坏或无法解压（{type(exc).__name__}），未读取")
                    )
                    continue
                files.append((str(target), shown))
    return files, skipped
