"""评议结果 from a sheet an office keeps: name, organization, grade — stored into the books' 评议结果.

The official forms (seed 002) have no box for the 星级先锋 grade, so offices keep the results of
their evaluation on a list of their own: a small sheet (姓名 / 所在党组织 / 评定等次, in any order,
under a title row or two), or a column 评定等次 added to the roster. Each row is matched to the book
of that person (or organization) and year in the store and written through the store's edit, so
the change is in the history and can be undone like any other. Rows that match no book, or more
than one (namesakes in one branch), and grades not on the scale are reported with their row number,
never guessed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxzy_docs.errors import CxzyError, ReadError
from cxzy_docs.report.grades import STAR_GRADES, normalize_grade
from cxzy_docs.report.scope import record_organization
from cxzy_docs.store import ConflictError, Store
from cxzy_docs.textnorm import label_key, normalize_name

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_ROWS = 30
GRADE_PATH = "annual.grade"

_NAME = ("姓名", "党员姓名", "名称", "党组织名称", "对象", "党员或党组织", "被评议对象", "评议对象")
_ORG = ("所在党组织", "所在党组织名称", "所在党支部", "党支部", "所属党组织", "所属支部", "支部", "党组织")
_GRADE = (
    "评定等次",
    "评议等次",
    "评议结果",
    "评定结果",
    "等次",
    "星级",
    "星级评定",
    "星级先锋",
    "评定等级",
    "等级",
    "评议结果等次",
)
_KIND = ("类别", "类型", "对象类别")
_YEAR = ("年度", "年份")
_MARKS = {mark: grade for grade, mark in STAR_GRADES}


class GradesError(CxzyError):
    """A grades sheet cannot be read at all (missing file, no name or grade column)."""


@dataclass
class GradesImport:
    """What a grades sheet did: rows read, grades written, left as they were, and rows in doubt."""

    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.changed + self.unchanged


def _key(text: Any) -> str:
    return label_key(str(text)) if text is not None else ""


def _cells(path: Path) -> Iterator[tuple[str | None, int, list[Any]]]:
    """(sheet, row number, values) of every row of an .xlsx or .csv file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise GradesError("文件不存在", file=str(path)) from None
    except IsADirectoryError:
        raise GradesError("这是文件夹，应给出评定等次表文件（.xlsx 或 .csv）", file=str(path)) from None
    except OSError:
        raise GradesError("无法读取（没有读取权限，或文件被其他程序占用）", file=str(path)) from None
    if size > MAX_BYTES:
        raise GradesError("文件过大，不像评定等次表", file=str(path))
    if head.startswith(b"PK") and path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_cells(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        yield from _csv_cells(path)
    else:
        raise GradesError("评定等次表应为 .xlsx 或 .csv 文件", file=str(path))


def _xlsx_cells(path: Path) -> Iterator[tuple[str | None, int, list[Any]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from cxzy_docs.read.safezip import open_zip

    try:
        open_zip(path, what="XLSX").close()  # sizes and ratios checked before anything is inflated
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ReadError as exc:
        raise GradesError(exc.detail, file=str(path)) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise GradesError("无法作为 Excel 文件打开：文件可能已损坏", file=str(path)) from None
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    break
                yield ws.title, number, list(row)
    finally:
        wb.close()


def _csv_cells(path: Path) -> Iterator[tuple[str | None, int, list[Any]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GradesError("无法识别文本编码（既不是 UTF-8 也不是 GBK）", file=str(path))
    delimiter = max((",", "\t", "，"), key=text[:4096].count)
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if number > MAX_ROWS:
            break
        yield None, number, list(row)


def _find(header: list[Any], words: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in header]
    for word in words:  # the first word is the likeliest
        if word in keys:
            return keys.index(word)
    return None


@dataclass(frozen=True)
class GradeRow:
    """One row of the sheet: where it is, whose grade, and the grade as written."""

    sheet: str | None
    row: int
    name: str
    organization: str | None
    kind: str | None
    year: int | None
    grade: str

    @property
    def place(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行" if self.sheet else f"第 {self.row} 行"


def read_grades(path: str | Path) -> list[GradeRow]:
    """The rows of a grades sheet (every sheet that has a name and a grade column, header anywhere
    in its first rows); a GradesError when none has."""
    path = Path(path)
    rows: list[GradeRow] = []
    header: tuple[str | None, dict[str, int]] | None = None
    found_header = False
    for sheet, number, values in _cells(path):
        if header is None or header[0] != sheet:
            header = None
            if number <= HEADER_ROWS:
                name_col, grade_col = _find(values, _NAME), _find(values, _GRADE)
                if name_col is not None and grade_col is not None:
                    cols = {"name": name_col, "grade": grade_col}
                    for what, words in (("org", _ORG), ("kind", _KIND), ("year", _YEAR)):
                        col = _find(values, words)
                        if col is not None and col not in (name_col, grade_col):
                            cols[what] = col
                    header = (sheet, cols)
                    found_header = True
            continue
        cols = header[1]

        def cell(what: str, values: list[Any] = values, cols: dict[str, int] = cols) -> str:
            i = cols.get(what)
            return "" if i is None or i >= len(values) or values[i] is None else str(values[i]).strip()

        name = normalize_name(cell("name")) or ""
        if not name:
            continue
        year_text = cell("year").removesuffix("年度").removesuffix("年")
        kind_text = cell("kind")
        kind = (
            "organization"
            if "组织" in kind_text or "支部" in kind_text
            else ("member" if kind_text else None)
        )
        rows.append(
            GradeRow(
                sheet,
                number,
                name,
                normalize_name(cell("org")),
                kind,
                int(year_text) if year_text.isdigit() else None,
                cell("grade"),
            )
        )
    if not found_header:
        raise GradesError(
            "没有找到“姓名”和“评定等次”两列（表头可写作 姓名/党组织名称 和 评定等次/评议结果/等次）",
            file=str(path),
        )
    return rows


def _grade_value(written: str) -> str | None:
    """What to store: the grade as written (优秀 stays 优秀), a mark as its word (★ -> 先锋); None: not on the scale."""
    text = "".join(written.split())
    if text in _MARKS:
        return _MARKS[text]
    return text if normalize_grade(text) else None


def import_grades(store: Store, path: str | Path, *, year: int | None = None) -> GradesImport:
    """Write the grades of the sheet at ``path`` into the books of ``store`` (of ``year``, or of the
    year a row gives) through :meth:`Store.edit`: kept in the history, undone like any edit."""
    rows = read_grades(path)
    result = GradesImport(rows=len(rows))
    years = {r.year or year for r in rows}
    if None in years:
        raise GradesError("评定等次表没有“年度”列，请用 --year 指定年度", file=str(path))
    books: dict[int, list[Any]] = {y: list(store.books(year=y)) for y in years if y is not None}
    for row in rows:
        value = _grade_value(row.grade)
        if value is None:
            result.problems.append(
                f"{row.place}：{row.name} 的等次“{row.grade or '（空）'}”不是先锋、合格、基本合格、后进"
                "（或优秀、不合格），未导入"
            )
            continue
        candidates = _candidates(books[row.year or year or 0], row)
        if not candidates:
            where = f"（{row.organization}）" if row.organization else ""
            result.problems.append(
                f"{row.place}：数据库中没有 {row.year or year} 年度 {row.name}{where} 的写实簿，未导入"
            )
            continue
        if len(candidates) > 1:
            result.problems.append(
                f"{row.place}：{row.name} 有 {len(candidates)} 本同名的写实簿"
                f"{'' if row.organization else '，请在表中写明所在党组织'}，无法确定是哪一本，未导入"
            )
            continue
        book = candidates[0]
        if (book.record.get("annual") or {}).get("grade") == value:
            result.unchanged += 1
            continue
        try:
            store.edit(book.id, GRADE_PATH, value, expected_version=book.version)
        except ConflictError:
            result.problems.append(f"{row.place}：{row.name} 的写实簿正被他人修改，未导入，请稍后再试")
            continue
        result.changed += 1
    return result


def _candidates(books: list[Any], row: GradeRow) -> list[Any]:
    def subject(b: Any) -> dict[str, Any]:
        return b.record.get("subject") or {}

    kinds = (row.kind,) if row.kind else ("member", "organization")
    out = []
    for b in books:
        kind = b.record.get("kind")
        if kind not in kinds or normalize_name(str(subject(b).get("name") or "")) != row.name:
            continue
        if (
            row.organization
            and kind == "member"
            and normalize_name(str(record_organization(b.record) or "")) != row.organization
        ):
            continue
        out.append(b)
    if not row.kind and len(out) > 1:  # a name both an organization's and a member's: the member, unless told
        members = [b for b in out if b.record.get("kind") == "member"]
        out = members or out
    return out
