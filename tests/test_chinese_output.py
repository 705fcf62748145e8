"""Everything a user reads from ``cxzy`` is Chinese: every command's help, click's own frame (usage,
headings, errors), error paths, and the messages of real runs on real files.

The scan takes stdout and stderr of each run and looks for ASCII words. Allowed are option names
(``--db``), file names and paths (``cxzy.db``, ``templates/report``), ``$CXZY_DB``, the command's own
name and subcommands, and a short list of format and product names a user knows (DOCX, PDF,
LibreOffice, Excel, ...). A field path (``periods.Q1.review.sign.name``) or a rule's code is never
allowed: ``--json`` is the place for those.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from cxzy_docs.check.findings import RULES
from cxzy_docs.cli import cli, main
from cxzy_docs.recordshape import record_skeleton

DATA = Path(__file__).resolve().parent / "data"
FORMS_DEV = DATA / "forms-dev"
ROSTERS = DATA / "rosters"

ALLOWED = {
    "DOCX",
    "XLSX",
    "PDF",
    "JSON",
    "CSV",
    "PNG",
    "URL",
    "SQLite",
    "PostgreSQL",
    "LibreOffice",
    "Word",
    "Excel",
    "WPS",
    "OCR",
    "README",
    "A4",
    "pg_dump",
    "docx",
    "xlsx",
    "pdf",
    "csv",
    "json",
    "doc",
    "xls",
}
# The first segment of anything that is a field path or a rule's code (periods.…, review.…).
PATH_ROOTS = (
    {key for kind in ("member", "organization") for key in record_skeleton(kind)}
    | {code.split(".", 1)[0] for code in RULES}
    | {"census"}
)
_WORD = re.compile(
    r"(?<![A-Za-z0-9_$/\\.-])(?:--?)?[A-Za-z][A-Za-z0-9_-]*(?:(?:[./\\]|:[/\\])[^\s，。；：、（）“”]*)*"
)


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(cli))
COMMAND_WORDS = {"cxzy", *(name for path in COMMANDS for name in path)}


def english(text: str) -> list[str]:
    """The words of ``text`` no Chinese user should meet: English words, field paths, rule codes."""
    bad = []
    for word in _WORD.findall(text):
        if word.startswith("-") or word in ALLOWED or word in COMMAND_WORDS or len(word) == 1:  # a key: 按 g
            continue
        if re.match(r"[A-Za-z][\w-]*\.", word) and word.split(".", 1)[0] in PATH_ROOTS:
            bad.append(word)  # a field path or a code
        elif not re.search(r"[./\\]", word):
            bad.append(word)  # a bare word (file names, paths and URLs have . / \ or :)
    return bad


def run(capsys: pytest.CaptureFixture[str], args: list[str], tmp: Path) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    return code, text.replace(str(tmp), "临时文件夹")


def test_the_scan_catches_what_it_must() -> None:
    assert english("Usage: cxzy report [OPTIONS]") == ["Usage", "OPTIONS"]
    assert english("第一季度（periods.Q1.review.sign.name）") == ["periods.Q1.review.sign.name"]
    assert english("（review.no_shortcomings）值为 None") == ["review.no_shortcomings", "None"]
    assert (
        english("用法：cxzy report summary --db 数据库 输出 a.docx 到 /tmp/x-y/z 或 $CXZY_DB、cxzy.db、DOCX")
        == []
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "cxzy")
def test_every_help_is_chinese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: tuple[str, ...]
) -> None:
    code, text = run(capsys, [*command, "--help"], tmp_path)
    assert code == 0 and "用法：" in text and "选项：" in text and "显示本说明并退出。" in text, text
    assert english(text) == [], text


def _error_cases(tmp: Path) -> dict[str, list[str]]:
    db = str(tmp / "空.db")
    out = str(tmp / "总结.docx")
    return {
        "no command": [],
        "group without command": ["report"],
        "unknown command": ["发送"],
        "unknown subcommand": ["report", "总表"],
        "unknown option": ["--全部"],
        "misspelt option": ["report", "summary", "--ogr", "红旗村党总支"],
        "not an integer": ["report", "summary", "--org", "红旗村党总支", "--year", "2011年", "--out", out],
        "integer out of range": ["blank", "--roster", "花名册.xlsx", "--year", "1800", "--out", str(tmp)],
        "port out of range": ["tui", "--port", "0"],
        "option without value": ["blank", "--year"],
        "missing argument": ["fill"],
        "missing option": ["blank", "--year", "2025", "--out", str(tmp)],
        "bad as-of date": [
            "report",
            "summary",
            "--org",
            "红旗村党总支",
            "--year",
            "2011",
            "--out",
            out,
            "--as-of",
            "2025-13-40",
            "--db",
            db,
        ],
        "bad date": [
            "report",
            "summary",
            "--org",
            "红旗村党总支",
            "--year",
            "2011",
            "--out",
            out,
            "--date",
            "明天",
            "--db",
            db,
        ],
        "path that does not exist": ["tui", str(tmp / "没有.docx")],
        "parse a missing file": ["parse", str(tmp / "没有.docx")],
        "import a missing file": ["import", str(tmp / "没有.docx"), "--db", db],
        "summary of an empty store": [
            "report",
            "summary",
            "--org",
            "红旗村党总支",
            "--year",
            "2010",
            "--out",
            out,
            "--db",
            db,
        ],
        "summary with a missing roster": [
            "report",
            "summary",
            "--org",
            "红旗村党总支",
            "--year",
            "2010",
            "--out",
            out,
            "--db",
            db,
            "--roster",
            str(tmp / "没有.xlsx"),
        ],
        "ledger with a wrong suffix": ["report", "ledger", "--out", str(tmp / "台账.txt"), "--db", db],
        "ledger of an empty year": [
            "report",
            "ledger",
            "--out",
            str(tmp / "台账.xlsx"),
            "--db",
            db,
            "--year",
            "2030",
        ],
        "gongshi out of range": [
            "report",
            "gongshi",
            "--org",
            "红旗村党总支",
            "--year",
            "2010",
            "--out",
            out,
            "--db",
            db,
            "--days",
            "99",
        ],
        "grades from a missing sheet": ["grades", "import", str(tmp / "没有.xlsx"), "--db", db],
        "grades from a Word file": ["grades", "import", str(FORMS_DEV / "dev-2010-m01.docx"), "--db", db],
        "blank from random bytes": [
            "blank",
            "--roster",
            str(ROSTERS / "random-bytes.xlsx"),
            "--year",
            "2025",
            "--out",
            str(tmp / "空白"),
        ],
        "blank from a roster without names": [
            "blank",
            "--roster",
            str(ROSTERS / "missing-name-column.csv"),
            "--year",
            "2025",
            "--out",
            str(tmp / "空白"),
        ],
        "blank in an unknown format": [
            "blank",
            "--roster",
            str(ROSTERS / "bad-rows.csv"),
            "--year",
            "2025",
            "--out",
            str(tmp / "空白"),
            "--format",
            "文档",
        ],
        "fill from a missing file": ["fill", str(tmp / "没有.json"), "--out", str(tmp / "已填")],
        "validate with no books": ["validate", "--db", db, "--year", "2010"],
        "a store that is not a database": [
            "import",
            str(FORMS_DEV / "dev-2010-m01.docx"),
            "--db",
            str(FORMS_DEV / "dev-2010-m01.docx"),
        ],
    }


def test_error_paths_are_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    problems = {}
    for name, args in _error_cases(tmp_path).items():
        code, text = run(capsys, args, tmp_path)
        assert code != 0, (name, text)
        assert re.search(r"[\u4e00-\u9fff]", text), (name, text)
        assert "错误：用法" not in text and "。 " not in text, (
            name,
            text,
        )  # help is not an error; no stray spaces
        if english(text):
            problems[name] = (english(text), text)
    assert problems == {}


def test_real_runs_are_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Reading, importing, checking and reporting on real books: messages, findings, counts."""
    inbox = tmp_path / "收上来的写实簿"
    shutil.copytree(FORMS_DEV, inbox, ignore=shutil.ignore_patterns("*.json", "*.md"))
    (inbox / "坏文件.docx").write_bytes(b"PK\x03\x04 not a zip")
    db = str(tmp_path / "书.db")
    runs = {
        "parse": ["parse", str(inbox)],
        "import": ["import", str(inbox), "--db", db],
        "validate files": ["validate", str(inbox / "dev-2010-m04.docx"), str(inbox / "dev-2010-o02.docx")],
        "validate store": ["validate", "--db", db, "--year", "2010", "--xlsx", str(tmp_path / "问题.xlsx")],
        "summary": [
            "report",
            "summary",
            "--db",
            db,
            "--org",
            "靖宇镇卫生院党支部",
            "--year",
            "2010",
            "--out",
            str(tmp_path / "总结.docx"),
            "--inbox",
            str(inbox),
        ],
        "ledger": ["report", "ledger", "--db", db, "--year", "2010", "--out", str(tmp_path / "台账.xlsx")],
        "gongshi without grades": [
            "report",
            "gongshi",
            "--db",
            db,
            "--org",
            "靖宇镇卫生院党支部",
            "--year",
            "2010",
            "--out",
            str(tmp_path / "公示.docx"),
        ],
    }
    problems = {}
    for name, args in runs.items():
        _, text = run(capsys, args, tmp_path)
        assert re.search(r"[\u4e00-\u9fff]", text), (name, text)
        if english(text):
            problems[name] = (english(text), text)
    assert problems == {}
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "问题.xlsx").active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert english(cells.replace(str(tmp_path), "")) == []
