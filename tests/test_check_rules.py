"""Every validator rule on a record that breaks it and one that passes; reports; speed."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cxzy_docs.check import (
    ELEMENT_NAMES,
    RULES,
    SEVERITIES,
    Finding,
    findings_json,
    format_findings_text,
    has_errors,
    validate,
    write_findings_xlsx,
)
from cxzy_docs.check.duplicates import duplicate_groups
from cxzy_docs.forms import FORMS
from cxzy_docs.model import check_record, display_name, empty_record, get_field, set_field

DATA = Path(__file__).resolve().parent / "data"
ORG = "靖宇镇卫生院党支部"
SECRETARY = "高志斌"
UPPER = "邱德明"
REVIEW_TEXTS = [
    "该同志本季度坚持下村义诊3次，服务群众近200人次。不足是健康宣教讲得少。希望下季度义诊时带上宣传材料。",
    "本季度组织护理技能比武1次，患者满意度明显提高。护理文书书写还不够规范。下季度要每周抽查护理文书。",
    "该同志带头整理全院档案400余卷，做到了账物相符。电脑操作不熟练，录入速度慢。今后要参加县里的电脑培训。",
    "三季度他牵头疏通院内排水沟，汛期没有出现积水。缺点是对新来的职工关心不够。今后要多找新职工谈心。",
    "四季度完成药品盘点和效期清查，全年无过期药品。参加支部学习有两次缺席。明年要按时参加组织生活。",
    "该同志本季度为五保户上门送药12次，群众称赞。美中不足的是随访记录不完整。下季度要建立随访登记本。",
    "上半年支部组织党员义诊6次，患者满意度保持在96%左右。支部活动和业务结合不够紧。下半年要把党建和医疗质量管理结合起来。",
    # an H2 review: "这半年开展了" (the reader does not know the period, and reads "下半年开展…" without 了 as
    # possibly a plan: left undecided)
    "这半年开展了合理用药专项整治，抗生素使用比例明显下降。个别党员参加组织生活不够经常。明年要严格落实三会一课制度。",
    "该同志本季度调解邻里纠纷8起，化解了两起多年的宅基地矛盾。调解记录填写潦草。下季度要规范填写调解记录。",
    "本季度他带领青年突击队抢收大豆两百亩，三天收完。遇事爱冲动，和收购商差点吵起来。以后有分歧找支部出面协调。",
]
ACH_PARTS = [
    "本季度走访困难户20户",
    "组织村民修通了屯路3公里",
    "带头种植大棚蔬菜10亩",
    "帮助5户群众申请小额贷款",
    "坚持每周为孤寡老人送水送菜",
    "调解邻里纠纷6起",
    "整理村级档案120卷",
    "组织青年突击队抢收玉米",
    "为村小学义务修缮课桌40套",
    "协助完成新农合参保登记800余人",
    "牵头成立了养牛合作社",
    "按时交纳党费",
]
SHORT_PARTS = [
    "政策宣传不够深入",
    "会议记录填写潦草",
    "参加组织生活偶有缺席",
    "电脑操作不熟练",
    "工作方法简单",
    "对年轻党员帮带不够",
    "财务公开不及时",
    "遇事容易急躁",
    "学习笔记记得太简单",
    "入户走访次数偏少",
    "台账资料不全",
    "对新政策掌握不全面",
]
DIR_PARTS = [
    "下季度要每月开一次群众会",
    "今后要规范填写会议记录",
    "希望多参加县里的技术培训",
    "今后要学会用电脑上网",
    "下季度要做好秋收防火宣传",
    "要多和年轻党员谈心",
    "下季度要把账目每月公开",
    "希望遇事多和支部商量",
    "今后要认真记好学习笔记",
    "下季度要每周走访一次困难户",
    "今后要把台账补齐",
    "要主动学习新出台的政策",
]


def unique_review(idx: int) -> str:
    """A complete review, different enough from every other index below 144 not to be a copy."""
    a, b = idx % 12, (idx // 12) % 12
    return f"该同志{ACH_PARTS[a]}。不足是{SHORT_PARTS[b]}。{DIR_PARTS[(a + b) % 12]}。"


_PERIOD_DATES = {
    "Q1": ("2010-03-24", "2010-03-29"),
    "Q2": ("2010-06-24", "2010-06-28"),
    "Q3": ("2010-09-24", "2010-09-28"),
    "Q4": ("2010-12-20", "2010-12-27"),
    "H1": ("2010-06-24", "2010-06-28"),
    "H2": ("2010-12-22", "2011-01-04"),
}


def member_book(name: str, texts: list[str], *, org: str = ORG, reviewer: str = SECRETARY) -> dict:
    """A member book that passes every rule: header, signatures, dates in order, complete reviews."""
    rec = empty_record("member", 2010)
    rec["source"] = f"books/{name}.docx"
    for path, value in (
        ("subject.name", name),
        ("subject.gender", "女"),
        ("subject.organization", org),
        ("commitment.text", "做好本职工作，帮扶两户困难群众。"),
        ("commitment.self_sign.name", name),
        ("commitment.self_sign.date", "2010-01-20"),
        ("commitment.reviewer_sign.name", reviewer),
        ("commitment.reviewer_sign.date", "2010-01-25"),
    ):
        set_field(rec, path, value)
    _fill_periods(rec, name, reviewer, texts)
    _fill_annual(rec, reviewer)
    return rec


def org_book(name: str = ORG, secretary: str = SECRETARY, texts: list[str] | None = None) -> dict:
    rec = empty_record("organization", 2010)
    rec["source"] = f"books/{name}.docx"
    for path, value in (
        ("subject.name", name),
        ("subject.secretary", secretary),
        ("subject.member_count", 11),
        ("commitment.text", "创建群众满意医院。"),
        ("commitment.self_sign.name", secretary),
        ("commitment.self_sign.date", "2010-01-20"),
        ("commitment.reviewer_sign.name", UPPER),
        ("commitment.reviewer_sign.date", "2010-01-26"),
    ):
        set_field(rec, path, value)
    _fill_periods(rec, secretary, UPPER, texts or REVIEW_TEXTS[6:8])
    _fill_annual(rec, UPPER)
    return rec


def _fill_periods(rec: dict, self_name: str, reviewer: str, texts: list[str]) -> None:
    for code, text in zip(FORMS[rec["kind"]].period_codes, texts, strict=False):
        fulfil_date, review_date = _PERIOD_DATES[code]
        for path, value in (
            ("fulfilment.text", "按承诺完成了本期工作。"),
            ("fulfilment.sign.name", self_name),
            ("fulfilment.sign.date", fulfil_date),
            ("review.text", text),
            ("review.sign.name", reviewer),
            ("review.sign.date", review_date),
        ):
            set_field(rec, f"periods.{code}.{path}", value)


def _fill_annual(rec: dict, reviewer: str) -> None:
    set_field(rec, "annual.summary", "全年完成承诺事项。")
    for key, value in (
        ("satisfied", 12),
        ("fairly_satisfied", 4),
        ("average", 1),
        ("dissatisfied", 0),
        ("members_attending", 9),
        ("public_attending", 8),
    ):
        set_field(rec, f"annual.evaluation.{key}", value)
    set_field(rec, "annual.reviewer_sign.name", reviewer)
    set_field(rec, "annual.reviewer_sign.date", "2010-12-30")


def base_books() -> list[dict]:
    """Two member books of one branch and the branch's own book: nothing wrong anywhere."""
    return [
        member_book("宋丽娜", REVIEW_TEXTS[0:4]),
        member_book("陶建民", [*REVIEW_TEXTS[4:6], *REVIEW_TEXTS[8:10]]),
        org_book(),
    ]


