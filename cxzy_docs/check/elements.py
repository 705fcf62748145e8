"""The review-element analyser: does a 领导点评 state achievements, shortcomings and direction?"""

# The text is folded (width, traditional characters, typos; same length), cut into sentences and
# clauses, and each clause is read with the cue lists of :mod:`cxzy_docs.check.cues`: a forward
# marker opens a direction, a fault word opens a shortcoming, and what remains can credit the
# subject with an achievement. A mode set in a sentence carries over its later clauses
# ("不足是X，只在Y" — both the fault). Every decision keeps the clause and the cue that made it,
# and a rejected near-miss (a denial, a placeholder, a slogan, a bare verdict) keeps its own.

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cxzy_docs.check import cues, faultforms
from cxzy_docs.check.hanzi import fold
from cxzy_docs.check.segment import Clause, Match, Scan, clauses

ELEMENTS = ("achievements", "shortcomings", "direction")
ELEMENT_NAMES = {"achievements": "成绩", "shortcomings": "不足", "direction": "努力方向"}

ACH, SHORT, DIR = "achievements", "shortcomings", "direction"


@dataclass(frozen=True)
class Evidence:
    """A phrase of the review as written, its span ``[start, end)`` and the cue that decided."""

    phrase: str
    start: int
    end: int
    cue: str

    def to_dict(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "start": self.start, "end": self.end, "cue": self.cue}


@dataclass(frozen=True)
class ElementResult:
    """One element: ``found``, the ``evidence`` that satisfied it, or the near miss ``rejected``.

    ``uncertain``: the reader is not sure either way (``found`` is then only its better guess, and
    the phrase shown is the candidate for a person to check); ``score``: the reader's probability
    that the element is stated (None from the rules alone)."""

    found: bool
    evidence: Evidence | None = None
    rejected: Evidence | None = None
    reason: str | None = None  # why the near miss does not count, in Chinese
    uncertain: bool = False
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "rejected": self.rejected.to_dict() if self.rejected else None,
            "reason": self.reason,
            "uncertain": self.uncertain,
            "score": self.score,
        }


@dataclass(frozen=True)
class ReviewElements:
    """The three elements of one review text."""

    achievements: ElementResult
    shortcomings: ElementResult
    direction: ElementResult
    empty: bool = False

    def element(self, name: str) -> ElementResult:
        result: ElementResult = getattr(self, name)
        return result

    @property
    def missing(self) -> list[str]:
        return [name for name in ELEMENTS if not self.element(name).found]

    @property
    def uncertain(self) -> list[str]:
        """The elements the reader could not decide either way."""
        return [name for name in ELEMENTS if self.element(name).uncertain]

    @property
    def complete(self) -> bool:
        return not self.empty and not self.missing

    @property
    def evidence_chars(self) -> int:
        """Characters of evidence over the elements stated (how specific a review is)."""
        return sum(
            len(el.evidence.phrase)
            for name in ELEMENTS
            if (el := self.element(name)).found and el.evidence is not None
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.element(name).to_dict() for name in ELEMENTS}
        out["empty"] = self.empty
        return out


_NOT_FOUND = ElementResult(False)
_EMPTY = ReviewElements(_NOT_FOUND, _NOT_FOUND, _NOT_FOUND, empty=True)


def analyse_review(text: str | None) -> ReviewElements:
    """The three elements of a review text; an empty or blank text has none (``empty``).

    Read by the learned clause reader (:mod:`cxzy_docs.check.reader`), whose features include this
    module's rule engine's clause-by-clause reading."""
    if text is None or not str(text).strip():
        return _EMPTY
    from cxzy_docs.check.reader import read_review

    return read_review(str(text))


def analyse_rules(text: str | None) -> ReviewElements:
    """The round-1 rule engine's reading alone: the first clause its cue lists accept, per element
    (the learned reader uses its clause-by-clause reading as features; kept for comparison)."""
    if text is None or not str(text).strip():
        return _EMPTY
    return _analyse(str(text))


# ------------------------------------------------------------------------------ compiled cues

_HAN_RE = re.compile(f"[{cues.HAN}]")
_PREFIX = cues.words_pattern(cues.SUBJECT + cues.TIME + cues.ADVERB)
_NAME_TITLE = (
    rf"(?![望请要盼愿希])[{cues.HAN}]{{1,3}}(?:同志|师傅|老师|书记|大夫|大哥|大姐|主任|站长|院长|所长)"
)
_LEAD = re.compile(rf"(?:(?:{_PREFIX}|{_NAME_TITLE})[,、]?)*")

