"""Generation speed: ms per book and ratios against the floor and the peers a user would pick.

    python bench/bench_generate.py [--books 10000] [--pdf-batch 20]

- DOCX against the floor (this toolkit's own output used as a template: values substituted in
  word/document.xml as bytes, every part re-deflated, zip written) and against docxtpl on an
  equivalent template (the same document with Jinja placeholders in the boxes).
- PDF against LibreOffice ``--convert-to pdf`` of the same DOCX files, batched in one call.
- A batch of N member books to DOCX through ``generate_books`` (files on disk), wall time.
Medians of several rounds in one process; compare the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchutil import timed  # noqa: E402

from cxzy_docs.forms import form_for, leaves  # noqa: E402
from cxzy_docs.model import get_field, set_field  # noqa: E402
from cxzy_docs.render.docx import render_docx  # noqa: E402
from cxzy_docs.render.generate import generate_books  # noqa: E402
from cxzy_docs.render.pdf import render_pdf_one  # noqa: E402

GOLD = ROOT / "tests" / "data" / "forms-dev" / "dev-2010-m01.docx.gold.json"


def sample_record() -> dict:
    rec = json.loads(GOLD.read_text(encoding="utf-8"))
    rec.pop("_meta", None)
    return rec


def placeholder_record(rec: dict) -> tuple[dict, dict[str, str]]:
    """The record with every text/name value replaced by a Jinja placeholder, and the context."""
    tpl = copy.deepcopy(rec)
    context: dict[str, str] = {}
    for i, leaf in enumerate(leaves(form_for(rec["kind"]))):
        value = get_field(rec, leaf.path)
        if isinstance(value, str) and leaf.value in ("text", "name"):
            key = f"v{i}"
            context[key] = value
            set_field(tpl, leaf.path, "{{ " + key + " }}")
    return tpl, context


def floor_writer(template: bytes, rec: dict) -> Callable[[], bytes]:
    """Template bytes with the values substituted in document.xml, all parts re-deflated, zip written."""
    tpl_rec, context = placeholder_record(rec)
    zin = zipfile.ZipFile(io.BytesIO(render_docx(tpl_rec)))
    parts = {n: zin.read(n) for n in zin.namelist()}
    doc = parts["word/document.xml"]
    pairs = [(("{{ " + k + " }}").encode(), v.encode()) for k, v in context.items()]

    def write() -> bytes:
        body = doc
        for a, b in pairs:
            body = body.replace(a, b)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, body if name == "word/document.xml" else data)
        return buf.getvalue()

    return write


def docxtpl_writer(rec: dict) -> Callable[[], bytes] | None:
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        return None
    tpl_rec, context = placeholder_record(rec)
    template_bytes = render_docx(tpl_rec)

    def write() -> bytes:
        doc = DocxTemplate(io.BytesIO(template_bytes))
        doc.render(context)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    return write


def libreoffice_ms_per_book(rec: dict, n: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = []
        for i in range(n):
            p = d / f"book{i}.docx"
            p.write_bytes(render_docx(rec))
            files.append(str(p))
        profile = f"-env:UserInstallation=file://{d / 'profile'}"
        # one warm-up call so the profile exists, as in a real batch
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(d / "w"), files[0]],
            capture_output=True,
            check=False,
            timeout=300,
        )
        t0 = time.perf_counter()
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(d / "o"), *files],
            capture_output=True,
            check=False,
            timeout=1200,
        )
        elapsed = (time.perf_counter() - t0) * 1000
        made = len(list((d / "o").glob("*.pdf")))
        return elapsed / max(made, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=10_000, help="member books written to disk in one batch")
    ap.add_argument("--pdf-batch", type=int, default=20, help="books per LibreOffice call")
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()

    rec = sample_record()
    template = render_docx(rec)
    ours = timed(lambda: render_docx(rec), args.rounds)
    floor = timed(floor_writer(template, rec), args.rounds)
    print(f"DOCX  cxzy-docs        {ours:8.2f} ms/book")
    print(
        f"DOCX  floor (subst+zip){floor:8.2f} ms/book   ratio ours/floor   = {ours / floor:5.2f}  (target <= 2.0)"
    )
    peer = docxtpl_writer(rec)
    if peer:
        tpl_ms = timed(peer, max(5, args.rounds // 3))
        print(
            f"DOCX  docxtpl          {tpl_ms:8.2f} ms/book   ratio docxtpl/ours = {tpl_ms / ours:5.2f}  (target >= 2.0)"
        )

    pdf_ms = timed(lambda: render_pdf_one(rec), max(5, args.rounds // 2))
    print(f"PDF   cxzy-docs        {pdf_ms:8.2f} ms/book")
    lo = libreoffice_ms_per_book(rec, args.pdf_batch)
    if lo:
        print(
            f"PDF   LibreOffice x{args.pdf_batch:<3} {lo:8.2f} ms/book   ratio LO/ours      = {lo / pdf_ms:5.2f}  (target >= 10)"
        )
    else:
        print("PDF   LibreOffice: not installed, peer skipped")

    if args.books:
        records = []
        for i in range(args.books):
            r = copy.deepcopy(rec)
            r["subject"]["name"] = f"{rec['subject']['name']}{i}"
            records.append(r)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            result = generate_books(records, tmp, ("docx",))
            secs = time.perf_counter() - t0
        print(
            f"BATCH {args.books} member books -> DOCX on disk: {secs:6.1f} s "
            f"({secs * 1000 / args.books:.2f} ms/book, failures {len(result.failures)}) (target <= 60 s)"
        )


if __name__ == "__main__":
    main()
