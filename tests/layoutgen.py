"""A seeded generator of record books in layouts the readers were not built with (accuracy, not crashes).

Like the fuzzer, but for accuracy: each book is a random record (``make_record``) laid out by a
random combination of the variations below (``choose_layout``) as an abstract document of
paragraphs and tables (``build_document``); ``layoutprod.py`` renders that document through every
producer available here and scores what the parser reads back against the record.

Variations (each book draws one value of every axis; the tags name what it drew):

- ``table``: ``government`` (8-column grid, vertical section labels in a merged first column),
  ``retyped`` (6 columns, section labels written across), ``split`` (one table per section,
  paragraphs between), ``nested`` (signatures and votes in tables nested in a cell),
  ``flattened`` (no table: every cell's lines as paragraphs in reading order, vertical labels one
  character per line), ``run-together`` (no table, labels and values run on in paragraphs:
  ``姓    名李国强性    别男…``, a signature line running into the next label), ``pasted``
  (a form pasted into a plain document, ``标签：值`` lines).
- ``header``: values ``beside`` their labels, ``below`` them, or ``inline`` (``姓名：李国强``).
- ``sign``: ``inline`` (label, name and date on one line), ``lines`` (name and date on the lines
  after the label), ``cells`` (label, name and date in cells of their own).
- ``name``: signer names ``plain`` or ``spaced`` (``王 建 国``); some names carry a ``·``.
- ``labels``: ``plain``, ``spaced`` (``公  开  承  诺  事  项``) or ``wrapped`` (broken over two lines).
- ``words``: the government's label wording or ``synonyms`` (承诺事项, 践诺情况/履诺情况, 点评意见/上级点评,
  群众评议, 一季度/第1季度/1-3月, 1-6月, 二〇一〇年度).
- ``dates``: one spelling per book (``2010年3月28日``, ``2010 年 3 月 28 日``, ``2010.3.28``, ``2010-03-28``,
  ``2010/3/28``, ``二〇一〇年三月二十八日``, full-width digits).
- ``attached``: ``none`` or a long text going on on an attached page (``附页``) under a heading such as
  ``（第四季度领导点评续）`` or ``接上页``.
- ``votes``: the 评议 counts ``below`` their column labels or ``beside`` them (a label column); with
  ``narrow`` columns in a PDF the labels wrap inside their cells.
- ``roles``: signature roles as the ``government`` prints them or ``short`` (支部书记, 上级党委书记, 本人).
- ``headings``: ``rows`` puts a heading row before each section (``二、履诺践诺写实（第一季度）``).
- ``blanks``: ``blanks`` leaves things blank as people do: a period's fulfilment box and its
  signature, a header value (``现任职务：``), the year on the cover (``（    年度）``, gold null), a
  date's year (``    年 3 月 28 日``, gold null), a date written to the month only (``2010年12月``).
- ``boxes``: ``mixed`` (a box's label over its text or in its cell) or ``beside`` (label cell left,
  text cell right).
- ``flat``: flattened rows as one paragraph per cell (``lines``) or a row's cells ``tabs``-separated.
- ``books``: how many books the file holds (1-3), set by the producer (``layoutprod.py``).

Held-out seeds: seeds from 900 on are kept for the final measurement and not looked at while the
readers are being changed (``bench/bench_layouts.py --seed 900``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from cxzy_docs.model import empty_record

HELD_OUT_SEEDS = range(900, 1000)
# held out for the printing and re-saving producers (rl-pdf, chrome-pdf, pd-lo-pdf, pd-lo-doc): run
# once, at the end of the work that added them (bench/bench_layouts.py --seed 700 --producers ...)
PRINTED_HELD_OUT_SEEDS = range(700, 710)

# ------------------------------------------------------------------------------------- content

_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志斌德红春生东升玉洁立新海燕文博晓雪凤永福宝山"
)
_DOT_NAMES = ("买买提·艾力", "阿依·古丽", "热合曼·托乎提", "巴特尔·额尔敦")
_ETHNIC = ("汉族", "汉族", "汉族", "回族", "满族", "朝鲜族", "蒙古族", "汉")
_EDUCATION = ("大专", "本科", "高中", "中专", "初中", "研究生", "大学本科")
_POSITIONS = (
    "村党支部委员",
    "护士长",
    "农技站站长",
    "村委会主任",
    "小学教师",
    "卫生院医生",
    "个体工商户",
    "村民小组长",
    "党支部组织委员",
    "财务会计",
)
_PLACES = ("红旗村", "靖宇镇", "东风村", "新华社区", "永安镇", "向阳村", "光明街道", "太平乡")
_UNITS = ("第一党支部", "党支部", "卫生院党支部", "农业综合服务中心党支部", "中心小学党支部", "第二党支部")

_ACTS = (
    "组织党员学习{n}次",
    "走访困难群众{n}户",
    "帮助群众解决实际困难{n}件",
    "开展志愿服务{n}次",
    "参加支部组织生活{n}次",
    "调解邻里纠纷{n}起",
    "发展特色种植{n}亩",
    "为群众办实事{n}件",
    "开展技术培训{n}场",
    "慰问老党员{n}人",
    "收集群众意见{n}条",
    "完成业务考核{n}项",
)
_CLAUSES = (
    "认真学习党的路线方针政策",
    "按时参加组织生活",
    "带头遵守村规民约",
    "积极参与村务公开",
    "发挥党员先锋模范作用",
    "围绕中心工作创先争优",
    "立足岗位做好本职工作",
    "主动联系服务群众",
    "带领群众发展生产",
    "落实“三会一课”制度",
    "做好防汛抗旱工作",
    "推进新农村建设",
)
_REVIEW_GOOD = (
    "该同志{p}认真履行承诺，{a}，群众反映较好",
    "{p}工作扎实，{a}，作用发挥明显",
    "能够按承诺开展工作，{a}，带动作用较强",
)
_REVIEW_BAD = (
    "不足的是理论学习还不够深入",
    "存在的问题是联系群众的方式还比较单一",
    "差距在于工作记录不够规范",
    "不足之处是创新意识还不够强",
)
_REVIEW_DIR = (
    "今后要加强学习，提高服务能力",
    "下一步要多深入群众，把实事办好",
    "希望继续保持，在带动群众增收上下功夫",
    "要进一步规范工作台账，做到有据可查",
)
# Phrases that contain a label's words inside a sentence (real texts do): a reader must not anchor on them.
_RISKY = (
    "按照公开承诺的要求，",
    "对照领导点评指出的问题，",
    "结合群众评议的意见，",
    "围绕承诺事项逐项推进，",
    "本季度承诺兑现情况良好，",
)

_PERIOD_MONTHS = {"Q1": (3, 4), "Q2": (6, 7), "Q3": (9, 10), "Q4": (12, 12), "H1": (6, 7), "H2": (12, 12)}


def _name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.04:
        return rng.choice(_DOT_NAMES)
    given = "".join(rng.choice(_GIVEN) for _ in range(1 if r < 0.35 else 2))
    surname = rng.choice(_SURNAMES)
    if r > 0.97:
        surname += rng.choice(_SURNAMES)  # 欧阳-like double surname: four characters
    return surname + given


def _sentence(rng: random.Random, risky: bool) -> str:
    head = rng.choice(_RISKY) if risky and rng.random() < 0.5 else ""
    act = rng.choice(_ACTS).format(n=rng.randint(1, 30))
    return f"{head}{rng.choice(_CLAUSES)}，{act}"


def _text(rng: random.Random, risky: bool, *, numbered: bool | None = None, long: bool = False) -> str:
    n = rng.randint(4, 7) if long else rng.randint(1, 3)
    numbered = rng.random() < 0.4 if numbered is None else numbered
    parts = [_sentence(rng, risky) for _ in range(n)]
    if numbered:
        return "\n".join(f"{i}、{p}{'。' if i == n else '；'}" for i, p in enumerate(parts, 1))
    return "；".join(parts) + "。"


def _review(rng: random.Random, period: str, long: bool = False) -> str:
    a = rng.choice(_ACTS).format(n=rng.randint(1, 20))
    parts = [rng.choice(_REVIEW_GOOD).format(p=period, a=a), rng.choice(_REVIEW_BAD), rng.choice(_REVIEW_DIR)]
    if long:
        parts[1:1] = [_sentence(rng, False) for _ in range(3)]
    return "，".join(parts) + "。"


def _date(rng: random.Random, year: int, month_range: tuple[int, int]) -> str | None:
    if rng.random() < 0.05:
        return None
    m = rng.randint(*month_range)
    return f"{year}-{m:02d}-{rng.randint(1, 28):02d}"


def _sign(rng: random.Random, name: str, year: int, months: tuple[int, int]) -> dict[str, Any]:
    return {"name": name if rng.random() > 0.04 else None, "date": _date(rng, year, months)}


def make_record(
    rng: random.Random,
    kind: str,
    org: str | None = None,
    reviewer: str | None = None,
    grade: bool = False,
    risky: bool = True,
) -> dict[str, Any]:
    """A filled book of ``kind`` with plausible Chinese content (some boxes left empty, as people do)."""
    year = rng.choice((2010, 2011, 2012, 2024, 2025))
    rec = empty_record(kind, year)
    org = org or rng.choice(_PLACES) + rng.choice(_UNITS)
    reviewer = reviewer or _name(rng)
    s = rec["subject"]
    if kind == "member":
        me = _name(rng)
        s.update(
            name=me,
            gender=rng.choice("男女"),
            ethnicity=rng.choice(_ETHNIC),
            birth=f"{rng.randint(1945, 1995)}-{rng.randint(1, 12):02d}",
            joined=rng.choice(
                (f"{rng.randint(1970, 2009)}-{rng.randint(1, 12):02d}", f"{rng.randint(1970, 2009)}-07-01")
            ),
            education=rng.choice(_EDUCATION),
            position=rng.choice(_POSITIONS),
            organization=org,
        )
    else:
        me = _name(rng)
        s.update(name=org, secretary=me, member_count=rng.randint(5, 80), activist_count=rng.randint(0, 9))
    rec["commitment"]["text"] = _text(rng, risky, numbered=True)
    rec["commitment"]["self_sign"] = _sign(rng, me, year, (1, 2))
    rec["commitment"]["reviewer_sign"] = _sign(rng, reviewer, year, (1, 2))
    for p in rec["periods"]:
        months = _PERIOD_MONTHS[p["period"]]
        cn = {"Q1": "一季度", "Q2": "二季度", "Q3": "三季度", "Q4": "四季度", "H1": "上半年", "H2": "下半年"}[
            p["period"]
        ]
        p["fulfilment"] = {"text": _text(rng, risky), "sign": _sign(rng, me, year, months)}
        review = None if rng.random() < 0.05 else _review(rng, cn)
        p["review"] = {"text": review, "sign": _sign(rng, reviewer, year, (months[1], months[1]))}
    ann = rec["annual"]
    ann["summary"] = _text(rng, risky, numbered=False)
    members = rng.randint(5, 60)
    public = rng.randint(0, 60)
    votes = sorted(rng.sample(range(0, members + public + 1), 3)) if members + public >= 3 else [0, 0, 0]
    a, b, c = votes
    ann["evaluation"] = {
        "satisfied": members + public - c,
        "fairly_satisfied": c - b,
        "average": b - a,
        "dissatisfied": a,
        "members_attending": members,
        "public_attending": public,
    }
    if rng.random() < 0.05:
        ann["evaluation"] = dict.fromkeys(ann["evaluation"])
    ann["reviewer_sign"] = _sign(rng, reviewer, year, (12, 12))
    if grade:
        ann["grade"] = rng.choice(("优秀", "合格", "基本合格", "不合格"))
    return rec


def make_file_records(rng: random.Random, books: int) -> list[dict[str, Any]]:
    """The books of one file: one book, or an organization's binder (its own book, then members')."""
    if books == 1:
        return [make_record(rng, rng.choice(("member", "member", "organization")), grade=rng.random() < 0.3)]
    org = rng.choice(_PLACES) + rng.choice(_UNITS)
    secretary = _name(rng)
    out = []
    if rng.random() < 0.5:
        out.append(make_record(rng, "organization", org=org))
    while len(out) < books:
        out.append(make_record(rng, "member", org=org, reviewer=secretary))
    year = out[0]["year"]
    for rec in out:
        _move_year(rec, year)
    return out


def sign_at(rec: dict[str, Any], loc: tuple[str, str]) -> dict[str, Any]:
    """The sign object at ``loc``: (``commitment``, ``self_sign``), (``Q4``, ``review``), (``annual``, ``reviewer_sign``)."""
    where, which = loc
    if where in ("commitment", "annual"):
        return rec[where][which]
    period = next(p for p in rec["periods"] if p["period"] == where)
    return period[which]["sign"]


def _sign_locs(rec: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("commitment", "self_sign"),
        ("commitment", "reviewer_sign"),
        ("annual", "reviewer_sign"),
        *((p["period"], box) for p in rec["periods"] for box in ("fulfilment", "review")),
    ]


def blank_out(rec: dict[str, Any], rng: random.Random, cover: str) -> None:
    """Leave things blank as people do (``blanks=blanks``); the gold says null where nothing can be read.

    A period's fulfilment box with its signature; a header value; the year on a full cover
    (``（    年度）``); one date's year (printed ``    年 3 月 28 日``, gold null, never guessed); one
    date written to the month only (``2010年12月`` → ``2010-12``).
    """
    period = rng.choice(rec["periods"])
    period["fulfilment"] = {"text": None, "sign": {"name": None, "date": None}}
    if rec["kind"] == "member":
        rec["subject"]["position"] = None
    else:
        rec["subject"]["activist_count"] = None
    if cover == "full" and rng.random() < 0.5:
        rec["year"] = None
    locs = [
        loc
        for loc in _sign_locs(rec)
        if loc != (period["period"], "fulfilment") and sign_at(rec, loc)["date"]
    ]
    rng.shuffle(locs)
    printed = []
    if locs:
        sign = sign_at(rec, locs[0])
        _, m, d = (int(x) for x in sign["date"].split("-"))
        printed.append((locs[0], f"    年 {m} 月 {d} 日"))
        sign["date"] = None
    if len(locs) > 1:
        sign = sign_at(rec, locs[1])
        y, m, _ = (int(x) for x in sign["date"].split("-"))
        sign["date"] = f"{y}-{m:02d}"
        printed.append((locs[1], f"{y}年{m}月"))
    rec["_printed"] = printed


def _move_year(rec: dict[str, Any], year: int) -> None:
    """Put every signature date of a record into ``year`` (the books of one binder share it)."""
    old = rec["year"]
    rec["year"] = year
    for sign in _signs(rec):
        if sign["date"]:
            y = int(sign["date"][:4])
            sign["date"] = f"{y - old + year}{sign['date'][4:]}"


def _signs(rec: dict[str, Any]) -> list[dict[str, Any]]:
    out = [rec["commitment"]["self_sign"], rec["commitment"]["reviewer_sign"], rec["annual"]["reviewer_sign"]]
    for p in rec["periods"]:
        out += [p["fulfilment"]["sign"], p["review"]["sign"]]
    return out


# ------------------------------------------------------------------------------------ spellings

_CN_DIGIT = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN_DIGIT[int(c)] for c in str(y))


def _cn_num(n: int) -> str:
    if n < 10:
        return _CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")


DATE_STYLES = ("cn", "cn-spaced", "dots", "iso", "slashes", "cn-numerals", "full-width")


def date_text(iso: str | None, style: str) -> str:
    """A signature date the way a person writes it; a missing date is the form's blank ``年  月  日``."""
    if not iso:
        return "年    月    日"
    y, m, d = (int(x) for x in iso.split("-"))
    if style == "cn":
        return f"{y}年{m}月{d}日"
    if style == "cn-spaced":
        return f"{y} 年 {m} 月 {d} 日"
    if style == "dots":
        return f"{y}.{m}.{d}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if style == "slashes":
        return f"{y}/{m}/{d}"
    if style == "cn-numerals":
        return f"{_cn_year(y)}年{_cn_num(m)}月{_cn_num(d)}日"
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in f"{y}年{m}月{d}日")


