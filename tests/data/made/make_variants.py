"""Write the hand-made test books of tests/data/made/ (DOCX written as raw WordprocessingML) and their gold.

Run ``python tests/data/made/make_variants.py [OUTDIR]``. The output is deterministic (fixed zip
times, seeded run splitting), so a test can check the committed files are current. Each book is
written from one data dict; its gold record is written from the same dict by hand-kept ISO
values, never by the parser under test.
"""

from __future__ import annotations

import copy
import json
import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
RPR = (
    '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/></w:rPr>'
)

# ------------------------------------------------------------------------------ WordprocessingML


def t(text: str) -> str:
    """Runs for a piece of text: tabs as w:tab, the rest as w:t."""
    out = []
    for i, part in enumerate(text.split("\t")):
        if i:
            out.append(f"<w:r>{RPR}<w:tab/></w:r>")
        if part:
            out.append(f'<w:r>{RPR}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def split_runs(text: str, rng: random.Random) -> str:
    """Word-style runs: split at arbitrary points, proofing marks and bookmarks between them."""
    if len(text) < 3:
        return t(text)
    cuts = sorted(rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 4))))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    out = []
    for i, piece in enumerate(pieces):
        if i:
            out.append(
                rng.choice(
                    [
                        '<w:proofErr w:type="gramStart"/>',
                        '<w:proofErr w:type="spellEnd"/>',
                        f'<w:bookmarkStart w:id="{i}" w:name="_GoBack"/><w:bookmarkEnd w:id="{i}"/>',
                        "",
                    ]
                )
            )
        out.append(t(piece))
    return "".join(out)


def p(inner: str = "", ppr: str = "") -> str:
    return f"<w:p>{ppr}{inner}</w:p>"


def paras(text: str, rng: random.Random | None = None) -> str:
    """One paragraph per line of ``text``."""
    return "".join(p(split_runs(line, rng) if rng else t(line)) for line in text.split("\n"))


def tc(inner: str, span: int = 1, vmerge: str | None = None) -> str:
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{inner or p()}</w:tc>"


def tr(cells: list[str], before: int = 0, deleted: bool = False) -> str:
    props = ""
    if before:
        props += f'<w:gridBefore w:val="{before}"/>'
    if deleted:
        props += '<w:del w:id="900" w:author="审核人" w:date="2010-03-01T00:00:00Z"/>'
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(rows: list[str], cols: int = 8) -> str:
    grid = "".join('<w:gridCol w:w="1100"/>' for _ in range(cols))
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'


def sdt(inner: str, placeholder: bool = False) -> str:
    pr = '<w:sdtPr><w:alias w:val="填写处"/>' + ("<w:showingPlcHdr/>" if placeholder else "") + "</w:sdtPr>"
    return f"<w:sdt>{pr}<w:sdtContent>{inner}</w:sdtContent></w:sdt>"


def text_box(text: str) -> str:
    """A floating text box as Word saves it: a DrawingML choice and a VML fallback with the same text."""
    body = paras(text)
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def write_docx(path: Path, body: str) -> None:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
        ),
        "word/document.xml": document,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2010, 12, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


# ------------------------------------------------------------------------------------- the data
# Signatures are (name as written, date as written, ISO date for the gold).

