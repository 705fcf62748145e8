"""Opening OOXML zips (docx, xlsx) from untrusted sources: sizes checked before inflating, safe XML."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from lxml import etree

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import input_errors
from cxzy_docs.read.settings import ReadSettings

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls, and encrypted OOXML
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PROLOG_HEAD = 4096  # bytes of each entry looked at for an XML prolog ...
PROLOG_MAX = 1024 * 1024  # ... and at most this many when its prolog (comments) goes on
_CD_ENTRY = b"PK\x01\x02"  # a central directory record
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def xml_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and fetches nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def doctype_in_prolog(data: bytes) -> bool | None:
    """Whether the prolog of an XML text (declaration, comments, processing instructions) holds a
    DOCTYPE or any other ``<!`` declaration: True/False, or None when ``data`` ends inside the prolog.

    Comments are skipped as XML skips them, so ``<!-- <a -->`` cannot hide a DOCTYPE behind it; a
    UTF-16 text is read as such (lxml and expat both accept one).
    """
    data = as_utf8(data)
    i, n = (3 if data.startswith(b"\xef\xbb\xbf") else 0), len(data)
    while True:
        while i < n and data[i] in b" \t\r\n":
            i += 1
        if i >= n:
            return None
        if data.startswith(b"<?", i):
            j = data.find(b"?>", i + 2)
            if j < 0:
                return None
            i = j + 2
        elif data.startswith(b"<!--", i):
            j = data.find(b"-->", i + 4)
            if j < 0:
                return None
            i = j + 3
        else:
            return data.startswith(b"<!", i)


def as_utf8(data: bytes) -> bytes:
    """An XML text in UTF-16 (with or without a byte-order mark) as UTF-8; any other text as it is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        codec = (
            "utf-16"
            if data[:2] in (b"\xff\xfe", b"\xfe\xff")
            else ("utf-16-le" if data[:1] == b"<" else "utf-16-be")
        )
        return data[: len(data) // 2 * 2].decode(codec, "ignore").encode("utf-8")
    return data


def parse_xml(data: bytes, *, file: str, part: str) -> etree._Element:
    """Parse one XML part; a DOCTYPE or entity declaration is refused, never expanded."""
    if doctype_in_prolog(data):
        raise ReadError(f"部件 {part} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取", file=file)
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise ReadError(
                f"部件 {part} 的 XML 嵌套过深（超过 256 层），不像写实簿，拒绝读取", file=file
            ) from None
        raise ReadError(
            f"部件 {part} 的 XML 格式错误（第 {exc.lineno} 行），文件可能已损坏", file=file
        ) from None
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
            raise ReadError(
                f"部件 {name} 声明的大小 {_mib(info.file_size)} 超过上限 "
                f"{_mib(self.settings.max_part_size)}，拒绝解压",
                file=self.file,
            )
        try:
            with self._zf.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except NotImplementedError:
            raise ReadError(f"部件 {name} 使用了不支持的压缩方式，无法读取", file=self.file) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
            why = "内容与声明的校验值不符" if "CRC" in str(exc) else "压缩数据损坏"
            raise ReadError(
                f"部件 {name} 无法解压（{why}），文件可能已损坏或被截断", file=self.file
            ) from None
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
        except (
            KeyError,
            NotImplementedError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            RuntimeError,
            ValueError,
        ):  # ValueError: UnicodeDecodeError of a name in a damaged local header
            return b""

    def read_xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), file=self.file, part=name)

    def check_doctypes(self) -> None:
        """Refuse the package when any entry, whatever its name, is XML with a DOCTYPE or entity
        declaration: readers (openpyxl's included) find parts through rels and content types, so
        a worksheet named ``.dat`` is parsed as XML all the same."""
        for name in self._infos:
            head = self.head(name, PROLOG_HEAD)
            found = doctype_in_prolog(head)
            if found is None and len(head) >= PROLOG_HEAD:
                found = doctype_in_prolog(self.head(name, PROLOG_MAX))
                if found is None and self.declared_size(name) > PROLOG_MAX:
                    raise ReadError(
                        f"部件 {name} 的 XML 开头过长（超过 {PROLOG_MAX // 1024} KB 没有根元素），拒绝读取",
                        file=self.file,
                    )
            if found:
                raise ReadError(f"部件 {name} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取", file=self.file)


