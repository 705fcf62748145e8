"""One book per person and year, on SQLite and on a real PostgreSQL server (tests/pgserver.py).

The material is real files: the forms-dev village (DOCX, a PDF, an XLSX), the scans made from two of its
books, a 点评台账 made by ``cxzy report ledger``, records printed by ``cxzy parse --json``, the samples'
roster with two members named 张伟. Importing the village twice in a mix of these gives one book per
person-year listing every source; the summary and coverage count people, not files.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cxzy_docs import api
from cxzy_docs.model import empty_record, get_field, set_field
from cxzy_docs.render.docx import render_docx
from cxzy_docs.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FORMS = DATA / "forms-dev"
SCANS = DATA / "scans"
SAMPLES = ROOT / "samples"
ORG = "靖宇镇卫生院党支部"


def cxzy(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    env = {
        **os.environ,
        "CXZY_LIMITS": "ocr_engine=tesseract,parse_timeout=600",
    }  # merging is the point here, not OCR
    proc = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", *args],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=cwd or ROOT,
        env=env,
    )
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out[-3000:]
    return proc.returncode, out


def _village_roster(folder: Path) -> tuple[Path, Path]:
    members = folder / "roster.csv"
    rows = ["序号,姓名,性别,出生年月,入党时间,所在党组织"]
    for k, gold in enumerate(
        [*sorted(FORMS.glob("dev-2010-m0*.docx.gold.json")), FORMS / "dev-2010-m05.xlsx.gold.json"]
    ):
        s = json.loads(gold.read_text("utf-8"))["subject"]
        rows.append(
            f"{k + 1},{s['name']},{s.get('gender') or ''},{s.get('birth') or ''},{s.get('joined') or ''},"
            f"{s['organization']}"
        )
    members.write_text("\n".join(rows) + "\n", encoding="utf-8")
    orgs = folder / "orgs.csv"
    orgs.write_text(
        "党组织名称,党组织书记,上级党组织\n靖宇镇卫生院党支部,高志斌,靖宇镇党委\n靖宇镇农业综合服务中心党支部,,靖宇镇党委\n",
        encoding="utf-8",
    )
    return members, orgs


def _by_name(store: Store) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in store.books():
        out.setdefault(row.record["subject"]["name"], []).append(row)
    return out


@pytest.mark.slow
def test_a_village_imported_twice_in_any_mix_is_one_book_per_person_year(
    store_url: str, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    for f in FORMS.iterdir():
        if f.suffix in (".docx", ".pdf", ".xlsx"):
            shutil.copy(f, first / f.name)
    code, out = cxzy("import", str(first), "--db", store_url)
    assert code == 0, out[-3000:]
    assert "新建 7 本、合并 1 本" in out, out[-2000:]  # m02's PDF joins its DOCX
    # the second time: the scans of two books, the ledger another office made from the same books, one
    # book as records JSON (what `cxzy parse --json` prints), and the first folder again
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert cxzy("import", str(first), "--db", other)[0] == 0
    code, out = cxzy("report", "ledger", "--db", other, "--out", str(tmp_path / "点评台账.xlsx"))
    assert code == 0, out
    code, printed = cxzy("parse", "--json", str(FORMS / "dev-2010-m03.docx"))
    assert code == 0
    (tmp_path / "m03.json").write_text(printed.split("\n读取文件")[0], encoding="utf-8")
    code, out = cxzy(
        "import",
        str(first),
        str(SCANS / "m01-scan.pdf"),
        str(SCANS / "o01-scan.pdf"),
        str(tmp_path / "点评台账.xlsx"),
        str(tmp_path / "m03.json"),
        "--db",
        store_url,
    )
    assert code == 0, out[-3000:]
    assert "新建 0 本" in out and "已导入过 8 个" in out and "失败 0 个" in out, out[-3000:]

    store = Store(store_url)
    assert store.counts()["books"] == 7, out[-3000:]
    books = _by_name(store)
    assert all(len(rows) == 1 for rows in books.values()), {k: len(v) for k, v in books.items()}
    sources = {name: [s.source for s in store.sources(rows[0].id)] for name, rows in books.items()}
    assert any(s.endswith("m01-scan.pdf") for s in sources["宋丽娜"]), sources["宋丽娜"]
    assert any(s.endswith("o01-scan.pdf") for s in sources[ORG]), sources[ORG]
    assert any(s.endswith("dev-2010-m02.pdf") for s in sources["陶建民"]) and len(sources["陶建民"]) >= 3
    assert any(s.endswith("m03.json") for s in sources["蔡玉洁"])
    for name, found in sources.items():  # every book: its form, and the ledger's rows of its reviews
        assert any(s.endswith("点评台账.xlsx") for s in found), (name, found)
        assert len(found) == len(set(found)) >= 2, (name, found)

    # the tree once in the store; validate and the summary use it and count people, not files
    members, orgs = _village_roster(tmp_path)
    code, out = cxzy("roster", "load", str(members), "--orgs", str(orgs), "--year", "2010", "--db", store_url)
    assert code == 0, out
    code, out = cxzy("validate", "--db", store_url, "--json")
    findings = json.loads(out[out.index("[") : out.rindex("]") + 1])
    rules = [f["code"] for f in findings]
    assert "coverage.no_book" not in rules and "roster.unknown_org" not in rules, [
        f for f in findings if f["code"].startswith(("cov", "ros"))
    ]
    records, _problems = api.stored_records(store)
    from cxzy_docs.report.summary import summary_figures

    figures, _f = summary_figures(records, ORG, 2010)
    assert (figures.member_books, figures.organization_books) == (5, 1)
    store.close()


def test_namesakes_one_book_leaves_one_no_book(store_url: str, tmp_path: Path) -> None:
    records = json.loads((SAMPLES / "records.json").read_text("utf-8"))
    first_zhang = records[0]
    assert first_zhang["subject"]["name"] == "张伟" and first_zhang["subject"]["birth"] == "1978-11"
    with api.open_store(store_url) as store:
        api.load_roster(store, SAMPLES / "roster.xlsx", year=2025)
        store.store_records([first_zhang])
        found, _p = api.stored_records(store)
        roster = api.stored_roster(store, 2025)
        assert roster is not None
        findings = api.validate(found, roster=roster, year=2025)
    zhang = [f for f in findings if f.code == "coverage.no_book" and "张伟" in f.message]
    assert len(zhang) == 1, [f.message for f in zhang]
    assert "1990-02" in zhang[0].message  # the other one, named
    assert not [f for f in findings if f.code == "coverage.ambiguous"]
    # a 张伟 book with nothing that tells the two apart is reported, never given to one of them
    vague = copy.deepcopy(first_zhang)
    for key in ("birth", "joined", "position"):
        vague["subject"][key] = None
    findings = api.validate([vague], roster=roster, year=2025)
    assert [f.code for f in findings if "张伟" in f.message and f.code.startswith("coverage.")].count(
        "coverage.ambiguous"
    ) == 1


def test_same_book_from_several_files_conflicts_versions_and_as_new(store_url: str, tmp_path: Path) -> None:
    book = json.loads((FORMS / "dev-2010-m01.docx.gold.json").read_text("utf-8"))
    with api.open_store(store_url) as store:
        [first] = store.store_records([book], source="宋丽娜.docx")
        assert first.action == "new"
        # another reading of the same book: equal values confirm, a missing one is no conflict
        same = copy.deepcopy(book)
        set_field(same, "periods.Q1.review.text", None)
        [again] = store.store_records([same], source="宋丽娜.pdf")
        assert (again.action, again.book_id) == ("merged", first.book_id) and again.confirmed > 20
        # a copy that disagrees on one field: both values kept, named with their files
        other = copy.deepcopy(book)
        other["commitment"]["text"] = "另一份抄件上的承诺"
        [clash] = store.store_records([other], source="宋丽娜-重抄.docx")
        assert clash.action == "conflict" and clash.conflicts == ["commitment.text"]
        [conflict] = store.conflicts(first.book_id)
        assert conflict.field == "commitment.text"
        assert {s for _v, s in conflict.values} == {"宋丽娜.docx", "宋丽娜-重抄.docx"}
        records, _p = api.stored_records(store)
        findings = api.validate(records, year=2010)
        said = [f for f in findings if f.code == "source.conflict"]
        assert (
            len(said) == 1
            and "宋丽娜-重抄.docx" in said[0].message
            and "另一份抄件上的承诺" in said[0].message
        )
        # a corrected copy: a new version, history kept, undo goes back
        fixed = copy.deepcopy(book)
        fixed["annual"]["summary"] = "改正后的年度小结"
        before = store.book(first.book_id)
        [version] = store.store_records([fixed], corrected=True, source="宋丽娜-改正.json")
        assert version.action == "version" and version.replaced == ["annual.summary"]
        after = store.book(first.book_id)
        assert (
            after.version > before.version and get_field(after.record, "annual.summary") == "改正后的年度小结"
        )
        store.undo(first.book_id, expected_version=after.version)
        assert get_field(store.book(first.book_id).record, "annual.summary") == book["annual"]["summary"]
        # --as-new: a person who really has two books gets a second one, saying so
        [second] = store.store_records([book], as_new=True, source="宋丽娜-第二本.docx")
        assert (
            second.action == "as_new"
            and second.book_id != first.book_id
            and "--as-new" in (second.note or "")
        )
        assert store.counts()["books"] == 2
        assert [s.source for s in store.sources(first.book_id)] == [
            "宋丽娜.docx",
            "宋丽娜.pdf",
            "宋丽娜-重抄.docx",
            "宋丽娜-改正.json",
        ]


def test_a_ledger_row_without_a_book_makes_a_book_that_says_so(store_url: str, tmp_path: Path) -> None:
    records = json.loads((SAMPLES / "records.json").read_text("utf-8"))
    findings = api.validate(records)
    api.report_ledger(records, tmp_path / "台账.xlsx")
    with api.open_store(store_url) as store:
        store.store_records([records[2]], source="陈丽华.docx")  # one member's book came; the ledger has all
        summary = api.import_files([tmp_path / "台账.xlsx"], store)
        assert not summary.failed, [o.error for o in summary.failed]
        acts = summary.actions
        assert acts["merged"] == 1 and acts["new"] == 5, acts  # the two 张伟 told apart by their reviews
        assert store.counts()["books"] == 6
        stored, _p = api.stored_records(store)
        by_name: dict[str, int] = {}
        for r in stored:
            by_name[r["subject"]["name"]] = by_name.get(r["subject"]["name"], 0) + 1
        assert by_name["张伟"] == 2
        findings = api.validate(stored)
        only = [f.subject for f in findings if f.code == "source.ledger_only"]
        assert (
            len(only) == 5
            and only.count("2025 红旗村第一党支部 张伟") == 2
            and not any("陈丽华" in s for s in only)
        )
        # the same ledger again adds nothing; the members' own books then join their ledger books
        assert api.import_files([tmp_path / "台账.xlsx"], store).actions["new"] == 0
        outcomes = store.store_records([records[0], records[1]], source="张伟.docx")
        assert [o.action for o in outcomes] in (
            ["merged", "merged"],
            ["conflict", "conflict"],
            ["merged", "conflict"],
            ["conflict", "merged"],
        )
        assert store.counts()["books"] == 6
    del findings


def _dump(db: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _dump_bytes(data: bytes, folder: Path) -> list[str]:
    copy_ = folder / "original-copy.db"
    copy_.write_bytes(data)
    return _dump(copy_)


def test_an_old_store_is_upgraded_in_place_with_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(DATA / "stores" / "v1-store.db", db)
    original = db.read_bytes()
    code, out = cxzy("db", "upgrade", "--db", str(db))
    assert code == 0 and "升级前的备份" in out, out
    backups = [p for p in tmp_path.iterdir() if p != db and p.name.startswith("old")]
    assert len(backups) == 1 and backups[0].name in out.replace("\n", ""), (out, list(tmp_path.iterdir()))
    assert _dump(backups[0]) == _dump_bytes(original, tmp_path)  # the old store as it was
    with Store(db) as store:
        assert store.counts()["books"] == 7
        for row in store.books():
            assert store.sources(row.id), row.id  # every old book knows the file it came from
    code, out = cxzy("db", "info", "--db", str(db))
    assert code == 0 and "7" in out


def test_export_json_and_xlsx_take_the_data_out(store_url: str, tmp_path: Path) -> None:
    records = json.loads((SAMPLES / "records.json").read_text("utf-8"))
    set_field(records[2], "periods.Q1.review.text", '=HYPERLINK("http://x","点此") 公式不可执行')
    with api.open_store(store_url) as store:
        store.store_records(records, source="records.json")
        assert api.export_records(store, tmp_path / "out.json", "json") == 6
        assert api.export_records(store, tmp_path / "out.xlsx", "xlsx") == 6
    back = api.load_records(tmp_path / "out.json")
    assert len(back) == 6 and all(r.get("sources") for r in back)
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    texts = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert texts and all(c.data_type == "s" for c in texts)  # text, never a formula
    reviews = next(ws for ws in wb.worksheets if "点评" in ws.title)
    assert reviews.max_row - 1 == 20  # one row per review, with its period, reviewer, date and elements
    # the exported records are records in: importing them into another store gives the same books
    with Store(f"sqlite:///{tmp_path / 'again.db'}") as again:
        api.import_files([tmp_path / "out.json"], again)
        assert again.counts()["books"] == 6


def test_only_books_are_books_and_every_file_not_read_is_named(tmp_path: Path) -> None:
    import docx

    folder = tmp_path / "in"
    folder.mkdir()
    records = json.loads((SAMPLES / "records.json").read_text("utf-8"))
    blank = render_docx(empty_record("member", 2025))
    (folder / "空白写实簿模板.docx").write_bytes(blank)
    notice = folder / "关于开展创先争优活动的通知.docx"
    (tmp_path / "blank.docx").write_bytes(blank)
    doc = docx.Document(str(tmp_path / "blank.docx"))
    first = doc.paragraphs[0]
    for line in (
        "关于在全镇基层党组织中开展创先争优活动的通知",
        "各党支部：现将写实簿格式印发给你们，请认真组织填写。",
    ):
        first.insert_paragraph_before(line)
    doc.save(str(notice))
    api.report_summary(records, "红旗村党总支", 2025, folder / "2025年度总结报告.docx")
    (folder / "张伟.docx").write_bytes(render_docx(records[0]))
    (folder / "~$张伟.docx").write_bytes(b"\x00lock")
    (folder / "说明.txt").write_text("请导入", encoding="utf-8")
    with api.open_store(tmp_path / "s.db") as store:
        summary = api.import_files([folder], store)
        assert store.counts()["books"] == 1
    skipped = {Path(o.path).name: o.skipped for o in summary.skipped}
    assert set(skipped) == {
        "空白写实簿模板.docx",
        "关于开展创先争优活动的通知.docx",
        "2025年度总结报告.docx",
        "~$张伟.docx",
        "说明.txt",
    }, skipped
    assert (
        "空白写实簿表格" in skipped["空白写实簿模板.docx"]
        and "不是某人的写实簿" in skipped["空白写实簿模板.docx"]
    )
    assert (
        "通知" in skipped["关于开展创先争优活动的通知.docx"]
        and "未导入" in skipped["关于开展创先争优活动的通知.docx"]
    )
    assert "不是写实簿" in skipped["2025年度总结报告.docx"], skipped["2025年度总结报告.docx"]
    assert "锁文件" in skipped["~$张伟.docx"] and ".txt" in skipped["说明.txt"]


def test_a_zip_of_books_is_opened_bounded(tmp_path: Path) -> None:
    import zipfile

    records = json.loads((SAMPLES / "records.json").read_text("utf-8"))
    archive = tmp_path / "红旗村写实簿.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("第一党支部/张伟.docx", render_docx(records[0]))
        zf.writestr("第一党支部/陈丽华.docx", render_docx(records[2]))
        zf.writestr(
            "../../逃出去.docx", render_docx(records[3])
        )  # a name that climbs out: never a path on disk
        zf.writestr("第一党支部/~$张伟.docx", b"lock")
        zf.writestr("说明.txt", "说明")
        zf.writestr("再一层.zip", b"PK\x05\x06" + b"\x00" * 18)
    bomb = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("大.docx", b"\x00" * (8 << 20))  # 8 MB of zeros: a ratio of about 1000:1
    with api.open_store(tmp_path / "s.db") as store:
        summary = api.import_files([archive, bomb], store)
        assert store.counts()["books"] == 3
        again = api.import_files([archive], store)
        assert again.actions["new"] == 0 and store.counts()["books"] == 3
    names = {o.path: o.skipped for o in summary.skipped}
    assert any(
        p.endswith("红旗村写实簿.zip/第一党支部/~$张伟.docx") and "锁文件" in why for p, why in names.items()
    )
    assert any(p.endswith("说明.txt") and ".txt" in why for p, why in names.items()), names
    assert any(p.endswith("再一层.zip") and "压缩包" in why for p, why in names.items()), names
    [failed] = summary.failed
    assert "炸弹.zip" in failed.error and "压缩炸弹" in failed.error
    assert not list(tmp_path.parent.glob("逃出去.docx")) and not (tmp_path / "逃出去.docx").exists()
    sources = {o.source for o in summary.outcomes}
    assert any(s.endswith("红旗村写实簿.zip/第一党支部/张伟.docx") for s in sources), sources
