"""The ``cxzy`` command as a user runs it: real files in, real files out, Chinese messages, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cxzy_docs.cli import cli
from cxzy_docs.model import SCHEMA_PATH, load_records

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ROSTERS = Path(__file__).resolve().parent / "data" / "rosters"
FORMS_DEV = Path(__file__).resolve().parent / "data" / "forms-dev"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_blank_from_sample_roster(tmp_path: Path) -> None:
    code, out = run(
        "blank",
        "--roster",
        str(SAMPLES / "roster.xlsx"),
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        "--format",
        "docx,pdf",
        "--combined",
    )
    assert code == 0, out
    docx = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert len(docx) == len(list(tmp_path.glob("*.pdf"))) >= 20
    # two members named 张伟 in one branch get two files; the rare character survives in names
    assert any(n.endswith("_张伟.docx") for n in docx) and any(n.endswith("_张伟_2.docx") for n in docx)
    assert any("𠮷" in n for n in docx)
    combined = list((tmp_path / "合订本").glob("*.pdf"))
    assert len(combined) >= 3
    assert "完成" in out


def test_blank_missing_roster_column(tmp_path: Path) -> None:
    code, out = run(
        "blank",
        "--roster",
        str(ROSTERS / "missing-name-column.csv"),
        "--year",
        "2025",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2
    assert "missing-name-column.csv" in out and "姓名" in out
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_blank_reports_bad_rows_with_row_numbers(tmp_path: Path) -> None:
    code, out = run(
        "blank", "--roster", str(ROSTERS / "bad-rows.xlsx"), "--year", "2025", "--out", str(tmp_path)
    )
    assert code == 1, out
    assert "bad-rows.xlsx" in out and "行" in out


def test_blank_unreadable_roster(tmp_path: Path) -> None:
    code, out = run(
        "blank", "--roster", str(ROSTERS / "random-bytes.xlsx"), "--year", "2025", "--out", str(tmp_path)
    )
    assert code == 2 and "random-bytes.xlsx" in out


def test_blank_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, out = run(
        "blank", "--roster", str(SAMPLES / "roster.csv"), "--year", "2025", "--out", str(blocker / "books")
    )
    assert code == 2 and "a-file" in out and "输出" in out


def test_fill_invalid_records_json(tmp_path: Path) -> None:
    bad = tmp_path / "records.json"
    recs = json.loads((SAMPLES / "records.json").read_text(encoding="utf-8"))
    recs[1]["annual"]["evaluation"]["satisfied"] = "十九"
    bad.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    code, out = run("fill", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "records.json" in out and "第 2 条记录" in out and "annual.evaluation.satisfied" in out
    assert not (tmp_path / "o").exists()


def test_fill_parse_json_round_trip(tmp_path: Path) -> None:
    code, out = run(
        "fill", str(SAMPLES / "records.json"), "--out", str(tmp_path), "--format", "docx,xlsx,pdf"
    )
    assert code == 0, out
    code, out = run("parse", "--json", str(tmp_path))
    assert code == 0
    parsed = json.loads(out[out.index("[") :])
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for rec in parsed:
        jsonschema.validate(rec, schema)
        assert rec["source"].startswith(str(tmp_path))
        assert rec["provenance"]
    originals = load_records(SAMPLES / "records.json")
    assert len(parsed) == 3 * len(originals)
    by_name = {(r["kind"], r["subject"]["name"], r["source"].rsplit(".", 1)[1]) for r in parsed}
    for rec in originals:
        for fmt in ("docx", "xlsx", "pdf"):
            assert (rec["kind"], rec["subject"]["name"], fmt) in by_name


def test_parse_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    shutil.copy(FORMS_DEV / "dev-2010-m01.docx", tmp_path / "good.docx")
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "random.docx").write_bytes(bytes(range(256)) * 40)
    shutil.copy(FORMS_DEV / "dev-2010-m02.pdf", tmp_path / "really-a-pdf.docx")
    code, out = run("parse", str(tmp_path))
    assert code == 1
    assert "empty.docx" in out and "random.docx" in out
    assert "宋丽娜" in out and "陶建民" in out  # the good file and the PDF named .docx are both read
    assert "成功 2 个" in out and "失败 2 个" in out


def test_import_twice_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    code, out = run("import", str(FORMS_DEV), "--db", str(db))
    assert code == 0, out
    assert "新建 7 本、合并 1 本" in out  # dev-2010-m02's PDF is another source of its DOCX's book
    assert (
        "跳过 9 个文件" in out and "README.md" in out and "JSON 文件不自动读取" in out
    )  # the files not read, named
    code, out = run("import", str(FORMS_DEV), "--db", str(db))
    assert code == 0 and "新建 0 本" in out and "已导入过 8 个" in out


def test_import_bad_file_leaves_store_alone(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run("import", str(FORMS_DEV / "dev-2010-m01.docx"), "--db", str(db))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    code, out = run("import", str(bad), "--db", str(db))
    assert code == 1 and "bad.docx" in out
    assert "现有 1 本写实簿" in out


@pytest.mark.parametrize("command", ["blank", "fill", "parse", "import"])
def test_every_command_has_chinese_help(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0 and any("\u4e00" <= ch <= "\u9fff" for ch in out)


def test_usage_errors_are_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from cxzy_docs.cli import main

    assert main(["blank", "--year", "2025", "--out", "x"]) == 2
    err = capsys.readouterr().err
    assert "缺少选项" in err and "--roster" in err and "cxzy blank --help" in err
    assert main(["no-such-command"]) == 2
    assert "没有命令" in capsys.readouterr().err
    assert main(["--version"]) == 0
