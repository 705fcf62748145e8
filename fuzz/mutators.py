"""Seeded mutations of real input files: bytes, zip entries, XML parts, PDF objects and streams, cell texts."""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable

from lxml import etree

Mutator = Callable[[random.Random, bytes], bytes]

# Values that break assumptions: sizes, indexes, spans, cell references, merge ranges, dates.
NASTY_VALUES = [
    "0",
    "-1",
    "-2147483649",
    "4294967296",
    "999999999",
    "1e308",
    "nan",
    "",
    " ",
    "A",
    "ZZZ9",
    "XFD1048576",
    "A1:XFD1048576",
    "A1:A1048576",
    "A0",
    "1048577",
    "restart",
    "continue",
    "true",
    "2010-13-45",
    "../../../../etc/passwd",
    "\u202e\u0000",
    "%s%n%x",
    "${jndi:x}",
]
NASTY_TEXTS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x")',
    "\x01\x02\x03\x0b\x0c\x1f",
    "\ud7ff\ufffe",
    "(cid:12)" * 50,
    "\u200b\u202e反转",
    "𠀀𪚥" * 20,
    "A" * 70_000,
    "字" * 40_000,
    "\n" * 5_000,
    "　" * 1_000,
]
_ENCODINGS = [b"UTF-16", b"GBK", b"bogus-8", b"UTF-32", b"ISO-8859-1", b"ascii"]


def _pick_span(rng: random.Random, n: int, most: int) -> tuple[int, int]:
    start = rng.randrange(max(n, 1))
    return start, min(n, start + rng.randint(1, max(1, most)))