ROSTER_MEMBERS = [{"name": "宋丽娜", "organization": ORG}, {"name": "陶 建民", "organization": ORG}]
ROSTER_ORGS = [{"name": ORG, "secretary": SECRETARY}]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_base_books_are_valid_records_and_pass_every_rule() -> None:
    books = base_books()
    for rec in books:
        check_record(rec)
    findings = validate(books, roster_members=ROSTER_MEMBERS, roster_orgs=ROSTER_ORGS, year=2010)
    assert findings == [], format_findings_text(findings)


# ------------------------------------------------------------------------------ breaking cases


def _set(book: int, path: str, value: object) -> Callable[[list[dict]], None]:
    return lambda books: set_field(books[book], path, value)


def _sets(book: int, **values: object) -> Callable[[list[dict]], None]:
    """Several fields of one book; keyword names are field paths with "__" for "."."""

    def apply(books: list[dict]) -> None:
        for key, value in values.items():
            set_field(books[book], key.replace("__", "."), value)

    return apply


def _problem(book: int, field: str, raw: str) -> Callable[[list[dict]], None]:
    def apply(books: list[dict]) -> None:
        set_field(books[book], field, None)
        books[book].setdefault("problems", []).append({"field": field, "raw": raw, "message": "无法识别"})

    return apply