MEMBER = {
    "kind": "member",
    "year": 2010,
    "subject": {
        "name": ("李 秀 梅", "李秀梅"),
        "gender": "女",
        "ethnicity": "汉族",
        "birth": ("1978.11", "1978-11"),
        "joined": ("2005年6月", "2005-06"),
        "education": "本科",
        "position": "语文教师",
        "organization": "靖宇镇中心小学党支部",
    },
    "commitment": {
        "text": "1、所带班级语文平均成绩保持全镇前列；\n2、每学期家访不少于20户；\n3、结对帮扶2名学习困难学生。",
        "self_sign": ("李秀梅", "2010年2月26日", "2010-02-26"),
        "reviewer_sign": ("孙 立军", "2010年3月1日", "2010-03-01"),
    },
    "periods": {
        "Q1": {
            "fulfilment": (
                "开学初完成家访8户；为2名学习困难学生制订辅导计划，每周辅导两次。",
                ("李秀梅", "2010年3月30日", "2010-03-30"),
            ),
            "review": (
                "李秀梅同志一季度家访扎实，对困难学生辅导有计划。不足是作文教学方法比较单一。今后要多听课、多交流。",
                ("孙立军", "2010年4月2日", "2010-04-02"),
            ),
        },
        "Q2": {
            "fulfilment": (
                "完成家访7户；期中考试班级语文平均分全镇第二；组织读书交流会1次。",
                ("李秀梅", "2010年6月28日", "2010-06-28"),
            ),
            "review": (
                "二季度该同志组织读书交流会，班级成绩稳定。问题是与家长沟通的方式还需改进，个别家长有意见。下季度要改进家校沟通。",
                ("孙立军", "2010年6月30日", "2010-06-30"),
            ),
        },
        "Q3": {
            "fulfilment": (
                "暑期走访学生家庭5户；新学期建立班级家长微信群，及时通报学生情况。",
                ("李秀梅", "2010年9月27日", "2010-09-27"),
            ),
            "review": (
                "三季度建立家长群，家校沟通明显改善。不足是对留守儿童关注还不够。要建立留守儿童档案，定期谈心。",
                ("孙立军", "2010年9月30日", "2010-09-30"),
            ),
        },
        "Q4": {
            "fulfilment": (
                "建立留守儿童档案6份，每月谈心一次；全年家访25户，两名帮扶学生成绩均有提高。",
                ("李秀梅", "2010年12月24日", "2010-12-24"),
            ),
            "review": (
                "全年承诺全部兑现，家访和帮扶工作扎实。不足是教研论文偏少。明年要把教学经验总结成文。",
                ("孙立军", "2010年12月28日", "2010-12-28"),
            ),
        },
    },
    "annual": {
        "summary": "一年来，我坚持家访，全年家访25户，帮扶学生2名，班级语文成绩保持全镇前列。\n不足是教研能力不强，明年要加强学习。",
        "evaluation": {
            "satisfied": ("19", 19),
            "fairly_satisfied": ("4人", 4),
            "average": ("1", 1),
            "dissatisfied": ("0", 0),
            "members_attending": ("９", 9),
            "public_attending": ("15人", 15),
        },
        "reviewer_sign": ("孙立军", "2011年1月8日", "2011-01-08"),
    },
}

ORG = {
    "kind": "organization",
    "year": 2010,
    "subject": {
        "name": ("靖宇镇中心小学党支部", "靖宇镇中心小学党支部"),
        "secretary": ("孙 立 军", "孙立军"),
        "member_count": ("17人", 17),
        "activist_count": ("３名", 3),
    },
    "commitment": {
        "text": "（一）全镇小学毕业班合格率达到98%；\n（二）党员教师每人结对帮扶1名困难学生；\n（三）开展“师德标兵”评选。",
        "self_sign": ("孙立军", "2010年1月25日", "2010-01-25"),
        "reviewer_sign": ("邱德明", "二〇一〇年一月二十八日", "2010-01-28"),
    },
    "periods": {
        "H1": {
            "fulfilment": (
                "上半年17名党员教师全部结对帮扶困难学生；组织公开课12节；毕业班模拟考试合格率97%。",
                ("孙立军", "2010年6月25日", "2010-06-25"),
            ),
            "review": (
                "中心小学党支部上半年结对帮扶全覆盖，公开课活动开展得好。存在的问题是师德标兵评选还没有启动，"
                "部分党员教师参与支部活动不积极。下半年要抓紧开展评选，严格组织生活。",
                ("邱德明", "2010年7月2日", "2010-07-02"),
            ),
        },
        "H2": {
            "fulfilment": (
                "下半年评出师德标兵3名；毕业班合格率98.5%；召开组织生活会2次。",
                ("孙立军", "2010年12月20日", "2010-12-20"),
            ),
            "review": (
                "下半年承诺全部兑现，师德标兵评选在全镇有影响。不足是对年轻教师的培养还不够系统。明年要建立青年教师培养计划。",
                ("邱德明", "2011年1月5日", "2011-01-05"),
            ),
        },
    },
    "annual": {
        "summary": "2010年，支部17名党员教师全部结对帮扶，毕业班合格率98.5%，评出师德标兵3名。不足是青年教师培养不够系统。",
        "evaluation": {
            "satisfied": ("22", 22),
            "fairly_satisfied": ("5", 5),
            "average": ("2", 2),
            "dissatisfied": ("0", 0),
            "members_attending": ("17", 17),
            "public_attending": ("25", 25),
        },
        "reviewer_sign": ("邱德明", "2011年1月", "2011-01"),
    },
}

