"""A review ledger (点评台账) workbook -> records: one row per review, one record per reviewed subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.model import Record, check_record, empty_record, get_field, set_field
from cxzy_docs.read.grid import Grid
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import fold_width, label_key, normalize_name, normalize_text, read_date, strip_spaces

HEADER_SEARCH_ROWS = 10  # the header row is looked for among this many first rows of a sheet

# Column roles and the header names (as label keys) that announce them; longest names are tried first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "subject": (
        "姓名",
        "被点评人",
        "被点评人姓名",
        "被点评对象",
        "点评对象",
        "被点评党员",
        "党员姓名",
        "被点评党组织",
        "被点评单位",
    ),
    "organization": (
        "所在支部",
        "所在党组织",
        "所在党支部",
        "所属党组织",
        "所属支部",
        "党组织",
        "党支部",
        "支部",
        "单位",
        "所在单位",
        "党组织名称",
        "支部名称",
    ),
    "period": ("季度", "期次", "点评期次", "点评季度", "点评时段", "时段", "期别", "点评阶段"),
    "text": ("点评内容", "点评意见", "领导点评", "点评情况", "点评", "点评评语", "评语"),
    "reviewer": ("点评人", "点评领导", "点评人姓名", "点评书记", "点评人签字"),
    "date": ("点评日期", "点评时间", "日期", "时间"),
    "year": ("年度", "年份"),
    "mode": ("点评方式", "方式"),
    "followup": ("整改落实情况", "整改情况", "落实情况", "整改落实", "整改措施"),
    "kind": ("类别", "类型", "对象类别", "被点评人类别"),
}
_ORG_SUBJECT_KEYS = {"被点评党组织", "被点评单位"}
_ORG_KINDS = ("党组织", "支部", "组织", "单位")


def _role(header: str) -> str | None:
    key = label_key(header)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for role, names in COLUMNS.items():
        for n in names:
            if key == n or (key.startswith(n) and len(n) >= 2 and not key.startswith("被" + n)):
                score = len(n) + (100 if key == n else 0)
                if best is None or score > best[0]:
                    best = (score, role)
    return best[1] if best else None


@dataclass
class Header:
    """Where the header row is and which column holds what."""

    row: int  # 0-based row in the sheet
    columns: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # role -> header text as written

    @property
    def is_ledger(self) -> bool:
        c = self.columns
        return "subject" in c and "text" in c and ("period" in c or "date" in c or "reviewer" in c)


def find_header(rows: list[list[str]]) -> Header | None:
    """The ledger header among the first rows of a sheet (each role taken by its first column)."""
    for r, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        head = Header(r)
        for c, text in enumerate(values):
            role = _role(text) if text and len(text) <= 30 else None
            if role and role not in head.columns:
                head.columns[role] = c
                head.names[role] = text
        if head.is_ledger:
            return head
    return None


def looks_like_ledger(path: str | Path) -> bool:
    """True when a sheet of the xlsx at ``path`` has a review-ledger header row (cheap: first rows only)."""
    import openpyxl

    from cxzy_docs.read.safezip import open_zip
    from cxzy_docs.read.xlsx import check_parts

    with open_zip(path, what="XLSX") as zf:
        check_parts(zf, zf.settings)
    with open(path, "rb") as fh:  # by content: openpyxl refuses a name not ending .xlsx
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except MemoryError:
            raise
        except Exception:
            return False
        try:
            for ws in wb.worksheets[:8]:
                rows = [
                    ["" if v is None else str(v) for v in row[:40]]
                    for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
                ]
                if find_header(rows):
                    return True
        except MemoryError:
            raise
        except Exception:
            return False
        finally:
            wb.close()
    return False


# ---------------------------------------------------------------------------------------- values

_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d(?:年度|年)?")
_QUARTER = re.compile(r"^(?:第|Q)?([1-4一二三四])(?:季度|季|Q)?$")
_YEAR = re.compile(r"((?:19|20)\d\d)")


def parse_period(value: str) -> str | None:
    """A review period code from a ledger cell: 一季度, 第1季度, Q1, 1 -> Q1; 上半年 -> H1; else None."""
    text = label_key(strip_spaces(fold_width(str(value)))).upper()
    text = _YEAR_PREFIX.sub("", text)
    if not text:
        return None
    if text in ("上半年", "上半年度", "H1", "1-6月", "上"):
        return "H1"
    if text in ("下半年", "下半年度", "H2", "7-12月", "下"):
        return "H2"
    m = _QUARTER.match(text)
    if m:
        return f"Q{_CN_Q[m[1]]}"
    if text.endswith(".0") and text[:-2] in "1234":  # 1.0 from a number cell
        return f"Q{text[0]}"
    return None


def parse_year(value: str) -> int | None:
    m = _YEAR.search(fold_width(value or ""))
    return int(m[1]) if m else None


# ---------------------------------------------------------------------------------------- reader


def sheet_matrix(grid: Grid, table: int) -> list[list[str]]:
    """A sheet as a full matrix of texts, a merged cell's text repeated in every position it covers."""
    cells = [c for c in grid.cells if c.table == table]
    if not cells:
        return []
    nrows = max(c.last_row for c in cells) + 1
    ncols = max(c.last_col for c in cells) + 1
    out = [[""] * ncols for _ in range(nrows)]
    for c in cells:
        for r in range(c.row, c.last_row + 1):
            for k in range(c.col, c.last_col + 1):
                out[r][k] = c.text
    return out