def _blank_review(book: int, code: str) -> Callable[[list[dict]], None]:
    def apply(books: list[dict]) -> None:
        for leaf in ("text", "sign.name", "sign.date"):
            set_field(books[book], f"periods.{code}.review.{leaf}", None)

    return apply


def _copy_review(books: list[dict]) -> None:
    text = get_field(books[0], "periods.Q1.review.text")
    set_field(books[1], "periods.Q2.review.text", text.replace("3次", "5次").replace("该同志", "陶建民同志"))


def _graded(grades: list[str]) -> Callable[[list[dict]], None]:
    def apply(books: list[dict]) -> None:
        for i in range(2, len(grades)):
            books.append(member_book(f"党员{i}", [unique_review(i * 4 + k) for k in range(4)]))
        members = [b for b in books if b["kind"] == "member"]
        for book, grade in zip(members, grades, strict=False):
            book["annual"]["grade"] = grade

    return apply


def _conflict(books: list[dict]) -> None:
    books[0]["conflicts"] = [
        {
            "field": "periods.Q1.review.text",
            "values": [
                {"value": "甲的写法", "source": "宋丽娜.docx"},
                {"value": "乙的写法", "source": "宋丽娜-扫描.pdf"},
            ],
        }
    ]


def _ledger_only(books: list[dict]) -> None:
    books[1]["sources"] = [{"source": "点评台账.xlsx", "kind": "ledger"}]