_DIR_AT_START = re.compile(cues.words_pattern(cues.DIR_AT_START))
_DIR_FALSE = cues.compile_words(cues.DIR_FALSE_COMPOUNDS)
_DIR_FILLER = cues.compile_words(cues.DIR_FILLER + cues.SUBJECT)
_HALF_YEAR = re.compile(r"下半年[^。]*?(?:要|应|必须|将|争取|力争|计划|打算|准备|重点)")
_QUESTION = re.compile(r"能否|可否|是否可以|能不能|可不可以|何不|是不是可以|为何不|为什么不")
_QUESTION_AT_LEAD = re.compile(r"(?:看)?(?:能否|可否|是否可以|能不能|可不可以|是不是可以|是不是能)")
# "请党员们…", "让他们…": a request to others, not a direction for the subject.
_TO_OTHERS = re.compile(r"们|大家|各位|群众|村民")
_PER_RULE = re.compile(r"按照|依照|根据|遵照|按")
_SUBJECT_WORD = cues.compile_words(cues.SUBJECT)
_UPPER_LEVEL = re.compile(r"党委|党工委|上级|组织部|镇里|乡里|县委|市委|我们将|我们要")
_ADDRESSEE_UPPER = re.compile(r"[镇乡县市区]?(?:党委|党工委|上级|组织部|县委|市委|领导)")
# The subject as the object of someone else's plan: "建议支部下季度对其进行重点培养".
_SUBJECT_AS_OBJECT = re.compile(r"对(?:其|他|她|该同志|该党员)(?:进行|加强|开展)")
_TO_UPPER = re.compile(r"(?:建议|希望|要求|请|由)[镇乡县市区]?(?:党委|党工委|上级|组织部|县委|市委)")
_DIR_PRAISE = re.compile(
    r"为(?:今后|以后|下一步|明年|下半年|下季度|将来|长远)[^,;:。]{0,14}?(?:打下|奠定|创造|积累|铺平|铺好|提供)了?|"
    r"(?:明确|指明|找准|理清|找到)了?[^,;:。]{0,6}方向|(?:有|带来|看到|充满)了?[^,;:。]{0,2}希望|"
    r"建议[^,;:。]{0,4}(?:得到|被|已)|(?:提|提出|提了)[^,;:。]{0,12}建议"
)
_REQUIREMENT_NOUN = re.compile(r"过|太|不|很|较|比较|偏|极|高|严|松|低")  # "要求过严": a noun, no marker
_PLAN_DONE = re.compile(r"(?:制定|编制|完成|明确)了?.{0,4}$")
# A deadline at the clause's start ("年底前把…"), and what makes the rest a plan, not a report.
_DEADLINE = re.compile(
    r"(?:(?:年底|年末|月底|月末|季度末|春节|开春|入冬|汛期|秋收|开学|换届|[0-9一二三四五六七八九十]+月(?:底|中旬|上旬|下旬)?)前|年内)"
)
_PLAN = re.compile(
    r"每[月周季天年日个]|至少|不少于|逐一|逐个|逐户|一一|[号日底]前|把|再|争取|力争|确保|起来|出去|清楚|到位|尽快|抓紧|[做抓搞管办写建]好|"
    r"([换看转走问查试想学练说讲聊帮理改修管听找谈逛跑坐访串盯])\1|([" + cues.HAN + r"])一\2"
)
_PAST = re.compile(r"了|过(?![硬去来问])|已|曾|共|累计|先后|分别")

_SHORT_FILLER = cues.compile_words(cues.SHORT_FILLER + cues.SUBJECT + cues.TIME)
# "要说不足，", "至于缺点嘛，", "要说还差点什么，": a spoken topic marker; the fault follows it.
_SHORT_TOPIC = re.compile(
    r"^(?:要说|说到|说起|讲到|谈到|至于|若说|硬要说|非要说|真要说|要挑|要是说)[^,;:。]{0,6}?"
    r"(?:不足|缺点|毛病|问题|短板|差点什么|差什么|欠缺什么|欠缺|不够|毛病的话|的话)(?:的话|嘛|呢|吧|么)?$"
    r"|^(?:有一样|有一点|有一条|就一点|就一条|只有一点|只一点|唯一的?(?:不足|缺点|毛病))$"
)
# A heading clause that names a placeholder fault and opens a list: "还存在一些不足：", "需要改进的地方：".
_SHORT_LIST_HEAD = re.compile(
    r"(?:不足|问题|缺点|差距|毛病|短板|弱项|不够的地方)(?:之处)?(?:也|还)?(?:如下|有|是)?$"
    r"|(?:需要|有待|还需|要|应当|应该|须|需|值得)(?:改进|加强|改正|提高|注意|改善|完善|提升)的(?:是|地方|方面|问题)?$"
)
# A fault named and then resolved by the subject: "房顶漏雨的毛病也是他帮着修好的".
_RESOLVED_AFTER = re.compile(r"修好|解决|治好|弄好|整好|改好|处理好|修复|排除|化解|摆平|理顺|搞定")
_NOUNISH = frozenset(
    ("损失", "差错", "错误", "失误", "纰漏", "疏漏", "漏洞", "积压", "怨言", "怨气", "投诉", "隐患")
)
# Qualities that credit only with something named beside them ("认真贯彻上级部署" names nothing).
# Roles and others' approval credit only what the clause names beside them ("得到了群众的认可" names nothing).
_ROLE_QUALITY = frozenset(
    (
        "表率作用",
        "模范作用",
        "先锋作用",
        "带头作用",
        "战斗堡垒作用",
        "认可",
        "好评",
        "称赞",
        "赞扬",
        "表扬",
        "欢迎",
        "信任",
        "满意度",
        "满意率",
        "反响",
    )
)
_WEAK_QUALITY = frozenset(("认真", "积极", "扎实", "明显", "负责", "务实", "创新", "进步", *_ROLE_QUALITY))
_GENERIC_VERBS = re.compile(r"参加|参与|组织|开展|完成|落实|坚持|做好|抓好|搞好")
_NOUN_HEAD = re.compile(r"[员站室所队](?![^,;:。]{0,2}[了过])")
_PARTICLES = re.compile(r"[的地得了很都也还较更最挺真]|比较|非常|特别|十分")
_NEGATED_VERB = re.compile(r"(?:没有|没法|没能|没|未能|未|无法|不能|不会|别|不)(?:[^,;:。]{0,3})$")
_PROBLEM_OBJECT = re.compile(
    r"[^,;:。]{0,8}?的?(?:问题|困难|难题|矛盾|缺憾|局面|状况|现象|需求|短板|不足|差距|缺口|空白)"
)
_CONDITIONAL = re.compile(r"(?:如有|若有|如果有|倘若有|如|若)[^,;:。]{0,2}$")
_FUTURE = re.compile(r"将(?!近|军|士|来的)|即将|准备|打算|计划|说要|说是要|答应要|表示要|说好要|想要")
_IN_DIR_FAULT = re.compile(
    r"(?:克服|改掉|改正|纠正)([^,;:。]{2,14}?)的?(?:毛病|缺点|问题|不足|习惯|现象|情绪|作风|倾向|做法)"
)
_OVERCOME = re.compile(r"克服|改掉|改正|纠正|杜绝")
_SOFT_IN_DIR = re.compile(r"有待|还需|仍需|尚需|亟待|亟需|还不够")
_NOT_A_FAULT_ANYWHERE = re.compile(r"哪里有|哪儿有|有什么|什么")
_FAULT_CONTEXT = re.compile(r"存在|还有|仍有|尚有|出现|暴露|不少|较多|一些|某些|突出|主要|的$|是$|等$|有$")
_FINAL_WEAK = {"差": "出落偏视误", "少": "减多不至稀缺很较太", "慢": "快缓"}

