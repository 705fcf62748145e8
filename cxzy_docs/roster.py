"""The member roster (党员花名册): members and organizations read from XLSX or CSV as offices keep them.

Real rosters carry a title row or two above the header, spaced-out header words (``姓 名``),
header variants (出生年月/出生日期, 文化程度/学历, ...), columns in any order with extra ones,
dates as Excel dates or as text (``1975.03``, ``1975年3月``, ``197503``), numbers stored as
text and blank rows. Rows that cannot be read become :class:`RosterProblem` entries naming file,
sheet and the row number a person sees in Excel; nothing is dropped silently. A file that cannot
be read at all, or lacks a required column, raises :class:`RosterError`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError, RosterError, os_reason
from cxzy_docs.forms import MEMBER, ORGANIZATION, FormSpec
from cxzy_docs.identity import excluded_reason
from cxzy_docs.model import Record, empty_record, set_field
from cxzy_docs.textnorm import (
    UnreadableDate,
    label_key,
    normalize_name,
    normalize_text,
    parse_count,
    parse_date,
    strip_spaces,
)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a roster is a few hundred KB; refuse anything absurd
MAX_ROWS = 100_000  # filled rows per sheet
MAX_BLANK_RUN = 5_000  # blank rows in a row after which a sheet is taken to end
HEADER_SCAN_ROWS = 30  # title rows above the header: at most this many rows are searched

MEMBER_FIELDS = ("name", "gender", "ethnicity", "birth", "joined", "education", "position", "organization")
ORG_FIELDS = ("name", "secretary", "member_count", "activist_count", "parent")
MEMBER_REQUIRED = ("name", "organization")
ORG_REQUIRED = ("name",)

# Column names seen on real rosters beyond the labels and variants the forms already know.
_MEMBER_EXTRA = {
    "name": ("姓名",),
    "birth": ("出生年月日", "出生年月(年.月)"),
    "joined": ("入党年月日", "入党时间(年月)", "加入党组织日期"),
    "education": ("最高学历", "学历学位"),
    "position": ("工作单位及职务", "单位及职务", "职务(岗位)"),
    "organization": (
        "党组织",
        "所在党支部",
        "所属党组织",
        "所属支部",
        "所属党支部",
        "党支部",
        "支部名称",
        "所在党组织名称",
    ),
    "status": ("状态", "党员状态", "组织关系状态", "党籍状态", "人员状态", "是否转出", "备注"),
    "left_on": ("转出时间", "转出日期", "组织关系转出时间", "组织关系转出日期", "转出年月"),
}
_ORG_EXTRA = {
    "name": ("党组织名称", "组织名称", "党组织", "支部名称", "党支部名称"),
    "secretary": ("书记",),
    "activist_count": ("积极分子人数",),
    "parent": ("上级党组织", "上级党组织名称", "上级组织", "所属上级党组织", "上级党委"),
}
# How a column is named in messages (the form's own label, without spacing).
_MEMBER_NAMES = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth": "出生年月",
    "joined": "入党时间",
    "education": "文化程度",
    "position": "现任职务",
    "organization": "所在党组织",
}
_ORG_NAMES = {
    "name": "党组织名称",
    "secretary": "党组织书记",
    "member_count": "党员人数",
    "activist_count": "入党积极分子数",
    "parent": "上级党组织",
}
_SERIAL_KEYS = frozenset({"序号", "编号", "No", "NO", "no"})
# What the name column holds on the summary and sign-off lines under a roster.
_NOT_A_NAME = re.compile(r"^(合计|总计|小计|共计|填表|制表|审核|负责人|联系人|说明|备注|注[:：])")
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


@dataclass(frozen=True)
class RosterProblem:
    """A row that could not be read (fully): where it is, and what is wrong, in Chinese."""

    file: str
    sheet: str | None  # None for a CSV file
    row: int  # 1-based, as Excel or a text editor shows it
    message: str
    skipped: bool = False  # True: the row gave no member/organization; False: read, a value left empty

    def __str__(self) -> str:
        place = f"工作表“{self.sheet}”第 {self.row} 行" if self.sheet else f"第 {self.row} 行"
        return f"文件 {self.file}，{place}：{self.message}"


@dataclass
class Roster:
    """What a roster holds: member subjects, organization subjects, and the rows in doubt."""

    members: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    # (file, sheet, row) each member was read from, in the order of ``members``
    _origins: list[tuple[str, str | None, int]] = field(default_factory=list, repr=False)
    year: int | None = None  # the year it applies to (a roster from the store)
    source: str | None = None  # the file it was read from

    @property
    def ok(self) -> bool:
        return not self.problems

    def known_organizations(self) -> set[str]:
        """Every organization the tree names (organizations, their 上级党组织, members' 所在党组织), as keys."""
        from cxzy_docs.identity import name_key

        names = (
            [o.get("name") for o in self.organizations]
            + [o.get("parent") for o in self.organizations]
            + [m.get("organization") for m in self.members]
        )
        return {k for n in names if (k := name_key(n))}


# ------------------------------------------------------------------------------ column matching


def _column_keys(form: FormSpec, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """header key -> subject field, from the form's labels and variants plus roster spellings."""
    out: dict[str, str] = {}
    for f in (*form.header_fields(), *form.cover_fields):
        name = f.path.split(".", 1)[1]
        for key in f.keys:
            out.setdefault(key, name)
    for name, words in extra.items():
        for word in words:
            out.setdefault(_header_key(word), name)
    return out


def _header_key(text: Any) -> str:
    """A header cell as comparable text: ``出生年月（年.月）`` and ``姓 名`` give 出生年月, 姓名."""
    if text is None:
        return ""
    raw = str(text)
    key = label_key(raw)
    bare = label_key(_BRACKETED.sub("", raw))
    return bare or key


_MEMBER_KEYS = _column_keys(MEMBER, _MEMBER_EXTRA)
_ORG_KEYS = _column_keys(ORGANIZATION, _ORG_EXTRA)


@dataclass
class _Header:
    row: int  # 1-based row number of the header
    columns: dict[str, int]  # field -> 0-based column index
    found: list[str]  # the header texts as written, for messages


def _match_header(values: list[Any], keys: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, v in enumerate(values):
        name = keys.get(_header_key(v))
        if name and name not in columns:
            columns[name] = i
    return columns


def _find_header(rows: list[tuple[int, list[Any]]], keys: dict[str, str]) -> _Header | None:
    """The first row (among the first few) naming at least two known columns."""
    best: _Header | None = None
    for number, values in rows[:HEADER_SCAN_ROWS]:
        columns = _match_header(values, keys)
        if len(columns) >= 2 and (best is None or len(columns) > len(best.columns)):
            found = [" ".join(str(v).split()) for v in values if v not in (None, "")]
            best = _Header(number, columns, found)
            if len(columns) >= 4:
                break
    return best


# ----------------------------------------------------------------------------------- file input


@dataclass
class _Table:
    """One sheet (or a CSV file) as rows of cell values, each with its 1-based row number."""

    file: str
    sheet: str | None
    rows: list[tuple[int, list[Any]]]


def _kind_of(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"%PDF"):
        raise RosterError("这是 PDF 文件，不是花名册；请提供 .xlsx 或 .csv 格式的花名册", file=str(path))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(
            "这是旧版 Excel（.xls）或 Word 文件；请在 Excel/WPS 中另存为 .xlsx 或 .csv 后再试", file=str(path)
        )
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        raise RosterError("不是有效的 Excel（.xlsx）文件：文件已损坏或只是改了扩展名", file=str(path))
    raise RosterError(
        f"不支持的花名册格式“{path.suffix or '无扩展名'}”：请提供 .xlsx 或 .csv 文件", file=str(path)
    )


def _read_tables(path: str | Path) -> list[_Table]:
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise RosterError("不是文件（可能是文件夹）", file=str(path))
        if size > MAX_FILE_BYTES:
            raise RosterError(f"文件过大（{size // 1024 // 1024} MB），不像花名册", file=str(path))
        with p.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise RosterError("文件不存在", file=str(path)) from None
    except OSError as exc:
        raise RosterError(f"无法读取（{os_reason(exc)}）", file=str(path)) from None
    if size == 0:
        raise RosterError("文件是空的", file=str(path))
    if _kind_of(p, head) == "xlsx":
        return _read_xlsx(p)
    return [_read_csv(p)]


def _read_xlsx(path: Path) -> list[_Table]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from cxzy_docs.read.safezip import open_zip

    try:  # sizes and compression ratios checked before anything is inflated (zip bombs)
        open_zip(path, what="XLSX").close()
    except ReadError as exc:
        raise RosterError(exc.detail, file=str(path)) from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise RosterError("无法作为 Excel 文件打开：文件可能已损坏", file=str(path)) from None
    try:
        tables = []
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some writers record a wrong size; read what is there
            tables.append(_Table(str(path), ws.title, list(_sheet_rows(ws, path))))
        return tables
    except RosterError:
        raise
    except Exception:  # a malformed part inside a valid zip
        raise RosterError("读取 Excel 内容时出错：文件可能已损坏", file=str(path)) from None
    finally:
        wb.close()


def _sheet_rows(ws: Any, path: Path) -> Iterator[tuple[int, list[Any]]]:
    filled = blank_run = 0
    for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
        values = [_cell_value(c) for c in row]
        if not any(v not in (None, "") for v in values):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return  # formatting copied far down the sheet, no more data
            continue
        blank_run = 0
        filled += 1
        if filled > MAX_ROWS:
            raise RosterError(f"工作表“{ws.title}”超过 {MAX_ROWS} 行，不像花名册", file=str(path))
        yield getattr(next((c for c in row if hasattr(c, "row")), None), "row", number), values


def _cell_value(cell: Any) -> Any:
    """A cell's value as the person sees it: a month-only date stays month-only, 1975.03 stays text."""
    value = cell.value
    fmt = str(getattr(cell, "number_format", "General") or "General")
    if isinstance(value, _dt.datetime | _dt.date):
        bare = re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt).lower()
        if "d" not in bare and "m" in bare:
            return f"{value.year:04d}-{value.month:02d}"
        if "d" not in bare and "m" not in bare and "y" in bare:
            return f"{value.year:04d}"
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        decimals = re.search(r"0\.(0+)", fmt)
        return f"{value:.{len(decimals.group(1))}f}" if decimals else repr(value)
    return value


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # what Chinese Excel and WPS write as "CSV"
    except UnicodeDecodeError:
        raise RosterError("无法识别文本编码（既不是 UTF-8 也不是 GBK/GB18030）", file=str(path)) from None


def _read_csv(path: Path) -> _Table:
    raw = path.read_bytes()
    try:
        text = _decode(raw, path)
    except UnicodeDecodeError:
        raise RosterError("文件声明为 UTF 编码但内容有误，无法解码", file=str(path)) from None
    if "\x00" in text:
        raise RosterError("含有二进制内容，不是 CSV 文本文件", file=str(path))
    sample = text[:4096]
    delimiter = max((",", "\t", ";", "，"), key=sample.count)
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            if reader.line_num > MAX_ROWS:
                raise RosterError(f"超过 {MAX_ROWS} 行，不像花名册", file=str(path))
            if any(v.strip() for v in values):
                # line_num is the physical line where the record ended; quoted line breaks
                # inside a record push it past the record's first line.
                first_line = reader.line_num - sum(v.count("\n") for v in values)
                rows.append((first_line, list(values)))
    except csv.Error as exc:
        raise RosterError(f"CSV 格式错误：第 {reader.line_num} 行（{exc}）", file=str(path)) from None
    return _Table(str(path), None, rows)


# -------------------------------------------------------------------------------- row reading


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()[:10]
    return normalize_text(str(value))


def _date(value: Any, column: str, problems: list[str]) -> str | None:
    if isinstance(value, str):
        value = value.strip()
    try:
        return parse_date(value if value != "" else None)
    except UnreadableDate:
        problems.append(f"{column}“{value}”无法识别为日期（可写作 1975.03、1975年3月 或 1975-03-08）")
        return None


def _count(value: Any, column: str, problems: list[str]) -> int | None:
    try:
        return parse_count(value)
    except ValueError:
        problems.append(f"{column}“{value}”不是人数（应为非负整数）")
        return None


def _get(values: list[Any], columns: dict[str, int], name: str) -> Any:
    i = columns.get(name)
    if i is None or i >= len(values):
        return None
    v = values[i]
    return None if isinstance(v, str) and not v.strip() else v


def _is_data_row(values: list[Any], columns: dict[str, int]) -> bool:
    return any(_get(values, columns, name) is not None for name in columns)


def _is_repeated_header(values: list[Any], keys: dict[str, str], header: _Header) -> bool:
    return len(_match_header(values, keys)) >= max(2, len(header.columns) // 2)


def _member_rows(table: _Table, header: _Header, out: Roster) -> None:
    cols = header.columns
    for number, values in table.rows:
        if (
            number <= header.row
            or not _is_data_row(values, cols)
            or _is_repeated_header(values, _MEMBER_KEYS, header)
        ):
            continue
        issues: list[str] = []
        raw_name = _text(_get(values, cols, "name"))
        name = normalize_name(raw_name)
        if not name:
            shown = "、".join(str(v).strip() for v in values if v not in (None, ""))
            out.problems.append(
                RosterProblem(
                    table.file, table.sheet, number, f"缺少姓名，此行未读入（内容：{shown}）", skipped=True
                )
            )
            continue
        if _NOT_A_NAME.match(name):
            out.problems.append(
                RosterProblem(
                    table.file,
                    table.sheet,
                    number,
                    f"“{raw_name}”像是合计或落款行，未作为党员读入",
                    skipped=True,
                )
            )
            continue
        member: dict[str, Any] = {
            "name": name,
            "gender": _text(_get(values, cols, "gender")),
            "ethnicity": _text(_get(values, cols, "ethnicity")),
            "birth": _date(_get(values, cols, "birth"), "出生年月", issues),
            "joined": _date(_get(values, cols, "joined"), "入党时间", issues),
            "education": _text(_get(values, cols, "education")),
            "position": _text(_get(values, cols, "position")),
            "organization": org_name(_text(_get(values, cols, "organization"))),
        }
        for key, value in (
            ("status", _text(_get(values, cols, "status"))),
            ("left_on", _date(_get(values, cols, "left_on"), "转出时间", issues)),
        ):
            if value is not None:  # 状态/备注, 转出时间: only where the roster has them
                member[key] = value
        if not member["organization"]:
            issues.append("缺少所在党组织")
        for msg in issues:
            out.problems.append(RosterProblem(table.file, table.sheet, number, f"{name}：{msg}"))
        out.members.append(member)
        out._origins.append((table.file, table.sheet, number))


def _org_rows(table: _Table, header: _Header, out: Roster) -> None:
    cols = header.columns
    for number, values in table.rows:
        if (
            number <= header.row
            or not _is_data_row(values, cols)
            or _is_repeated_header(values, _ORG_KEYS, header)
        ):
            continue
        issues: list[str] = []
        name = org_name(_text(_get(values, cols, "name")))
        if not name:
            shown = "、".join(str(v).strip() for v in values if v not in (None, ""))
            out.problems.append(
                RosterProblem(
                    table.file,
                    table.sheet,
                    number,
                    f"缺少党组织名称，此行未读入（内容：{shown}）",
                    skipped=True,
                )
            )
            continue
        org = {
            "name": name,
            "secretary": normalize_name(_text(_get(values, cols, "secretary"))),
            "member_count": _count(_get(values, cols, "member_count"), "党员人数", issues),
            "activist_count": _count(_get(values, cols, "activist_count"), "入党积极分子数", issues),
            "parent": org_name(_text(_get(values, cols, "parent"))),
        }
        for msg in issues:
            out.problems.append(RosterProblem(table.file, table.sheet, number, f"{name}：{msg}"))
        out.organizations.append(org)


# ------------------------------------------------------------------------------ sheet choosing


def _is_org_sheet(table: _Table) -> _Header | None:
    """The org header of a sheet that lists organizations (and not members), else None."""
    header = _find_header(table.rows, _ORG_KEYS)
    if header is None or "name" not in header.columns:
        return None
    member = _find_header(table.rows, _MEMBER_KEYS)
    if member is not None and "name" in member.columns and len(member.columns) >= len(header.columns):
        return None
    return header


def _missing(
    table: _Table, header: _Header | None, required: Iterable[str], names: dict[str, str], what: str
) -> RosterError:
    where = f"工作表“{table.sheet}”" if table.sheet else None
    if header is None:
        first = next((v for _, v in table.rows), [])
        shown = "、".join(str(v).strip() for v in first if v not in (None, "")) or "（空）"
        return RosterError(
            f"找不到{what}的表头行（应含“{'”“'.join(names[r] for r in required)}”等列）；第一行内容：{shown}",
            file=table.file,
            where=where,
        )
    lacking = [names[r] for r in required if r not in header.columns]
    return RosterError(
        f"缺少必需的列“{'”“'.join(lacking)}”（第 {header.row} 行是表头，"
        f"找到的列：{'、'.join(header.found)}）",
        file=table.file,
        where=where,
    )


def _read_members(table: _Table, out: Roster) -> None:
    header = _find_header(table.rows, _MEMBER_KEYS)
    if header is None or any(r not in header.columns for r in MEMBER_REQUIRED):
        raise _missing(table, header, MEMBER_REQUIRED, _MEMBER_NAMES, "党员名单")
    _member_rows(table, header, out)


def _read_orgs(table: _Table, header: _Header | None, out: Roster) -> None:
    header = header or _find_header(table.rows, _ORG_KEYS)
    if header is None or any(r not in header.columns for r in ORG_REQUIRED):
        raise _missing(table, header, ORG_REQUIRED, _ORG_NAMES, "党组织表")
    _org_rows(table, header, out)


def _complete_orgs(out: Roster, listed: bool) -> None:
    """Add the organizations only the members name, with their members counted.

    Counts on an organization sheet are left as written (a blank stays unknown).
    """
    counts: dict[str, int] = {}
    first_seen: dict[str, tuple[str, str | None, int]] = {}
    for m, origin in zip(out.members, out._origins, strict=True):
        if m["organization"]:
            counts[m["organization"]] = counts.get(m["organization"], 0) + 1
            first_seen.setdefault(m["organization"], origin)
    known = {o["name"] for o in out.organizations}
    for name, n in counts.items():
        if name in known:
            continue
        out.organizations.append(
            {"name": name, "secretary": None, "member_count": n, "activist_count": None, "parent": None}
        )
        if listed:
            file, sheet, row = first_seen[name]
            out.problems.append(
                RosterProblem(
                    file, sheet, row, f"所在党组织“{name}”不在党组织表中（已按党员名单补上，书记未知）"
                )
            )


def org_name(text: str | None) -> str | None:
    """An organization's name as written: spaces dropped, nothing else changed (``第三党支部（老年/流动党员）``
    keeps its full-width brackets; names are compared by :func:`cxzy_docs.identity.name_key`)."""
    if text is None:
        return None
    return strip_spaces(text) or None


# ------------------------------------------------------------------------------------ the API


def read_roster(members_path: str | Path, orgs_path: str | Path | None = None) -> Roster:
    """Members (and organizations) from a roster ``.xlsx`` or ``.csv``.

    Organizations come from ``orgs_path`` when given, else from a sheet of the workbook that
    lists organizations (党组织名称 with 党组织书记/党员人数/...), else from the members'
    所在党组织 column (secretary unknown, member_count counted).
    """
    out = Roster()
    tables = _read_tables(members_path)
    org_tables: list[tuple[_Table, _Header | None]] = []
    member_tables: list[_Table] = []
    for table in tables:
        org_header = _is_org_sheet(table) if len(tables) > 1 else None
        if org_header is not None:
            org_tables.append((table, org_header))
        elif table.rows:
            member_tables.append(table)
    if not member_tables:
        if org_tables:
            raise RosterError(
                f"只找到党组织表（工作表“{org_tables[0][0].sheet}”），没有找到党员名单",
                file=str(members_path),
            )
        raise RosterError("没有找到党员名单（工作表是空的）", file=str(members_path))
    # The sheet whose header names members; else the first one, for the error message.
    named = [t for t in member_tables if (h := _find_header(t.rows, _MEMBER_KEYS)) and "name" in h.columns]
    _read_members((named or member_tables)[0], out)
    if orgs_path is not None:
        org_file_tables = _read_tables(orgs_path)
        org_tables = [
            next(
                ((t, h) for t in org_file_tables if (h := _find_header(t.rows, _ORG_KEYS))),
                (org_file_tables[0], None),
            )
        ]
    if org_tables:
        _read_orgs(*org_tables[0], out)
    _complete_orgs(out, listed=bool(org_tables))
    return out


def members_for_year(
    roster: Roster, year: int
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """(members who have a book for ``year``, [(member, why not)] for those who joined after it or left)."""
    kept, excluded = [], []
    for m in roster.members:
        why = excluded_reason(m, year)
        if why is None:
            kept.append(m)
        else:
            excluded.append((m, why))
    return kept, excluded


def roster_from_rows(
    members: list[dict[str, Any]],
    organizations: list[dict[str, Any]],
    *,
    year: int | None = None,
    source: str | None = None,
) -> Roster:
    """A :class:`Roster` from stored rows (the same type whether it came from a file or the store)."""
    return Roster(
        members=[dict(m) for m in members],
        organizations=[dict(o) for o in organizations],
        year=year,
        source=source,
    )


def blank_records(roster: Roster, year: int | None) -> list[Record]:
    """One member book per member and one organization book per organization, header filled."""
    records: list[Record] = []
    for member in roster.members:
        rec = empty_record("member", year)
        for key in MEMBER_FIELDS:
            set_field(rec, f"subject.{key}", member.get(key))
        records.append(rec)
    for org in roster.organizations:
        rec = empty_record("organization", year)
        for key in ORG_FIELDS:
            if key != "parent" or org.get("parent"):
                set_field(rec, f"subject.{key}", org.get(key))
        records.append(rec)
    return records