ROLES = {"member": ("党员本人", "党支部书记"), "organization": ("基层党组织书记", "上级党组织书记")}
PERIOD_LABELS = {
    "Q1": "第一季度承诺兑现情况",
    "Q2": "第二季度承诺兑现情况",
    "Q3": "第三季度承诺兑现情况",
    "Q4": "第四季度承诺兑现情况",
    "H1": "上半年承诺兑现情况",
    "H2": "下半年承诺兑现情况",
}
REVIEW = "领导点评（要写清成绩、不足和努力方向）"
SUMMARY = "年 度 开 展 创 先 争 优 活 动 情 况 简 要 总 结"
EVAL_COLUMNS = (
    ("满意", "satisfied"),
    ("比较满意", "fairly_satisfied"),
    ("一般", "average"),
    ("不满意", "dissatisfied"),
    ("参加党员人数", "members_attending"),
    ("参加群众人数", "public_attending"),
)


def _sign_gold(sign: tuple[str, str, str | None]) -> dict:
    return {"name": sign[0].replace(" ", "") or None, "date": sign[2]}


def gold(book: dict, meta: dict, **changes: object) -> dict:
    """The gold record of ``book``; ``changes`` maps field paths to the values that differ."""
    subject = {k: (v[1] if isinstance(v, tuple) else v) for k, v in book["subject"].items()}
    rec = {
        "schema": "cxzy.record/1",
        "kind": book["kind"],
        "year": book["year"],
        "subject": subject,
        "commitment": {
            "text": book["commitment"]["text"],
            "self_sign": _sign_gold(book["commitment"]["self_sign"]),
            "reviewer_sign": _sign_gold(book["commitment"]["reviewer_sign"]),
        },
        "periods": [
            {
                "period": code,
                "fulfilment": {"text": per["fulfilment"][0], "sign": _sign_gold(per["fulfilment"][1])},
                "review": {"text": per["review"][0], "sign": _sign_gold(per["review"][1])},
            }
            for code, per in book["periods"].items()
        ],
        "annual": {
            "summary": book["annual"]["summary"],
            "evaluation": {k: v[1] for k, v in book["annual"]["evaluation"].items()},
            "reviewer_sign": _sign_gold(book["annual"]["reviewer_sign"]),
        },
    }
    for path, value in changes.items():
        node: object = rec
        keys = path.split("__")
        for key in keys[:-1]:
            node = (
                next(x for x in node if x["period"] == key)
                if isinstance(node, list)  # type: ignore[union-attr]
                else node[key]
            )  # type: ignore[index]
        node[keys[-1]] = value  # type: ignore[index]
    rec["_meta"] = meta
    return rec


# --------------------------------------------------------------------------- the government layout


def vertical(label: str) -> str:
    return "".join(p(t(ch)) + p() for ch in label)[: -len(p())]