def _sheet_names(grid: Grid) -> dict[int, str]:
    names = {}
    for c in grid.cells:
        if c.table not in names:
            m = re.match(r"工作表“(.*)”", c.where)
            names[c.table] = m[1] if m else str(c.table + 1)
    return names


@dataclass
class _Builder:
    file: str
    records: dict[tuple[Any, ...], Record] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # rows that belong to no record
    filled: dict[tuple[tuple[Any, ...], str], str] = field(default_factory=dict)  # (record, period) -> where
    last: dict[tuple[Any, ...], int] = field(
        default_factory=dict
    )  # (kind, year, org, name) -> the latest namesake
    last_period: dict[tuple[Any, ...], str] = field(
        default_factory=dict
    )  # (kind, year, org, name) -> its last row's
    years: dict[tuple[Any, ...], int] = field(
        default_factory=dict
    )  # (kind, org, name) -> the year its dated rows give


def read_ledger(path: str | Path, *, settings: Any = None, problems: list[str] | None = None) -> list[Record]:
    """Records from a review ledger: every row one review; rows grouped by (kind, year, subject); a
    period given twice for one name is the next person of that name (namesakes, listed one after the other).

    Rows that cannot be placed (no name, no readable period) are reported in ``problems`` (when a
    list is given) with their sheet and row number; a value that cannot be read (a date) stays
    ``None`` and is listed in the record's ``problems``. Raises :class:`ReadError` when the
    workbook has no ledger sheet or no row could be read.
    """
    from cxzy_docs.read.xlsx import read_xlsx

    name = str(path)
    grid = read_xlsx(path, settings=ReadSettings.resolve(settings))
    build = _Builder(name)
    found = False
    sheets = _sheet_names(grid)
    for table in grid.tables():
        rows = sheet_matrix(grid, table)
        head = find_header(rows)
        if head is None:
            continue
        found = True
        sheet_year = next((y for row in rows[: head.row] for t in row if (y := parse_year(t))), None)
        _years_of_subjects(build, rows, head)
        for r in range(head.row + 1, len(rows)):
            _add_row(build, rows[r], head, f"工作表“{sheets[table]}”第{r + 1}行", sheet_year)
    if not found:
        raise ReadError(
            "没有找到点评台账的表头（应有 姓名/被点评人、点评内容、季度/点评日期 等列）", file=name
        )
    if problems is not None:
        problems.extend(build.problems)
    records = list(build.records.values())
    if not records:
        detail = "；".join(build.problems[:5]) or "表头下没有数据行"
        raise ReadError(f"点评台账中没有可读取的点评记录（{detail}）", file=name)
    for rec in records:
        check_record(rec, file=name)
    return records


def _years_of_subjects(build: _Builder, rows: list[list[str]], head: Header) -> None:
    """The year of each subject whose dated rows all say the same one: an undated row of it takes that year."""
    seen: dict[tuple[Any, ...], set[int]] = {}
    for row in rows[head.row + 1 :]:

        def get(role: str, row: list[str] = row) -> str:
            c = head.columns.get(role)
            return row[c].strip() if c is not None and c < len(row) else ""

        subject, period = normalize_name(get("subject")), parse_period(get("period") or "")
        if subject is None or period is None:
            continue
        kind = _kind(get("kind"), head, period)
        year = parse_year(get("year")) or _year_from_date(read_date(get("date") or None).iso, period)
        if year is not None:
            who = (kind, normalize_name(get("organization")) if kind == "member" else None, subject)
            seen.setdefault(who, set()).add(year)
    for who, years in seen.items():
        if len(years) == 1:
            build.years.setdefault(who, next(iter(years)))


