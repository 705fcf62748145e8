"""The roster reader on one fixture per quirk real 花名册 have (tests/data/rosters, made by make_rosters.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cxzy_docs.errors import RosterError
from cxzy_docs.model import check_record, get_field
from cxzy_docs.roster import RosterProblem, blank_records, read_roster

ROSTERS = Path(__file__).resolve().parent / "data" / "rosters"

# What tests/data/rosters/make_rosters.py puts in most fixtures (PEOPLE there).
EXPECTED = [
    {
        "name": "赵立新",
        "gender": "男",
        "ethnicity": "汉族",
        "birth": "1975-03",
        "joined": "2001-07",
        "education": "高中",
        "position": "村委会主任",
        "organization": "前进村党支部",
    },
    {
        "name": "钱美玲",
        "gender": "女",
        "ethnicity": "满族",
        "birth": "1982-11",
        "joined": "2009-06",
        "education": "大专",
        "position": "妇女主任",
        "organization": "前进村党支部",
    },
    {
        "name": "孙大勇",
        "gender": "男",
        "ethnicity": "汉族",
        "birth": "1968-05",
        "joined": "1994-12",
        "education": "初中",
        "position": "种植户",
        "organization": "前进村党支部",
    },
]


def _problems(roster, sheet=None) -> list[tuple[str | None, int, str]]:
    return [(p.sheet, p.row, p.message) for p in roster.problems if sheet is None or p.sheet == sheet]


@pytest.mark.parametrize(
    "name",
    [
        "title-rows.xlsx",  # a title row and a 填报单位 row above the header
        "spaced-headers.xlsx",  # 姓 名, 性　别 (full-width space), 出生\n年月, 文化程度：
        "header-variants.xlsx",  # 出生日期, 入党日期, 学历, 职务, 所在支部
        "header-variants-2.xlsx",  # 党员姓名, 出生年月（年.月）, 党组织名称, no 序号
        "shuffled-columns.xlsx",  # any order, extra columns 备注/联系电话/身份证号
        "blank-rows.xlsx",  # blank rows, serial numbers on otherwise blank rows
        "utf8.csv",
        "utf8-bom.csv",
        "gbk.csv",  # what Chinese Excel writes as "CSV (逗号分隔)"
        "utf16-tab.txt",  # Excel's "Unicode 文本": UTF-16, tab separated
    ],
)
def test_quirky_roster_reads_the_same_members(name: str) -> None:
    roster = read_roster(ROSTERS / name)
    assert roster.members == EXPECTED
    assert roster.ok, roster.problems
    # No organization sheet: organizations come from the members, counted, secretary unknown.
    assert roster.organizations == [
        {"name": "前进村党支部", "secretary": None, "member_count": 3, "activist_count": None, "parent": None}
    ]


def test_gb18030_csv_keeps_a_character_outside_gbk() -> None:
    roster = read_roster(ROSTERS / "gb18030.csv")
    assert roster.members[:3] == EXPECTED
    assert roster.members[3]["name"] == "吴𠮷祥"
    assert roster.organizations[0]["member_count"] == 4


def test_dates_as_excel_dates_text_and_numbers() -> None:
    births = [m["birth"] for m in read_roster(ROSTERS / "date-styles.xlsx").members]
    assert births == [
        "1975-03-08",  # a real date shown with its day
        "1982-11",  # a real date whose format shows year and month only (yyyy年m月)
        "1975-03",  # '1975.03'
        "1975-03",  # '1975年3月'
        "1975-03",  # '197503'
        "1975-03-08",  # '1975-03-08'
        "1975-03",  # 197503 as a number
        "1975-03",  # 1975.03 as a number (what Excel keeps when one types 1975.03)
        "1975-03",  # full-width digits
        "1975-03-08",  # '1975/3/8'
    ]
    joined = {m["joined"] for m in read_roster(ROSTERS / "date-styles.xlsx").members}
    assert joined == {"2001-07-01"}


def test_organization_sheet_with_numbers_stored_as_text() -> None:
    roster = read_roster(ROSTERS / "org-sheet.xlsx")
    assert [m["name"] for m in roster.members] == ["赵立新", "钱美玲", "孙大勇", "李红梅"]
    assert roster.organizations == [
        {
            "name": "前进村党支部",
            "secretary": "赵立新",
            "member_count": 12,
            "activist_count": 3,
            "parent": "前进镇党委",
        },
        {
            "name": "前进村老年党支部",
            "secretary": "孙大勇",
            "member_count": 15,
            "activist_count": 0,
            "parent": "前进镇党委",
        },
    ]
    assert roster.ok


def test_organization_header_variants_on_an_unnamed_second_sheet() -> None:
    roster = read_roster(ROSTERS / "org-variants.xlsx")
    assert roster.members == EXPECTED
    assert roster.organizations == [
        {
            "name": "前进村党支部",
            "secretary": "赵立新",
            "member_count": 3,
            "activist_count": 1,
            "parent": "前进镇党委",
        }
    ]


def test_organizations_from_a_second_csv_file() -> None:
    roster = read_roster(ROSTERS / "utf8.csv", ROSTERS / "orgs-gbk.csv")
    assert roster.members == EXPECTED
    assert roster.organizations == [
        {
            "name": "前进村党支部",
            "secretary": "赵立新",
            "member_count": 3,
            "activist_count": 1,
            "parent": "前进镇党委",
        }
    ]


def test_bad_rows_are_reported_with_their_excel_row_numbers() -> None:
    roster = read_roster(ROSTERS / "bad-rows.xlsx")
    assert not roster.ok
    members = _problems(roster, "党员")
    assert [(row, msg.split("：")[0]) for _, row, msg in members] == [
        (3, "缺少姓名，此行未读入（内容"),
        (5, "周小兵"),
        (5, "周小兵"),
        (6, "吴芳"),
        (7, "“合计"),
    ]
    assert "七五年三月" in members[1][2] and "出生年月" in members[1][2]
    assert "2010.13" in members[2][2] and "入党时间" in members[2][2]
    assert "缺少所在党组织" in members[3][2]
    assert "合计" in members[4][2] and "未作为党员读入" in members[4][2]
    assert [p.skipped for p in roster.problems if p.sheet == "党员"] == [True, False, False, False, True]
    orgs = _problems(roster, "党组织")
    assert [row for _, row, _ in orgs] == [2, 3]
    assert "待统计" in orgs[0][2] and "党员人数" in orgs[0][2]
    assert "缺少党组织名称" in orgs[1][2]
    # Readable members stay, with the unreadable date left empty; the nameless row is not a member.
    assert [m["name"] for m in roster.members] == ["赵立新", "孙大勇", "周小兵", "吴芳"]
    assert roster.members[2]["birth"] is None and roster.members[2]["joined"] is None
    assert roster.organizations[0]["member_count"] is None  # unreadable, not guessed
    for p in roster.problems:
        assert isinstance(p, RosterProblem) and p.file.endswith("bad-rows.xlsx")
        assert str(p).startswith(f"文件 {p.file}，工作表“{p.sheet}”第 {p.row} 行：")


def test_bad_csv_rows_count_physical_lines() -> None:
    roster = read_roster(ROSTERS / "bad-rows.csv")
    assert roster.members[1]["position"] == "妇女主任\n兼会计"
    assert [(sheet, row) for sheet, row, _ in _problems(roster)] == [(None, 5), (None, 6)]
    assert "1975.3.32" in roster.problems[1].message
    assert str(roster.problems[0]).startswith(f"文件 {ROSTERS / 'bad-rows.csv'}，第 5 行：")


def test_member_of_an_organization_the_org_sheet_lacks() -> None:
    roster = read_roster(ROSTERS / "unlisted-org.xlsx")
    assert [(p.sheet, p.row) for p in roster.problems] == [("党员", 3)]
    assert "前进村第二党支部" in roster.problems[0].message
    assert [o["name"] for o in roster.organizations] == ["前进村党支部", "前进村第二党支部"]
    assert roster.organizations[1]["member_count"] == 1


def test_missing_organization_column_names_file_sheet_column_and_headers() -> None:
    with pytest.raises(RosterError) as info:
        read_roster(ROSTERS / "missing-org-column.xlsx")
    msg = str(info.value)
    assert "missing-org-column.xlsx" in msg and "党员" in msg
    assert "缺少必需的列“所在党组织”" in msg
    assert "第 2 行是表头" in msg and "姓名、性别、民族" in msg


def test_missing_name_column_in_csv() -> None:
    with pytest.raises(RosterError) as info:
        read_roster(ROSTERS / "missing-name-column.csv")
    assert "missing-name-column.csv" in str(info.value) and "“姓名”" in str(info.value)
    assert "性别、民族" in str(info.value)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("random-bytes.xlsx", "不是有效的 Excel"),
        ("pdf-named.xlsx", "PDF"),
        ("broken-zip.xlsx", "已损坏"),
        ("does-not-exist.xlsx", "文件不存在"),
        ("orgs-gbk.csv", "找不到党员名单的表头行"),
    ],
)
def test_unreadable_files_raise_a_chinese_error_naming_the_file(name: str, words: str) -> None:
    with pytest.raises(RosterError) as info:
        read_roster(ROSTERS / name)
    assert name in str(info.value) and words in str(info.value)


def test_a_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(RosterError, match="压缩") as info:
        read_roster(bomb)
    assert "bomb.xlsx" in str(info.value)


def test_a_folder_is_not_a_roster(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="不是文件"):
        read_roster(tmp_path)


def test_samples_roster_xlsx_and_csv_agree(samples: Path) -> None:
    xlsx = read_roster(samples / "roster.xlsx")
    csv_ = read_roster(samples / "roster.csv", samples / "organizations.csv")
    assert xlsx.ok and csv_.ok
    assert xlsx.members == csv_.members
    assert xlsx.organizations == csv_.organizations
    assert len(xlsx.members) >= 18
    first_branch = [m["name"] for m in xlsx.members if m["organization"] == "红旗村第一党支部"]
    assert first_branch.count("张伟") == 2
    names = {m["name"] for m in xlsx.members}
    assert any("·" in n for n in names) and any(ord(ch) > 0xFFFF for n in names for ch in n)
    parents = {o["name"]: o["parent"] for o in xlsx.organizations}
    assert parents["红旗村第一党支部"] == "红旗村党总支"


def test_blank_records_fill_year_cover_and_header(samples: Path) -> None:
    roster = read_roster(samples / "roster.xlsx")
    records = blank_records(roster, 2025)
    assert len(records) == len(roster.members) + len(roster.organizations)
    for rec in records:
        check_record(rec)
        assert rec["year"] == 2025
        assert get_field(rec, "commitment.text") is None
    members = [r for r in records if r["kind"] == "member"]
    assert [r["subject"] for r in members] == roster.members
    orgs = [r for r in records if r["kind"] == "organization"]
    assert [get_field(r, "subject.secretary") for r in orgs] == [o["secretary"] for o in roster.organizations]
    assert get_field(orgs[0], "subject.parent") == roster.organizations[0]["parent"]
