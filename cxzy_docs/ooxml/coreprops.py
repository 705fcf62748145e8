"""``docProps/core.xml``: title, subject, keywords and dates of a package (metadata only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from cxzy_docs.ooxml.ns import CORE_NSMAP, qn
from cxzy_docs.ooxml.xmltext import xml_safe


@dataclass(frozen=True)
class CoreProperties:
    """The Dublin Core fields Word shows under File > Properties."""

    title: str = ""
    subject: str = ""
    keywords: str = ""
    description: str = ""
    creator: str = ""
    created: dt.datetime | None = None  # UTC; None leaves the dates out


def core_xml(props: CoreProperties) -> bytes:
    """The bytes of ``docProps/core.xml``."""
    root = etree.Element(qn("cp:coreProperties"), nsmap=CORE_NSMAP)
    for tag, value in (
        ("dc:title", props.title),
        ("dc:subject", props.subject),
        ("dc:creator", props.creator),
        ("cp:keywords", props.keywords),
        ("dc:description", props.description),
        ("cp:lastModifiedBy", props.creator),
    ):
        if value:
            etree.SubElement(root, qn(tag)).text = xml_safe(value)
    etree.SubElement(root, qn("cp:revision")).text = "1"
    if props.created is not None:
        stamp = props.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for tag in ("dcterms:created", "dcterms:modified"):
            etree.SubElement(root, qn(tag), {qn("xsi:type"): "dcterms:W3CDTF"}).text = stamp
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