BREAKERS: dict[str, tuple[Callable[[list[dict]], None], str, dict]] = {
    # code: (how to break the base books, the field expected, validate() keywords)
    "review.empty": (_set(0, "periods.Q2.review.text", "  "), "periods.Q2.review.text", {}),
    "review.no_achievements": (
        _set(0, "periods.Q2.review.text", "理论学习不够深入。下季度要参加县里的业务培训。"),
        "periods.Q2.review.text",
        {},
    ),
    # "等候时间过长" (a fault by form, the reader is not sure): left to a person, not reported missing
    "review.uncertain": (
        _set(
            0,
            "periods.Q2.review.text",
            "本季度组织义诊3次。门诊挂号等候时间过长。下季度要参加县里的业务培训。",
        ),
        "periods.Q2.review.text",
        {},
    ),
    "review.no_shortcomings": (
        _set(0, "periods.Q2.review.text", "本季度组织义诊3次，无明显不足。希望下季度做好防汛值班。"),
        "periods.Q2.review.text",
        {},
    ),
    "review.no_direction": (
        _set(0, "periods.Q2.review.text", "本季度组织义诊3次。不足是宣教讲得少。望再接再厉。"),
        "periods.Q2.review.text",
        {},
    ),
    "review.boilerplate": (_set(0, "periods.Q2.review.text", "表现良好。"), "periods.Q2.review.text", {}),
    "review.wrong_subject": (
        _set(
            2,
            "periods.H1.review.text",
            "该同志本季度带头整理全院病历档案300余卷。电脑录入速度慢。下季度要参加县里的电脑培训。",
        ),
        "periods.H1.review.text",
        {},
    ),
    "review.duplicate": (_copy_review, "periods.Q1.review.text", {}),
    "sign.no_name": (_set(0, "periods.Q1.review.sign.name", None), "periods.Q1.review.sign.name", {}),
    "sign.no_date": (_set(1, "periods.Q3.fulfilment.sign.date", None), "periods.Q3.fulfilment.sign.date", {}),
    "date.unreadable": (
        _problem(0, "periods.Q1.review.sign.date", "三月底"),
        "periods.Q1.review.sign.date",
        {},
    ),
    "date.out_of_period": (
        _set(0, "commitment.self_sign.date", "2009-12-30"),
        "commitment.self_sign.date",
        {},
    ),
    "date.after_as_of": (lambda books: None, "periods.Q3.review.sign.date", {"as_of": dt.date(2010, 8, 31)}),
    "date.before_fulfilment": (
        _set(0, "periods.Q3.review.sign.date", "2010-09-20"),
        "periods.Q3.review.sign.date",
        {},
    ),
    "date.before_period_end": (
        _sets(
            0, periods__Q2__fulfilment__sign__date="2010-05-02", periods__Q2__review__sign__date="2010-05-06"
        ),
        "periods.Q2.review.sign.date",
        {},
    ),
    "date.commitment_late": (
        _set(0, "commitment.reviewer_sign.date", "2010-04-02"),
        "commitment.reviewer_sign.date",
        {},
    ),
    "header.missing": (_set(0, "subject.organization", None), "subject.organization", {}),
    "header.year_mismatch": (lambda books: None, "year", {"year": 2011}),
    "votes.not_integer": (_set(0, "annual.evaluation.average", 1.5), "annual.evaluation.average", {}),
    "votes.inconsistent": (_set(0, "annual.evaluation.satisfied", 20), "annual.evaluation", {}),
    "record.unreadable": (_problem(0, "subject.birth", "七五年"), "subject.birth", {}),
    "coverage.no_book": (
        lambda books: None,
        "subject.name",
        {"roster_members": [*ROSTER_MEMBERS, {"name": "葛春生", "organization": ORG}]},
    ),
    "coverage.no_review": (_blank_review(2, "H2"), "periods.H2.review.text", {}),
    "coverage.secretary_idle": (_set(2, "subject.secretary", "牛振华"), "subject.secretary", {}),
    "grades.vanguard_share": (_graded(["先锋", "先锋", "合格", "合格", "合格"]), "annual.grade", {}),
    "coverage.ambiguous": (
        lambda books: None,
        "subject.name",
        {"roster_members": [*ROSTER_MEMBERS, {"name": "宋丽娜", "organization": ORG, "birth": "1980-01"}]},
    ),
    "roster.unknown_org": (
        lambda books: None,
        "subject.organization",
        {"roster_orgs": [{"name": "镇卫生院党支部", "parent": "靖宇镇党委"}]},
    ),
    "source.conflict": (_conflict, "periods.Q1.review.text", {}),
    "source.ledger_only": (_ledger_only, "subject.name", {}),
}


def test_every_rule_has_a_breaking_case() -> None:
    assert set(BREAKERS) == set(RULES)


@pytest.mark.parametrize("code", sorted(BREAKERS))
def test_rule_fires_on_a_record_that_breaks_it(code: str) -> None:
    books = base_books()
    breaker, field, kwargs = BREAKERS[code]
    breaker(books)
    findings = validate(books, **kwargs)
    hits = [f for f in findings if f.code == code]
    assert hits, format_findings_text(findings)
    assert any(f.field == field for f in hits), [f.field for f in hits]
    for f in hits:
        assert f.severity == RULES[code].severity
        assert f.message and f.subject
    # Breaking one rule does not set off unrelated ones (the rest of the books stay clean).
    others = codes(findings) - {code}
    allowed = {"review.no_shortcomings", "review.no_direction"} if code == "review.boilerplate" else set()
    allowed |= {"coverage.no_review"} if code == "review.empty" else set()
    allowed |= (
        {"coverage.no_book"} if code == "coverage.ambiguous" else set()
    )  # two 宋丽娜, one book: one short
    allowed |= (
        {"coverage.no_book"} if code == "roster.unknown_org" else set()
    )  # the tree's branch has no book
    assert others <= allowed, format_findings_text(findings)


