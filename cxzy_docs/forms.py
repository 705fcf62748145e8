"""The two record books (写实簿) of 002's 附件1 and 附件2, defined once, as data.

Every renderer (DOCX, XLSX, PDF), the extractor, the validator and the TUI read these two
definitions; a new label variant or a new box is an edit here and nowhere else.

Layout model: one table on an 8-column grid. Column 0 holds the vertical section labels; the
header rows use all 8 columns; every section block spans columns 1-7.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from cxzy_docs.textnorm import label_key

ValueKind = Literal["text", "name", "date", "count", "grade"]
Kind = Literal["member", "organization"]

GRID_COLUMNS = 8


@dataclass(frozen=True)
class Field:
    """A labelled value: a header cell pair, a cover line, an evaluation column."""

    label: str  # as printed on the government form (may be spaced out for width)
    path: str  # record field path, e.g. "subject.birth"
    value: ValueKind = "text"
    variants: tuple[str, ...] = ()  # other spellings found on real forms
    label_span: int = 1  # grid columns the label takes (header rows)
    value_span: int = 1  # grid columns the value takes (header rows)
    shape: str = ""  # a regex of what the value looks like (a text field: "" is free text), used to
    # tell values apart where a row of them runs together with nothing between (性别 民族: 女朝鲜族)
    person: bool = False  # the value is a person's name (not an organization's): read as names are

    @property
    def keys(self) -> tuple[str, ...]:
        """Comparable forms (see :func:`label_key`) of the label and all its variants."""
        return tuple(dict.fromkeys(label_key(x) for x in (self.label, *self.variants)))


@dataclass(frozen=True)
class TextBox:
    """A large text box: 公开承诺事项, 承诺兑现情况, 领导点评, 年度总结."""

    label: str
    path: str
    variants: tuple[str, ...] = ()
    label_in_cell: bool = False  # True: label on the first line of the text's own cell
    min_lines: int = 6  # blank lines of room for writing by hand
    period_variants: tuple[str, ...] = ()  # the label prefixed with its period (第1季度上级点评)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in (self.label, *self.variants, *self.period_variants)))

    @property
    def period_keys(self) -> frozenset[str]:
        return frozenset(label_key(x) for x in self.period_variants)


@dataclass(frozen=True)
class Signature:
    """A ``…（签字）：`` line with its ``年  月  日`` blanks; ``path`` points at a sign object."""

    role: str  # 党员本人 / 党支部书记 / 基层党组织书记 / 上级党组织书记
    path: str  # e.g. "commitment.self_sign" (holds {"name", "date"})
    variants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.role}（签字）："

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x + "签字") for x in (self.role, *self.variants)))


@dataclass(frozen=True)
class SignRow:
    """One table row holding one or two signatures side by side."""

    signs: tuple[Signature, ...]


@dataclass(frozen=True)
class Evaluation:
    """党员群众评议情况: a label row, the 评价等次 header row and a row of counts."""

    label: str
    first: str  # 评价等次
    columns: tuple[Field, ...]
    variants: tuple[str, ...] = ()  # other wordings of ``label`` (群众评议, 评议情况)
    first_variants: tuple[str, ...] = ()
    count_row: tuple[str, ...] = ()  # the first cell of the row of counts (票数, 人数)
    attending: tuple[str, ...] = ()  # paths of the columns that count people present, not votes

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in (self.label, *self.variants)))

    @property
    def first_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in (self.first, *self.first_variants)))

    @property
    def count_row_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in self.count_row))


@dataclass(frozen=True)
class GradeRow:
    """评议结果: only some forms carry it; rendered only when the record has a grade."""

    label: str = "评议结果"
    path: str = "annual.grade"
    variants: tuple[str, ...] = ("评议等次", "评定等次", "星级评定")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in (self.label, *self.variants)))


Block = TextBox | SignRow | Evaluation | GradeRow


@dataclass(frozen=True)
class Section:
    """A block of rows with a vertical label in column 0 (承诺写实, 履诺践诺写实, 年度写实)."""

    label: str
    blocks: tuple[Block, ...]
    period: str | None = None  # Q1..Q4, H1, H2 for 履诺践诺写实


@dataclass(frozen=True)
class FormSpec:
    """One record book: cover, 说明, header rows and sections."""

    kind: Kind
    title: str
    cover_fields: tuple[Field, ...]
    header: tuple[tuple[Field, ...], ...]
    sections: tuple[Section, ...]
    self_role: str
    reviewer_role: str
    period_codes: tuple[str, ...]
    issuer: str = "黑龙江省创先争优活动领导小组办公室 制"
    unprinted: tuple[Field, ...] = ()  # record fields the form has no box for (kept where known)
    notes_title: str = "说   明"
    notes: tuple[str, ...] = (
        "党组织公开承诺事项确定后，填写写实簿，并交上级党组织填写、保管。",
        "上级党组织每半年对下级党组织践诺情况、点评情况进行一次写实；每年对评议情况进行一次写实。",
        "写实内容要真实具体，避免套话空话，流于形式。写实栏不够时，可另附页。",
    )

    def period_section(self, code: str) -> Section:
        for sec in self.sections:
            if sec.period == code:
                return sec
        raise KeyError(code)

    def header_fields(self) -> Iterator[Field]:
        for row in self.header:
            yield from row

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        for sec in self.sections:
            for block in sec.blocks:
                yield sec, block


# -------------------------------------------------------------------------------- shared pieces

# Label wording as other provinces and years print it. Everything the extractor recognises is
# here (or in a box's own variants below); the extractor holds no wording of its own.

REVIEW_LABEL = "领导点评（要写清成绩、不足和努力方向）"
REVIEW_VARIANTS = (
    "领导点评",
    "领导点评(要写清成绩、不足和努力方向)",
    "点评",
    "点评意见",
    "上级点评",
    "领导点评意见",
    "上级党组织点评",
)
COMMITMENT_LABEL = "公  开  承  诺  事  项"
COMMITMENT_VARIANTS = ("公开承诺", "承诺事项", "公开承诺内容", "承诺内容")
SUMMARY_LABEL = "年 度 开 展 创 先 争 优 活 动 情 况 简 要 总 结"
SUMMARY_VARIANTS = (
    "年度开展创先争优活动情况总结",
    "年度总结",
    "年度开展创先争优活动情况",
    "年度工作总结",
    "年度创先争优活动情况总结",
    "全年开展创先争优活动情况",
    "全年开展创先争优活动情况总结",
    "全年创先争优活动情况总结",
    "创先争优活动情况总结",
    "年度创先争优活动总结",
)
EVALUATION_LABEL = "党 员 群 众 评 议 情 况"
EVALUATION_VARIANTS = (
    "评议情况",
    "群众评议情况",
    "党员群众评议",
    "群众评议",
    "民主评议情况",
    "民主评议",
    "党员群众评议结果",
    "群众评议情况",
)

PERIOD_NAMES = {
    "Q1": "第一季度",
    "Q2": "第二季度",
    "Q3": "第三季度",
    "Q4": "第四季度",
    "H1": "上半年",
    "H2": "下半年",
}
PERIOD_LABELS: dict[str, tuple[str, ...]] = {
    "Q1": ("第一季度", "一季度", "第1季度", "1季度", "1-3月", "1至3月", "1～3月", "一至三月"),
    "Q2": ("第二季度", "二季度", "第2季度", "2季度", "4-6月", "4至6月", "4～6月", "四至六月"),
    "Q3": ("第三季度", "三季度", "第3季度", "3季度", "7-9月", "7至9月", "7～9月", "七至九月"),
    "Q4": ("第四季度", "四季度", "第4季度", "4季度", "10-12月", "10至12月", "10～12月", "十至十二月"),
    "H1": ("上半年", "1-6月", "1至6月", "1～6月", "一至六月"),
    "H2": ("下半年", "7-12月", "7至12月", "7～12月", "七至十二月"),
}
"""The names a period goes by: 第一季度, 一季度, 第1季度, 1-3月; 上半年, 1-6月."""
FULFILMENT_WORDS = ("承诺兑现情况", "兑现情况", "践诺情况", "履诺情况", "承诺践诺情况", "履诺践诺情况")
"""What follows a period's name in its fulfilment label (第一季度 + 承诺兑现情况 / 践诺情况 / 履诺情况)."""