def header_date_text(iso: str | None, style: str) -> str:
    if not iso:
        return ""
    parts = iso.split("-")
    if style in ("cn", "cn-spaced", "cn-numerals", "full-width"):
        return f"{parts[0]}年{int(parts[1])}月" + (f"{int(parts[2])}日" if len(parts) > 2 else "")
    return ".".join(parts)


def _count_text(n: int | None) -> str:
    return "" if n is None else str(n)


def spaced(text: str, gap: str = "  ") -> str:
    return gap.join(text)


# -------------------------------------------------------------------------------------- layouts

AXES: dict[str, tuple[str, ...]] = {
    "table": ("government", "retyped", "split", "nested", "flattened", "run-together", "pasted"),
    "header": ("beside", "below", "inline"),
    "sign": ("inline", "lines", "cells"),
    "name": ("plain", "spaced"),
    "labels": ("plain", "spaced", "wrapped"),
    "words": ("government", "synonyms"),
    "dates": DATE_STYLES,
    "attached": ("none", "attached"),
    "votes": ("below", "beside", "narrow", "pairs"),
    "numbering": ("none", "numbered"),
    "extras": ("none", "extras"),
    "cover": ("full", "none"),
    "roles": ("government", "short"),
    "headings": ("none", "rows"),
    "blanks": ("none", "blanks"),
    "boxes": ("mixed", "beside"),
    "flat": ("lines", "tabs"),
}