# ------------------------------------------------------------------------------ passing near misses

PASSERS: dict[str, Callable[[list[dict]], None]] = {
    "date: Q4 review in the next year's early weeks": _set(0, "periods.Q4.review.sign.date", "2011-01-12"),
    "date: month-only date inside the period": _set(0, "periods.Q4.fulfilment.sign.date", "2010-12"),
    "date: review on the day of the fulfilment": _set(0, "periods.Q3.review.sign.date", "2010-09-24"),
    "votes: cast equals attending": _set(0, "annual.evaluation.satisfied", 12),
    "votes: float that is whole": _set(0, "annual.evaluation.average", 1.0),
    "review: soft shortcoming and a hope": _set(
        0,
        "periods.Q2.review.text",
        "该同志本季度走访困难户20户。在政策宣传方面还存在差距。希望下季度多讲政策。",
    ),
    "grades: 先锋 within 15%": _graded(["先锋", "合格", "合格", "合格", "合格"]),
    "coverage: roster names spaced out": lambda books: None,
}


@pytest.mark.parametrize("case", sorted(PASSERS))
def test_near_misses_pass(case: str) -> None:
    books = base_books()
    PASSERS[case](books)
    findings = validate(books, roster_members=ROSTER_MEMBERS, roster_orgs=ROSTER_ORGS, year=2010)
    assert findings == [], format_findings_text(findings)


def test_unreadable_raw_date_in_the_record_is_reported_not_raised() -> None:
    books = base_books()
    set_field(books[0], "periods.Q2.review.sign.date", "三月某日")
    set_field(
        books[1], "periods.Q2.review.sign.date", "二〇一〇年六月廿八日"
    )  # a spelling, not ISO: readable
    findings = validate(books)
    assert [(f.code, f.subject.endswith("宋丽娜"), f.evidence) for f in findings] == [
        ("date.unreadable", True, "三月某日")
    ]


def test_date_before_period_start_is_out_of_period() -> None:
    books = base_books()
    set_field(books[0], "periods.Q2.review.sign.date", "2010-03-01")
    set_field(books[0], "periods.Q2.fulfilment.sign.date", "2010-02-27")
    found = [f for f in validate(books) if f.code == "date.out_of_period"]
    assert {f.field for f in found} == {"periods.Q2.review.sign.date", "periods.Q2.fulfilment.sign.date"}
    assert "开始之前" in found[0].message


def test_hostile_records_do_not_crash() -> None:
    junk = [
        {},
        {"kind": "member"},
        {"kind": "member", "periods": "x", "subject": None, "year": "2010"},
        {
            "kind": "organization",
            "annual": {"evaluation": {"satisfied": "many"}},
            "problems": ["bad", {"x": 1}],
        },
    ]
    findings = validate(junk)
    assert "header.missing" in codes(findings)
    assert "votes.not_integer" in codes(findings)


# ------------------------------------------------------------------------------ the gold corpus


def gold_records() -> list[dict]:
    records = []
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        rec.pop("_meta")
        rec["source"] = path.name.removesuffix(".gold.json")
        records.append(rec)
    return records


