"""OPC packages (zip files): static parts read and deflated once, per-document parts added to a copy."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from cxzy_docs.errors import RenderError

# Every entry gets this timestamp: the same input gives the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_PART_SUFFIXES = (".xml", ".rels")

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_template_parts(folder: Path) -> dict[str, bytes]:
    """The XML parts under ``folder`` by part name (``word/styles.xml``), each checked to parse."""
    if not folder.is_dir():
        raise RenderError("模板文件夹不存在", file=str(folder))
    parts: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not path.name.endswith(_PART_SUFFIXES):
            continue
        data = path.read_bytes()
        try:
            etree.fromstring(data, SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise RenderError(f"模板部件不是合法的 XML（{exc.msg}）", file=str(path)) from None
        parts[path.relative_to(folder).as_posix()] = data
    if "[Content_Types].xml" not in parts:
        raise RenderError("模板缺少 [Content_Types].xml", file=str(folder))
    return parts


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


class PackageSkeleton:
    """A zip holding the static parts, compressed once; :meth:`build` appends the rest to a copy."""

    def __init__(self, static_parts: Mapping[str, bytes]) -> None:
        buf = io.BytesIO()
        # [Content_Types].xml first, as Word writes it; then the rest in name order.
        names = sorted(static_parts, key=lambda n: (n != "[Content_Types].xml", n))
        with zipfile.ZipFile(buf, "w") as zf:
            for name in names:
                zf.writestr(_entry(name), static_parts[name], compresslevel=9)
        self.static_names = tuple(names)
        self._bytes = buf.getvalue()

    def build(self, parts: Mapping[str, bytes], compresslevel: int = 6) -> bytes:
        """The whole package: the static parts plus ``parts`` (which must not repeat a static name)."""
        clash = set(parts) & set(self.static_names)
        if clash:
            raise ValueError(f"parts already in the skeleton: {sorted(clash)}")
        buf = io.BytesIO(self._bytes)
        with zipfile.ZipFile(buf, "a") as zf:
            for name, data in parts.items():
                zf.writestr(_entry(name), data, compresslevel=compresslevel)
        return buf.getvalue()