@dataclass
class Layout:
    """One book's draw of every axis."""

    table: str = "government"
    header: str = "beside"
    sign: str = "inline"
    name: str = "plain"
    labels: str = "plain"
    words: str = "government"
    dates: str = "cn"
    attached: str = "none"
    votes: str = "below"
    numbering: str = "none"
    extras: str = "none"
    cover: str = "full"
    roles: str = "government"
    headings: str = "none"
    blanks: str = "none"
    boxes: str = "mixed"
    flat: str = "lines"
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def tags(self) -> list[str]:
        return [f"{axis}={getattr(self, axis)}" for axis in AXES]


def choose_layout(rng: random.Random, tables: tuple[str, ...] = AXES["table"]) -> Layout:
    lay = Layout(
        **{axis: rng.choice(values) for axis, values in AXES.items() if axis != "table"},
        table=rng.choice(tables),
        rng=random.Random(rng.random()),
    )
    if lay.table in ("run-together", "pasted") and lay.header == "below":
        lay.header = "beside"  # a label row over a value row does not survive being typed as running text
    if lay.table in ("flattened", "run-together", "pasted") and lay.sign == "cells":
        lay.sign = "inline"
    return lay


# --------------------------------------------------------------------------- the abstract document


@dataclass
class Para:
    text: str
    align: str = "left"  # left / center
    bold: bool = False
    page_break: bool = False  # starts a new page