SIGN_WORDS = ("签字盖章", "签名盖章", "签字", "签名", "签章")
OTHER_HEADER_LABELS = (
    "联系电话",
    "电话号码",
    "手机号码",
    "身份证号码",
    "身份证号",
    "籍贯",
    "职称",
    "工作单位",
    "家庭住址",
    "成立时间",
    "党员编号",
    "单位",
    "备注",
)
"""Header boxes some offices add that the record has no field for: read past, never a value of another field."""
_PHONE = r"(?:\+?86-?)?(?:1\d{10}|0\d{2,3}-?\d{7,8})"
OTHER_HEADER_SHAPES = {
    "联系电话": _PHONE,
    "电话号码": _PHONE,
    "手机号码": _PHONE,
    "身份证号码": r"\d{17}[\dXx]|\d{15}",
    "身份证号": r"\d{17}[\dXx]|\d{15}",
}
"""What the values of those boxes look like (their ``Field.shape``), where values run together."""
OTHER_HEADER_VALUES: dict[str, ValueKind] = {"成立时间": "date"}
"""Those boxes whose value is a date (the others are text)."""
GENDER_SHAPE = "[男女]"
ETHNICITY_SHAPE = r"[\u4e00-\u9fff]{1,4}族|[汉回满藏苗壮]"
ORGANIZATION_SHAPE = r"\S{2,40}?(?:党委|党总支|党支部|党工委|党组|委员会|总支|支部)"
"""A party organization's name ends with what it is (靖宇镇农业综合服务中心党支部); where its name and its
secretary's run together (新华社区第一党支部谢宝海), that tells them apart."""
EDUCATION_SHAPE = "博士研究生|硕士研究生|研究生|博士|硕士|大学本科|本科|大学专科|大学|大专|中专|中技|技校|职高|高中|初中|小学|文盲"
DATE_LABELS = ("日期", "签字日期", "时间", "签字时间", "签名日期")
"""A label in a cell of its own between a signature's name and its date."""
TABLE_CONTINUED = ("续表", "接上表", "续上表", "接上页", "续上页")
"""What a table going on over a page may print above it; form furniture, never a value."""
CONTINUATION_WORDS = ("接上页", "续上页", "接前页", "续前页", "附页", "续页")
"""Headings of an attached page (附页) or of a text going on over a page: never part of the text."""


