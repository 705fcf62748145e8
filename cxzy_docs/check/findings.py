"""Findings and the one declarative table of rules: code -> severity, Chinese title, description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cxzy_docs.fieldlabels import field_label

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    """One check the validator makes; ``code`` is stable, ``title`` and ``description`` are Chinese."""

    code: str
    severity: Severity
    title: str
    description: str


_RULE_LIST = (
    # 领导点评
    Rule("review.empty", "error", "点评为空", "领导点评栏没有填写内容（有签字或其他内容，但点评空白）。"),
    Rule(
        "review.no_achievements",
        "error",
        "点评未写成绩",
        "点评没有写明具体成绩（做了什么、结果如何、表现出什么品质）；“表现良好”等笼统评价不算。",
    ),
    Rule(
        "review.no_shortcomings",
        "error",
        "点评未写不足",
        "点评没有指出具体的不足或问题；“无明显不足”“存在一些不足”不算写明不足。",
    ),
    Rule(
        "review.no_direction",
        "error",
        "点评未写努力方向",
        "点评没有提出具体的希望、要求或努力方向；“继续努力”“再接再厉”等口号不算。",
    ),
    Rule(
        "review.boilerplate",
        "error",
        "点评空泛",
        "点评只有笼统评价或套话（如“表现良好。”），成绩、不足、努力方向一项也没有写明。",
    ),
    Rule(
        "review.uncertain",
        "warning",
        "点评要素待核对",
        "无法确定点评是否写明了成绩、不足或努力方向（逐句判断把握不大），给出最可能的句子，请人工核对。",
    ),
    Rule(
        "review.wrong_subject",
        "warning",
        "点评对象不符",
        "党员写实簿的点评以党组织为对象，或党组织写实簿的点评只讲一名党员，可能填错了写实簿。",
    ),
    Rule(
        "review.duplicate",
        "error",
        "点评雷同",
        "同一段点评（或几乎相同的点评）出现在多本写实簿或多个期次中，列出共用的写实簿。",
    ),
    # 签字与日期
    Rule("sign.no_name", "error", "缺少签字", "签字栏没有签名。"),
    Rule("sign.no_date", "error", "缺少日期", "签字栏没有填写日期（或年份空白）。"),
    Rule("date.unreadable", "error", "日期无法识别", "签字日期写了，但无法识别为日期。"),
    Rule(
        "date.out_of_period",
        "error",
        "日期超出期限",
        "日期不在写实簿年度内（第四季度、下半年和年度写实可延至次年二月底），或早于所签期次的开始。",
    ),
    Rule(
        "date.after_as_of",
        "error",
        "日期晚于校验基准日",
        "签字日期晚于校验基准日（--as-of，默认今天），是尚未到来的日期。",
    ),
    Rule(
        "date.before_fulfilment",
        "error",
        "点评早于兑现",
        "领导点评的日期早于所点评的承诺兑现情况的签字日期。",
    ),
    Rule(
        "date.before_period_end",
        "warning",
        "点评过早",
        "领导点评日期早于该期次结束前半个月，期次尚未结束就已点评。",
    ),
    Rule(
        "date.commitment_late",
        "error",
        "承诺签字晚于点评",
        "公开承诺的签字日期晚于第一季度（上半年）的领导点评。",
    ),
    # 表头与评议人数
    Rule(
        "header.missing",
        "error",
        "表头缺项",
        "必填的表头项目没有填写：党员的姓名、所在党组织、年度；党组织的名称、书记姓名、年度。",
    ),
    Rule("header.year_mismatch", "warning", "年度不符", "写实簿年度与本次校验指定的年度不同。"),
    Rule("votes.not_integer", "error", "评议人数不是整数", "党员群众评议情况中的票数或人数不是非负整数。"),
    Rule(
        "votes.inconsistent",
        "error",
        "评议票数多于参加人数",
        "满意、比较满意、一般、不满意的票数之和多于参加党员人数与参加群众人数之和。",
    ),
    Rule("record.unreadable", "warning", "内容无法识别", "读取写实簿时有内容无法识别，已保留原文。"),
    # 覆盖面
    Rule("coverage.no_book", "error", "缺少写实簿", "花名册中的党员或党组织没有写实簿。"),
    Rule(
        "coverage.no_review",
        "error",
        "缺少点评",
        "写实簿缺少某一期次的领导点评（点评内容、签字、日期均空白）。",
    ),
    Rule(
        "coverage.secretary_idle",
        "warning",
        "书记未点评",
        "党组织书记没有在本组织任何党员的写实簿上签字点评。",
    ),
    Rule(
        "grades.vanguard_share",
        "warning",
        "先锋比例偏高",
        "评定为“先锋”的党员超过本组织有评定结果人数的约15%。",
    ),
    Rule(
        "coverage.ambiguous",
        "warning",
        "同名无法对应",
        "花名册中有同名党员，这本写实簿的表头（出生年月、入党时间、现任职务）不足以确定是哪一位；请补全表头。",
    ),
    Rule(
        "roster.unknown_org",
        "error",
        "党组织不在组织树中",
        "写实簿的党组织名称不在花名册的组织树中（可能写错或组织树缺项），汇总时不会计入任何上级党组织。",
    ),
    # 来源
    Rule(
        "source.conflict",
        "error",
        "来源不一致",
        "同一本写实簿的几份材料（Word、PDF、扫描件、点评台账）在这一栏写法不同，两种写法都已保存，请核对后选定。",
    ),
    Rule(
        "source.ledger_only",
        "warning",
        "只有点评台账",
        "这本写实簿只来自点评台账，还没有收到写实簿本身（Word、PDF 或扫描件）。",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one book (or with the set of books): what, where and why."""

    source: str | None  # the file the record came from, when known
    kind: str | None  # member / organization
    subject: str  # the book in words: "2010 靖宇镇卫生院党支部 宋丽娜"
    field: str  # record field path with the period code: periods.Q3.review.text
    code: str
    severity: Severity
    message: str  # Chinese, names the field and what is wrong
    evidence: str | None = None  # the text that decided, or the raw value
    book: int | None = None  # the book's position in the records validated; None: about no one book
    label: str = ""  # the field in the words of the form: 第三季度领导点评

    @property
    def title(self) -> str:
        """The rule's Chinese title: 点评未写不足."""
        rule = RULES.get(self.code)
        return rule.title if rule else self.code

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, self.severity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "subject": self.subject,
            "field": self.field,
            "label": self.label,
            "code": self.code,
            "title": self.title,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "book": self.book,
        }


def finding(
    code: str,
    *,
    source: str | None,
    kind: str | None,
    subject: str,
    field: str,
    message: str,
    evidence: str | None = None,
    book: int | None = None,
    label: str | None = None,
) -> Finding:
    """A finding of rule ``code``, at the rule's severity (``label``: the field in words, derived if not given)."""
    rule = RULES[code]
    if label is None:
        label = field_label(kind, field)
    return Finding(source, kind, subject, field, code, rule.severity, message, evidence, book, label)


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is at error level (the CLI exits 1)."""
    return any(f.severity == "error" for f in findings)
