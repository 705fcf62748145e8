"""Scoring the books other people laid out (tests/data/layouts-other): per file, format, variation, field kind.

Each file ``F`` has its gold ``F.gold.json`` beside it: one record, or for a file holding several
books a list of records in file order. Scoring is ``gold.field_accuracy`` (kind, year and every leaf
of the form, texts compared without white space); the parsed books are matched to the golds in
file order. Used by tests/test_layouts_other.py and bench/bench_layouts_other.py.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gold import field_accuracy

OTHER = Path(__file__).resolve().parent / "data" / "layouts-other"
SUFFIXES = (".docx", ".doc", ".pdf", ".xlsx", ".xls")


def files(folder: Path = OTHER) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and Path(f"{p}.gold.json").exists())


def golds(path: Path) -> list[dict[str, Any]]:
    data = json.loads(Path(f"{path}.gold.json").read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


def field_kind(path: str) -> str:
    """The kind of a field path: header, year, kind, name, date, count, text, grade."""
    if path in ("year", "kind"):
        return path
    if path.startswith("subject."):
        return "header"
    if path.startswith("annual.evaluation."):
        return "count"
    if path == "annual.grade":
        return "grade"
    if path.endswith(".name"):
        return "name"
    if path.endswith(".date"):
        return "date"
    return "text"


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, right: int, total: int) -> None:
        self.right += right
        self.total += total

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class FileResult:
    name: str
    fmt: str
    books_want: int
    books_got: int
    right: int
    total: int
    wrong: list[tuple[int, str, object, object]]  # (book index, path, got, want)
    error: str | None = None


@dataclass
class OtherResult:
    files: list[FileResult] = field(default_factory=list)
    overall: Tally = field(default_factory=Tally)
    by_format: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_variation: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    wrong_kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def _variation_key(v: str) -> str:
    """A variation without the book-specific part in brackets (``missing date (Q3 review)``)."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", v).strip()


def score_other(
    folder: Path = OTHER, parser: Callable[[Path], list[dict[str, Any]]] | None = None
) -> OtherResult:
    from cxzy_docs.model import get_field

    if parser is None:
        from cxzy_docs.read import parse_file as parser  # type: ignore[no-redef]
    res = OtherResult()
    t0 = time.perf_counter()
    for path in files(folder):
        want = golds(path)
        error = None
        try:
            parsed = parser(path)  # type: ignore[misc]
        except Exception as exc:  # a file the reader refuses scores zero on every field
            parsed, error = [], str(exc)
        fr = FileResult(path.name, path.suffix[1:], len(want), len(parsed), 0, 0, [], error)
        for i, gold in enumerate(want):
            meta = gold.get("_meta", {})
            gold = {k: v for k, v in gold.items() if k != "_meta"}
            rec = parsed[i] if i < len(parsed) else {"kind": None, "year": None}
            right, n, wrong = field_accuracy(rec, gold)
            fr.right += right
            fr.total += n
            wrong_set = set(wrong)
            paths = ["kind", "year", *_paths(gold)]
            for p in paths:
                res.by_kind[field_kind(p)].add(p not in wrong_set, 1)
            for p in wrong:
                res.wrong_kinds[field_kind(p)] += 1
                fr.wrong.append((i, p, get_field(rec, p), get_field(gold, p)))
            for v in {_variation_key(v) for v in meta.get("variations", [])}:
                res.by_variation[v].add(right, n)
            res.by_format[fr.fmt].add(right, n)
            res.overall.add(right, n)
        res.files.append(fr)
    res.seconds = time.perf_counter() - t0
    return res


def _paths(gold: dict[str, Any]) -> list[str]:
    from cxzy_docs.model import field_paths, get_field

    return [p for p in field_paths(gold["kind"]) if p != "annual.grade" or get_field(gold, p) is not None]


def report(res: OtherResult, *, wrong: bool = True, variations: bool = True) -> str:
    lines = [f"ALL {res.overall.rate:.2%} ({res.overall.right}/{res.overall.total}) in {res.seconds:.1f} s"]
    lines.append("-- format")
    lines += [f"  {k:6} {t.rate:7.2%} ({t.right}/{t.total})" for k, t in sorted(res.by_format.items())]
    lines.append("-- field kind")
    lines += [f"  {k:6} {t.rate:7.2%} ({t.right}/{t.total})" for k, t in sorted(res.by_kind.items())]
    lines.append("-- file")
    for f in res.files:
        split = "" if f.books_got == f.books_want else f"  BOOKS {f.books_got}/{f.books_want}"
        err = f"  ERROR {f.error}" if f.error else ""
        lines.append(f"  {f.name:28} {f.right / max(f.total, 1):7.2%} ({f.right}/{f.total}){split}{err}")
    if variations:
        lines.append("-- variation (worst first)")
        for k, t in sorted(res.by_variation.items(), key=lambda kv: kv[1].rate)[:40]:
            lines.append(f"  {t.rate:7.2%} {t.total:5d}  {k}")
    if wrong:
        lines.append("-- wrong fields")
        for f in res.files:
            for i, p, got, want in f.wrong:
                lines.append(f"  {f.name}#{i + 1} {p}: got {got!r:.70} want {want!r:.70}")
    return "\n".join(lines)
