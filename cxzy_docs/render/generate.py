"""Writing many books at once: one file per book and format, optional combined PDFs per organization.

One bad book never stops the batch: its error is collected and the others are written. Every
file is written atomically, so what exists in the output folder is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxzy_docs.errors import CxzyError, RenderError, os_reason
from cxzy_docs.fileio import inside, prepare_out_dir, write_atomic
from cxzy_docs.model import Record, display_name
from cxzy_docs.render.naming import UniqueNames, book_stem
from cxzy_docs.textnorm import safe_filename_part

FORMATS = ("docx", "xlsx", "pdf")

Renderer = Callable[[Record], bytes]


def renderer_for(fmt: str) -> Renderer:
    """The renderer of one output format, imported lazily (each costs ~100 ms to import)."""
    if fmt == "docx":
        from cxzy_docs.render.docx import render_docx

        return render_docx
    if fmt == "xlsx":
        from cxzy_docs.render.xlsx import render_xlsx

        return render_xlsx
    if fmt == "pdf":
        from cxzy_docs.render.pdf import render_pdf_one

        return render_pdf_one
    raise RenderError(f"不支持的输出格式：{fmt}（可选：{'、'.join(FORMATS)}）")


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,pdf' -> ('docx', 'pdf'); unknown names raise a RenderError listing the choices."""
    out = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise RenderError(f"不支持的输出格式：{'、'.join(bad) or '（空）'}（可选：{'、'.join(FORMATS)}）")
    return out


@dataclass
class Failure:
    """A book that could not be written, with the reason in Chinese."""

    book: str
    message: str


@dataclass
class GenerateResult:
    """What a batch wrote: files per format, combined PDFs, failures."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    combined: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    books: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def organization_of(record: Record) -> str:
    """The organization a book is filed under: its own name for organizations."""
    subj = record.get("subject") or {}
    if record.get("kind") == "organization":
        return subj.get("name") or "未知党组织"
    return subj.get("organization") or "未知党组织"


def generate_books(
    records: Sequence[Record],
    out_dir: str | Path,
    formats: Iterable[str] = ("docx",),
    *,
    combined: bool = False,
    on_book: Callable[[Record], None] | None = None,
) -> GenerateResult:
    """Write every record as one file per format into ``out_dir``; see the module docstring.

    ``combined`` also writes ``合订本/<year>_<organization>_合订本.pdf`` per organization, the
    organization's own book first, each book starting on an odd page for double-sided printing.
    ``on_book`` is called after each book (for a progress bar).
    """
    out = prepare_out_dir(out_dir)
    result = GenerateResult(out_dir=out)
    fmts = tuple(formats)
    renderers = {fmt: renderer_for(fmt) for fmt in fmts}
    names = UniqueNames()
    for record in records:
        stem = names.take(book_stem(record))
        result.books += 1
        for fmt, render in renderers.items():
            target = inside(out, f"{stem}.{fmt}")
            try:
                write_atomic(target, render(record))
            except CxzyError as exc:
                result.failures.append(Failure(display_name(record), exc.message))
            except OSError as exc:
                result.failures.append(
                    Failure(display_name(record), f"写入 {target} 失败（{os_reason(exc)}）")
                )
            except Exception as exc:  # a renderer bug must not stop the other books
                result.failures.append(Failure(display_name(record), f"生成 {fmt} 时出错：{exc!r}"))
            else:
                result.written.append(target)
        if on_book:
            on_book(record)
    if combined:
        _write_combined(records, out, result)
    return result


def _write_combined(records: Sequence[Record], out: Path, result: GenerateResult) -> None:
    from cxzy_docs.render.pdf import render_pdf

    groups: dict[tuple[object, str], list[Record]] = {}
    for rec in records:
        groups.setdefault((rec.get("year"), organization_of(rec)), []).append(rec)
    folder = out / "合订本"
    folder.mkdir(exist_ok=True)
    for (year, org), books in groups.items():
        books.sort(key=lambda r: 0 if r.get("kind") == "organization" else 1)
        name = f"{year or '未知年度'}_{safe_filename_part(org)}_合订本.pdf"
        target = inside(folder, name)
        try:
            write_atomic(target, render_pdf(books, odd_page_start=True))
        except Exception as exc:
            result.failures.append(Failure(f"{org} 合订本", f"生成合订本失败：{exc}"))
        else:
            result.combined.append(target)