def _evaluation() -> Evaluation:
    return Evaluation(
        label=EVALUATION_LABEL,
        first="评价等次",
        variants=EVALUATION_VARIANTS,
        count_row=("票数", "得票数", "人数", "票数人", "得票"),
        attending=("annual.evaluation.members_attending", "annual.evaluation.public_attending"),
        columns=(
            Field("满意", "annual.evaluation.satisfied", "count", ("好",)),
            Field("比较满意", "annual.evaluation.fairly_satisfied", "count", ("较好",)),
            Field("一般", "annual.evaluation.average", "count"),
            Field("不满意", "annual.evaluation.dissatisfied", "count", ("差",)),
            Field("参加党员人数", "annual.evaluation.members_attending", "count", ("党员人数", "参加党员数")),
            Field("参加群众人数", "annual.evaluation.public_attending", "count", ("群众人数", "参加群众数")),
        ),
    )


def _commitment(
    self_role: str, reviewer_role: str, self_variants: tuple[str, ...], reviewer_variants: tuple[str, ...]
) -> Section:
    return Section(
        label="承诺写实",
        blocks=(
            TextBox(COMMITMENT_LABEL, "commitment.text", COMMITMENT_VARIANTS, min_lines=8),
            SignRow(
                (
                    Signature(self_role, "commitment.self_sign", self_variants),
                    Signature(reviewer_role, "commitment.reviewer_sign", reviewer_variants),
                )
            ),
        ),
    )


def _period(
    code: str,
    self_role: str,
    self_variants: tuple[str, ...],
    reviewer_role: str,
    reviewer_variants: tuple[str, ...],
) -> Section:
    label = f"{PERIOD_NAMES[code]}{FULFILMENT_WORDS[0]}"
    variants = tuple(
        name + word for name in PERIOD_LABELS[code] for word in FULFILMENT_WORDS if name + word != label
    )
    return Section(
        label="履诺践诺写实",
        period=code,
        blocks=(
            TextBox(label, f"periods.{code}.fulfilment.text", variants, label_in_cell=True),
            SignRow((Signature(self_role, f"periods.{code}.fulfilment.sign", self_variants),)),
            TextBox(
                REVIEW_LABEL,
                f"periods.{code}.review.text",
                REVIEW_VARIANTS,
                label_in_cell=True,
                period_variants=tuple(
                    name + word
                    for name in PERIOD_LABELS[code]
                    for word in (REVIEW_LABEL, *REVIEW_VARIANTS)
                    if len(word) > 2
                ),
            ),
            SignRow((Signature(reviewer_role, f"periods.{code}.review.sign", reviewer_variants),)),
        ),
    )