def _check_declared(zf: zipfile.ZipFile, file: str, s: ReadSettings, size: int | None = None) -> None:
    infos = zf.infolist()
    if len(infos) > s.max_entries:
        raise ReadError(f"压缩包内有 {len(infos)} 个条目，超过上限 {s.max_entries}，拒绝读取", file=file)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(f"部件 {info.filename} 已加密，无法读取（请去掉密码后另存）", file=file)
        if size is not None and info.compress_size > size:  # zipfile would ask for that much memory at once
            raise ReadError(f"部件 {info.filename} 声明的压缩大小超过文件本身，文件已损坏", file=file)
        total += info.file_size
        if total > s.max_total_uncompressed:
            raise ReadError(
                f"解压后总大小超过上限 {_mib(s.max_total_uncompressed)}（疑似压缩炸弹），拒绝解压", file=file
            )
        if info.file_size >= s.ratio_min_size:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > s.max_compression_ratio:
                raise ReadError(
                    f"部件 {info.filename} 的压缩比 {ratio:.0f}:1 超过上限 "
                    f"{s.max_compression_ratio:.0f}:1（疑似压缩炸弹），拒绝解压",
                    file=file,
                )


def count_entries(fh: IO[bytes], file: str, max_entries: int) -> None:
    """Refuse a zip with more than ``max_entries`` entries *before* its central directory is parsed
    (``zipfile`` makes an object per entry: a million of them take 40 s and 600 MB).

    The count comes from the end-of-directory record (ZIP64 too) and from the directory's own
    records (``zipfile`` reads as many as fit its declared size, whatever the count says); the
    directory is read at most ``max_entries`` x 1 KB into memory to count them.
    """
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    tail_len = min(size, 65535 + 22)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return  # no directory end: zipfile will say the file is damaged
    count, cd_size, cd_offset = (
        int.from_bytes(tail[at + 10 : at + 12], "little"),
        int.from_bytes(tail[at + 12 : at + 16], "little"),
        int.from_bytes(tail[at + 16 : at + 20], "little"),
    )
    loc = at - 20
    if loc >= 0 and tail[loc : loc + 4] == _EOCD64_LOCATOR:
        fh.seek(int.from_bytes(tail[loc + 8 : loc + 16], "little"))
        rec = fh.read(56)
        if rec[:4] == b"PK\x06\x06" and len(rec) == 56:
            count = int.from_bytes(rec[32:40], "little")
            cd_size = int.from_bytes(rec[40:48], "little")
            cd_offset = int.from_bytes(rec[48:56], "little")
    refuse = f"压缩包内有 {{n}} 个条目，超过上限 {max_entries}（设置项 max_entries），拒绝读取"
    if count > max_entries:
        raise ReadError(refuse.format(n=count), file=file)
    budget = max_entries * 1024
    if cd_size > budget:
        raise ReadError(
            f"压缩包目录 {_mib(cd_size)} 过大（条目数上限 {max_entries}，设置项 max_entries），拒绝读取",
            file=file,
        )
    fh.seek(max(0, min(cd_offset, size - tail_len + at - cd_size)))
    records = fh.read(cd_size).count(_CD_ENTRY)
    if records > max_entries:
        raise ReadError(refuse.format(n=records), file=file)
    fh.seek(0)


def _sniff(head: bytes, file: str, what: str) -> None:
    if not head:
        raise ReadError("文件为空（0 字节）", file=file)
    if head.startswith(_OLE_MAGIC):
        raise ReadError(
            f"这是旧版 Office 文件（.doc/.xls）或加密文件，不是 {what}；"
            "请用 Word/WPS 另存为新格式（或去掉密码）后再读取",
            file=file,
        )
    if not head.startswith(_ZIP_MAGIC):
        raise ReadError(f"不是有效的 {what} 文件（不是 ZIP 格式），可能扩展名不对或文件已损坏", file=file)


def open_zip(
    source: str | Path | bytes,
    *,
    file: str | None = None,
    what: str = "OOXML",
    settings: dict[str, Any] | ReadSettings | None = None,
) -> SafeZip:
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
        count_entries(fh, name, s.max_entries)
    except BaseException:
        fh.close()
        raise
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        fh.close()
        raise ReadError("ZIP 结构已损坏或不完整，文件可能被截断", file=name) from None
    try:
        fh.seek(0, io.SEEK_END)
        _check_declared(zf, name, s, fh.tell())
    except BaseException:
        zf.close()
        fh.close()
        raise
    return SafeZip(zf, fh, name, s)