def test_gold_corpus_findings_match_its_documented_variations() -> None:
    findings = validate(gold_records())
    got = {(f.source, f.code, f.field) for f in findings}
    # README: m01 Q3 fulfilment year left blank; m03 missing signature (Q2 fulfilment);
    # m04 missing date (Q1 review); m02 empty Q3 review. The same book as .docx and .pdf is one
    # book read twice, so its reviews are not reported as pasted copies of each other.
    for expected in [
        ("dev-2010-m01.docx", "sign.no_date", "periods.Q3.fulfilment.sign.date"),
        ("dev-2010-m03.docx", "sign.no_name", "periods.Q2.fulfilment.sign.name"),
        ("dev-2010-m04.docx", "sign.no_date", "periods.Q1.review.sign.date"),
        ("dev-2010-m02.docx", "coverage.no_review", "periods.Q3.review.text"),
    ]:
        assert expected in got
    assert not [f for f in findings if f.code == "review.duplicate" and f.source.startswith("dev-2010-m02")]
    # The element findings follow the gold `_meta.review_elements` labels, or leave the element to a
    # person (review.uncertain naming it): never a confident wrong verdict.
    unsure = {(f.source, f.field, f.message) for f in findings if f.code == "review.uncertain"}
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))["_meta"]["review_elements"]
        source = path.name.removesuffix(".gold.json")
        for code, elements in labels.items():
            for element, stated in elements.items():
                field = f"periods.{code}.review.text"
                flagged = (source, f"review.no_{element}", field) in got
                undecided = any(
                    s == source and fd == field and ELEMENT_NAMES[element] in m for s, fd, m in unsure
                )
                assert flagged == (not stated) or (undecided and not flagged), (source, code, element)
    assert not any(f.code.startswith(("date.", "votes.", "header.")) for f in findings)


# ------------------------------------------------------------------------------ duplicates


def test_duplicates_list_the_books_that_share_a_review() -> None:
    books = base_books()
    pasted = "该同志思想进步，工作积极，服从组织安排，能够完成支部交办的各项任务。今后要在带动群众增收方面多下功夫。"
    for i, name in enumerate(["葛春生", "魏东升", "蔡玉洁"]):
        texts = [unique_review(40 + i * 4 + k) for k in range(4)]
        texts[1] = pasted if i != 2 else pasted.replace("该同志", f"{name}同志").replace("。今后", "，今后")
        books.append(member_book(name, texts))
    dups = [f for f in validate(books) if f.code == "review.duplicate"]
    assert len(dups) == 3
    assert {f.subject.split()[-1] for f in dups} == {"葛春生", "魏东升", "蔡玉洁"}
    for f in dups:
        others = {"葛春生", "魏东升", "蔡玉洁"} - {f.subject.split()[-1]}
        assert all(name in f.message for name in others) and "共 2 处" in f.message


def test_duplicate_grouping_is_not_pairwise_and_finds_planted_copies() -> None:
    rnd = random.Random(5)
    words = "组织党员开展义诊活动服务群众解决困难推进项目建设落实承诺事项加强学习提高能力带领致富修建道路"
    items = []
    for i in range(40_000):
        text = "".join(rnd.choice(words) for _ in range(40)) + f"第{i}条"
        items.append((text, None))
    planted = [3, 17_000, 39_999]
    base = items[3][0]
    items[17_000] = (base[:20] + "又" + base[21:], None)  # one character changed
    items[39_999] = (base.replace("第3条", "第3条。"), None)  # punctuation added
    start = time.process_time()
    groups = duplicate_groups(items)
    elapsed = time.process_time() - start
    assert [g for g in groups if 3 in g] == [planted]
    # pairwise comparison of 40,000 texts (8e8 pairs) would take hours; grouping takes about a second
    assert elapsed < 60.0, elapsed


# ------------------------------------------------------------------------------ reports


def test_text_report_groups_by_book_and_counts() -> None:
    books = base_books()
    set_field(books[0], "periods.Q2.review.text", "表现良好。")
    set_field(books[1], "periods.Q1.review.sign.name", None)
    set_field(books[1], "annual.evaluation.satisfied", 30)
    findings = validate(books)
    text = format_findings_text(findings)
    assert text.index("【2010 靖宇镇卫生院党支部 宋丽娜】") < text.index("【2010 靖宇镇卫生院党支部 陶建民】")
    assert "第二季度领导点评" in text and "第一季度领导点评 党支部书记签字" in text
    assert text.rstrip().endswith(f"共 {len(findings)} 条：错误 {len(findings)} 条，警告 0 条，提示 0 条。")
    assert has_errors(findings)
    assert format_findings_text([]).startswith("校验完成，未发现问题")