def sign_text(role: str, sign: tuple[str, str, str | None], pad: str = " " * 24) -> str:
    return f"{role}（签字）：{sign[0]}\n\n{pad}{sign[1]}"


def gov_body(
    book: dict,
    render,
    cover=None,
    after: str = "",
    split_at: int | None = None,
    extra_rows: dict | None = None,
) -> str:
    """Cover, 说明 and the one-table government layout. ``render(key, text)`` returns paragraph XML."""
    kind = book["kind"]
    self_role, reviewer = ROLES[kind]
    subj = book["subject"]
    v = {k: (x[0] if isinstance(x, tuple) else x) for k, x in subj.items()}
    if cover is None:
        title = "党员创先争优活动写实簿" if kind == "member" else "党组织创先争优写实簿"
        cover = p(t(title)) + p(t(f"（ {book['year']} 年度）"))
        if kind == "member":
            cover += p(t(f"         党  员  姓  名：{v['name']}")) + p(
                t(f"         所在党组织名称：{v['organization']}")
            )
        else:
            cover += p(t(f"         党组织名称：{v['name']}"))
        cover += p(t("黑龙江省创先争优活动领导小组办公室 制")) + p(t("说   明"))
        cover += p(t("3. 写实内容要真实具体，避免套话空话，流于形式。写实栏不够时，可另附页。"))
    rows: list[str] = []
    if kind == "member":
        rows.append(
            tr(
                [
                    tc(paras("姓    名"), 2),
                    tc(render("subject.name", v["name"])),
                    tc(paras("性    别")),
                    tc(render("subject.gender", v["gender"])),
                    tc(paras("民    族")),
                    tc(render("subject.ethnicity", v["ethnicity"]), 2),
                ]
            )
        )
        rows.append(
            tr(
                [
                    tc(paras("出生年月"), 2),
                    tc(render("subject.birth", v["birth"])),
                    tc(paras("入党时间")),
                    tc(render("subject.joined", v["joined"])),
                    tc(paras("文化程度")),
                    tc(render("subject.education", v["education"]), 2),
                ]
            )
        )
        rows.append(tr([tc(paras("现任职务"), 2), tc(render("subject.position", v["position"]), 6)]))
    else:
        rows.append(
            tr(
                [
                    tc(paras("党组织名称"), 2),
                    tc(render("subject.name", v["name"]), 2),
                    tc(paras("党组织书记姓名"), 2),
                    tc(render("subject.secretary", v["secretary"]), 2),
                ]
            )
        )
        rows.append(
            tr(
                [
                    tc(paras("党员人数"), 2),
                    tc(render("subject.member_count", v["member_count"]), 2),
                    tc(paras("入党积极分子数"), 2),
                    tc(render("subject.activist_count", v["activist_count"]), 2),
                ]
            )
        )

    def section(label: str, blocks: list[list[str]]) -> None:
        for i, cells in enumerate(blocks):
            first = tc(vertical(label), 1, "restart") if i == 0 else tc("", 1, "continue")
            rows.append(tr([first, *cells]))

    c = book["commitment"]
    section(
        "承诺写实",
        [
            [tc(paras("公 开 承 诺 事 项"), 7)],
            [tc(render("commitment.text", c["text"]), 7)],
            [
                tc(render("commitment.self_sign", sign_text(self_role, c["self_sign"], "")), 4),
                tc(render("commitment.reviewer_sign", sign_text(reviewer, c["reviewer_sign"], "")), 3),
            ],
        ],
    )
    for code, per in book["periods"].items():
        f_text, f_sign = per["fulfilment"]
        r_text, r_sign = per["review"]
        section(
            "履诺践诺写实",
            [
                [tc(render(f"periods.{code}.fulfilment.text", f"{PERIOD_LABELS[code]}\n{f_text}"), 7)],
                [tc(render(f"periods.{code}.fulfilment.sign", sign_text(self_role, f_sign)), 7)],
                [tc(render(f"periods.{code}.review.text", f"{REVIEW}\n{r_text}"), 7)],
                [tc(render(f"periods.{code}.review.sign", sign_text(reviewer, r_sign)), 7)],
            ],
        )
        if extra_rows and code in extra_rows:
            rows.append(extra_rows[code])
    a = book["annual"]
    ev = a["evaluation"]
    section(
        "年度写实",
        [
            [tc(paras(SUMMARY), 7)],
            [tc(render("annual.summary", a["summary"]), 7)],
            [tc(paras("党 员 群 众 评 议 情 况"), 7)],
            [tc(paras("评价等次")), *(tc(paras(label)) for label, _ in EVAL_COLUMNS)],
            [tc(""), *(tc(render(f"annual.evaluation.{key}", ev[key][0])) for _, key in EVAL_COLUMNS)],
            [tc(render("annual.reviewer_sign", sign_text(reviewer, a["reviewer_sign"])), 7)],
        ],
    )
    if split_at is None:
        return cover + tbl(rows) + after
    return cover + tbl(rows[:split_at]) + p(t("（续表）")) + tbl(rows[split_at:]) + after