_ACH_FILLER = cues.compile_words(cues.ACH_FILLER + cues.SUBJECT + cues.TIME)
# A positive-sense word that only modifies a noun ("针对性", "处理能力", "解决问题的能力") does not
# turn the fault after it into a problem solved.
_NOMINAL_HEAD = re.compile(
    r"^性|能力|水平|意识|本领|技巧|技能|方法|办法|效率|速度|质量|机制|措施|力度|手段|经验"
)

# A contrast clause after praise: what keeps it praise, or makes it no fault of the subject.
_CONTRAST_PRAISE = re.compile(
    r"坚持|始终|依然|仍然|仍旧|照样|照常|都能|总能|每[^,;:。]{0,8}都|硬是|主动|带头|按时|准时|从不|从没|从未|从来|还是|"
    r"在[^,;:。]{0,12}(?:带动|帮助|努力|推动|带领|指导|支持|协调)下|积极|毫无|没有?放弃"
)
_CONTRAST_NEUTRAL = re.compile(r"^(?:由于|因为|因|受|鉴于|考虑到|经过|通过)")
_EMPHASIS = re.compile(r"^就是(?:他|她|这|那|靠|凭|在|因为|要|为了|一个|一位|一名|这样)")
_TOPIC_TIME = re.compile(r"时|的时候|过程中")
_LIMITED = re.compile(r"(?:只|仅|光|才)(?![用花费耗])[" + cues.HAN + r"]")
_CIRCUMSTANCE = cues.compile_words(cues.CIRCUMSTANCE_WORDS)


# ------------------------------------------------------------------------------------ helpers


def _residual(text: str, filler: re.Pattern[str]) -> int:
    """How many Han characters of ``text`` are left when the filler words are taken out."""
    return len(_HAN_RE.findall(filler.sub(" ", text)))


class _Verdict:
    """The running decision for one element: first evidence found, first near miss."""

    __slots__ = ("evidence", "reason", "rejected")

    def __init__(self) -> None:
        self.evidence: Evidence | None = None
        self.rejected: Evidence | None = None
        self.reason: str | None = None

    def hit(self, ev: Evidence) -> None:
        if self.evidence is None:
            self.evidence = ev

    def miss(self, ev: Evidence, reason: str) -> None:
        if self.rejected is None:
            self.rejected, self.reason = ev, reason

    def result(self) -> ElementResult:
        if self.evidence is not None:
            return ElementResult(True, self.evidence)
        return ElementResult(False, None, self.rejected, self.reason)


class _Events:
    """What one clause says about one element: the first cue that satisfied it, the first near miss."""

    __slots__ = ("evidence", "reason", "rejected")

    def __init__(self) -> None:
        self.evidence: str | None = None
        self.rejected: str | None = None
        self.reason: str | None = None

    def hit(self, cue: str) -> None:
        if self.evidence is None:
            self.evidence = cue

    def miss(self, cue: str, reason: str) -> None:
        if self.rejected is None:
            self.rejected, self.reason = cue, reason