def _add_row(build: _Builder, row: list[str], head: Header, where: str, sheet_year: int | None) -> None:
    def get(role: str) -> str:
        c = head.columns.get(role)
        return row[c].strip() if c is not None and c < len(row) else ""

    content = [get(r) for r in ("subject", "text", "period", "reviewer", "date")]
    if not any(content):
        return  # an empty or a seq-only line
    subject = normalize_name(get("subject"))
    if subject is None:
        build.problems.append(f"{where}：缺少被点评人（{head.names['subject']}），本行未读取")
        return
    if subject in ("合计", "小计", "总计"):
        return
    raw_period = get("period")
    period = parse_period(raw_period) if raw_period else None
    if period is None:
        what = f"期次“{raw_period}”无法识别" if raw_period else "缺少期次（季度/上半年/下半年）"
        build.problems.append(f"{where}：{subject} 的{what}，本行未读取")
        return
    kind = _kind(get("kind"), head, period)
    if (kind == "member") != period.startswith("Q"):
        build.problems.append(f"{where}：{subject} 的期次“{raw_period}”与对象类别不符，本行未读取")
        return
    date = read_date(get("date") or None)
    org = normalize_name(get("organization"))
    who = (kind, org if kind == "member" else None, subject)
    # a row without a date is of the year of this subject's other rows (when they all say one year)
    year = parse_year(get("year")) or _year_from_date(date.iso, period) or sheet_year or build.years.get(who)
    key: tuple[Any, ...] = (kind, year, org if kind == "member" else None, subject)
    nth = build.last.get(key, 0)
    earlier = build.filled.get(((*key, nth), period))
    if earlier is not None:
        if build.last_period.get(key) == period:  # the same period twice in a row: a repeated row
            build.records[(*key, nth)]["problems"].append(
                {
                    "field": f"periods.{period}.review.text",
                    "raw": get("text"),
                    "message": f"{where} 与{earlier}是同一期次的点评，已采用{earlier}",
                }
            )
            return
        # a period this person has already, after others: the next person of that name (namesakes are
        # listed one after the other, each with their own periods); the store tells them apart by the text
        nth += 1
        build.last[key] = nth
    build.last_period[key] = period
    key = (*key, nth)
    rec = build.records.get(key)
    if rec is None:
        rec = empty_record(kind, year)
        rec["subject"]["name"] = subject
        if org:
            rec["subject"]["organization" if kind == "member" else "parent"] = org
        rec["problems"] = []
        rec["format"] = "ledger"  # a ledger's rows fill the reviews of the members' books (cxzy import)
        rec["provenance"] = {"subject.name": {"where": f"{where} {head.names['subject']}", "confidence": 1.0}}
        build.records[key] = rec
    base = f"periods.{period}.review"
    build.filled[(key, period)] = where
    _set(rec, f"{base}.text", normalize_text(get("text")), where, head.names.get("text"))
    _set(rec, f"{base}.sign.name", normalize_name(get("reviewer")), where, head.names.get("reviewer"))
    _set(rec, f"{base}.sign.date", date.iso, where, head.names.get("date"))
    if not date.readable:
        rec["problems"].append(
            {"field": f"{base}.sign.date", "raw": date.raw, "message": f"{where}：点评日期无法识别"}
        )
    notes = {k: v for k in ("mode", "followup") if (v := normalize_text(get(k)))}
    if notes:
        rec.setdefault("review_notes", {})[period] = notes


def _set(rec: Record, path: str, value: Any, where: str, column: str | None) -> None:
    if value is None:
        return
    if get_field(rec, path) is None:
        set_field(rec, path, value)
        rec["provenance"][path] = {"where": f"{where} {column or ''}".strip(), "confidence": 1.0}


def _kind(raw_kind: str, head: Header, period: str) -> str:
    if raw_kind:
        return "organization" if any(k in raw_kind for k in _ORG_KINDS) else "member"
    if label_key(head.names["subject"]) in _ORG_SUBJECT_KEYS:
        return "organization"
    return "member" if period.startswith("Q") else "organization"


def _year_from_date(iso: str | None, period: str) -> int | None:
    """The book's year from a review date: a Q4/H2 review written in January belongs to the year before."""
    if not iso:
        return None
    year = int(iso[:4])
    if period in ("Q4", "H2") and len(iso) >= 7 and int(iso[5:7]) <= 2:
        return year - 1
    return year
