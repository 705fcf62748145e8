"""Golden files for zip-based documents (DOCX, XLSX): part lists plus normalised XML per part.

A golden case is a folder: ``PARTS.txt`` lists the part names, and each XML part is stored
canonicalised and indented at its own path, so that a change shows as a readable diff. Volatile
bits (core.xml dates, ...) are dropped before comparing; non-XML parts are compared by SHA-256.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

PARTS_LIST = "PARTS.txt"
XML_SUFFIXES = (".xml", ".rels", ".vml")
NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
# XPath (with NAMESPACES prefixes) of elements removed before comparing, by part name.
DEFAULT_VOLATILE: Mapping[str, Sequence[str]] = {
    "docProps/core.xml": ("//dcterms:created", "//dcterms:modified", "//cp:lastPrinted"),
    "docProps/app.xml": ("//ep:TotalTime", "//ep:AppVersion"),
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)


def zip_parts(data: bytes | Path) -> dict[str, bytes]:
    """Every member of a zip by name (directories left out)."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _sort_children(root: etree._Element, key_attr: str) -> None:
    children = sorted(root, key=lambda el: (etree.QName(el).localname, el.get(key_attr) or ""))
    for child in children:
        root.append(child)


def normalise_xml(data: bytes, drop: Sequence[str] = ()) -> str:
    """XML as comparable text: ``drop`` removed, rels and content types sorted, C14N 2.0, indented."""
    root = etree.fromstring(data, _PARSER)
    for xpath in drop:
        for el in root.xpath(xpath, namespaces=NAMESPACES):
            el.getparent().remove(el)
    qname = etree.QName(root)
    if qname.namespace == NAMESPACES["rel"]:
        _sort_children(root, "Id")
    elif qname.namespace == NAMESPACES["ct"]:
        for el in root:
            el.set("_key", el.get("Extension") or el.get("PartName") or "")
        _sort_children(root, "_key")
        for el in root:
            del el.attrib["_key"]
    etree.indent(root, space=" ")
    return etree.tostring(root, method="c14n2").decode("utf-8") + "\n"


def normalised_parts(
    data: bytes | Path, volatile: Mapping[str, Sequence[str]] = DEFAULT_VOLATILE
) -> dict[str, str]:
    """Each part of a package as text: normalised XML, or ``sha256:…`` for other parts."""
    out: dict[str, str] = {}
    for name, raw in zip_parts(data).items():
        if name.endswith(XML_SUFFIXES):
            out[name] = normalise_xml(raw, volatile.get(name, ()))
        else:
            out[name] = f"sha256:{hashlib.sha256(raw).hexdigest()}\n"
    return out


def write_golden(
    data: bytes | Path, folder: Path, volatile: Mapping[str, Sequence[str]] = DEFAULT_VOLATILE
) -> None:
    """Replace ``folder`` with the normalised parts of ``data`` and their list."""
    parts = normalised_parts(data, volatile)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / PARTS_LIST).write_text("".join(f"{name}\n" for name in sorted(parts)), encoding="utf-8")
    for name, text in parts.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def compare_to_golden(
    data: bytes | Path,
    folder: Path,
    volatile: Mapping[str, Sequence[str]] = DEFAULT_VOLATILE,
    context: int = 3,
    max_lines: int = 60,
) -> list[str]:
    """The differences between ``data`` and the golden ``folder`` as messages; [] when equal."""
    if not (folder / PARTS_LIST).is_file():
        return [f"no golden files in {folder} (run tests/regen_golden.py)"]
    expected_names = (folder / PARTS_LIST).read_text(encoding="utf-8").split()
    actual = normalised_parts(data, volatile)
    problems: list[str] = []
    missing = sorted(set(expected_names) - set(actual))
    extra = sorted(set(actual) - set(expected_names))
    if missing:
        problems.append(f"parts missing: {missing}")
    if extra:
        problems.append(f"parts not in the golden list: {extra}")
    for name in sorted(set(expected_names) & set(actual)):
        expected = (folder / name).read_text(encoding="utf-8")
        if expected != actual[name]:
            diff = list(
                difflib.unified_diff(
                    expected.splitlines(),
                    actual[name].splitlines(),
                    f"golden/{name}",
                    f"actual/{name}",
                    n=context,
                    lineterm="",
                )
            )
            shown = diff[:max_lines] + (
                [f"... {len(diff) - max_lines} more diff lines"] if len(diff) > max_lines else []
            )
            problems.append(f"part {name} differs:\n" + "\n".join(shown))
    return problems


# ------------------------------------------------------------------ LibreOffice and page images


def libreoffice_pdf(src: Path, outdir: Path, timeout: int = 240) -> Path:
    """Convert ``src`` to PDF with headless LibreOffice (private profile: safe in parallel)."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    profile = outdir / ".lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.is_file():
        raise FileNotFoundError(f"LibreOffice wrote no PDF for {src}")
    return pdf


def pdf_page_pngs(
    pdf: Path, prefix: Path, dpi: int = 50, first: int = 1, last: int | None = None, gray: bool = True
) -> list[Path]:
    """Render pages of ``pdf`` to ``{prefix}-{n}.png`` with pdftoppm; the files made, in order."""
    import subprocess

    args = ["pdftoppm", "-r", str(dpi), "-png", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    pages = sorted(prefix.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if gray:  # pdftoppm writes RGB PNGs even with -gray; grey pages are a third of the size
        from PIL import Image

        for page in pages:
            with Image.open(page) as im:
                grey = im.convert("L")
            grey.save(page, optimize=True)
    return pages