class _Reader:
    """Reads one clause (with the mode the sentence has reached) and records what it states."""

    def __init__(
        self, scan: Scan, *, circumstance: bool = False, after_praise: bool = False, question: bool = False
    ) -> None:
        self.scan = scan
        self.question = question  # the sentence ends with a question mark
        self.circumstance = (
            circumstance  # the sentence gives a reason ("因病住院"): no missed action is a fault
        )
        self.after_praise = after_praise  # an earlier clause of the review praised the subject
        self.ach, self.short, self.dir = _Events(), _Events(), _Events()

    # ---------------------------------------------------------------------------- direction

    def direction_marker(self, c: Clause, lead: int) -> tuple[int, str] | None:
        """Where (clause-relative) a forward marker starts, and the marker; None when there is none."""
        text, base = c.text, c.start
        quotes = _quoted(text) if self.scan.families["quote"] else []
        best: tuple[int, str] | None = None
        for s_abs, e_abs, word in self.scan.directions(base, c.end):
            s = s_abs - base
            if any(q[0] <= s < q[1] for q in quotes):
                continue
            if _false_compound(text, s):
                continue
            if word in ("以后", "往后") and s > lead:
                continue  # "退休以后": after an event, not the future
            before = text[max(0, s - 2) : s]
            if word in ("希望", "期望", "期待") and (
                before.endswith(("了", "到", "满", "的", "来")) or "有了" in before
            ):
                continue
            if word == "建议" and before[-1:] in ("的", "提", "出", "条", "些", "项", "了", "议", "理", "化"):
                continue
            if word == "要求" and (
                before[-1:] in ("的", "按", "照", "提", "格", "高", "此", "合", "求")
                or _REQUIREMENT_NOUN.match(text, e_abs - base)
                or _PER_RULE.search(text, 0, s)
            ):
                continue  # "按照支部的部署要求": a rule followed, not a direction
            if word == "下一步" and _PLAN_DONE.search(text, 0, s):
                continue
            if _UPPER_LEVEL.search(text, 0, s) or _ADDRESSEE_UPPER.match(text, e_abs - base):
                continue  # the upper level's own plan, or advice addressed to it
            best = (s, word)
            break
        m = _DIR_AT_START.match(text, lead)
        if (
            m
            and m.group(0) == "把"
            and (
                _PAST.search(text, lead)
                or any(w[2] not in ("你", "您") for w in self.scan.within("subject", base, base + lead))
            )
        ):
            m = None  # "该同志把…理清了": a report; "（你）把合同整理一遍": an instruction
        if (
            m
            and not _false_compound(text, lead)
            and not _UPPER_LEVEL.search(text, 0, lead)
            and not self._to_others(text, m)
        ):
            if best is None or lead < best[0]:
                best = (lead, m.group(0))
        if best is None:
            half = text.find("下半年", 0, lead + 1)
            if half >= 0 and (_HALF_YEAR.match(text, half) or _plan_after(text, lead)):
                best = (half, "下半年")
        if best is None:
            m = _DEADLINE.match(text, lead) or _DEADLINE.match(text, 0)
            if m and _plan_after(text, m.end()) and not _UPPER_LEVEL.search(text):
                best = (lead, m.group(0))
        if best is None and (self.question or c.delim.startswith("?") or text.endswith("?")):
            q = _QUESTION.search(text)
            if q:
                best = (q.start(), q.group(0))
        if best is None:
            q = _QUESTION_AT_LEAD.match(text, lead)
            if q and not _PAST.search(text, q.end()):
                best = (lead, q.group(0))  # "能不能下个月把…": a suggestion put as a question
        return best

    @staticmethod
    def _to_others(text: str, m: re.Match[str]) -> bool:
        """ "请党员们帮他指出来", "让他们看到了希望": the request or the effect is on others."""
        word = m.group(0)
        if word in ("请", "让他", "让她", "叫他", "叫她"):
            if _TO_OTHERS.search(text, m.end(), m.end() + 3):
                return True
            return word != "请" and (
                "了" in text[m.end() :] or _SUBJECT_WORD.search(text, 0, m.start()) is not None
            )
        return False

    # --------------------------------------------------------------------------- shortcomings

    def faults(self, c: Clause, lo: int, hi: int, *, first: bool = False) -> list[tuple[int, int, str, str]]:
        """Fault cues starting in ``[lo, hi)`` (absolute), clause-relative, positive-sense ones left out."""
        scan, text, base = self.scan, c.text, c.start
        if scan.first("corrected", base, c.end) or faultforms.PAST_TIME.search(text):
            return []  # put right, or a gap of the past ("刚调来时对片区不熟")
        excluded = scan.within("excluded", base, c.end)
        positive = scan.within("positive_sense", base, c.end)
        found: list[tuple[int, int, str, str]] = []

        def kept(s: int, e: int) -> bool:
            return not any(a < e and s < b for a, b, _ in excluded)

        praise = scan.praise

        def live_positive(s_abs: int) -> list[Match]:
            return [
                p
                for p in positive
                if p[1] <= s_abs and not _NOMINAL_HEAD.search(text[p[1] - base : s_abs - base])
            ]

        for s_abs, e_abs, word, kind in scan.faults(lo, hi):
            s, e = s_abs - base, e_abs - base
            if not kept(s_abs, e_abs) or any(a < e_abs and s_abs < b for a, b, _ in praise):
                continue
            live = live_positive(s_abs) if positive else []
            pos_before = bool(live)
            if kind == "adj":
                if _negated(text, s):
                    continue
                if pos_before and (_PROBLEM_OBJECT.match(text, e) or word in _NOUNISH):
                    continue
                if any(s_abs - 3 <= p[0] for p in live) or _CONDITIONAL.search(text, 0, s):
                    continue
            else:
                if word in ("问题", "困难", "隐患") and not _problem_is_fault(text, s):
                    continue
                if _RESOLVED_AFTER.search(text, e):
                    continue  # "漏雨的毛病也是他修好的": a fault of others, put right
                if (
                    pos_before
                    or _CONDITIONAL.search(text, 0, s)
                    or (text[s - 1 : s] == "有" and text[e : e + 1] == "的")
                ):
                    continue  # "有问题的列个单子": whichever have one, not a fault
                if word in ("不足", "差距", "缺点", "毛病", "问题", "不够") and _negated(text, s):
                    continue
            found.append((s, e, word, kind))
            if first:
                return found
        for s_abs, e_abs, word in scan.within("neg_action", lo, hi):
            if (
                kept(s_abs, e_abs)
                and not self.circumstance
                and not any(a < e_abs and s_abs < b for a, b, _ in praise)
            ):
                found.append((s_abs - base, e_abs - base, word, "adj"))
        for s_abs, e_abs, word, excusable in scan.form_faults:
            if not lo <= s_abs < hi or not kept(s_abs, e_abs) or (excusable and self.circumstance):
                continue
            s, e = s_abs - base, e_abs - base
            if _CONDITIONAL.search(text, 0, s) or (live_positive(s_abs) and _PROBLEM_OBJECT.match(text, e)):
                continue
            if not any(f[0] <= s < f[1] for f in found):
                found.append((s, e, word, "adj"))
        if hi >= c.end:
            final = _final_weakness(text)
            if final is not None and not any(f[0] <= final[0] < f[1] for f in found):
                found.append(final)
        found.sort()
        return found

    def named(self, c: Clause, fault: tuple[int, int, str, str]) -> bool:
        """A noun-type fault names its topic ("业务能力有待提高"); an adj-type one names itself."""
        if fault[3] == "adj":
            return True
        text = c.text
        return _residual(text[: fault[0]] + " " + text[fault[1] :], _SHORT_FILLER) >= 2

    # --------------------------------------------------------------------------- achievements

    def achievement(self, c: Clause, lead: int, *, strict: bool = False) -> str | None:
        """The first word crediting the subject with something done or shown, or None.

        A quantity or a quality names something by itself; a verb needs an object that is not a
        catch-all ("开展了一些工作" names nothing).
        """
        text, base, scan = c.text, c.start, self.scan
        if _UPPER_LEVEL.match(text, lead) or _UPPER_LEVEL.match(text):
            return None  # the upper level's doing, not the subject's
        for s_abs, _e, word in scan.praise:
            if base <= s_abs < c.end:
                return word  # "不怕苦", "从不叫苦", "发案率下降"
        for s_abs, _e, word, _kind in scan.faults(base, c.end):
            if faultforms.HABITUAL_NEG.search(text, 0, s_abs - base):
                return "从不" + word  # "从不缺席": a habit shown, not a fault
        credit = faultforms.CREDIT.search(text)
        if credit:
            return credit.group(0)
        nouns = scan.within("action_noun", base, c.end)
        for family in ("quantity", "quality"):
            for m in scan.within(family, base, c.end):
                if nouns and any(a <= m[0] < b for a, b, _ in nouns):
                    continue  # "入党积极分子": a quality word inside a noun
                if _FUTURE.search(text, 0, m[0] - base) or not self._credits(
                    text, m[0] - base, m[1] - base, m[2]
                ):
                    continue
                return m[2]
        verbs = scan.within("action", base, c.end) + ([] if strict else scan.verbs(base, c.end))
        if nouns:  # "党组织", "帮扶户": the action word is part of a noun
            verbs = [v for v in verbs if not any(a <= v[0] < b for a, b, _ in nouns)]
        for s_abs, e_abs, word in sorted(verbs):
            s = s_abs - base
            if _FUTURE.search(text, 0, s) or (strict and _TOPIC_TIME.search(text, e_abs - base)):
                continue  # "处理矛盾时…": the action is the topic, not a credit
            if _NEGATED_VERB.search(text, max(0, s - 5), s):
                continue  # "没法参加", "未与支部联系": not done
            if _NOUN_HEAD.match(text, e_abs - base):
                continue  # "投递员", "服务站": the action names a post or a place, not a deed
            if _residual(_GENERIC_VERBS.sub(" ", text[:s] + " " + text[e_abs - base :]), _ACH_FILLER) >= 2:
                return word  # the deed names its object ("参加了支部组织的各项活动" names none)
        verdict = faultforms.TOPIC_VERDICT.search(text, lead)
        if (
            verdict
            and not faultforms.NOT_A_TOPIC.search(verdict.group(1))
            and _residual(verdict.group(1), _ACH_FILLER) >= 2
        ):
            return verdict.group(0)  # "养殖技术好": a named skill with its verdict
        return None

    @staticmethod
    def _credits(text: str, s: int, e: int, word: str) -> bool:
        """A quantity or quality that names something: not "一名党员", not "认真贯彻上级部署"."""
        if word[:1] in "一1" and len(word) <= 2 and word[1:] in "名个位遍种点":
            return False  # "一名党员", "检查一遍": one of something names nothing by itself
        if word not in _WEAK_QUALITY:
            return True
        rest = text[e:]
        if word not in _ROLE_QUALITY and not _HAN_RE.search(_PARTICLES.sub("", rest)):
            return True  # a predicate: "工作积极", "很认真"
        return _residual(text[:s] + " " + rest, _ACH_FILLER) >= 2

    def contrast_fault(self, c: Clause, lead: int, at: int) -> bool:
        """After praise, a contrast clause that is no praise, plan or excuse names a fault ("就是脾气倔")."""
        text = c.text
        rest = text[at:]
        if (
            self.circumstance
            or _CONTRAST_PRAISE.search(rest)
            or _CONTRAST_NEUTRAL.match(rest)
            or _EMPHASIS.match(text)
            or _CIRCUMSTANCE.search(text)
        ):
            return False
        if _residual(rest, _SHORT_FILLER) < 2:
            return False
        return self.achievement(c, lead, strict=True) is None or bool(_LIMITED.search(rest))

    # ------------------------------------------------------------------------------- clauses

    def read(self, c: Clause, mode: str | None) -> str | None:
        """Read one clause, record what it states, return the mode for the next clause."""
        text, base, scan = c.text, c.start, self.scan
        lead_m = _LEAD.match(text)
        lead = lead_m.end() if lead_m else 0

        if _TO_UPPER.search(text):
            return None  # a plan for, or of, the upper level
        marker = self.direction_marker(c, lead)
        if marker is not None and _SUBJECT_AS_OBJECT.search(text, marker[0]):
            return None
        if marker is not None and not _DIR_PRAISE.search(text):
            at, word = marker
            rest = text[at:]
            if self.dir.evidence is None:
                if _residual(rest, _DIR_FILLER) >= 2:
                    self.dir.hit(word)
                else:
                    self.dir.miss(word, "只有口号或笼统要求，未写明具体努力方向")
            if self.short.evidence is None:
                self.fault_before_marker(c, base, base + at)
                self.fault_in_direction(c, rest, base + at)
            return DIR
        asked = _DIR_AT_START.match(text, lead)
        if asked and self._to_others(text, asked):
            return None  # "请党员们帮他指出来": asked of others; neither a direction nor a fault
        if _SHORT_TOPIC.match(text, lead) and not scan.first("denial", base, c.end):
            return SHORT  # "要说不足，": the fault follows
        if cues.FUTURE_ONLY.match(text):
            return DIR  # "下半年，": the plan follows
        if (
            mode == DIR
            and _PAST.search(text)
            and not _PLAN.search(text)
            and not _QUESTION.search(text)
            and self.achievement(c, lead, strict=True) is not None
        ):
            mode = None  # "…，支部完成了换届选举": a report of the past, not the plan carried on
        if mode == DIR:
            if self.dir.evidence is None and _residual(text, _DIR_FILLER) >= 2:
                self.dir.hit("（承上）")
            if self.short.evidence is None:
                self.fault_in_direction(c, text, base)
            return DIR

        denial = scan.first("denial", base, c.end)
        if denial is None and text in cues.DENIAL_CLAUSES:
            denial = (base, c.end, text)
        contrast = cues.CONTRAST.match(text)
        concessive = scan.first("concessive", base, c.end) is not None

        head = scan.first("head", base, c.end)
        if head and not denial:
            after = text[head[1] - base :]
            if _residual(after, _SHORT_FILLER) >= 2 or self.faults(c, head[1], c.end, first=True):
                self.short.hit(head[2])
                return SHORT
        found = self.short.evidence is not None
        faults = (
            []
            if concessive and not head
            else [
                f
                for f in self.faults(c, base, c.end, first=found and not denial)
                if not (denial and denial[0] <= f[0] + base < denial[1])
            ]
        )
        if faults:
            if not found:
                named = [f for f in faults if self.named(c, f)]
                if named:
                    self.short.hit(named[0][2])
                else:
                    self.short.miss(faults[0][2], "只笼统提到不足，未写明具体问题")
            return SHORT
        if denial:
            self.short.miss(denial[2], "只有否定表述（如“无明显不足”），未指出不足")
            if contrast is None:
                self.ach.miss(denial[2], "“没有问题”不等于成绩")
            return mode if mode != SHORT else None
        if mode == SHORT and not contrast:
            if self.short.evidence is None and _residual(text, _SHORT_FILLER) >= 2:
                self.short.hit("（承上）")
            return SHORT
        if (
            contrast
            and mode != SHORT
            and cues.CONTRAST_WEAK.search(text, contrast.end())
            and not _CONTRAST_PRAISE.search(text, contrast.end())
            and self.achievement(c, lead) is None
        ):
            self.short.hit(contrast.group(0))
            return SHORT

        if (
            contrast
            and mode != SHORT
            and not concessive
            and (mode == ACH or self.after_praise)
            and self.contrast_fault(c, lead, contrast.end())
        ):
            self.short.hit(contrast.group(0) + "（转折）")
            return SHORT

        if concessive or (self.circumstance and self.scan.families["neg_action"]):
            return mode  # granted or excused: "尽管身体不好", "因病…未能参加"
        if self.ach.evidence is not None:
            return None if mode != ACH else ACH  # found already: the rest cannot change it
        cue = self.achievement(c, lead)
        if cue is not None:
            self.ach.hit(cue)
            return ACH
        left = _residual(text, _ACH_FILLER)
        if mode == ACH and left >= 2:
            self.ach.hit("（承上）")
            return ACH
        if left == 0 and len(_HAN_RE.findall(text)) >= 2:
            self.ach.miss(text, "只有笼统评价，未写明具体成绩")
        return None if mode != ACH else ACH

    def fault_before_marker(self, c: Clause, lo: int, hi: int) -> None:
        """A fault stated before a direction marker in the same clause: "X不够，今后要…"."""
        if hi <= lo:
            return
        for f in self.faults(c, lo, hi):
            if f[1] <= hi - c.start and self.named(c, f):
                self.short.hit(f[2])
                return

    def fault_in_direction(self, c: Clause, rest: str, lo: int) -> None:
        """Faults named inside a direction: "X还需加强", "克服X的毛病"."""
        if _SOFT_IN_DIR.search(rest):
            for f in self.faults(c, lo, c.end):
                if f[3] == "noun" and self.named(c, f):
                    self.short.hit(f[2])
                    break
        m = _IN_DIR_FAULT.search(rest)
        if m and _residual(m.group(1), _SHORT_FILLER) >= 2:
            self.short.hit(m.group(0))
            return
        overcome = _OVERCOME.search(c.text, lo - c.start)
        if overcome:  # "要注意克服急躁情绪": the fault to overcome is named
            for f in self.scan.faults(c.start + overcome.end(), c.start + overcome.end() + 8):
                if f[3] == "adj":
                    self.short.hit(overcome.group(0) + f[2])
                    return


