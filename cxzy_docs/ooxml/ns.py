"""Namespaces, qualified tag names, content types and relationship types of OOXML packages."""

from __future__ import annotations

from functools import cache

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
DCMITYPE = "http://purl.org/dc/dcmitype/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"

PREFIXES = {
    "w": W,
    "r": R,
    "cp": CP,
    "dc": DC,
    "dcterms": DCTERMS,
    "dcmitype": DCMITYPE,
    "xsi": XSI,
    "xml": XML,
    "ct": CONTENT_TYPES,
    "rel": PKG_RELS,
}

# The namespaces written on the root of docProps/core.xml.
CORE_NSMAP = {"cp": CP, "dc": DC, "dcterms": DCTERMS, "dcmitype": DCMITYPE, "xsi": XSI}

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"


@cache
def qn(tag: str) -> str:
    """The Clark name of a prefixed tag: ``qn('w:p')`` -> ``'{http://…/main}p'``."""
    prefix, _, local = tag.partition(":")
    return f"{{{PREFIXES[prefix]}}}{local}"
