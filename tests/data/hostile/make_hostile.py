"""Hostile input files (bombs, traps, huge contents), made at test time: ``make_all(folder)`` writes them all.

Each maker writes one file and returns its path; big files are written streaming, so making them
costs little memory. Run as a script to write them into a folder: ``python make_hostile.py OUT``.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
DOCX_SEED = DATA / "forms-dev" / "dev-2010-m02.docx"
XLSX_SEED = DATA / "forms-dev" / "dev-2010-m05.xlsx"
MIB = 1024 * 1024

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


# ---------------------------------------------------------------------------------- packages


def _seed_entries(seed: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(seed) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _package(
    out: Path,
    seed: Path,
    replace: dict[str, bytes | Callable[[io.BufferedIOBase], None]],
    extra: list[tuple[str, bytes]] = (),
) -> Path:
    """A copy of ``seed`` with some parts replaced: bytes, or a writer streaming the part."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in _seed_entries(seed):
            new = replace.get(name, body)
            if callable(new):
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as fh:
                    new(fh)
            else:
                zf.writestr(name, new)
        for name, body in extra:
            zf.writestr(name, body)
    return out


def _document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()


def _sheet(rows: str, tail: str = "") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {S}><sheetData>{rows}</sheetData>{tail}</worksheet>'.encode()