def test_json_findings_have_the_stable_keys() -> None:
    books = base_books()
    set_field(books[0], "periods.Q3.review.text", "")
    data = json.loads(findings_json(validate(books)))
    assert data and all(
        set(d)
        == {
            "source",
            "kind",
            "subject",
            "field",
            "label",
            "code",
            "title",
            "severity",
            "message",
            "evidence",
            "book",
        }
        for d in data
    )
    assert data[0]["source"] == "books/宋丽娜.docx" and data[0]["field"] == "periods.Q3.review.text"
    assert data[0]["book"] == 0 and data[0]["label"] == "第三季度领导点评" and data[0]["title"] == "点评为空"


def test_findings_know_their_book_even_for_namesakes_in_one_branch() -> None:
    books = base_books()
    twin = copy.deepcopy(books[0])
    twin.pop("source", None)
    books[0].pop("source", None)
    set_field(twin, "periods.Q2.review.text", "")
    found = validate([books[0], twin])
    empty = [f for f in found if f.code == "review.empty"]
    assert [f.book for f in empty] == [1] and empty[0].subject == display_name(
        books[0]
    )  # same name, its own book


def test_rules_table_is_complete_and_chinese() -> None:
    for code, rule in RULES.items():
        assert rule.code == code and rule.severity in SEVERITIES
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title + rule.description)


def test_xlsx_writes_formula_like_strings_as_text(tmp_path: Path) -> None:
    import openpyxl

    books = base_books()
    set_field(books[0], "periods.Q1.review.sign.date", None)
    books[0]["problems"] = [
        {"field": "periods.Q1.review.sign.date", "raw": '=HYPERLINK("x")', "message": "x"}
    ]
    set_field(books[1], "subject.organization", None)
    books[1]["source"] = "+cmd|' /C calc'!A0"
    set_field(books[2], "annual.evaluation.satisfied", 40)
    books[2]["source"] = "@SUM(1+1)"
    books.append(member_book("-2+3", [unique_review(k) for k in range(4)]))
    set_field(books[3], "annual.evaluation.average", "-1")
    findings = validate(books)
    out = tmp_path / "findings.xlsx"
    write_findings_xlsx(findings, out)
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "<pane" in sheet_xml and 'state="frozen"' in sheet_xml and "<autoFilter" in sheet_xml
    ws = openpyxl.load_workbook(out).active
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    for needle in ('=HYPERLINK("x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1"):
        assert needle in values
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row if c.value)
    assert ws.max_row == len(findings) + 1 and ws["A1"].value == "序号"


# ------------------------------------------------------------------------------ speed


def test_same_book_in_two_files_is_not_a_pasted_review() -> None:
    """A DOCX and its PDF export of one book carry the same reviews: that is not pasting."""
    from cxzy_docs.check import validate
    from cxzy_docs.model import empty_record, set_field

    def book(name: str, source: str) -> dict:
        rec = empty_record("member", 2025)
        set_field(rec, "subject.name", name)
        set_field(rec, "subject.organization", "红旗村第一党支部")
        set_field(
            rec,
            "periods.Q1.review.text",
            "该同志一季度带头参加义务劳动4次，走访联系户12户。不足是政治理论学习不够系统。下季度要每周自学两小时。",
        )
        rec["source"] = source
        return rec

    same = validate([book("张伟", "a.docx"), book("张伟", "a.pdf")])
    assert not [f for f in same if f.code == "review.duplicate"]
    pasted = validate([book("张伟", "a.docx"), book("李娜", "b.docx")])
    assert len([f for f in pasted if f.code == "review.duplicate"]) == 2