def _false_compound(text: str, at: int) -> bool:
    """True when a compound like 主要/应急/盼望 covers position ``at``."""
    for m in _DIR_FALSE.finditer(text, max(0, at - 3), at + 6):
        if m.start() <= at < m.end():
            return True
    return False


def _negated(text: str, at: int) -> bool:
    """True when the fault word at ``at`` is denied right before it (无丢失, 没有漏检, 从不缺席, 不拖拉)."""
    window = text[max(0, at - 7) : at]
    if not window or "不能说" in text[max(0, at - 6) : at]:
        return False
    if window.endswith("不") and not window.endswith(("要不", "得不")):
        return True
    if faultforms.HABITUAL_NEG.search(window):
        return True  # "从没因为家事耽误过"
    return bool(cues.NEGATOR.search(window)) and not window.endswith(("无故", "无法"))


def _problem_is_fault(text: str, at: int) -> bool:
    """问题/困难 as a fault of the subject, not a problem the subject dealt with."""
    before = text[max(0, at - 12) : at]
    if _NOT_A_FAULT_ANYWHERE.search(before):
        return False
    if _FAULT_CONTEXT.search(before):
        return True
    return text[at + 2 : at + 3] in ("是", "在", "较", "不", "还", "仍")


def _plan_after(text: str, at: int) -> bool:
    """The clause from ``at`` reads as a plan ("每个月十号前把账贴出去"), not as a report of the past."""
    return bool(_PLAN.search(text, at)) and not _PAST.search(text, at)