def _annual(reviewer_role: str, reviewer_variants: tuple[str, ...]) -> Section:
    return Section(
        label="年度写实",
        blocks=(
            TextBox(SUMMARY_LABEL, "annual.summary", SUMMARY_VARIANTS, min_lines=8),
            _evaluation(),
            GradeRow(),
            SignRow((Signature(reviewer_role, "annual.reviewer_sign", reviewer_variants),)),
        ),
    )


# ----------------------------------------------------------------------------------- the books

_MEMBER_SELF = "党员本人"
_MEMBER_SELF_VARIANTS = ("本人", "党员")
_MEMBER_REVIEWER = "党支部书记"
_MEMBER_REVIEWER_VARIANTS = ("支部书记", "党总支书记", "总支书记", "党组织书记")

MEMBER = FormSpec(
    kind="member",
    title="党员创先争优活动写实簿",
    cover_fields=(
        Field("党  员  姓  名：", "subject.name", "name", ("党员姓名", "姓名"), person=True),
        Field(
            "所在党组织名称：",
            "subject.organization",
            "text",
            ("所在党组织", "所在支部", "党组织名称"),
            shape=ORGANIZATION_SHAPE,
        ),
    ),
    header=(
        (
            Field("姓    名", "subject.name", "name", ("姓名", "党员姓名"), 2, 1, person=True),
            Field("性    别", "subject.gender", "text", ("性别",), 1, 1, GENDER_SHAPE),
            Field("民    族", "subject.ethnicity", "text", ("民族",), 1, 2, ETHNICITY_SHAPE),
        ),
        (
            Field("出生年月", "subject.birth", "date", ("出生日期", "出生时间"), 2, 1),
            Field("入党时间", "subject.joined", "date", ("入党日期", "入党年月"), 1, 1),
            Field("文化程度", "subject.education", "text", ("学历",), 1, 2, EDUCATION_SHAPE),
        ),
        (Field("现任职务", "subject.position", "text", ("职务", "现职务", "工作岗位"), 2, 6),),
    ),
    sections=(
        _commitment(_MEMBER_SELF, _MEMBER_REVIEWER, _MEMBER_SELF_VARIANTS, _MEMBER_REVIEWER_VARIANTS),
        *(
            _period(code, _MEMBER_SELF, _MEMBER_SELF_VARIANTS, _MEMBER_REVIEWER, _MEMBER_REVIEWER_VARIANTS)
            for code in ("Q1", "Q2", "Q3", "Q4")
        ),
        _annual(_MEMBER_REVIEWER, _MEMBER_REVIEWER_VARIANTS),
    ),
    self_role=_MEMBER_SELF,
    reviewer_role=_MEMBER_REVIEWER,
    period_codes=("Q1", "Q2", "Q3", "Q4"),
)

_ORG_SELF = "基层党组织书记"
_ORG_REVIEWER = "上级党组织书记"
_ORG_SELF_VARIANTS = ("党组织书记", "支部书记", "党支部书记")
_ORG_REVIEWER_VARIANTS = ("上级党委书记", "党委书记", "上级党组织", "上级党委", "党总支书记")