def plain(rng: random.Random | None = None):
    def render(key: str, text: str) -> str:
        return paras(text, rng)

    return render


# ------------------------------------------------------------------------------------ the books


def made_sdt_tracked(out: Path) -> None:
    """Word-style runs, content controls, tracked changes, fields, text boxes, hidden text, a deleted row."""
    rng = random.Random(7)
    base = plain(rng)

    def render(key: str, text: str) -> str:
        if key == "commitment.text":
            return sdt(paras(text, rng))  # block content control
        if key == "periods.Q1.fulfilment.text":
            head, body = text.split("\n", 1)
            return p(t(head)) + p(
                '<w:del w:id="1" w:author="a" w:date="2010-04-01T00:00:00Z"><w:r><w:delText>开学初完成家访3户；'
                "</w:delText></w:r></w:del>"
                f'<w:ins w:id="2" w:author="a" w:date="2010-04-01T00:00:00Z">{t(body[:10])}</w:ins>{t(body[10:])}'
            )
        if key == "periods.Q2.review.sign":
            return (
                p(
                    t("党支部书记（签字）：")
                    + '<w:smartTag w:uri="urn:x" w:element="PersonName">'
                    + t("孙立军")
                    + "</w:smartTag>"
                )
                + p()
                + p(
                    t(" " * 24) + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    + t("2010年6月30日")
                    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                )
            )
        if key == "periods.Q3.fulfilment.sign":
            return p(t("党员本人（签字）：") + sdt(t("李秀梅"))) + p() + p(t("\t2010年9月27日"))
        if key == "periods.Q4.review.text":
            return p(t(text.split("\n")[0])) + sdt(p(t("单击或点击此处输入文字。")), placeholder=True)
        if key == "periods.Q3.review.text":
            head, body = text.split("\n", 1)
            return p(t(head)) + p(
                t(body[:6]) + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏的批注）</w:t></w:r>"
                '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>' + t(body[6:])
            )
        if key == "annual.summary":
            first, second = text.split("\n")
            return p(
                t(first[:5])
                + f'<w:hyperlink r:id="rId9">{t(first[5:12])}</w:hyperlink>'
                + f'<w:fldSimple w:instr=" QUOTE ">{t(first[12:])}</w:fldSimple>'
            ) + p(split_runs(second, rng))
        return base(key, text)

    cover = (
        p(t("党员创先争优活动写实簿"))
        + p(t("（ 2010 年度）"))
        + p(text_box("党  员  姓  名：李 秀 梅\n所在党组织名称：靖宇镇中心小学党支部"))
        + p(t("黑龙江省创先争优活动领导小组办公室 制"))
    )
    deleted = tr([tc(paras("作废行：这一行已被删除")), tc(paras("不应读出"), 7)], deleted=True)
    body = gov_body(MEMBER, render, cover=cover, extra_rows={"Q1": deleted})
    write_docx(out / "made-m-sdt-tracked.docx", body)
    meta = {
        "file": "made-m-sdt-tracked.docx",
        "format": "docx",
        "producer": "make_variants.py",
        "variations": [
            "Word-style split runs",
            "content controls (one showing its placeholder)",
            "tracked insertion and deletion",
            "deleted table row",
            "complex field date",
            "simple field",
            "hyperlink",
            "smart tag",
            "hidden text",
            "symbol",
            "cover fields in a text box (AlternateContent)",
        ],
    }
    write_gold(out, meta, gold(MEMBER, meta, periods__Q4__review__text=None))


