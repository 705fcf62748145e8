"""Opening OOXML zips (docx, xlsx) from untrusted sources: sizes checked before inflating, safe XML."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO

from lxml import etree

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import input_errors
from cxzy_docs.read.settings import ReadSettings

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls, and encrypted OOXML
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def xml_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and fetches nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def has_doctype(data: bytes) -> bool:
    """True when a DOCTYPE or entity declaration comes before the root element of an XML text."""
    m = _ROOT_START.search(data)
    head = data[: m.start()] if m else data
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def parse_xml(data: bytes, *, file: str, part: str) -> etree._Element:
    """Parse one XML part; a DOCTYPE or entity declaration is refused, never expanded."""
    if has_doctype(data):
        raise ReadError(f"部件 {part} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取", file=file)
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise ReadError(f"部件 {part} 的 XML 嵌套过深（超过 256 层），不像写实簿，拒绝读取", file=file) from None
        raise ReadError(f"部件 {part} 的 XML 格式错误（第 {exc.lineno} 行），文件可能已损坏", file=file) from None
    if root is None:
        raise ReadError(f"部件 {part} 为空", file=file)
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise ReadError(f"部件 {part} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取", file=file)
    return root


class SafeZip:
    """A zip whose declared sizes were checked on opening; parts are read with a size cap."""

    def __init__(self, zf: zipfile.ZipFile, fh: IO[bytes], file: str, settings: ReadSettings) -> None:
        self._zf = zf
        self._fh = fh
        self.file = file
        self.settings = settings
        self._infos = {info.filename: info for info in zf.infolist()}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()
        self._fh.close()

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """The inflated bytes of entry ``name``, never more than it declared."""
        info = self._infos.get(name)
        if info is None:
            raise ReadError(f"缺少部件 {name}", file=self.file)
        if info.file_size > self.settings.max_part_size:
            raise ReadError(f"部件 {name} 声明的大小 {_mib(info.file_size)} 超过上限 "
                            f"{_mib(self.settings.max_part_size)}，拒绝解压", file=self.file)
        try:
            with self._zf.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except NotImplementedError:
            raise ReadError(f"部件 {name} 使用了不支持的压缩方式，无法读取", file=self.file) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
            why = "内容与声明的校验值不符" if "CRC" in str(exc) else "压缩数据损坏"
            raise ReadError(f"部件 {name} 无法解压（{why}），文件可能已损坏或被截断", file=self.file) from None
        if len(data) > info.file_size:
            raise ReadError(f"部件 {name} 解压后超过其声明的大小，拒绝读取", file=self.file)
        return data

    def declared_size(self, name: str) -> int:
        return self._infos[name].file_size

    def head(self, name: str, n: int = 4096) -> bytes:
        """The first ``n`` inflated bytes of entry ``name`` (b"" when they cannot be inflated)."""
        try:
            with self._zf.open(self._infos[name]) as fh:
                return fh.read(n)
        except (KeyError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                ValueError):  # ValueError: UnicodeDecodeError of a name in a damaged local header
            return b""

    def read_xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), file=self.file, part=name)


def _check_declared(zf: zipfile.ZipFile, file: str, s: ReadSettings) -> None:
    infos = zf.infolist()
    if len(infos) > s.max_entries:
        raise ReadError(f"压缩包内有 {len(infos)} 个条目，超过上限 {s.max_entries}，拒绝读取", file=file)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(f"部件 {info.filename} 已加密，无法读取（请去掉密码后另存）", file=file)
        total += info.file_size
        if total > s.max_total_uncompressed:
            raise ReadError(f"解压后总大小超过上限 {_mib(s.max_total_uncompressed)}（疑似压缩炸弹），拒绝解压",
                            file=file)
        if info.file_size >= s.ratio_min_size:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > s.max_compression_ratio:
                raise ReadError(f"部件 {info.filename} 的压缩比 {ratio:.0f}:1 超过上限 "
                                f"{s.max_compression_ratio:.0f}:1（疑似压缩炸弹），拒绝解压", file=file)


def _sniff(head: bytes, file: str, what: str) -> None:
    if not head:
        raise ReadError("文件为空（0 字节）", file=file)
    if head.startswith(_OLE_MAGIC):
        raise ReadError(f"这是旧版 Office 文件（.doc/.xls）或加密文件，不是 {what}；"
                        "请用 Word/WPS 另存为新格式（或去掉密码）后再读取", file=file)
    if not head.startswith(_ZIP_MAGIC):
        raise ReadError(f"不是有效的 {what} 文件（不是 ZIP 格式），可能扩展名不对或文件已损坏", file=file)


def open_zip(source: str | Path | bytes, *, file: str | None = None, what: str = "OOXML",
             settings: dict | ReadSettings | None = None) -> SafeZip:
    """Open a docx/xlsx (path or bytes) after checking what its directory declares.

    ``file`` names the input in messages (defaults to the path); ``what`` is the expected format
    for messages (``DOCX``, ``XLSX``). Raises :class:`ReadError` with a Chinese message.
    """
    s = ReadSettings.resolve(settings)
    name = file if file is not None else (str(source) if not isinstance(source, bytes) else "（内存数据）")
    fh: IO[bytes]
    if isinstance(source, bytes):
        if len(source) > s.max_file_size:
            raise ReadError(f"文件大小超过上限 {_mib(s.max_file_size)}", file=name)
        _sniff(source[:8], name, what)
        fh = io.BytesIO(source)
    else:
        path = Path(source)
        with input_errors(name):
            size = path.stat().st_size
            if path.is_dir():
                raise ReadError("这是一个文件夹，不是文件", file=name)
            if size > s.max_file_size:
                raise ReadError(f"文件大小 {_mib(size)} 超过上限 {_mib(s.max_file_size)}", file=name)
            fh = path.open("rb")
        try:
            _sniff(fh.read(8), name, what)
            fh.seek(0)
        except BaseException:
            fh.close()
            raise
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        fh.close()
        raise ReadError("ZIP 结构已损坏或不完整，文件可能被截断", file=name) from None
    try:
        _check_declared(zf, name, s)
    except BaseException:
        zf.close()
        fh.close()
        raise
    return SafeZip(zf, fh, name, s)