def _final_weakness(text: str) -> tuple[int, int, str, str] | None:
    """A clause ending in a weakness: "学习差", "机会少", "提升慢", "…不够"."""
    if text.endswith("不够"):
        s = len(text) - 2
    elif text[-1:] in _FINAL_WEAK and text[-2:-1] not in _FINAL_WEAK[text[-1]]:
        s = len(text) - 1
    else:
        return None
    if len(_HAN_RE.findall(text[:s])) < 2:
        return None
    return s, len(text), text[max(0, s - 1) :], "adj"


def _strip_bullet(c: Clause, n: int) -> Clause:
    text = c.text[n:].lstrip(" ")
    return Clause(text, c.end - len(text), c.end, c.delim)


def _heading(text: str, delim: str) -> str | None:
    if not delim.startswith(":"):
        return None
    if cues.DIR_HEADING.search(text) and len(text) <= 12:
        return DIR  # "我的意见是：", "提出如下要求："
    if _SHORT_LIST_HEAD.search(text) and not cues.SHORT_DENIAL.search(text):
        return SHORT  # "该支部还存在一些不足：", "需要改进的地方：": the list names them
    if len(text) > 8:
        return None
    if cues.SHORT_HEADING.match(text):
        return SHORT
    if cues.ACH_HEADING.match(text):
        return ACH
    if cues.DIR_HEADING.match(text):
        return DIR
    return None