@dataclass
class Cell:
    content: str | Table = ""
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths

    @property
    def ncols(self) -> int:
        return len(self.widths)


Block = Para | Table


class _Words:
    """The labels one book prints, in the government's wording or in another province's."""

    def __init__(self, kind: str, lay: Layout) -> None:
        rng = lay.rng
        syn = lay.words == "synonyms"
        self.kind = kind
        self.title = "党员创先争优活动写实簿" if kind == "member" else "党组织创先争优写实簿"
        self.commitment = rng.choice(("承诺事项", "公开承诺事项", "公开承诺内容")) if syn else "公开承诺事项"
        fulfil = rng.choice(("践诺情况", "履诺情况", "承诺兑现情况")) if syn else "承诺兑现情况"
        quarter = rng.choice(("cn", "short", "digit", "months")) if syn else "cn"
        self.period_names = {
            "Q1": {"cn": "第一季度", "short": "一季度", "digit": "第1季度", "months": "1-3月"}[quarter],
            "Q2": {"cn": "第二季度", "short": "二季度", "digit": "第2季度", "months": "4-6月"}[quarter],
            "Q3": {"cn": "第三季度", "short": "三季度", "digit": "第3季度", "months": "7-9月"}[quarter],
            "Q4": {"cn": "第四季度", "short": "四季度", "digit": "第4季度", "months": "10-12月"}[quarter],
            "H1": "1-6月" if syn and quarter == "months" else "上半年",
            "H2": "7-12月" if syn and quarter == "months" else "下半年",
        }
        self.fulfilment = {p: self.period_names[p] + fulfil for p in self.period_names}
        self.review = (
            rng.choice(("点评意见", "上级点评", "领导点评", "领导点评意见"))
            if syn
            else "领导点评（要写清成绩、不足和努力方向）"
        )
        self.review_with_period = syn and rng.random() < 0.4  # 第1季度上级点评
        self.summary = (
            rng.choice(
                (
                    "年度开展创先争优活动情况简要总结",
                    "年度总结",
                    "全年开展创先争优活动情况",
                    "年度创先争优活动情况总结",
                )
            )
            if syn
            else "年度开展创先争优活动情况简要总结"
        )
        self.evaluation = (
            rng.choice(("群众评议", "党员群众评议情况", "民主评议情况")) if syn else "党员群众评议情况"
        )
        self.eval_first = rng.choice(("评价等次", "评议等次")) if syn else "评价等次"
        self.grade = "评议结果"
        self.year_style = rng.choice(("digits", "cn")) if syn else "digits"
        self.self_role = "党员本人" if kind == "member" else "基层党组织书记"
        self.reviewer_role = "党支部书记" if kind == "member" else "上级党组织书记"
        if lay.roles == "short":  # as offices write them: 支部书记, 上级党委书记, 本人
            self.self_role = (
                rng.choice(("党员本人", "本人", "党员"))
                if kind == "member"
                else rng.choice(("党组织书记", "支部书记"))
            )
            self.reviewer_role = "支部书记" if kind == "member" else rng.choice(("上级党委书记", "党委书记"))
        self.columns = ("满意", "比较满意", "一般", "不满意", "参加党员人数", "参加群众人数")
        if syn and rng.random() < 0.3:
            self.columns = ("好", "较好", "一般", "差", "参加党员人数", "参加群众人数")

    def review_label(self, code: str) -> str:
        return self.period_names[code] + self.review if self.review_with_period else self.review

    def year(self, year: int | None) -> str:
        if year is None:
            return "（    年度）"
        return f"（ {_cn_year(year) if self.year_style == 'cn' else year} 年度）"


