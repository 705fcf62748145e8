"""Bounds on one PDF page before pdfminer lays it out: decoded content size, operators, glyph bytes."""

from __future__ import annotations

import re
import zlib
from typing import Any

from cxzy_docs.errors import ReadError

BYTES_PER_OP = 64  # decoded content allowed per permitted token (a form page uses about 4)
MAX_FORM_DEPTH = 8  # form XObjects inside form XObjects followed this deep
_TOKEN = re.compile(rb"[^\s\[\]()<>/{}%]+")
_LITERAL = re.compile(rb"\((?:\\[^(]|[^\\()])*\)", re.S)  # linear: no "(" inside, even escaped
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")


class _TooBig(Exception):
    pass


def check_page(page_obj: Any, number: int, *, max_ops: int, max_glyph_bytes: int) -> None:
    """Refuse (ReadError) a page whose content would take pdfminer too long or too much memory.

    Counts the tokens (operators and operands) of the page's content streams and of the form XObjects
    it can draw, and
    the bytes of the strings it shows (an upper bound of its glyphs); streams are inflated with a
    bound, so a compression bomb is refused without being expanded. Damage is left to the reader.
    """
    limit = max_ops * BYTES_PER_OP
    ops = glyph_bytes = size = 0
    try:
        for data in _streams(page_obj, limit):
            size += len(data)
            if size > limit:
                raise _TooBig
            ops += len(_TOKEN.findall(data))  # operators and operands: pdfminer makes an object of each
            glyph_bytes += _literal_bytes(data)
            glyph_bytes += sum(len(m) - 2 for m in _HEX.findall(data)) // 2
    except _TooBig:
        raise ReadError(
            f"第{number}页的内容解压后超过 {limit // 1024 // 1024} MB（疑似压缩炸弹或不是写实簿页面）"
        ) from None
    except Exception:
        return
    if ops > max_ops:
        raise ReadError(
            f"第{number}页有约 {ops} 个绘图指令和参数，超过上限 {max_ops}（设置项 max_pdf_page_ops），"
            "不像写实簿页面"
        )
    if glyph_bytes > max_glyph_bytes:
        raise ReadError(
            f"第{number}页的文字内容约 {glyph_bytes} 字节，超过上限 {max_glyph_bytes}，不像写实簿页面"
        )


def _literal_bytes(data: bytes) -> int:
    """Bytes inside ``( … )`` string literals. A literal is taken to end before the next ``(``, escaped
    or not: each try then scans only to the next parenthesis, so the whole is linear (the former pattern,
    retried at every ``(`` of "((((…", took quadratic time: 27 s for 20,000 of them). Nested
    parentheses, rare in page content, are undercounted; the reading worker's bounds hold whatever
    gets past."""
    return sum(len(m) - 2 for m in _LITERAL.findall(data))


def _streams(page_obj: Any, limit: int) -> Any:
    """Decoded content streams of the page, then of the form XObjects reachable from its resources."""
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(page_obj.attrs.get("Contents"))
    for s in contents if isinstance(contents, list) else [contents]:
        s = resolve1(s)
        if isinstance(s, PDFStream):
            yield _decoded(s, limit)
    seen: set[int] = set()
    stack = [(resolve1(page_obj.resources), 0)]
    while stack:
        resources, depth = stack.pop()
        if not isinstance(resources, dict) or depth > MAX_FORM_DEPTH:
            continue
        xobjects = resolve1(resources.get("XObject"))
        if not isinstance(xobjects, dict):
            continue
        for ref in xobjects.values():
            key = id(ref) if not hasattr(ref, "objid") else ref.objid
            if key in seen:
                continue
            seen.add(key)
            x = resolve1(ref)
            if isinstance(x, PDFStream) and getattr(resolve1(x.attrs.get("Subtype")), "name", None) == "Form":
                yield _decoded(x, limit)
                stack.append((resolve1(x.attrs.get("Resources")), depth + 1))


def _decoded(stream: Any, limit: int) -> bytes:
    """The stream's data, inflated at most to ``limit`` bytes (_TooBig beyond)."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    if stream.decipher and stream.rawdata is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for f, _params in stream.get_filters():
        name = getattr(f, "name", f)
        if name in ("FlateDecode", "Fl"):
            d = zlib.decompressobj()
            try:
                data = d.decompress(data, limit + 1)
            except zlib.error:
                data = b""
        elif name in ("ASCII85Decode", "A85"):
            data = ascii85decode(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = asciihexdecode(data)
        elif len(data) * 128 > limit:  # LZW, RunLength...: bounded by their worst expansion
            raise _TooBig
        else:
            return bytes(stream.get_data())
        if len(data) > limit:
            raise _TooBig
    return data