# ------------------------------------------------------------------------------------ analysis

_Reading = tuple[str | None, tuple[tuple[str, str, str, str | None], ...]]


@lru_cache(maxsize=131072)
def _read_clause(
    text: str,
    delim: str,
    mode: str | None,
    circumstance: bool = False,
    after_praise: bool = False,
    question: bool = False,
) -> _Reading:
    """The mode after one clause and what it states: (element, 'hit'|'miss', cue, reason) events.

    Reviews are written from a stock of phrases, so a clause is read once per run and cached.
    """
    reader = _Reader(Scan(text), circumstance=circumstance, after_praise=after_praise, question=question)
    next_mode = reader.read(Clause(text, 0, len(text), delim), mode)
    events: list[tuple[str, str, Any, str | None]] = []
    for name, rec in ((ACH, reader.ach), (SHORT, reader.short), (DIR, reader.dir)):
        if rec.evidence is not None:
            events.append((name, "hit", rec.evidence, None))
        if rec.rejected is not None:
            events.append((name, "miss", rec.rejected, rec.reason))
    return next_mode, tuple(events)


# A sentence's events: (clause start, clause end, element, 'hit'|'miss', cue, reason), spans relative to it.
_SentenceEvents = tuple[tuple[int, int, str, str, str, str | None], ...]
_AMBIGUOUS_FUTURE = re.compile(
    r"(?:下半年|下季度|下个季度|下一季度|下学期)(?!要|应|将|争取|力争|计划|打算|准备|重点)"
)
_SENTENCE = re.compile(r"[^。!?\n]*[。!?\n]|[^。!?\n]+$")
_LONE_DOT = re.compile(r"(?<![0-9])\.(?![0-9])")