# ----------------------------------------------------------------------------------- bytes


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 2, 4, 16, 64))):
        i = rng.randrange(len(buf))
        buf[i] = rng.choice((buf[i] ^ (1 << rng.randrange(8)), rng.randrange(256), 0, 0xFF))
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def splice(rng: random.Random, data: bytes) -> bytes:
    """Delete, duplicate or overwrite a chunk of the file."""
    a, b = _pick_span(rng, len(data), max(16, len(data) // 8))
    op = rng.randrange(3)
    if op == 0:
        return data[:a] + data[b:]
    if op == 1:
        return data[:b] + data[a:b] * rng.randint(1, 8) + data[b:]
    c = rng.randrange(len(data))
    return data[:c] + data[a:b] + data[c + (b - a) :]


BYTE_MUTATORS: list[Mutator] = [flip_bytes, truncate, splice]


# ------------------------------------------------------------------------------------- XML


def _xml_tree(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError:
        return None


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def mutate_xml(rng: random.Random, data: bytes, text_hint: tuple[str, ...] = ()) -> bytes:
    """One structural or content mutation of an XML part; byte-level when it does not parse."""
    op = rng.randrange(12)
    if op == 0:  # a declared encoding that does not match, or invalid UTF-8 in the middle
        if rng.random() < 0.5 and data.startswith(b"<?xml"):
            return re.sub(rb'encoding="[^"]*"', b'encoding="' + rng.choice(_ENCODINGS) + b'"', data, count=1)
        i = rng.randrange(len(data))
        return data[:i] + rng.choice((b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xe4\xb8")) + data[i:]
    if op == 1:  # a DOCTYPE: billion laughs (small) or an external entity
        decl = rng.choice(
            (
                b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd">',
            )
        )
        m = re.search(rb"<[A-Za-z_]", data)
        at = m.start() if m else 0
        return data[:at] + decl + data[at:]
    root = _xml_tree(data)
    if root is None:
        return rng.choice(BYTE_MUTATORS)(rng, data)
    els = _elements(root)
    if len(els) < 2:
        return rng.choice(BYTE_MUTATORS)(rng, data)
    el = rng.choice(els[1:])
    parent = el.getparent()
    if op == 2:  # delete an element
        parent.remove(el)
    elif op == 3:  # duplicate an element many times
        idx = parent.index(el)
        for _ in range(rng.choice((1, 2, 10, 200))):
            parent.insert(idx, _copy(el))
    elif op == 4:  # nest the element inside copies of itself (deep tables, deep runs)
        depth = rng.choice((5, 50, 300, 600))
        inner = _copy(el)
        for _ in range(depth):
            shell = etree.Element(el.tag)
            shell.append(inner)
            inner = shell
        parent.replace(el, inner)
    elif op == 5:  # huge attribute value
        name = rng.choice(list(el.attrib)) if el.attrib else "val"
        el.set(name, "9" * rng.choice((1000, 100_000, 1_000_000)))
    elif op in (6, 7):  # nasty attribute value
        attrs = [(e, k) for e in els for k in e.attrib]
        if attrs:
            e, k = rng.choice(attrs)
            e.set(k, _safe_text(rng.choice(NASTY_VALUES)))
    elif op in (8, 9):  # nasty cell / run text (formulas, control characters, huge)
        texts = [
            e
            for e in els
            if e.text and e.text.strip() and (not text_hint or etree.QName(e).localname in text_hint)
        ]
        if texts:
            target = rng.choice(texts)
            target.text = _safe_text(rng.choice(NASTY_TEXTS))
    elif op == 10:  # move an element to another place (wrong parent)
        parent.remove(el)
        rng.choice(_elements(root)).append(el)
    else:  # swap tag names
        other = rng.choice(els)
        el.tag, other.tag = other.tag, el.tag
    out = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if op in (8, 9) and rng.random() < 0.5:  # control characters lxml refused to write: put them raw
        out = out.replace(b"\xe2\x90\x80", rng.choice((b"\x01", b"\x0b", b"&#1;", b"&#x0;")))
    return out


def _copy(el: etree._Element) -> etree._Element:
    import copy

    return copy.deepcopy(el)


def _safe_text(text: str) -> str:
    """XML-writable text: characters lxml refuses become U+2400 (put back raw by the caller)."""
    return "".join(
        c
        if c in "\t\n\r" or (" " <= c and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff")
        else "\u2400"
        for c in text
    )


# ------------------------------------------------------------------------------------- zip


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _zip(entries: list[tuple[str, bytes]], rng: random.Random) -> bytes:
    buf = io.BytesIO()
    method = rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED))
    with zipfile.ZipFile(buf, "w", method) as zf:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names are the point
            for name, body in entries:
                zf.writestr(name, body)
    return buf.getvalue()


def make_zip_mutator(main_parts: tuple[str, ...], text_tags: tuple[str, ...]) -> Mutator:
    """Mutations of an OOXML package: entries dropped, duplicated, truncated, renamed; XML parts mutated."""

    def mutate(rng: random.Random, data: bytes) -> bytes:
        try:
            entries = _entries(data)
        except Exception:
            return flip_bytes(rng, data)
        op = rng.randrange(10)
        i = rng.randrange(len(entries))
        mains = [
            k
            for k, (n, _) in enumerate(entries)
            if n in main_parts or any(n.startswith(p) for p in main_parts)
        ]
        if op == 0:
            del entries[i]
        elif op == 1:
            entries.insert(
                rng.randrange(len(entries) + 1),
                (
                    entries[i][0],
                    rng.choice((entries[i][1], b"", b"<x/>", entries[i][1][: len(entries[i][1]) // 2])),
                ),
            )
        elif op == 2:
            name, body = entries[i]
            entries[i] = (name, body[: rng.randrange(len(body) + 1)])
        elif op == 3:
            name, body = entries[i]
            entries[i] = (
                rng.choice(("../../evil.xml", "/abs.xml", name.upper(), name + "\x00x", "a/" * 200 + "b")),
                body,
            )
        else:  # XML mutations, mostly of the main parts; sometimes several in a row
            k = rng.choice(mains) if mains and rng.random() < 0.8 else i
            name, body = entries[k]
            for _ in range(rng.choice((1, 1, 2, 4))):
                body = (
                    mutate_xml(rng, body, text_tags)
                    if body.lstrip().startswith(b"<")
                    else flip_bytes(rng, body)
                )
            entries[k] = (name, body)
        out = _zip(entries, rng)
        if rng.random() < 0.15:  # then damage the archive itself (central directory, local headers)
            cd = out.rfind(b"PK\x01\x02")
            region = rng.choice((cd, out.rfind(b"PK\x05\x06"), 0))
            if region >= 0:
                buf = bytearray(out)
                for _ in range(rng.randint(1, 6)):
                    j = min(len(buf) - 1, region + rng.randrange(46))
                    buf[j] = rng.randrange(256)
                out = bytes(buf)
        return out

    return mutate


# ------------------------------------------------------------------------------------- PDF

_OBJ = re.compile(rb"(\d+) 0 obj")
_NUMBER_KEYS = re.compile(
    rb"/(Length|Count|Size|W|Width|Height|BitsPerComponent|Prev|First|N|Kids|Parent|"
    rb"Contents|Resources|MediaBox|Font|Filter|DecodeParms|Predictor|Columns)\b"
)
_PDF_NASTY = [
    b"-1",
    b"0",
    b"99999999999",
    b"4294967297",
    b"1 0 R",
    b"[]",
    b"<<>>",
    b"null",
    b"/Foo",
    b"[0 0 1e308 1e308]",
    b"(" + b"(" * 2000,
    b"[" * 3000,
    b"<< /Type /Pages /Kids [1 0 R] /Count 9 >>",
]
_VALUE = re.compile(rb"^\s*(\d+ \d+ R|-?[\d.]+|\[[^\]]*\]|/\w+)")
_STREAM = re.compile(rb"stream\r?\n")


def _pdf_object(rng: random.Random, data: bytes) -> bytes:
    """Corrupt one object: a key's value replaced, endobj/endstream removed, or the object duplicated."""
    objs = list(_OBJ.finditer(data))
    if not objs:
        return flip_bytes(rng, data)
    m = rng.choice(objs)
    end = data.find(b"endobj", m.end())
    end = len(data) if end < 0 else end
    body = data[m.end() : end]
    op = rng.randrange(5)
    if op == 0:
        keys = list(_NUMBER_KEYS.finditer(body))
        if keys:
            k = rng.choice(keys)
            value = rng.choice(_PDF_NASTY)
            body = body[: k.end()] + _VALUE.sub(lambda _m: b" " + value + b" ", body[k.end() :], count=1)
    elif op == 1:
        return data[:end] + data[end + 6 :]  # endobj removed
    elif op == 2:
        body = body.replace(b"endstream", b"", 1)
    elif op == 3:
        return data[: end + 6] + b"\n" + data[m.start() : end + 6] * rng.randint(1, 3) + data[end + 6 :]
    else:  # the object refers to itself wherever it refers to something
        body = re.sub(rb"\d+ 0 R", m.group(1) + b" 0 R", body)
    return data[: m.end()] + body + data[end:]


def _pdf_stream(rng: random.Random, data: bytes) -> bytes:
    """Inflate a content stream, mutate its operators, deflate it back (Length fixed when direct)."""
    starts = list(_STREAM.finditer(data))
    if not starts:
        return flip_bytes(rng, data)
    s = rng.choice(starts)
    end = data.find(b"endstream", s.end())
    if end < 0:
        return flip_bytes(rng, data)
    raw = data[s.end() : end].rstrip(b"\r\n")
    dict_start = data.rfind(b"obj", 0, s.start())
    head = data[dict_start : s.start()]
    flate = b"FlateDecode" in head
    try:
        plain = zlib.decompress(raw) if flate else raw
    except zlib.error:
        return flip_bytes(rng, data)
    ops = plain.split(b"\n")
    op = rng.randrange(5)
    if op == 0 and ops:  # repeat a slice of the operators many times (drawing ops)
        a, b = _pick_span(rng, len(ops), 20)
        piece = b"\n".join(ops[a:b]) or b"x"
        ops[b:b] = ops[a:b] * min(rng.choice((10, 1000, 20_000)), 4_000_000 // len(piece) + 1)
    elif op == 1 and ops:
        for _ in range(rng.randint(1, 10)):
            ops.insert(
                rng.randrange(len(ops) + 1),
                rng.choice(
                    (
                        b"q " * 5000,
                        b"Q Q Q Q",
                        b"BT /F9 12 Tf (x) Tj ET",
                        b"1e308 0 0 1e308 0 0 cm",
                        b"0 0 0 0 re f",
                        b"/Im0 Do",
                        b"[(" + b"A" * 100_000 + b")] TJ",
                        b"BI /W 100000 /H 100000 /BPC 8 /CS /G ID x EI",
                        b"0 Tr",
                        b"7 Tr",
                        b"-1 -1 m 1e9 1e9 l S",
                        b"nan nan nan nan re S",
                        b"BT",
                        b"ET ET",
                    )
                ),
            )
    elif op == 2 and ops:
        del ops[slice(*_pick_span(rng, len(ops), 30))]
    else:
        plain = flip_bytes(rng, plain) if plain else plain
        ops = plain.split(b"\n")
    plain = b"\n".join(ops)
    new = zlib.compress(plain) if flate and rng.random() < 0.9 else plain
    head2 = re.sub(rb"/Length \d+(?! 0 R)", b"/Length %d" % len(new), head, count=1)
    return data[:dict_start] + head2 + data[s.start() : s.end()] + new + b"\nendstream" + data[end + 9 :]


def _pdf_xref(rng: random.Random, data: bytes) -> bytes:
    at = max(data.rfind(b"xref"), data.rfind(b"startxref") - 200, 0)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        j = rng.randrange(at, len(buf))
        buf[j] = rng.choice(b"0123456789 nf\n/RX")
    return bytes(buf)


PDF_MUTATORS: list[Mutator] = [_pdf_object, _pdf_object, _pdf_stream, _pdf_stream, _pdf_xref, *BYTE_MUTATORS]

DOCX_MUTATOR = make_zip_mutator(("word/document.xml",), ("t",))
XLSX_MUTATOR = make_zip_mutator(("xl/worksheets/", "xl/sharedStrings.xml", "xl/workbook.xml"), ("t", "v"))


def mutate(fmt: str, rng: random.Random, data: bytes) -> bytes:
    """One mutant of ``data`` (a file of format ``fmt``), deterministic for a given ``rng`` state."""
    if fmt in ("docx", "xlsx"):
        zipper = DOCX_MUTATOR if fmt == "docx" else XLSX_MUTATOR
        fn: Mutator = zipper if rng.random() < 0.8 else rng.choice(BYTE_MUTATORS)
    elif fmt == "pdf":
        fn = rng.choice(PDF_MUTATORS)
    else:  # .doc/.xls (OLE, through LibreOffice): bytes only
        fn = rng.choice(BYTE_MUTATORS)
    try:
        out = fn(rng, data)
    except (ValueError, etree.LxmlError):  # a mutation lxml cannot write: fall back to bytes
        out = flip_bytes(rng, data)
    return out if out else data[:1]
