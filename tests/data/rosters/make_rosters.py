"""Writes the quirky roster fixtures of tests/test_roster.py, one file per quirk, byte for byte the same each run.

Run from anywhere: ``python tests/data/rosters/make_rosters.py``. The people are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

from lxml import etree
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2025, 1, 6, 9, 0, 0)
_DCTERMS = "http://purl.org/dc/terms/"

MEMBER_HEADER = ["序号", "姓名", "性别", "民族", "出生年月", "入党时间", "文化程度", "现任职务", "所在党组织"]
PEOPLE = [
    ["1", "赵立新", "男", "汉族", "1975.03", "2001.07", "高中", "村委会主任", "前进村党支部"],
    ["2", "钱美玲", "女", "满族", "1982.11", "2009.06", "大专", "妇女主任", "前进村党支部"],
    ["3", "孙大勇", "男", "汉族", "1968.05", "1994.12", "初中", "种植户", "前进村党支部"],
]


def _stable_xlsx(wb: Workbook) -> bytes:
    """The workbook's bytes with fixed timestamps (zip entries and document properties)."""
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                root = etree.fromstring(data)
                for tag in ("created", "modified"):
                    for el in root.iter(f"{{{_DCTERMS}}}{tag}"):
                        el.text = "2025-01-06T09:00:00Z"
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def _sheet(wb: Workbook, title: str, rows: list[list[object]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(r, c).value = value


def _xlsx(
    name: str, sheets: list[tuple[str, list[list[object]]]], formats: dict[tuple[int, int], str] | None = None
) -> None:
    wb = Workbook()
    for i, (title, rows) in enumerate(sheets):
        _sheet(wb, title, rows, first=i == 0)
    for (r, c), fmt in (formats or {}).items():
        wb.worksheets[0].cell(r, c).number_format = fmt
    (HERE / name).write_bytes(_stable_xlsx(wb))


def _csv(name: str, rows: list[list[str]], encoding: str, bom: bytes = b"", sep: str = ",") -> None:
    text = "\r\n".join(sep.join(row) for row in rows) + "\r\n"
    (HERE / name).write_bytes(bom + text.encode(encoding))


def main() -> None:
    # A title row (merged in real files) and a 填报单位 line above the header.
    wb = Workbook()
    _sheet(
        wb,
        "党员",
        [
            ["前进村党支部党员花名册"],
            ["填报单位：前进村党支部", None, None, None, "填报时间：2025年1月"],
            [],
            MEMBER_HEADER,
            *PEOPLE,
        ],
        first=True,
    )
    wb.active.merge_cells("A1:I1")
    (HERE / "title-rows.xlsx").write_bytes(_stable_xlsx(wb))

    # Spaced header words: ASCII spaces, full-width spaces, a line break, a trailing colon.
    _xlsx(
        "spaced-headers.xlsx",
        [
            (
                "Sheet1",
                [
                    [
                        "序  号",
                        "姓 名",
                        "性\u3000别",
                        "民　族",
                        "出生\n年月",
                        "入 党 时 间",
                        "文化程度：",
                        "现任职务",
                        "所在党组织",
                    ],
                    *PEOPLE,
                ],
            )
        ],
    )

    # Header variants: 出生日期, 入党日期, 学历, 所在支部, 职务.
    _xlsx(
        "header-variants.xlsx",
        [
            (
                "Sheet1",
                [
                    ["序号", "姓名", "性别", "民族", "出生日期", "入党日期", "学历", "职务", "所在支部"],
                    *PEOPLE,
                ],
            )
        ],
    )
    # More variants: 党组织名称 for the member's organization, 现任职务, 出生年月（年.月）.
    _xlsx(
        "header-variants-2.xlsx",
        [
            (
                "Sheet1",
                [
                    [
                        "党员姓名",
                        "性别",
                        "民族",
                        "出生年月（年.月）",
                        "入党时间",
                        "文化程度",
                        "现任职务",
                        "党组织名称",
                    ],
                    *[p[1:] for p in PEOPLE],
                ],
            )
        ],
    )

    # Columns in another order, extra columns (身份证号 left blank, 联系电话, 备注) to be ignored.
    order = [8, 1, 5, 2, 7, 3, 4, 6]
    header = ["所在党组织", "姓名", "入党时间", "性别", "现任职务", "民族", "出生年月", "文化程度"]
    _xlsx(
        "shuffled-columns.xlsx",
        [
            (
                "名单",
                [
                    ["备注", *header[:3], "联系电话", *header[3:], "身份证号"],
                    *[["", *[p[i] for i in order[:3]], "略", *[p[i] for i in order[3:]], ""] for p in PEOPLE],
                ],
            )
        ],
    )

    # Dates every way offices write them: real Excel dates (day or month format), text, numbers.
    rows: list[list[object]] = [MEMBER_HEADER]
    births: list[object] = [
        dt.datetime(1975, 3, 8),
        dt.datetime(1982, 11, 1),
        "1975.03",
        "1975年3月",
        "197503",
        "1975-03-08",
        197503,
        1975.03,
        "１９７５．０３",
        "1975/3/8",
    ]
    for i, birth in enumerate(births, start=1):
        rows.append(
            [i, f"测试{i}号", "男", "汉族", birth, dt.datetime(2001, 7, 1), "高中", "村民", "前进村党支部"]
        )
    _xlsx(
        "date-styles.xlsx",
        [("Sheet1", rows)],
        formats={(2, 5): "yyyy-mm-dd", (3, 5): "yyyy年m月", **{(r, 6): "yyyy.mm.dd" for r in range(2, 12)}},
    )

    # Blank rows between members (and after), a 序号 column with serial numbers on blank rows.
    _xlsx(
        "blank-rows.xlsx",
        [("Sheet1", [MEMBER_HEADER, PEOPLE[0], [], ["", "", ""], PEOPLE[1], [4], [], PEOPLE[2], [6], [7]])],
    )

    # Members + an organization sheet whose counts are numbers stored as text ("12", "3人", "１５").
    org_header = ["序号", "党组织名称", "党组织书记", "党员人数", "入党积极分子数", "上级党组织"]
    _xlsx(
        "org-sheet.xlsx",
        [
            (
                "党员",
                [
                    MEMBER_HEADER,
                    *PEOPLE,
                    ["4", "李红梅", "女", "汉族", "1990.01", "2018.06", "本科", "村官", "前进村老年党支部"],
                ],
            ),
            (
                "党组织",
                [
                    ["前进村党组织情况表"],
                    org_header,
                    ["1", "前进村党支部", "赵立新", "12", "3人", "前进镇党委"],
                    ["2", "前进村老年党支部", "孙 大 勇", "１５", 0, "前进镇党委"],
                ],
            ),
        ],
    )
    # Organization header variants in a second sheet: 党组织书记姓名, 党员数, 积极分子数, 上级党组织名称.
    _xlsx(
        "org-variants.xlsx",
        [
            ("Sheet1", [MEMBER_HEADER, *PEOPLE]),
            (
                "Sheet2",
                [
                    ["组织名称", "书记姓名", "党员数", "积极分子数", "上级党组织名称"],
                    ["前进村党支部", "赵立新", 3, 1, "前进镇党委"],
                ],
            ),
        ],
    )

    # Rows that cannot be read: no name (row 3), an unreadable date (row 5), a count that is no number.
    _xlsx(
        "bad-rows.xlsx",
        [
            (
                "党员",
                [
                    MEMBER_HEADER,
                    PEOPLE[0],
                    ["2", "", "女", "汉族", "1982.11", "2009.06", "大专", "妇女主任", "前进村党支部"],
                    PEOPLE[2],
                    ["4", "周小兵", "男", "汉族", "七五年三月", "2010.13", "高中", "村民", "前进村党支部"],
                    ["5", "吴芳", "女", "汉族", "1991.04", "2019.06", "本科", "村民", ""],
                    ["", "合计：5人"],
                ],
            ),
            (
                "党组织",
                [
                    org_header,
                    ["1", "前进村党支部", "赵立新", "待统计", "3", "前进镇党委"],
                    ["2", "", "钱美玲", "5", "1", "前进镇党委"],
                ],
            ),
        ],
    )

    # A member whose organization the organization sheet does not list (row 3).
    _xlsx(
        "unlisted-org.xlsx",
        [
            (
                "党员",
                [
                    MEMBER_HEADER,
                    PEOPLE[0],
                    [
                        "2",
                        "钱美玲",
                        "女",
                        "满族",
                        "1982.11",
                        "2009.06",
                        "大专",
                        "妇女主任",
                        "前进村第二党支部",
                    ],
                ],
            ),
            ("党组织", [org_header, ["1", "前进村党支部", "赵立新", "1", "0", "前进镇党委"]]),
        ],
    )

    # CSV rows that cannot be read; a quoted line break in row 3 moves the later rows down a line.
    _csv(
        "bad-rows.csv",
        [
            MEMBER_HEADER,
            PEOPLE[0],
            ["2", "钱美玲", "女", "满族", "1982.11", "2009.06", "大专", '"妇女主任\n兼会计"', "前进村党支部"],
            ["3", "", "男", "汉族", "1968.05", "1994.12", "初中", "种植户", "前进村党支部"],
            ["4", "周小兵", "男", "汉族", "1975.3.32", "2010.06", "高中", "村民", "前进村党支部"],
        ],
        "utf-8",
    )

    # A required column missing: no 所在党组织 column (xlsx), no 姓名 column (csv).
    _xlsx(
        "missing-org-column.xlsx",
        [("党员", [["前进村党员名单"], MEMBER_HEADER[:-1], *[p[:-1] for p in PEOPLE]])],
    )
    _csv(
        "missing-name-column.csv",
        [["序号", "性别", "民族", "出生年月", "所在党组织"], ["1", "男", "汉族", "1975.03", "前进村党支部"]],
        "utf-8",
    )

    # CSV encodings: UTF-8 without and with BOM, GBK (what Chinese Excel writes), GB18030 with 𠮷.
    csv_rows = [MEMBER_HEADER, *PEOPLE]
    _csv("utf8.csv", csv_rows, "utf-8")
    _csv("utf8-bom.csv", csv_rows, "utf-8", bom=b"\xef\xbb\xbf")
    _csv("gbk.csv", csv_rows, "gbk")
    _csv(
        "gb18030.csv",
        [*csv_rows, ["4", "吴𠮷祥", "男", "汉族", "1980.01", "2008.07", "高中", "村民", "前进村党支部"]],
        "gb18030",
    )
    _csv("utf16-tab.txt", csv_rows, "utf-16-le", bom=b"\xff\xfe", sep="\t")  # Excel's "Unicode 文本"
    _csv(
        "orgs-gbk.csv",
        [
            ["党组织名称", "党组织书记", "党员人数", "入党积极分子数", "上级党组织"],
            ["前进村党支部", "赵立新", "3", "1", "前进镇党委"],
        ],
        "gbk",
    )

    # Files that are no roster at all.
    (HERE / "random-bytes.xlsx").write_bytes(random.Random(7).randbytes(2048))
    (HERE / "pdf-named.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    (HERE / "broken-zip.xlsx").write_bytes(b"PK\x03\x04" + random.Random(8).randbytes(500))


if __name__ == "__main__":
    main()