def made_retyped(out: Path) -> None:
    """A re-typed member form: labels in their own cells with values to the right, no cover."""
    b = MEMBER
    s = {k: (x[0] if isinstance(x, tuple) else x) for k, x in b["subject"].items()}

    def sign_row(role: str, sign: tuple[str, str, str | None]) -> str:
        return tr(
            [
                tc(paras(f"{role}(签字)"), 2),
                tc(paras(sign[0]), 2),
                tc(paras("日期")),
                tc(paras(sign[1].replace("年", "-").replace("月", "-").replace("日", "")), 3),
            ]
        )

    def box_row(label: str, text: str) -> str:
        return tr([tc(paras(label), 2), tc(paras(text), 6)])

    rows = [
        tr([tc(paras("2010年度党员创先争优活动写实簿"), 8)]),
        tr(
            [
                tc(paras("姓名")),
                tc(paras(s["name"])),
                tc(paras("性别")),
                tc(paras(s["gender"])),
                tc(paras("民族")),
                tc(paras(s["ethnicity"])),
                tc(paras("学历")),
                tc(paras(s["education"])),
            ]
        ),
        tr(
            [
                tc(paras("出生日期")),
                tc(paras(s["birth"])),
                tc(paras("入党日期")),
                tc(paras(s["joined"])),
                tc(paras("职务")),
                tc(paras(s["position"]), 3),
            ]
        ),
        tr([tc(paras("所在支部")), tc(paras(s["organization"]), 7)]),
        box_row("公开承诺事项", b["commitment"]["text"]),
        sign_row("党员本人", b["commitment"]["self_sign"]),
        sign_row("党支部书记", b["commitment"]["reviewer_sign"]),
    ]
    for code, per in b["periods"].items():
        rows.append(box_row(PERIOD_LABELS[code], per["fulfilment"][0]))
        rows.append(sign_row("党员本人", per["fulfilment"][1]))
        rows.append(box_row("领导点评", per["review"][0]))
        rows.append(sign_row("党支部书记", per["review"][1]))
    rows.append(box_row("年度总结", b["annual"]["summary"]))
    rows.append(tr([tc(paras("群众评议情况"), 8)]))
    for label, key in EVAL_COLUMNS:
        rows.append(tr([tc(paras(label), 2), tc(paras(b["annual"]["evaluation"][key][0]), 6)]))
    rows.append(tr([tc(paras("评议结果"), 2), tc(paras("优 秀"), 6)]))
    rows.append(sign_row("党支部书记", b["annual"]["reviewer_sign"]))
    write_docx(out / "made-m-retyped.docx", tbl(rows))
    meta = {
        "file": "made-m-retyped.docx",
        "format": "docx",
        "producer": "make_variants.py",
        "variations": [
            "re-typed layout: labels in their own cells, values to the right",
            "year in a title row",
            "label variants (学历, 出生日期, 所在支部, 年度总结)",
            "signature label, name, 日期 and date each in its own cell",
            "ISO dates",
            "evaluation laid out vertically",
            "评议结果 row",
        ],
    }
    write_gold(out, meta, gold(b, meta, annual__grade="优秀"))