_EVAL_KEYS = (
    "satisfied",
    "fairly_satisfied",
    "average",
    "dissatisfied",
    "members_attending",
    "public_attending",
)


class _Builder:
    """Lays one record out as blocks, following its Layout."""

    def __init__(self, rec: dict[str, Any], lay: Layout) -> None:
        self.rec, self.lay, self.rng = rec, lay, lay.rng
        self.w = _Words(rec["kind"], lay)
        self.attached: list[tuple[str, str]] = []  # (heading, rest of the text) for the attached page
        self.printed: set[str] = set()  # the labels printed, as printed
        self.attach_path = self._attach_choice() if lay.attached == "attached" else None
        self.numbers = iter(range(1, 100))
        self.number_style = self.rng.choice(("cn", "cn-bracket", "digit-dot", "digit-comma"))
        self.sign_word = (
            self.rng.choice(("签字", "签名", "签字盖章", "签字、盖章")) if lay.words == "synonyms" else "签字"
        )
        self.printed_dates = {id(sign_at(rec, loc)): text for loc, text in rec.get("_printed", ())}

    # ------------------------------------------------------------------------------- pieces

    def label(self, text: str, *, long_ok: bool = True) -> str:
        style = self.lay.labels
        if style == "wrapped" and self.lay.table in ("run-together", "pasted"):
            style = "plain"  # a label broken inside a cell; typed text has no cells
        if style == "spaced" and len(text) <= 10:
            text = spaced(text, self.rng.choice((" ", "  ", "\u3000")))
        elif style == "wrapped" and long_ok and len(text) >= 6 and "（" not in text:
            cut = len(text) // 2
            text = text[:cut] + "\n" + text[cut:]
        self.printed.add(text.split("\n")[0])
        return text

    def name(self, name: str | None) -> str:
        if not name:
            return ""
        if self.lay.name == "spaced" and "·" not in name:
            return " ".join(name)
        return name

    def date(self, iso: str | None, sign: dict[str, Any] | None = None) -> str:
        if sign is not None and id(sign) in self.printed_dates:
            return self.printed_dates[id(sign)]  # a year left blank: ``    年 3 月 28 日``
        return date_text(iso, self.lay.dates)

    def numbered(self, label: str) -> str:
        """A box label with the number a typist put before it: 一、 / （一） / 1. / 1、"""
        if self.lay.numbering != "numbered":
            return label
        n = next(self.numbers)
        cn = _cn_num(n)
        prefix = {"cn": f"{cn}、", "cn-bracket": f"（{cn}）", "digit-dot": f"{n}.", "digit-comma": f"{n}、"}
        out = prefix[self.number_style] + label
        self.printed.add(out.split("\n")[0])
        return out

    def sign_label(self, role: str) -> str:
        return f"{role}（{self.sign_word}）："

    def sign_text(self, role: str, sign: dict[str, Any]) -> str:
        """A signature as one cell's or paragraph's text (inline or on lines of its own)."""
        name, date = self.name(sign["name"]), self.date(sign["date"], sign)
        if self.lay.sign == "lines":
            return (
                f"{self.sign_label(role)}\n{name}\n{date}" if name else f"{self.sign_label(role)}\n\n{date}"
            )
        return f"{self.sign_label(role)}{name}      {date}"

    def sign_cells(self, role: str, sign: dict[str, Any]) -> list[Cell]:
        return [
            Cell(self.sign_label(role).rstrip("：")),
            Cell(self.name(sign["name"])),
            Cell(self.date(sign["date"], sign)),
        ]

    def _attach_choice(self) -> str:
        periods = [p["period"] for p in self.rec["periods"] if p["review"]["text"]]
        choices = ["annual.summary", *(f"{p}.review" for p in periods)]
        return self.rng.choice(choices)

    def box_text(self, path: str, text: str | None, heading: str) -> str:
        """The text as the table holds it; an attached-page book keeps the rest for the 附页."""
        if not text or path != self.attach_path:
            return text or ""
        cut = text.find("，", len(text) // 3)
        if cut < 0:
            return text
        head, rest = text[: cut + 1], text[cut + 1 :]
        marker = self.rng.choice(("（见附页）", "", "（转附页）", "（转下页）", "（未完，接附页）"))
        style = self.rng.choice(("named", "plain"))
        if style == "named":
            title = f"（{heading}续）"
        else:
            title = self.rng.choice(("接上页", "（接上页）", "附页：接上页"))
            if not marker:
                marker = "（见附页）"
        self.attached.append((title, rest))
        return head + marker

    def evaluation_counts(self) -> list[str]:
        ev = self.rec["annual"]["evaluation"]
        return ["" if ev[k] is None else f"{ev[k]}{self.rng.choice(('', '', '人'))}" for k in _EVAL_KEYS]

    def header_pairs(self) -> list[tuple[str, str]]:
        s = self.rec["subject"]
        if self.rec["kind"] == "member":
            birth = header_date_text(s["birth"], self.lay.dates)
            joined = header_date_text(s["joined"], self.lay.dates)
            names = [
                ("姓    名", s["name"]),
                ("性    别", s["gender"]),
                ("民    族", s["ethnicity"]),
                (self.rng.choice(("出生年月", "出生日期")), birth),
                ("入党时间", joined),
                (self.rng.choice(("文化程度", "学历")), s["education"]),
                ("现任职务", s["position"]),
            ]
        else:
            names = [
                ("党组织名称", s["name"]),
                ("党组织书记姓名", self.name(s["secretary"])),
                ("党员人数", _count_text(s["member_count"])),
                ("入党积极分子数", _count_text(s["activist_count"])),
            ]
        if self.rec["kind"] == "member" and self.lay.cover == "none":  # no cover: the header names the branch
            names.append((self.rng.choice(("所在党组织", "所在支部")), s["organization"]))
        if self.lay.extras == "extras":  # fields the government form has not (not in the record)
            extra = (
                [
                    ("联系电话", f"13{self.rng.randint(100000000, 999999999)}"),
                    ("身份证号码", f"2301{self.rng.randint(10**13, 10**14 - 1)}"),
                ]
                if self.rec["kind"] == "member"
                else [("联系电话", f"0451-{self.rng.randint(1000000, 9999999)}"), ("成立时间", "2005年6月")]
            )
            names[-1:-1] = extra[:1]
            names.append(extra[1])
        return [
            (lab if self.lay.labels != "spaced" else spaced(lab.replace(" ", ""), " "), v or "")
            for lab, v in names
        ]

    # -------------------------------------------------------------------------------- cover

    def cover(self) -> list[Block]:
        rec, w = self.rec, self.w
        if self.lay.cover == "none":  # the form straight away: at most a title line over it
            if rec["year"] is None:
                return []
            return [Para(f"{w.title}{w.year(rec['year'])}", "center", bold=True, page_break=True)]
        out: list[Block] = [
            Para(w.title, "center", bold=True, page_break=True),
            Para(w.year(rec["year"]), "center"),
        ]
        s = rec["subject"]
        if rec["kind"] == "member":
            out += [
                Para(f"党员姓名：{s['name']}", "center"),
                Para(f"所在党组织名称：{s['organization']}", "center"),
            ]
        else:
            out.append(Para(f"党组织名称：{s['name']}", "center"))
        out.append(Para("黑龙江省创先争优活动领导小组办公室 制", "center"))
        if self.rng.random() < 0.5:
            out += [
                Para("说   明", "center", page_break=True),
                Para("1、写实内容要真实具体，避免套话空话，流于形式。写实栏不够时，可另附页。"),
            ]
        return out

    # -------------------------------------------------------------------------------- rows

    def rows(self) -> list[tuple[str, list[list[Cell]]]]:
        """(section label, rows of the section's content columns) of the whole table, header first."""
        return [("", self.header_rows()), *self.section_rows()]

    def header_rows(self) -> list[list[Cell]]:
        pairs = self.header_pairs()
        style = self.lay.header
        per_row = 3 if self.rec["kind"] == "member" else 2
        chunks = [pairs[i : i + per_row] for i in range(0, len(pairs), per_row)]
        rows: list[list[Cell]] = []
        for chunk in chunks:
            if style == "inline":
                rows.append([Cell(f"{lab}：{v}", 6 // len(chunk)) for lab, v in chunk])
            elif style == "below":
                rows.append([Cell(lab, 6 // len(chunk)) for lab, _ in chunk])
                rows.append([Cell(v, 6 // len(chunk)) for _, v in chunk])
            else:
                span = 3 // len(chunk) if len(chunk) > 1 else 5
                row: list[Cell] = []
                for lab, v in chunk:
                    row += [Cell(lab), Cell(v, max(span, 1) if len(chunk) > 1 else 5)]
                rows.append(row)
        return rows

    def sign_row(self, role: str, sign: dict[str, Any]) -> list[Cell]:
        if self.lay.sign == "cells":
            return self.sign_cells(role, sign)
        return [Cell(self.sign_text(role, sign))]

    def text_rows(self, label: str, text: str, in_cell: bool) -> list[list[Cell]]:
        printed = self.numbered(self.label(label))
        if self.lay.boxes == "beside":  # label cell left, text cell right
            return [[Cell(printed), Cell(text, 5)]]
        if in_cell and self.rng.random() < 0.7:
            return [[Cell(f"{printed}\n{text}" if text else printed)]]
        return [[Cell(printed)], [Cell(text)]]

    def section_rows(self) -> list[tuple[str, list[list[Cell]]]]:
        rec, w = self.rec, self.w
        c = rec["commitment"]
        commit = self.text_rows(w.commitment, self.box_text("commitment", c["text"], w.commitment), False)
        if self.lay.sign == "cells":
            commit.append(
                self.sign_cells(w.self_role, c["self_sign"])
                + self.sign_cells(w.reviewer_role, c["reviewer_sign"])
            )
        else:
            commit.append(
                [
                    Cell(self.sign_text(w.self_role, c["self_sign"])),
                    Cell(self.sign_text(w.reviewer_role, c["reviewer_sign"])),
                ]
            )
        out = [("承诺写实", self.heading("承诺写实", None) + commit)]
        for p in rec["periods"]:
            code = p["period"]
            name = w.period_names[code]
            review_label = w.review_label(code)
            rows = self.text_rows(w.fulfilment[code], p["fulfilment"]["text"] or "", True)
            rows.append(self.sign_row(w.self_role, p["fulfilment"]["sign"]))
            review = self.box_text(
                f"{code}.review", p["review"]["text"], f"{_canonical_period(code)}领导点评"
            )
            rows += self.text_rows(review_label, review, True)
            rows.append(self.sign_row(w.reviewer_role, p["review"]["sign"]))
            del name
            out.append(("履诺践诺写实", self.heading("履诺践诺写实", code) + rows))
        ann = rec["annual"]
        votes = self.vote_rows()
        if self.lay.votes == "narrow":  # the vote table squeezed into narrow columns: its labels wrap
            votes = [[Cell(Table(votes, [7.0] + [1.0] * 6))]]
        annual = [
            *self.heading("年度写实", None),
            *self.text_rows(w.summary, self.box_text("annual.summary", ann["summary"], "年度总结"), False),
            [Cell(self.numbered(self.label(w.evaluation)))],
            *votes,
        ]
        if "grade" in ann:
            annual.append([Cell(w.grade), Cell(ann["grade"] or "")])
        annual.append(self.sign_row(w.reviewer_role, ann["reviewer_sign"]))
        out.append(("年度写实", annual))
        return out

    def heading(self, section: str, code: str | None) -> list[list[Cell]]:
        """A heading row before a section (``headings=rows``): ``二、履诺践诺写实（第一季度）``."""
        if self.lay.headings != "rows":
            return []
        self.heading_no = getattr(self, "heading_no", 0) + 1
        number = self.rng.choice(("", f"{_cn_num(self.heading_no)}、"))
        text = f"{number}{section}（{self.w.period_names[code]}）" if code else f"{number}{section}"
        return [[Cell(text)]]

    def vote_rows(self) -> list[list[Cell]]:
        counts = self.evaluation_counts()
        if self.lay.votes == "beside":
            return [[Cell(lab), Cell(n)] for lab, n in zip(self.w.columns, counts, strict=True)]
        if self.lay.votes == "pairs":  # 满意 | 30 | 比较满意 | 12 | 一般 | 10
            cells = [c for lab, n in zip(self.w.columns, counts, strict=True) for c in (Cell(lab), Cell(n))]
            return [cells[:6], cells[6:]]
        return [
            [Cell(self.w.eval_first), *(Cell(lab) for lab in self.w.columns)],
            [Cell("票数"), *(Cell(n) for n in counts)],
        ]

    def attached_blocks(self) -> list[Block]:
        out: list[Block] = []
        for i, (title, rest) in enumerate(self.attached):
            out.append(Para("附    页", "center", bold=True, page_break=i == 0))
            out.append(Para(title))
            out.extend(Para(line) for line in rest.split("\n"))
        return out


def _canonical_period(code: str) -> str:
    return {
        "Q1": "第一季度",
        "Q2": "第二季度",
        "Q3": "第三季度",
        "Q4": "第四季度",
        "H1": "上半年",
        "H2": "下半年",
    }[code]


# ------------------------------------------------------------------------------ tables from rows


def _fit(row: list[Cell], width: int) -> list[Cell]:
    """A row's cells stretched or squeezed to ``width`` columns (the last cell takes the slack)."""
    cells = [Cell(c.content, c.colspan, c.rowspan) for c in row]
    total = sum(c.colspan for c in cells)
    while total > width and any(c.colspan > 1 for c in cells):
        widest = max(cells, key=lambda c: c.colspan)
        widest.colspan -= 1
        total -= 1
    if total > width:  # too many cells for the columns: a table of their own, nested in one cell
        return [Cell(Table([cells], [1.0] * len(cells)), width)]
    cells[-1].colspan += width - total
    return cells


def government_table(b: _Builder, width: int = 7, vertical: bool = True) -> Table:
    """The section label in a merged first column (one character per line), content in ``width`` columns."""
    rows: list[list[Cell]] = []
    for label, content in b.rows():
        fitted = [_fit(r, width) for r in content]
        if not label:
            rows += [[Cell(""), *r] if not vertical else _header_row(r) for r in fitted]
            continue
        text = "\n".join(label) if vertical else label
        rows.append([Cell(text, rowspan=len(fitted)), *fitted[0]])
        rows += fitted[1:]
    return Table(rows, [0.6 if vertical else 1.2] + [1.0] * width)


def _header_row(row: list[Cell]) -> list[Cell]:
    """Header rows use all columns: the first cell also takes the label column."""
    first = Cell(row[0].content, row[0].colspan + 1)
    return [first, *row[1:]]


def _fit_rows(content: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rows fitted to ``width`` columns; rows with more cells than that (the 评议 table) together
    in one table nested in a cell."""
    out: list[list[Cell]] = []
    wide: list[list[Cell]] = []
    for row in [*content, []]:
        if row and sum(c.colspan for c in row) > width and len(row) > width:
            wide.append(row)
            continue
        if wide:
            out.append([Cell(Table(wide, [1.0] * max(len(r) for r in wide)), width)])
            wide = []
        if row:
            out.append(_fit(row, width))
    return out


def retyped_table(b: _Builder) -> list[Block]:
    width = 5
    rows: list[list[Cell]] = [[Cell(f"{b.w.title}{b.w.year(b.rec['year'])}", 6)]]
    for label, content in b.rows():
        fitted = _fit_rows(content, width)
        if not label:
            rows += [_fit(r, 6) for r in content]
            continue
        rows.append([Cell(label, rowspan=len(fitted)), *fitted[0]])
        rows += fitted[1:]
    return [Table(rows, [1.3, 1, 1, 1, 1, 1])]


def split_tables(b: _Builder) -> list[Block]:
    out: list[Block] = []
    for i, (label, content) in enumerate(b.rows()):
        fitted = [_fit(r, 7) for r in content]
        if not label:
            out.append(Table([_header_row(r) for r in fitted], [0.6] + [1.0] * 7))
            continue
        rows = [[Cell("\n".join(label), rowspan=len(fitted)), *fitted[0]], *fitted[1:]]
        out.append(Para(b.rng.choice(("", "（续表）", " ")) if i > 1 else ""))
        out.append(Table(rows, [0.6] + [1.0] * 7))
    return out


def nested_table(b: _Builder) -> list[Block]:
    """Signature rows and the 评议 rows as tables nested in one cell of the outer table."""
    rows: list[list[Cell]] = []
    for label, content in b.rows():
        if not label:
            rows += [_header_row(_fit(r, 7)) for r in content]
            continue
        merged: list[list[Cell]] = []
        pending: list[list[Cell]] = []
        for r in content:
            is_sign = any(
                b.sign_label(role).rstrip("：") in str(c.content)
                for c in r
                for role in (b.w.self_role, b.w.reviewer_role)
            )
            is_vote = any(str(c.content) in (b.w.eval_first, "票数", *b.w.columns) for c in r)
            if is_sign or is_vote:
                pending.append(r)
                continue
            if pending:
                merged.append([Cell(_inner(pending), 7)])
                pending = []
            merged.append(_fit(r, 7))
        if pending:
            merged.append([Cell(_inner(pending), 7)])
        rows.append([Cell("\n".join(label), rowspan=len(merged)), *merged[0]])
        rows += merged[1:]
    return [Table(rows, [0.6] + [1.0] * 7)]


def _inner(rows: list[list[Cell]]) -> Table:
    width = max(sum(c.colspan for c in r) for r in rows)
    return Table([_fit(r, width) for r in rows], [1.0] * width)


# --------------------------------------------------------------------------- tables flattened


def _text_rows(content: list[list[Cell]]) -> list[list[str]]:
    """Rows of cell texts, a nested table's rows in place of the cell that holds it."""
    out: list[list[str]] = []
    for row in content:
        texts: list[str] = []
        for c in row:
            if isinstance(c.content, Table):
                if texts:
                    out.append(texts)
                    texts = []
                out += _text_rows(c.content.rows)
            else:
                texts.append(c.content)
        if texts:
            out.append(texts)
    return out


def flattened(b: _Builder, run: bool) -> list[Block]:
    """Every cell's text as paragraphs in reading order, as a .doc whose table did not survive opens.

    ``run``: each row's cells run on in one paragraph with no separator, and a signature runs on
    into the label that follows it (``党员本人（签字）：李国强  2010 年 3 月 21 日领导点评（要写清…``).
    """
    out: list[Block] = []
    carry = ""
    for label, content in b.rows():
        if label:
            if carry:
                out.append(Para(carry))
                carry = ""
            chars = list(label)  # 承 / 诺 / 写 / 实, one character per line
            if run:
                carry = chars.pop()  # ... and the last one runs on into the first label: 实第一季度…
            out += [Para(ch) for ch in chars]
        for texts in _text_rows(content):
            if not run:
                if b.lay.flat == "tabs" and len(texts) > 1 and all("\n" not in t for t in texts):
                    out.append(Para("\t".join(texts)))  # a row typed as one tab-separated line
                    continue
                for t in texts:
                    if not t.strip() and len(texts) > 1 and any(x.strip() for x in texts):
                        out.append(Para(""))  # an empty cell of a filled row stays an empty paragraph
                        continue
                    out += [Para(line) for line in t.split("\n") if line.strip()] or []
                continue
            joined = ""
            for t in (t.replace("\n", "") if len(t) < 12 else t for t in texts):
                if joined and joined[-1] in "0123456789人" and t[:1].isdigit():
                    joined += " "  # counts in cells of their own stay apart: 18 28人 11, not 1828人11
                joined += t
            joined = carry + joined
            carry = ""
            if b.sign_word[:2] in joined and b.rng.random() < 0.6 and "\n" not in joined:
                carry = joined  # runs on into the next label
                continue
            out += [Para(line) for line in joined.split("\n") if line.strip()]
    if carry:
        out.append(Para(carry))
    return out


def pasted(b: _Builder) -> list[Block]:
    """A form pasted into a plain document: ``标签：值`` lines, texts under their labels."""
    out: list[Block] = []
    pairs = b.header_pairs()
    per = 3 if b.rec["kind"] == "member" else 2
    for i in range(0, len(pairs), per):
        sep = "\t" if b.lay.flat == "tabs" else "    "
        out.append(Para(sep.join(f"{lab}：{v}" for lab, v in pairs[i : i + per])))
    for label, content in b.section_rows():
        out.append(Para(f"{label}", bold=True))
        for texts in _text_rows(content):
            if len(texts) == 1 and "\n" in texts[0] and texts[0].split("\n", 1)[0] in b.printed:
                head, rest = texts[0].split("\n", 1)  # a label heading its text: typed as 标签：
                out.append(Para(f"{head}：" if b.rng.random() < 0.5 else head))
                out += [Para(line) for line in rest.split("\n")]
            else:
                out += [Para(line) for t in texts for line in t.split("\n") if line.strip()]
    return out


# --------------------------------------------------------------------------------- a book


def build_document(rec: dict[str, Any], lay: Layout) -> list[Block]:
    """The blocks of one book: cover (and 说明), the form, attached pages."""
    b = _Builder(rec, lay)
    cover = b.cover()
    if lay.table == "government":
        body: list[Block] = [government_table(b)]
    elif lay.table == "retyped":
        body = retyped_table(b)
    elif lay.table == "split":
        body = split_tables(b)
    elif lay.table == "nested":
        body = nested_table(b)
    elif lay.table == "flattened":
        body = flattened(b, run=False)
    elif lay.table == "run-together":
        body = flattened(b, run=True)
    else:
        body = pasted(b)
    if isinstance(body[0], Table | Para):
        first = body[0]
        if isinstance(first, Para):
            first.page_break = True
        else:
            body.insert(0, Para("", page_break=True))
    return [*cover, *body, *b.attached_blocks()]
