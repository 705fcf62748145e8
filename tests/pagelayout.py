"""Golden page layouts: what a rendered PDF shows, compared with tolerances instead of pixels.

A page rendered by LibreOffice depends on the machine's fonts and LibreOffice's version: line breaks
in justified text move, a table comes out a few points narrower, and a pixel comparison fails on a
fresh machine although nothing a reader cares about changed. What matters is compared instead:

- the text, in content order (the order the PDF draws it), with white space and page-number
  footers removed: nothing lost, nothing added, nothing out of order (characters outside the BMP,
  drawn by fallback fonts in passes of their own, by count);
- the number of pages, within ``Tolerance.pages``;
- every table (by its ruling lines): page, rows, columns, left edge and width within tolerance;
- every image (the report's charts): its size within tolerance;
- for our own PDFs (fonts embedded, layout computed by us), optionally every word's position.

Goldens are JSON files written by :func:`write_layout` (``make golden``); PNG pages rendered beside
them are for people to look at and are not compared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

_WS = re.compile(r"\s+")
# Page numbers in a footer: "— 3 —" (GB/T 9704), "- 3 -", "第 3 页 共 8 页", "3 / 8", a bare "3".
_PAGE_NUMBER = re.compile(r"^(?:[—–-]*\d+[—–-]*|第\d+页(?:共\d+页)?|\d+/\d+)$")
FOOTER_BAND = 0.9  # chars whose top is below this fraction of the page height may be a footer
HEADER_BAND = 0.06  # ... above this fraction, a page header


@dataclass(frozen=True)
class Tolerance:
    """How far a rendering may move before it counts as a change."""

    pages: int = 1  # reflowed text may push a line onto one more page
    edge_pt: float = 8.0  # a table's or image's left edge
    size_ratio: float = 0.04  # a table's width, an image's width and height, relative
    word_pt: float = 1.0  # a word's position, for layouts we compute ourselves


def _inside(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page_text(page: Any, skip: list[tuple[float, float, float, float]]) -> str:
    body, footer = [], []
    limit = page.height * FOOTER_BAND
    for ch in page.chars:
        if any(_inside(ch, box) for box in skip):
            continue
        (footer if ch["top"] >= limit else body).append(ch["text"])
    foot = _WS.sub("", "".join(footer))
    text = _WS.sub("", "".join(body))
    return text if _PAGE_NUMBER.match(foot) or not foot else text + foot


def _split_rare(text: str) -> tuple[str, str]:
    """``text`` without characters outside the BMP, and those characters sorted.

    Renderers draw such characters (𠮷) with a fallback font, often in a pass of their own after
    the line, so where they sit in the content stream differs between machines; they are compared
    by count, the rest in order.
    """
    common = "".join(ch for ch in text if ord(ch) < 0x10000)
    return common, "".join(sorted(ch for ch in text if ord(ch) >= 0x10000))


def _row_text(table: Any, index: int) -> list[str]:
    return [_WS.sub("", cell or "") for cell in table.extract()[index]]


def _body_chars(page: Any) -> list[dict[str, Any]]:
    return [
        ch
        for ch in page.chars
        if HEADER_BAND * page.height < ch["top"] < FOOTER_BAND * page.height and not ch["text"].isspace()
    ]


def _continues(prev: dict[str, Any], table: Any, page: Any, first_on_page: bool) -> bool:
    """Whether ``table`` carries on ``prev``: it opens its page, ``prev`` closed the one before, same box."""
    return (
        first_on_page
        and prev["page"] == page.page_number - 1
        and prev["_ends_page"]
        and abs(prev["x0"] - table.bbox[0]) < 2
        and abs(prev["width"] - (table.bbox[2] - table.bbox[0])) < 2
        and not any(ch["bottom"] <= table.bbox[1] for ch in _body_chars(page))
    )


def _ends_page(table: Any, page: Any) -> bool:
    return not any(ch["top"] >= table.bbox[3] for ch in _body_chars(page))


def pdf_layout(pdf: Path, *, words: bool = False) -> dict[str, Any]:
    """The comparable layout of ``pdf``: pages, text, tables, images (and words if asked).

    A table that runs over page breaks counts once: its rows added up (``breaks`` says over how
    many breaks, each of which may split a row in two), its widest row's cells as ``cols``; a
    header row that the renderer repeats on the next page is left out of the rows and the text.
    """
    out: dict[str, Any] = {"pages": 0, "size": None, "text": "", "rare": "", "tables": [], "images": []}
    texts = []
    with pdfplumber.open(pdf) as doc:
        out["pages"] = len(doc.pages)
        for page in doc.pages:
            if out["size"] is None:
                out["size"] = [round(page.width), round(page.height)]
            skip = []
            for i, table in enumerate(page.find_tables()):
                cols = max((len(row.cells) for row in table.rows), default=0)
                rows = len(table.rows)
                prev = out["tables"][-1] if out["tables"] else None
                if prev is not None and _continues(prev, table, page, i == 0):
                    if rows and _row_text(table, 0) == prev["_head"]:
                        skip.append(table.rows[0].bbox)
                        rows -= 1
                    prev.update(
                        rows=prev["rows"] + rows,
                        cols=max(prev["cols"], cols),
                        breaks=prev["breaks"] + 1,
                        page=page.page_number,
                        _ends_page=_ends_page(table, page),
                    )
                    continue
                out["tables"].append(
                    {
                        "first_page": page.page_number,
                        "page": page.page_number,
                        "breaks": 0,
                        "rows": rows,
                        "cols": cols,
                        "x0": round(table.bbox[0], 1),
                        "width": round(table.bbox[2] - table.bbox[0], 1),
                        "_head": _row_text(table, 0) if table.rows else [],
                        "_ends_page": _ends_page(table, page),
                    }
                )
            texts.append(_page_text(page, skip))
            for image in page.images:
                out["images"].append(
                    {
                        "first_page": page.page_number,
                        "x0": round(image["x0"], 1),
                        "width": round(image["width"], 1),
                        "height": round(image["height"], 1),
                    }
                )
            if words:
                out.setdefault("words", []).extend(
                    [page.page_number, w["text"], round(w["x0"], 1), round(w["top"], 1)]
                    for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)
                )
    for table in out["tables"]:
        del table["_head"], table["page"], table["_ends_page"]
    out["text"], out["rare"] = _split_rare("".join(texts))
    return out


def _first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (
        f"at character {at}: golden …{a[max(0, at - 20) : at + 20]}… / now …{b[max(0, at - 20) : at + 20]}…"
    )


def _close(a: float, b: float, *, absolute: float = 0.0, ratio: float = 0.0) -> bool:
    return abs(a - b) <= max(absolute, ratio * max(abs(a), abs(b)))


def compare_layout(golden: dict[str, Any], actual: dict[str, Any], tol: Tolerance = Tolerance()) -> list[str]:
    """The differences that matter between two layouts, as messages; [] when they agree."""
    problems: list[str] = []
    if golden["size"] != actual["size"]:
        problems.append(f"page size {actual['size']} instead of {golden['size']}")
    if abs(golden["pages"] - actual["pages"]) > tol.pages:
        problems.append(f"{actual['pages']} pages instead of {golden['pages']} (±{tol.pages})")
    if golden["text"] != actual["text"]:
        problems.append("text differs " + _first_difference(golden["text"], actual["text"]))
    if golden["rare"] != actual["rare"]:
        problems.append(f"characters outside the BMP: {actual['rare']!r} instead of {golden['rare']!r}")
    for kind in ("tables", "images"):
        want, got = golden[kind], actual[kind]
        if len(want) != len(got):
            problems.append(f"{len(got)} {kind} instead of {len(want)}")
            continue
        for n, (w, g) in enumerate(zip(want, got, strict=True), start=1):
            problems += [f"{kind[:-1]} {n} (page {g['first_page']}): {p}" for p in _compare_box(w, g, tol)]
    if "words" in golden:
        problems += _compare_words(golden["words"], actual.get("words", []), tol)
    return problems


def _compare_box(w: dict[str, Any], g: dict[str, Any], tol: Tolerance) -> list[str]:
    out = []
    if abs(w["first_page"] - g["first_page"]) > tol.pages:
        out.append(f"starts on page {g['first_page']} instead of {w['first_page']}")
    if "rows" in w:
        if w["cols"] != g["cols"]:
            out.append(f"{g['cols']} columns instead of {w['cols']}")
        if abs(w["rows"] - g["rows"]) > max(w["breaks"], g["breaks"]):  # a page break may split a row
            out.append(f"{g['rows']} rows instead of {w['rows']}")
    if not _close(w["x0"], g["x0"], absolute=tol.edge_pt):
        out.append(f"left edge {g['x0']} instead of {w['x0']}")
    out += [
        f"{k} {g[k]} instead of {w[k]}"
        for k in ("width", "height")
        if k in w and not _close(w[k], g[k], ratio=tol.size_ratio)
    ]
    return out


def _compare_words(want: list[list[Any]], got: list[list[Any]], tol: Tolerance) -> list[str]:
    if [w[:2] for w in want] != [g[:2] for g in got]:
        return [
            "words differ "
            + _first_difference(" ".join(str(w[1]) for w in want), " ".join(str(g[1]) for g in got))
        ]
    moved = [
        (w, g)
        for w, g in zip(want, got, strict=True)
        if abs(w[2] - g[2]) > tol.word_pt or abs(w[3] - g[3]) > tol.word_pt
    ]
    return [f"{len(moved)} words moved, e.g. {moved[0][0]} -> {moved[0][1]}"] if moved else []


def write_layout(layout: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(layout, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_layout(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check_against_golden(
    pdf: Path, golden: Path, *, words: bool = False, tol: Tolerance = Tolerance()
) -> None:
    """Assert ``pdf`` lays out like ``golden`` (``make golden`` rewrites goldens after an intended change)."""
    assert golden.is_file(), f"missing {golden}: run make golden"
    problems = compare_layout(load_layout(golden), pdf_layout(pdf, words=words), tol)
    assert not problems, f"{pdf.name} vs {golden.name}:\n" + "\n".join(problems) + "\n(intended? make golden)"