def made_attached(out: Path) -> None:
    """Text that runs over onto an attached page (附页) after the table."""
    b = copy.deepcopy(MEMBER)
    b["periods"]["Q2"]["review"] = (
        "二季度该同志组织读书交流会，班级成绩稳定。问题是与家长沟通的方式（见附页）",
        MEMBER["periods"]["Q2"]["review"][1],
    )
    b["annual"]["summary"] = "一年来，我坚持家访，全年家访25户，帮扶学生2名，"
    after = (
        p(t("注：本簿由上级党组织保管。"))
        + p(t("附页："))
        + p(t("（接上页）领导点评：还需改进，个别家长有意见。"))
        + p(t("下季度要改进家校沟通。"))
        + p(t("年度开展创先争优活动情况简要总结（续）：班级语文成绩保持全镇前列。"))
    )
    write_docx(out / "made-m-attached.docx", gov_body(b, plain(), after=after))
    meta = {
        "file": "made-m-attached.docx",
        "format": "docx",
        "producer": "make_variants.py",
        "variations": [
            "attached page after the table: （接上页）领导点评 continues the review marked 见附页",
            "a labelled continuation of the annual summary",
            "an unmarked line after the table (reported, not merged)",
        ],
    }
    write_gold(
        out,
        meta,
        gold(
            MEMBER,
            meta,
            periods__Q2__review__text="二季度该同志组织读书交流会，班级成绩稳定。问题是与家长沟通的方式"
            "\n还需改进，个别家长有意见。\n下季度要改进家校沟通。",
            annual__summary="一年来，我坚持家访，全年家访25户，帮扶学生2名，\n班级语文成绩保持全镇前列。",
        ),
    )


def made_split(out: Path) -> None:
    """An organization book whose table is split in two; one review runs over the split."""
    b = ORG
    first_half = "中心小学党支部上半年结对帮扶全覆盖，公开课活动开展得好。"
    second_half = b["periods"]["H1"]["review"][0][len(first_half) :]
    rng = random.Random(3)

    def render(key: str, text: str) -> str:
        if key == "periods.H1.review.text":
            return paras(f"{REVIEW}\n{first_half}")  # not split: the cut below looks for it
        return paras(text, rng)

    cover = (
        p(t("党组织创先争优写实簿"))
        + p(t("（二〇一〇年度）"))
        + p(t(f"党组织名称：{b['subject']['name'][0]}"))
    )
    continued = tr([tc(paras(second_half), 7)], before=1)
    body = gov_body(b, render, cover=cover, extra_rows={"H1": ""})
    # split after the H1 review text row and put its second half at the top of the second table
    head, rest = body.split("<w:tbl>", 1)
    rows = rest.split("<w:tr>")
    table_head, rows = rows[0], ["<w:tr>" + r for r in rows[1:]]
    cut = next(i for i, r in enumerate(rows) if "中心小学党支部上半年结对帮扶全覆盖" in r) + 1
    last = rows[-1]
    tail = last[last.index("</w:tbl>") :]
    rows[-1] = last[: last.index("</w:tbl>")]
    body = (
        head
        + "<w:tbl>"
        + table_head
        + "".join(rows[:cut])
        + "</w:tbl>"
        + p(t("（续表）"))
        + "<w:tbl>"
        + table_head
        + continued
        + "".join(rows[cut:])
        + tail
    )
    write_docx(out / "made-o-split.docx", body)
    meta = {
        "file": "made-o-split.docx",
        "format": "docx",
        "producer": "make_variants.py",
        "variations": [
            "table split in two with a paragraph between",
            "a review text running over the split",
            "w:gridBefore instead of the section column",
            "year in Chinese numerals",
            "counts with 人/名 and full-width digits",
            "Word-style split runs",
        ],
    }
    write_gold(out, meta, gold(b, meta))