@lru_cache(maxsize=131072)  # > the reviews of 10,000 member books: a report re-reads them all
def _analyse(original: str) -> ReviewElements:
    folded = fold(original)
    if "." in folded:
        folded = _LONE_DOT.sub("。", folded)
    verdict = {ACH: _Verdict(), SHORT: _Verdict(), DIR: _Verdict()}
    ach = verdict[ACH]
    for m in _SENTENCE.finditer(folded):
        at = m.start()
        for cs, ce, name, kind, cue, reason in _read_sentence(
            m.group(0), ach.evidence is not None or ach.rejected is not None
        ):
            v = verdict[name]
            if kind == "hit" and v.evidence is None:
                v.evidence = Evidence(original[at + cs : at + ce], at + cs, at + ce, cue)
            elif kind == "miss" and v.rejected is None:
                v.rejected, v.reason = Evidence(original[at + cs : at + ce], at + cs, at + ce, cue), reason
    return ReviewElements(verdict[ACH].result(), verdict[SHORT].result(), verdict[DIR].result())


@lru_cache(maxsize=262144)
def _read_sentence(text: str, after_praise: bool) -> _SentenceEvents:
    """What one sentence states, clause by clause; ``after_praise``: an earlier sentence credited
    (or nearly credited) the subject. Reviews are built from stock sentences: each is read once."""
    out: list[tuple[int, int, str, str, str, str | None]] = []
    bullet_at = cues.BULLET.match
    for sentence in clauses(text):
        circumstance = any(_CIRCUMSTANCE.search(c.text) for c in sentence)
        question = sentence[-1].delim.startswith("?") or sentence[-1].text.endswith("?")
        mode: str | None = None
        list_mode: str | None = None  # the mode of a clause that opened a list with ":"
        if (
            _AMBIGUOUS_FUTURE.match(sentence[0].text)
            and any(_PLAN.search(c.text) for c in sentence)
            and not any(_PAST.search(c.text) for c in sentence)
        ):
            mode = DIR  # "下半年成立监督小组，每月通报一次": the whole sentence is a plan
        for i, c in enumerate(sentence):
            if (
                i + 1 < len(sentence)
                and cues.FUTURE_BEFORE_LIST.match(c.text)
                and bullet_at(sentence[i + 1].text)
            ):
                mode = list_mode = DIR  # "下半年，一是…；二是…": the list is the plan
                continue
            bullet = bullet_at(c.text)
            if bullet:
                c = _strip_bullet(c, bullet.end())
                mode = list_mode  # a new item starts afresh, unless the list belongs to a mode
            listing = c.delim[:1] == ":"
            heading = _heading(c.text, c.delim) if listing else None
            if heading:
                mode = list_mode = heading
                continue
            if not c.text:
                continue
            mode, events = _read_clause(c.text, c.delim, mode, circumstance, after_praise, question)
            for name, kind, cue, reason in events:
                out.append((c.start, c.end, name, kind, cue, reason))
                after_praise = after_praise or name == ACH
            if listing or (mode == DIR and cues.FUTURE_ONLY.match(c.text)):
                list_mode = mode
    return tuple(out)


def _quoted(text: str) -> list[tuple[int, int]]:
    """Quoted spans of a clause; a quote opened (or closed) in another clause runs to its edge."""
    spans = [(m.start(), m.end()) for m in cues.QUOTE_SPANS.finditer(text)]
    rest = cues.QUOTE_SPANS.sub(lambda m: " " * len(m.group(0)), text)
    for opener, closer in (("“", "”"), ("《", "》"), ("‘", "’")):
        if opener in rest:
            spans.append((rest.index(opener), len(text)))
        if closer in rest:
            spans.append((0, rest.index(closer) + 1))
    return spans