def _streamed_document(text_chars: int, run_chars: int = 100_000, char: str = "字") -> Callable:
    """A document.xml holding one paragraph of ``text_chars`` characters, in runs of ``run_chars``."""

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p>'.encode())
        run = f"<w:r><w:t>{char * run_chars}</w:t></w:r>".encode()
        for _ in range(text_chars // run_chars):
            fh.write(run)
        fh.write(b"</w:p></w:body></w:document>")

    return write


def docx_zip_bomb_ratio(out: Path) -> Path:
    """document.xml: 60 MB of spaces inside a valid document (ratio about 1000:1)."""

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>'.encode())
        for _ in range(60):
            fh.write(b" " * MIB)
        fh.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return _package(out / "zip-bomb-ratio.docx", DOCX_SEED, {"word/document.xml": write})


def docx_zip_bomb_total(out: Path) -> Path:
    """300 extra parts of 0.99 MB each (each under the ratio check's size): 297 MB in all."""
    filler = b"\x00" * (MIB - 10_000)
    path = out / "zip-bomb-total.docx"
    _package(path, DOCX_SEED, {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        for i in range(300):
            zf.writestr(f"word/media/fill{i}.bin", filler)
    return path


def docx_zip_bomb_lying(out: Path) -> Path:
    """document.xml declares 2 KB in the zip directory but inflates to 200 MB."""
    path = _package(
        out / "zip-bomb-lying.docx",
        DOCX_SEED,
        {"word/document.xml": _streamed_document(200 * MIB // 3, run_chars=1_000_000, char="字")},
    )
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for sig, size_at, zip64_ok in ((b"PK\x03\x04", 22, False), (b"PK\x01\x02", 24, True)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_len_at = 26 if sig == b"PK\x03\x04" else 28
            n = struct.unpack_from("<H", data, pos + name_len_at)[0]
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + n]) == name:
                struct.pack_into("<I", data, pos + size_at, 2048)
            pos += 4
        del zip64_ok
    path.write_bytes(bytes(data))
    return path


def docx_billion_laughs(out: Path) -> Path:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]>'
    doc = (
        f'<?xml version="1.0"?>{dtd}<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()
    return _package(out / "billion-laughs.docx", DOCX_SEED, {"word/document.xml": doc})


def docx_xxe(out: Path) -> Path:
    dtd = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    doc = (
        f'<?xml version="1.0"?>{dtd}<w:document {W}><w:body><w:p><w:r><w:t>公开承诺事项&xxe;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()
    return _package(out / "xxe.docx", DOCX_SEED, {"word/document.xml": doc})


def docx_nested_tables(out: Path, levels: int = 500) -> Path:
    open_, close = "<w:tbl><w:tr><w:tc>", "<w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    body = open_ * levels + "<w:p><w:r><w:t>最里层</w:t></w:r></w:p>" + close * levels
    return _package(out / f"nested-tables-{levels}.docx", DOCX_SEED, {"word/document.xml": _document(body)})


def _grown_part(seed: Path, part: str, anchor: str, piece: bytes, repeat: int) -> Callable:
    """The seed's part with ``piece`` written ``repeat`` times right after the first ``anchor`` text."""
    xml = dict(_seed_entries(seed))[part]
    at = xml.index(anchor.encode()) + len(anchor.encode())

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(xml[:at])
        for _ in range(repeat):
            fh.write(piece)
        fh.write(xml[at:])

    return write


def _longest_text(seed: Path, part: str, tag: str) -> str:
    xml = dict(_seed_entries(seed))[part].decode()
    return max(re.findall(f"<{tag}(?: [^>]*)?>([^<]+)</{tag}>", xml), key=len)


def docx_huge_paragraph(out: Path, mb: int = 50) -> Path:
    """A real book whose longest text run grows by ``mb`` MB of text, in runs of 100,000 characters."""
    run = ("</w:t></w:r><w:r><w:t>" + "字" * 100_000).encode()
    anchor = _longest_text(DOCX_SEED, "word/document.xml", "w:t")
    grow = _grown_part(DOCX_SEED, "word/document.xml", anchor, run, mb * MIB // len(run))
    return _package(out / f"paragraph-{mb}mb.docx", DOCX_SEED, {"word/document.xml": grow})


def xlsx_huge_cell(out: Path, mb: int = 50) -> Path:
    """A real book whose longest cell text grows by ``mb`` MB."""
    piece = "字".encode() * 100_000
    anchor = _longest_text(XLSX_SEED, "xl/worksheets/sheet1.xml", "t")
    grow = _grown_part(XLSX_SEED, "xl/worksheets/sheet1.xml", anchor, piece, mb * MIB // len(piece))
    return _package(out / f"cell-{mb}mb.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": grow})


def xlsx_billion_laughs(out: Path) -> Path:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    head = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{lol}]>'
    sheet = (
        head + f'<worksheet {S}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _package(out / "billion-laughs.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": sheet})


def xlsx_xxe(out: Path) -> Path:
    head = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    sheet = (
        head
        + f'<worksheet {S}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>公开承诺事项&xxe;</t></is>'
        "</c></row></sheetData></worksheet>"
    ).encode()
    return _package(out / "xxe.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": sheet})


def xlsx_zip_bomb_ratio(out: Path) -> Path:
    def write(fh: io.BufferedIOBase) -> None:
        fh.write(f'<?xml version="1.0"?><worksheet {S}><sheetData>'.encode())
        for _ in range(60):
            fh.write(b" " * MIB)
        fh.write(b"</sheetData></worksheet>")

    return _package(out / "zip-bomb-ratio.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": write})


def xlsx_huge_merge(out: Path) -> Path:
    """A bordered cell merged over the whole sheet (A1:XFD1048576): openpyxl would make millions of cells."""
    styles = dict(_seed_entries(XLSX_SEED))["xl/styles.xml"].decode()
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs", 1)[1])
    bordered = next(i for i, xf in enumerate(xfs) if 'borderId="1"' in xf)
    rows = f'<row r="1"><c r="A1" s="{bordered}" t="inlineStr"><is><t>公开承诺事项</t></is></c></row>'
    sheet = _sheet(rows, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    return _package(out / "huge-merge.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": sheet})


def xlsx_bad_style_index(out: Path) -> Path:
    """A cell pointing at style 999 of a workbook that has a few: openpyxl print()s on stdout."""
    sheet = dict(_seed_entries(XLSX_SEED))["xl/worksheets/sheet1.xml"]
    sheet = re.sub(rb' s="\d+"', b' s="999"', sheet, count=1)
    return _package(out / "bad-style-index.xlsx", XLSX_SEED, {"xl/worksheets/sheet1.xml": sheet})


# --------------------------------------------------------------------------------------- PDF


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its objects (object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    body = zlib.compress(data) if compress else data
    flt = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(body), flt, extra) + body + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"


def _pages_pdf(
    n_pages: int,
    content: bytes,
    resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
    extra_objects: list[bytes] = (),
    count: int | None = None,
) -> bytes:
    """``n_pages`` pages sharing one content stream (object 3) and one font (object 4)."""
    first_page = 5 + len(extra_objects)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages if count is None else count),
        content,
        _FONT,
        *extra_objects,
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources %s >>" % resources
    )
    objects += [page] * n_pages
    return _pdf(objects)


def pdf_many_pages(out: Path, pages: int = 5000) -> Path:
    path = out / f"pages-{pages}.pdf"
    path.write_bytes(_pages_pdf(pages, _stream(_TEXT)))
    return path


def pdf_lying_count(out: Path, pages: int = 3000) -> Path:
    """The page tree says 1 page and holds ``pages``."""
    path = out / "lying-count.pdf"
    path.write_bytes(_pages_pdf(pages, _stream(_TEXT), count=1))
    return path


def pdf_many_ops(out: Path, ops: int = 300_000) -> Path:
    """One page drawing ``ops`` operators (line segments; 1.4 MB inflated, a few KB on disk)."""
    body = _TEXT + b"\n" + b"0 0 m 9 9 l S\n" * (ops // 3)
    path = out / "many-ops.pdf"
    path.write_bytes(_pages_pdf(1, _stream(body)))
    return path


def pdf_flate_bomb(out: Path, mb: int = 1024) -> Path:
    """A content stream inflating to ``mb`` MB (compressed streaming: about 1 MB on disk)."""
    comp = zlib.compressobj(9)
    parts = [comp.compress(_TEXT + b"\n")]
    chunk = b" " * MIB
    for _ in range(mb):
        parts.append(comp.compress(chunk))
    parts.append(comp.flush())
    body = b"".join(parts)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    path = out / "flate-bomb.pdf"
    path.write_bytes(_pages_pdf(1, stream))
    return path


def pdf_huge_image(out: Path, side: int = 100_000, with_text: bool = True) -> Path:
    """A page drawing a ``side`` x ``side`` grey image (10 G pixels declared; its data a small flate bomb)."""
    comp = zlib.compressobj(9)
    data = comp.compress(b"\x00" * (8 * MIB)) + comp.flush()
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (side, side, len(data))
        + data
        + b"\nendstream"
    )
    draw = b"q 500 0 0 700 50 70 cm /Im0 Do Q\n" + (_TEXT if with_text else b"")
    resources = b"<< /Font << /F1 4 0 R >> /XObject << /Im0 5 0 R >> >>"
    path = out / ("huge-image.pdf" if with_text else "huge-image-scan.pdf")
    path.write_bytes(_pages_pdf(1, _stream(draw), resources, [image]))
    return path


# ---------------------------------------------------------------------------------------- PNG


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(out: Path, side: int = 60_000) -> Path:
    """A grey PNG declaring ``side`` x ``side`` pixels (3.6 G), whose rows inflate from a few MB."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    parts = [comp.compress(row) for _ in range(2000)]  # enough to start; the rest is missing
    parts.append(comp.flush(zlib.Z_SYNC_FLUSH))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )
    path = out / "png-bomb.png"
    path.write_bytes(data)
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "docx-zip-bomb-ratio": docx_zip_bomb_ratio,
    "docx-zip-bomb-total": docx_zip_bomb_total,
    "docx-zip-bomb-lying": docx_zip_bomb_lying,
    "docx-billion-laughs": docx_billion_laughs,
    "docx-xxe": docx_xxe,
    "docx-nested-tables": docx_nested_tables,
    "docx-paragraph-50mb": docx_huge_paragraph,
    "xlsx-cell-50mb": xlsx_huge_cell,
    "xlsx-billion-laughs": xlsx_billion_laughs,
    "xlsx-xxe": xlsx_xxe,
    "xlsx-zip-bomb-ratio": xlsx_zip_bomb_ratio,
    "xlsx-huge-merge": xlsx_huge_merge,
    "pdf-5000-pages": pdf_many_pages,
    "pdf-lying-count": pdf_lying_count,
    "pdf-many-ops": pdf_many_ops,
    "pdf-flate-bomb": pdf_flate_bomb,
    "pdf-huge-image": pdf_huge_image,
    "png-bomb": png_bomb,
}


def make_all(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    return {name: make(out) for name, make in MAKERS.items()}


if __name__ == "__main__":
    for name, p in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(f"{name}: {p} ({p.stat().st_size} bytes)")