def made_odd(out: Path) -> None:
    """Odd values: an impossible date, an unreadable count, the 好/较好/一般/差 scale in a nested table,
    two signatures with their dates on one line."""
    b = copy.deepcopy(ORG)
    b["periods"]["H2"]["fulfilment"] = (
        ORG["periods"]["H2"]["fulfilment"][0],
        ("孙立军", "2010年13月20日", None),
    )
    b["subject"]["activist_count"] = ("约3名", None)
    b["annual"]["reviewer_sign"] = ("邱 德 明", "2011年1月", "2011-01")
    c = ORG["commitment"]

    def render(key: str, text: str) -> str:
        if key == "commitment.self_sign":
            return paras(
                f"基层党组织书记（签字）：{c['self_sign'][0]}      上级党组织书记（签字）：{c['reviewer_sign'][0]}"
                f"\n{c['self_sign'][1]}        {c['reviewer_sign'][1]}"
            )
        if key == "commitment.reviewer_sign":
            return p()
        return paras(text)

    body = gov_body(b, render)
    # the evaluation rows become one row holding a nested table with the 好/较好/一般/差 scale
    ev = ORG["annual"]["evaluation"]
    scale = (
        ("好", "satisfied"),
        ("较好", "fairly_satisfied"),
        ("一般", "average"),
        ("差", "dissatisfied"),
        ("党员人数", "members_attending"),
        ("群众人数", "public_attending"),
    )
    nested = tbl(
        [
            tr([tc(paras("评价等次")), *(tc(paras(lab)) for lab, _ in scale)]),
            tr([tc(paras("票数")), *(tc(paras(ev[key][0] + "票")) for _, key in scale)]),
        ],
        cols=7,
    )
    start = body.rindex("<w:tr>", 0, body.index("评价等次"))
    end = body.index("</w:tr>", body.index("参加群众人数")) + len("</w:tr>")
    end = body.index("</w:tr>", end) + len("</w:tr>")
    body = (
        body[:start] + tr([tc("", 1, "continue"), tc(p(t("评议情况如下：")) + nested + p(), 7)]) + body[end:]
    )
    write_docx(out / "made-o-odd.docx", body)
    meta = {
        "file": "made-o-odd.docx",
        "format": "docx",
        "producer": "make_variants.py",
        "variations": [
            "impossible date 2010年13月20日 (null, reported)",
            "unreadable count 约3名 (null, reported)",
            "好/较好/一般/差 scale and 票 counts in a nested table",
            "two signatures in one cell, dates on one line",
            "spaced-out names",
            "annual date with year and month only",
        ],
    }
    write_gold(out, meta, gold(b, meta))


def made_not_a_book(out: Path) -> None:
    """A Word file that is not a record book: a sign-in sheet, and prose that mentions the campaign."""
    rows = [
        tr(
            [tc(paras(x)) for x in ("序号", "姓名", "单位", "签字", "日期")],
        ),
        *(
            tr(
                [
                    tc(paras(str(i))),
                    tc(paras(n)),
                    tc(paras("中心小学")),
                    tc(paras(n)),
                    tc(paras("2010年3月5日")),
                ]
            )
            for i, n in enumerate(("李秀梅", "孙立军", "王海"), 1)
        ),
    ]
    body = (
        p(t("支部党员大会签到表"))
        + p(t("公开承诺：各党支部要组织党员公开承诺。"))
        + p(t("领导点评：每季度一次。"))
        + tbl(rows, cols=5)
    )
    write_docx(out / "made-not-a-book.docx", body)


def write_gold(out: Path, meta: dict, record: dict) -> None:
    (out / f"{meta['file']}.gold.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


BOOKS = (made_sdt_tracked, made_retyped, made_attached, made_split, made_odd, made_not_a_book)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for make in BOOKS:
        make(out)


if __name__ == "__main__":
    main(sys.argv[1:])
