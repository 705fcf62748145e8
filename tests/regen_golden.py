"""Regenerate the golden files of the renderers: ``python tests/regen_golden.py [--png]``.

``tests/golden/docx/<case>/`` holds the normalised parts of each DOCX case; ``--png`` also
renders the member and organization books through LibreOffice into ``tests/golden/png/`` (pages
from the table on, 50 dpi), for people to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]

from golden_tools import libreoffice_pdf, pdf_page_pngs, write_golden  # noqa: E402

from cxzy_docs.model import empty_record  # noqa: E402
from cxzy_docs.render.docx import DocxRenderer  # noqa: E402

GOLDEN = TESTS / "golden"
FORMS_DEV = TESTS / "data" / "forms-dev"
FIXED_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
TABLE_FIRST_PAGE = 3  # cover, 说明, then the table


def gold_record(name: str) -> dict[str, Any]:
    """A gold record of the dev corpus without its ``_meta``."""
    record = json.loads((FORMS_DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
    record.pop("_meta", None)
    return record


def _roster_blank() -> dict[str, Any]:
    record = empty_record("member", 2025)
    record["subject"].update(name="宋丽娜", organization="靖宇镇卫生院党支部")
    return record


DOCX_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "member-blank": lambda: empty_record("member"),
    "member-roster-2025": _roster_blank,
    "member-filled": lambda: gold_record("dev-2010-m01.docx"),
    "organization-filled": lambda: gold_record("dev-2010-o01.docx"),
}
PNG_CASES = {"member": "member-filled", "organization": "organization-filled"}


def docx_case(case: str) -> bytes:
    """The .docx bytes of a golden case (core.xml dates fixed)."""
    return DocxRenderer(created=FIXED_TIME).render(DOCX_CASES[case]())


def regen_docx() -> None:
    for case in DOCX_CASES:
        write_golden(docx_case(case), GOLDEN / "docx" / case)
        print(f"golden/docx/{case}")


def regen_png() -> None:
    out = GOLDEN / "png"
    out.mkdir(parents=True, exist_ok=True)
    for kind, case in PNG_CASES.items():
        for old in out.glob(f"{kind}-docx-p*.png"):
            old.unlink()
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"{kind}.docx"
            src.write_bytes(docx_case(case))
            pdf = libreoffice_pdf(src, Path(tmp))
            for png in pdf_page_pngs(pdf, Path(tmp) / "page", dpi=50, first=TABLE_FIRST_PAGE):
                target = out / f"{kind}-docx-p{png.stem.rsplit('-', 1)[1].lstrip('0')}.png"
                target.write_bytes(png.read_bytes())
                print(f"golden/png/{target.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="also render page images (LibreOffice)")
    args = parser.parse_args(argv)
    regen_docx()
    if args.png:
        regen_png()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