ORGANIZATION = FormSpec(
    kind="organization",
    title="党组织创先争优写实簿",
    cover_fields=(Field("党组织名称：", "subject.name", "name", ("党组织",), shape=ORGANIZATION_SHAPE),),
    header=(
        (
            Field("党组织名称", "subject.name", "name", ("组织名称",), 2, 2, ORGANIZATION_SHAPE),
            Field(
                "党组织书记姓名",
                "subject.secretary",
                "name",
                ("党组织书记", "书记姓名", "书记"),
                2,
                2,
                person=True,
            ),
        ),
        (
            Field("党员人数", "subject.member_count", "count", ("党员数",), 2, 2),
            Field(
                "入党积极分子数", "subject.activist_count", "count", ("入党积极分子人数", "积极分子数"), 2, 2
            ),
        ),
    ),
    sections=(
        _commitment(_ORG_SELF, _ORG_REVIEWER, _ORG_SELF_VARIANTS, _ORG_REVIEWER_VARIANTS),
        *(
            _period(code, _ORG_SELF, _ORG_SELF_VARIANTS, _ORG_REVIEWER, _ORG_REVIEWER_VARIANTS)
            for code in ("H1", "H2")
        ),
        _annual(_ORG_REVIEWER, _ORG_REVIEWER_VARIANTS),
    ),
    self_role=_ORG_SELF,
    reviewer_role=_ORG_REVIEWER,
    period_codes=("H1", "H2"),
    unprinted=(Field("上级党组织", "subject.parent", "text"),),
)

FORMS: dict[str, FormSpec] = {"member": MEMBER, "organization": ORGANIZATION}

KIND_NAMES = {"member": "党员", "organization": "党组织"}


def form_for(kind: str) -> FormSpec:
    """The form of a record kind (``member`` or ``organization``)."""
    try:
        return FORMS[kind]
    except KeyError:
        raise ValueError(f"未知的写实簿类型：{kind!r}（应为 member 或 organization）") from None


@cache
def label_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(every label of both forms, the labels that head a text in their own cell), as label keys.

    Readers use it to tell a label from a value (a cell broken over a page, a line that runs on)
    without knowing which form they read.
    """
    keys: set[str] = set()
    in_cell: set[str] = set()
    for form in FORMS.values():
        for f in (*form.cover_fields, *form.header_fields()):
            keys.update(f.keys)
        for sec, block in form.blocks():
            keys.add(label_key(sec.label))
            if isinstance(block, TextBox):
                keys.update(block.keys)
                if block.label_in_cell:
                    in_cell.update(block.keys)
            elif isinstance(block, SignRow):
                for s in block.signs:
                    keys.update(s.keys)
            elif isinstance(block, Evaluation):
                keys.update(block.keys)
                keys.update(block.first_keys)
                for col in block.columns:
                    keys.update(col.keys)
            elif isinstance(block, GradeRow):
                keys.update(block.keys)
    keys.discard("")
    return frozenset(keys), frozenset(in_cell)


@cache
def section_start_keys() -> frozenset[str]:
    """Label keys of the first box of every section (公开承诺事项, 第一季度承诺兑现情况, ...), both forms."""
    out: set[str] = set()
    for form in FORMS.values():
        for sec in form.sections:
            first = sec.blocks[0]
            if isinstance(first, TextBox):
                out.update(first.keys)
    return frozenset(out)


@dataclass(frozen=True)
class Leaf:
    """One value a book holds: its field path, its kind and the label a person sees."""

    path: str
    value: ValueKind
    label: str


def leaves(form: FormSpec) -> Iterator[Leaf]:
    """Every value of a book in form order (header, then each section), each path once."""
    seen: set[str] = set()

    def emit(path: str, value: ValueKind, label: str) -> Iterator[Leaf]:
        if path not in seen:
            seen.add(path)
            yield Leaf(path, value, label)

    for f in form.cover_fields:
        if f.path == "subject.organization":
            continue  # listed after the header, where the member header has no box for it
        yield from emit(f.path, f.value, label_key(f.label))
    for f in form.header_fields():
        yield from emit(f.path, f.value, label_key(f.label))
    for f in form.cover_fields:
        yield from emit(f.path, f.value, label_key(f.label))
    for sec, block in form.blocks():
        prefix = f"{PERIOD_NAMES[sec.period]}" if sec.period else ""
        if isinstance(block, TextBox):
            yield from emit(block.path, "text", prefix + label_key(block.label))
        elif isinstance(block, SignRow):
            for s in block.signs:
                yield from emit(f"{s.path}.name", "name", f"{prefix}{s.role}签字")
                yield from emit(f"{s.path}.date", "date", f"{prefix}{s.role}签字日期")
        elif isinstance(block, Evaluation):
            for col in block.columns:
                yield from emit(col.path, "count", f"评议{col.label}")
        elif isinstance(block, GradeRow):
            yield from emit(block.path, "grade", block.label)
