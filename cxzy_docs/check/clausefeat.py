"""Clause features for the learned review reader: general properties of Chinese review writing.

A review is folded (:mod:`cxzy_docs.check.hanzi`), cut into sentences and clauses, and each clause is
described by a set of named binary features: who acts, negation and its scope, degree and softeners,
aspect and time (done vs to do), mood (wish, suggestion, imperative, question), discourse markers
(contrast, concession, topic), evaluation and fault words, numbers and shortfalls, denials, slogans and
formulas, whether something concrete is named, the clause's place in the review, and the round-1 rule
engine's own reading of the clause. The feature names are the vocabulary of the shipped weights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cxzy_docs.check import cues, elements
from cxzy_docs.check.hanzi import fold
from cxzy_docs.check.segment import Clause, clauses

ACH, SHORT, DIR = elements.ACH, elements.SHORT, elements.DIR
_ABBR = {ACH: "A", SHORT: "S", DIR: "D", None: "-"}

# ---------------------------------------------------------------------------------- lexicon

# Closed classes and small open ones: each is a general family of Chinese review language.
_GROUPS: dict[str, str] = {
    "neg": "不 没 没有 无 未 非 别 莫 勿 甭 不能 不会 没能 未能 不是 并非 并不 并没有 从未 从不 从没 从来不 毫无 绝不 决不",
    "deg_high": "很 非常 特别 十分 极 极其 最 贼 挺 相当 格外 尤其 蛮 太 真是 可真",
    "soft": "较 比较 稍 略 有点 有点儿 有些 不太 不够 偏 差点 还需 还要 还得 有待 亟待 略显 略有 稍显 稍有 欠 尚需 仍需",
    "still": "还 仍 仍然 依然 尚 依旧 照样 还是",
    "past": "了 过 已 已经 曾 曾经 共 累计 先后 分别 均已 都已 以来 来 完",
    "modal": "要 将 应 应该 应当 须 必须 需 需要 务必 得 争取 力争 确保 计划 打算 准备 拟 该 宜 可以 能",
    "time_past": (
        "本季度 这季度 这个季度 上半年 今年 去年 本学期 这学期 年初 上季度 前两天 近期 一季度 二季度 三季度 "
        "四季度 半年来 这半年 本年度 半载 一季以来 今春 今夏 入夏以来 这一年 一年来 这阵子 最近 前段时间 平时 "
        "本半年度 期间 当时 那次 上次 上回 上个月 年前"
    ),
    "time_fut": (
        "下季度 下个季度 下一季度 下半年 明年 来年 今后 往后 以后 下一步 下步 下学期 下阶段 下一阶段 下月 下个月 "
        "年底前 月底前 年内 来季 嗣后 日后 将来 未来 下回 下次 从下月起 下周 秋后 开春 入冬前 年底 月底 今冬 明春 "
        "下一年 新的一年 以后每 下季 来年 回头 这两天 改天 过两天 开学后 秋收后 春耕前 汛期前 换届前 限期 下月起 "
        "从下月起 从下季度起 从今往后 今后每"
    ),
    "wish": "希望 望 期望 盼 盼望 祝 祝愿 愿 寄望 期待 切望 惟望 但愿 殷切希望",
    "suggest": "建议 能否 能不能 可否 可不可以 是不是可以 是否可以 不妨 何不 最好 要不 试着 考虑 是否能 看能不能 您看",
    "imper": "请 务必 一定要 赶紧 抓紧 尽快 马上 立即 别 不要 不得 不准 千万 给我 切勿 勿 必须 务须 嘱",
    "question": "吗 呢 嘛 啥 什么 为什么 为何 怎么 咋 难道 何 谁 哪 行不 好不好 是不是 有没有 能不能",
    "contrast": "但 但是 不过 可是 然而 就是 只是 却 可惜 遗憾的是 美中不足 然 惟 唯 可",
    "concess": "虽然 虽 尽管 固然 虽说 即使 哪怕",
    "topic_fault": "不足 缺点 毛病 问题 短板 差距 弱项 缺陷 欠缺 薄弱环节 不够的地方 落差 瑕疵 软肋 不是",
    "topic_ach": "成绩 优点 长处 亮点 成效 功劳 贡献 好处 强项 优势",
    "limit": "只 仅 才 光 仅仅 只有 仅有 仅为 只是 就",
    "additive": "也 同时 另外 此外 并且 而且 又 再",
    "others": (
        "群众 村民 居民 大家 大伙 他们 别人 人家 家长 学生 患者 病人 乡亲 老百姓 对方 其他人 徒弟 家里人 "
        "家属 媳妇 老伴 儿子 孩子 旁人 客户 社员 职工"
    ),
    "upper": "党委 上级 镇里 乡里 县里 组织部 县委 镇党委 党组 所党委 院党委 上面 局里 镇政府 乡党委 局党委 矿党委",
    "reviewer": "我 我们 咱 咱们 支部决定",
    "subj_person": "该同志 该党员 他 她 你 您 其 本人 同志 老师 大夫 师傅 大姐 大哥 书记",
    "subj_org": "该支部 支部 该党支部 班子 两委 支委 党员们 全体党员 党总支 总支 该村 你们 该分局 该所 该队",
    "catchall": "工作 各方面 各项工作 本职工作 各项 一切 方方面面 该干的 各个方面 诸事 日常工作 本职",
    "bare_verdict": (
        "良好 较好 不错 尚可 一般 还行 还可以 挺好 合格 称职 满意 凑合 过得去 平平 中规中矩 一般般 还过得去 "
        "尚属 平稳 总体满意 还凑合 马马虎虎 说得过去 可圈可点 成绩显著 表现好 稳中有进"
    ),
    "slogan": (
        "继续努力 再接再厉 继续保持 继续发扬 更上一层楼 戒骄戒躁 争取更大 百尺竿头 更进一步 再创佳绩 再上新台阶 "
        "发扬成绩 勉之 加油 接着干 更上层楼 再创辉煌 不断进步 不断提高 新的成绩 新的贡献 更好成绩 更大进步 "
        "更大成绩 开创新局面 新局面 新台阶 保持下去 发扬光大 一如既往"
    ),
    "formula": (
        "批评指正 以上意见 认真对照 引起重视 注意改正 高度重视 认真整改 加以改进 对照检查 予以重视 宜改 "
        "引以为戒 注意一下 对照 提出宝贵意见 宝贵意见 仅供参考"
    ),
    "circum": (
        "年纪 年事已高 年老 病 住院 康复 身体 去世 手术 化疗 养病 腿脚 耳背 眼睛 失明 瘫痪 残疾 行动不便 "
        "照顾 看孩子 外出务工 打工 过冬 怀孕 情有可原 可以理解 理解 谦虚 不容易 心疼 早日康复 保重"
    ),
    "praise": (
        "好 优秀 突出 出色 扎实 满意 称赞 表扬 好评 认可 肯定 值得 成效 显著 可嘉 难得 竖大拇指 有目共睹 "
        "信得过 靠得住 放心 能干 实在 勤快 热心 踏实 肯干 负责 认真 积极 主动 带头 带动 模范 表率 先进"
    ),
    "fault_val": (
        "差 乱 低 慢 少 弱 松 散 懒 拖 欠 缺 漏 错 迟 晚 超 违 旷 断 丢 误 虚 假 糟 烂 臭 冲 急 躁 粗 "
        "浮 空 死 偏 软 硬 闹 吵 骂 赌 醉 酗 黄 砸 糊涂 马虎 潦草 毛病 问题 不足"
    ),
    "change_up": "增加 增长 提高 上升 升至 增至 翻番 翻了 多了 高于 超过 突破 超额 提升 上涨 涨",
    "change_down": "下降 减少 降低 降至 下滑 少了 低于 缩短 减至 降到 压缩",
    "shortfall": (
        "只完成 仅完成 未完成 没完成 不到 倒数 落后 末位 排名靠后 欠产 亏 缺口 空白 为零 断档 名存实亡 "
        "不及格 不合格 超标 超时 超期 被撤销 拒收 通报 曝光 扣分 处分 问责 约谈 撤销"
    ),
    "promise": "承诺 答应 说要 表示要 说好 打算 计划 想 准备 口头",
    "solved": (
        "解决 帮助 帮 弥补 克服 化解 处理 排除 修好 整改 纠正 消除 挽回 补齐 补上 扭转 摆脱 理清 改掉 改了 "
        "改过来 已改 整改到位 全部整改 销号 清零 消灭"
    ),
    "found_act": "发现 查出 查摆 收集 梳理 排查 找出 找准 征求 听取",
    "others_fault": "群众反映 群众意见 有人反映 家长反映 投诉 告状 意见很大 意见大 意见不小",
    "done_verb": (
        "完成 做到 实现 达到 建成 建起 办起 修了 种了 帮了 带了 组织了 开展了 举办了 召开了 走访了 调解了 "
        "发展了 解决了 落实了 争取到 获得 荣获 被评为 评上 获评 受到"
    ),
    "attend": "参加 出席 到会 缺席 缺会 请假 迟到 早退 按时 准时 全勤 出勤",
    "dues": "党费 交纳 缴纳 交齐 补交",
    "learn": "学习 读 学 培训 党课 笔记 心得 理论",
    "address": "同志们 各位 老",
    "heading_word": "点评 点评意见 意见 评语 评价",
    "political": (
        "贯彻落实 科学发展观 重要思想 为指导 为契机 宗旨意识 先锋模范作用 战斗堡垒 稳中有进 良好态势 呈现出 "
        "开拓进取 与时俱进 求真务实 扎实推进 统筹兼顾 以人为本 全心全意 为人民服务 党性修养 政治立场 "
        "思想认识 理想信念 坚定正确 始终保持 高度一致 保持一致 各项决策部署 决策部署 总体要求 创先争优活动 "
        "领导交办 交办的各项 工作任务 在思想上 在行动上 政治上 思想上 作风上 廉洁自律"
    ),
    "bad_event": (
        "事故 违章 差错 投诉 超时 不合格 缺陷 隐患 违纪 违规 错误 失误 返工 拒收 扣分 通报 批评 处分 上访 "
        "迟到 缺席 缺会 早退 旷工 请假 欠产 欠费 欠款 拖欠 漏检 漏报 丢失 损失 停运 故障 非停 不及格 "
        "辍学 撤销 曝光 酒驾 赌博 打架 吵架 纠纷 红脸 闹 骂"
    ),
    "target": "计划 目标 进度 任务 指标 要求 定额 预期 标准 时间进度 年计划 年度目标",
    "compare_down": "低于 低了 少了 慢了 差了 落后于 不如 不及 倒数 排名靠后 末位",
    "others_credit": "功劳 全靠 多亏 主要是 靠的是 都是 替他 替她 帮他 帮她",
    "month_time": (
        "一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月 月底 月末 月中 年底 年末 年内 "
        "冬季 春季 秋季 夏季 入冬 开春 节前 节后 季末 旬"
    ),
}
_GROUPS["deed_verb"] = " ".join(cues.ACH_ACTION)
_GROUPS["quality"] = " ".join(cues.ACH_QUALITY)
_GROUPS["fault_word"] = " ".join(cues.SHORT_ADJ)
_GROUPS["fault_noun"] = " ".join(cues.SHORT_NOUN)
_GROUPS["dir_word"] = " ".join(cues.DIR_ANYWHERE)
_GROUPS["dir_start"] = " ".join(cues.DIR_AT_START)
_GROUPS["excluded"] = " ".join(cues.NOT_A_FAULT + cues.CIRCUMSTANCE_WORDS)
_GROUPS["positive_sense"] = " ".join(cues.POSITIVE_SENSE)


def _table() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    owners: dict[str, set[str]] = {}
    for group, words in _GROUPS.items():
        for w in words.split():
            owners.setdefault(w, set()).add(group)
    return cues.compile_words(owners), {w: tuple(sorted(g)) for w, g in owners.items()}


_LEX, _LEX_GROUPS = _table()
# Groups also matched inside a longer word (a single character of evaluation, a time word).
_CHAR_GROUPS = {
    g: frozenset(w for w in _GROUPS[g].split() if len(w) == 1) for g in ("fault_val", "neg", "past", "modal")
}

_HAN = re.compile(f"[{cues.HAN}]")
_DIGIT = re.compile(r"[0-9]")
_NUMERAL = re.compile(r"[0-9一二两三四五六七八九十百千万几半]")
_PERCENT = re.compile(r"%|百分之|个百分点|成(?![绩果效员本立])")
_RATIO = re.compile(r"[0-9一二两三四五六七八九十]+(?:分之|成)|[0-9]+(?:\.[0-9]+)?%")
_FROM_TO = re.compile(r"由[^,;:。]{0,8}?(?:增|降|升|减|提高|下降|上升|增加|减少)(?:至|到|为)")
_NEG_BEFORE = re.compile(
    r"(?:不|没|没有|未|无|非|别|并非|并不|不能|没能|未能|从不|从没|从未|毫无|决不|绝不)(?:["
    + cues.HAN
    + r"]{0,2})$"
)
_DOUBLE_NEG = re.compile(
    r"不能不|不得不|不可谓没?|不是不|并非不|不是没|非不|没有不|不能说没|不可能不|不无|无不|没有哪[^,;:。]{0,4}不"
)
_RHETORICAL = re.compile(
    r"难道|怎么能|为什么|为何|凭什么|还等啥|嘎哈|干什么|干啥|咋回事|怎么回事|像话吗|行吗|对吗|合适吗"
)
_SUGGEST_Q = re.compile(
    r"能否|能不能|可否|可不可以|是不是可以|是否可以|是不是能|要不要|是不是(?:该|得|也该)|何不|行不行|好不好|行不|怎么样|如何"
)
_SUBJ_START = re.compile(
    rf"^(?:该同志|该党员|[他她你您](?![们人])|[{cues.HAN}]{{1,3}}(?:同志|老师|大夫|师傅|大姐|大哥|书记|主任)|老[{cues.HAN}]|小[{cues.HAN}]|"
    r"该支部|该党支部|支部|该村|你们|班子)"
)
_OTHERS_START = re.compile(
    r"^(?:群众|村民|居民|大家|大伙|他们|别人|人家|家长|学生|患者|乡亲|老百姓|有人|有的|个别|少数|部分)"
)
_UPPER_START = re.compile(
    r"^[^,;:。]{0,6}?(?:党委|上级|组织部|县委|镇里|乡里|局里|党组|党工委)(?:将|要|会|拟|决定|计划|准备|已)"
)
_TO_SUBJ = re.compile(r"(?:让|叫|请|要求|督促|帮|给)(?:他|她|其|该同志|你|您)")
_PROMISE_UNDONE = re.compile(
    r"(?:承诺|答应|说要|说好|表示要|计划|打算)[^,;:。]{0,12}?(?:没|未|还没|至今|到现在|一直)"
)
_COUNT_EVENT = re.compile(r"[0-9一二两三四五六七八九十几]+(?:次|回|起|件|天|人次|例|笔|处)")
_ZERO = re.compile(
    r"(?:一(?:次|回|个|件|笔|起|天|户|人)?[^,;:。]{0,4}?(?:也|都)(?:没|不|未))|为零|零(?:投诉|差错|事故|失误)"
)
_END_Q = re.compile(r"[吗呢吧嘛么][?]?$|[?]$")
_LEAD = elements._LEAD
# Characters that begin a verb phrase (an imperative when nothing marks it done: "读党章", "月底交").
_VERB_CHARS = frozenset(
    "学读抓搞做干改建写理整查管带帮补交收清练戒订定开办修种养跑走访看听讲说谈问找送发报录记备"
    "多少早按把给让请别要争力保坚落配加提降减控规完推组发培树立健创用派盯包联结上下回去来挂亮"
    "搬拉装换接催抓尽赶马立"
)
_PAST_MARK = re.compile(r"了|过(?![硬去来问])|已|曾")
# The last character of a terse clause carries its verdict: "账乱", "会少", "嘴笨" vs "账清", "腿勤".
_BAD_CHARS = frozenset("乱差低慢少弱松散懒拖欠缺漏错迟晚虚假糟烂臭冲急躁粗浮空死偏软笨倔懒馋滑贪歪斜旧脏黑僵")
_GOOD_CHARS = frozenset("好清齐勤快实细准稳强高硬净亮顺全精优佳棒足")
_FILLERS = {ACH: elements._ACH_FILLER, SHORT: elements._SHORT_FILLER, DIR: elements._DIR_FILLER}


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@dataclass(frozen=True, slots=True)
class Unit:
    """One clause of a review: its span in the text, its features, the rule engine's events on it."""

    start: int
    end: int
    feats: tuple[str, ...]
    rules: tuple[tuple[str, str, str, str | None], ...]  # (element, 'hit'|'miss', cue, reason)


def _lexical(text: str) -> tuple[set[str], list[tuple[int, int, str, tuple[str, ...]]]]:
    """Group features of a folded clause and the matches (start, end, word, groups)."""
    f: set[str] = set()
    matches = [(m.start(), m.end(), m.group(0), _LEX_GROUPS[m.group(0)]) for m in _LEX.finditer(text)]
    n = len(text)
    for s, e, _w, groups in matches:
        for g in groups:
            f.add("g:" + g)
            if s <= 1:
                f.add("gs:" + g)
            if e >= n - 1:
                f.add("ge:" + g)
            if g in (
                "fault_val",
                "fault_word",
                "praise",
                "quality",
                "deed_verb",
                "done_verb",
                "fault_noun",
                "solved",
                "attend",
                "change_up",
                "change_down",
            ) and _NEG_BEFORE.search(text, max(0, s - 4), s):
                f.add("neg:" + g)
    # single characters of the small closed classes, wherever they stand (inside longer words too)
    for g, chars in _CHAR_GROUPS.items():
        if any(ch in chars for ch in text):
            f.add("ch:" + g)
    return f, matches


def _clause_feats(c: Clause, text: str, lead: int) -> set[str]:
    """Features of one folded clause on its own."""
    f, _matches = _lexical(text)
    han = len(_HAN.findall(text))
    f.add("len:" + _bucket(han, (2, 4, 7, 12, 20, 35)))
    body = text[lead:]
    if lead:
        f.add("lead")
    if _SUBJ_START.match(text):
        f.add("who:subject")
    if _OTHERS_START.match(body) or _OTHERS_START.match(text):
        f.add("who:others")
    if _UPPER_START.match(text):
        f.add("who:upper")
    if _TO_SUBJ.search(text):
        f.add("to_subject")
    if _DIGIT.search(text):
        f.add("num:digit")
    if _NUMERAL.search(text):
        f.add("num:any")
    if _PERCENT.search(text) or _RATIO.search(text):
        f.add("num:ratio")
    if _FROM_TO.search(text):
        f.add("num:from_to")
    if cues.QUANTITY.search(text):
        f.add("num:quantity")
    if _COUNT_EVENT.search(text):
        f.add("num:count_event")
    if _ZERO.search(text):
        f.add("zero")
    if _DOUBLE_NEG.search(text):
        f.add("double_neg")
    if _RHETORICAL.search(text):
        f.add("rhetorical")
    if _SUGGEST_Q.search(text):
        f.add("suggest_q")
    if _PROMISE_UNDONE.search(text):
        f.add("promise_undone")
    if _END_Q.search(text) or c.delim.startswith("?"):
        f.add("end:question")
    if c.delim.startswith("!"):
        f.add("end:exclaim")
    if c.delim.startswith(":"):
        f.add("end:colon")
    if cues.SHORT_DENIAL.search(text) or text in cues.DENIAL_CLAUSES:
        f.add("denial")
    if cues.BULLET.match(text):
        f.add("bullet")
    if cues.QUOTE_SPANS.search(text):
        f.add("quote")
    # what is left once the filler of each element is taken out: does the clause name anything?
    for name, filler in _FILLERS.items():
        left = elements._residual(text, filler)
        f.add(f"left:{_ABBR[name]}:" + _bucket(left, (0, 1, 3, 6)))
    first = body[:1]
    if first and first in _VERB_CHARS and "who:subject" not in f:
        f.add("x:verb_start_past" if _PAST_MARK.search(text) else "x:verb_start_plain")
    last = text.rstrip("!?。")[-1:]
    if last:
        if last in _BAD_CHARS:
            f.add("endc:bad")
        if last in _GOOD_CHARS:
            f.add("endc:good")
    if han <= 5:
        f.add("terse")
    # conjunctions that a linear reader cannot form itself
    has = f.__contains__
    if has("g:time_fut") and (has("ch:past") or has("g:past")):
        f.add("x:fut*past")
    if has("g:time_fut") and not has("g:past"):
        f.add("x:fut_only")
    if has("g:time_past") and has("g:modal"):
        f.add("x:pastT*modal")
    if has("num:quantity") and (has("g:fault_val") or has("g:fault_word") or has("g:shortfall")):
        f.add("x:num*fault")
    if has("num:quantity") and has("g:limit"):
        f.add("x:num*limit")
    if has("num:quantity") and not (
        has("g:fault_val") or has("g:fault_word") or has("g:shortfall") or has("g:neg")
    ):
        f.add("x:num_clean")
    if has("end:question") and (has("g:fault_val") or has("g:fault_word")):
        f.add("x:q*fault")
    if has("end:question") and has("suggest_q"):
        f.add("x:q*suggest")
    if has("end:question") and has("rhetorical"):
        f.add("x:q*rhetorical")
    if has("gs:contrast") and (has("g:fault_val") or has("g:fault_word") or has("ch:neg")):
        f.add("x:contrast*neg")
    if has("g:wish") and has("g:slogan"):
        f.add("x:wish*slogan")
    if has("g:solved") and (has("g:fault_noun") or has("g:topic_fault")):
        f.add("x:solved*problem")
    if has("g:circum") and (has("ch:neg") or has("g:fault_word")):
        f.add("x:circum*neg")
    if has("g:catchall") and has("g:bare_verdict"):
        f.add("x:catchall*verdict")
    if (has("num:quantity") or has("num:count_event") or has("num:ratio")) and has("g:bad_event"):
        f.add("x:num*bad_event")
    if (has("num:ratio") or has("num:quantity")) and has("g:target"):
        f.add("x:num*target")
    if (has("g:month_time") or has("g:time_fut")) and not (has("ch:past") or has("g:past")):
        f.add("x:when*plain")
    if has("terse") and has("x:verb_start_plain"):
        f.add("x:terse_verb")
    if has("terse") and has("endc:bad"):
        f.add("x:terse_bad")
    if has("terse") and has("endc:good"):
        f.add("x:terse_good")
    if has("end:question") and (has("ch:past") or has("g:time_past")):
        f.add("x:q*past")
    if has("g:others_credit") and has("g:others"):
        f.add("x:others_credit")
    return f


# ------------------------------------------------------------------------------------ tracing

_Rule = tuple[tuple[str, str, str, str | None], ...]
_SENTENCE = re.compile(r"[^。!?\n]*[。!?\n]|[^。!?\n]+$")
_SPACE_SPLIT = re.compile(rf"(?<=[{cues.HAN}0-9%”）)]) +(?=[{cues.HAN}“（(])")


# A person's name before a title says nothing about the review ("王伟同志" reads as "某某同志"), nor do
# a figure's digits other than a lone 1 ("300余头" as "000余头"): both are masked, keeping the length.
_NAME = re.compile(
    rf"(?:^|(?<=[,;:。!?\n ]))(?![该本这那其每各全该])([{cues.HAN}]{{2,3}})(?=同志|老师|大夫|师傅|大姐|大哥)"
)
_NOT_NAME = re.compile(r"[党支部委组村社区镇乡县市局所站队厂院校室处科股班]")
_DIGITS_2_9 = re.compile("[2-9]")


def _mask_name(m: re.Match[str]) -> str:
    name = m.group(1)
    return name if _NOT_NAME.search(name) else "某" * len(name)


def _prepare(original: str) -> str:
    """The folded text with lone dots as full stops, spaces between words as commas, names and
    digits masked (same length: positions are the original's)."""
    folded = fold(original)
    if "." in folded:
        folded = elements._LONE_DOT.sub("。", folded)
    if " " in folded:
        folded = _SPACE_SPLIT.sub(lambda m: "," + " " * (len(m.group(0)) - 1), folded)
    if "同" in folded or "老" in folded or "大" in folded or "师" in folded:
        folded = _NAME.sub(_mask_name, folded)
    return _DIGITS_2_9.sub("0", folded) if _DIGITS_2_9.search(folded) else folded


_CTX_KEYS = (
    "g:topic_fault",
    "g:topic_ach",
    "gs:contrast",
    "g:wish",
    "g:time_fut",
    "gs:concess",
    "g:circum",
    "kind:heading:A",
    "kind:heading:S",
    "kind:heading:D",
    "denial",
    "end:colon",
    "g:slogan",
    "g:formula",
    "g:others",
    "who:upper",
)
_SENT_KEYS = (
    "g:shortfall",
    "g:fault_word",
    "g:fault_val",
    "x:num*fault",
    "denial",
    "g:time_fut",
    "gs:contrast",
    "g:circum",
    "rhetorical",
    "end:question",
    "g:wish",
    "g:slogan",
    "g:formula",
    "who:upper",
    "g:others",
    "promise_undone",
    "zero",
    "g:topic_fault",
    "g:topic_ach",
    "g:praise",
    "g:quality",
    "num:quantity",
    "g:bare_verdict",
    "g:catchall",
    "double_neg",
    "g:limit",
)
_CTX_SET, _SENT_SET = frozenset(_CTX_KEYS), frozenset(_SENT_KEYS)
_TURN = frozenset(("gs:contrast", "gs:concess", "g:concess", "g:contrast"))
_FAULTY = frozenset(
    (
        "g:shortfall",
        "x:num*fault",
        "x:num*bad_event",
        "g:fault_word",
        "neg:done_verb",
        "promise_undone",
        "g:compare_down",
    )
)
_PRAISED = frozenset(("g:praise", "g:quality", "zero", "neg:fault_word", "neg:fault_val"))


@dataclass(frozen=True, slots=True)
class Base:
    """A clause's own features (with its characters and character pairs), and the few of them that
    the clauses around it look at."""

    key: str  # the clause as read (folded, masked)
    delim: str  # the first character of the separator after it
    feats: frozenset[str]
    ctx: tuple[str, ...]  # seen by the clause before and after ("p:", "n:")
    sent: frozenset[str]  # seen by the other clauses of the sentence ("s:")
    faulty: bool
    praised: bool
    turn: bool
    contrast_start: bool


@lru_cache(maxsize=131072)
def base(key: str, delim: str) -> Base:
    """The features of one (folded, masked) clause on its own."""
    lead_m = _LEAD.match(key)
    f = _clause_feats(Clause(key, 0, len(key), delim), key, lead_m.end() if lead_m else 0)
    f.update(["c:" + ch for ch in key if ch > "\u3000" and ch != "某"])
    f.update(["b:" + key[i : i + 2] for i in range(len(key) - 1) if "某" not in key[i : i + 2]])
    return Base(
        key,
        delim,
        frozenset(f),
        tuple(sorted(_CTX_SET.intersection(f))),
        frozenset(_SENT_SET.intersection(f)),
        bool(_FAULTY.intersection(f)),
        bool(_PRAISED.intersection(f)),
        bool(_TURN.intersection(f)),
        "gs:contrast" in f,
    )


_PREV = {x: "p:" + x for x in (*_CTX_KEYS, "kind:heading:A", "kind:heading:S", "kind:heading:D")}
_NEXT = {x: "n:" + x for x in _PREV}
_SENT = {x: "s:" + x for x in _SENT_KEYS}


@lru_cache(maxsize=4096)
def _rule_feats(name: str, kind: str, carried: str, reason: str | None) -> tuple[str, ...]:
    """The features of one rule event: the element hit or missed, how, and why not."""
    e = _ABBR[name]
    out = [f"r:{e}:{kind}"]
    if carried:
        out.append(f"r:{e}:{kind}:{carried}")
    if reason:
        out.append(f"r:{e}:reason:{reason[:6]}")
    return tuple(out)


_EMPTY_BASE = Base("", "", frozenset(), (), frozenset(), False, False, False, False)
# One clause of a read sentence: span in the sentence, its base, the features of its own reading (kind,
# place in the sentence, the rules' events), the rules' events.
Read = tuple[int, int, Base, tuple[str, ...], _Rule]
# One clause of a traced sentence: span in the sentence, its base, every feature of its place, the rules' events.
Traced = tuple[int, int, Base, frozenset[str], _Rule]


@lru_cache(maxsize=131072)
def read_sentence(text: str, after_praise: bool) -> tuple[Read, ...]:
    """Each clause of one (folded, masked) sentence: its own features, and the round-1 rules' events on
    it (read in the sentence's running mode)."""
    out: list[Read] = []
    bullet_at = cues.BULLET.match
    for sentence in clauses(text):
        circumstance = any(elements._CIRCUMSTANCE.search(c.text) for c in sentence)
        question = sentence[-1].delim.startswith("?") or sentence[-1].text.endswith("?")
        mode: str | None = None
        list_mode: str | None = None
        if (
            elements._AMBIGUOUS_FUTURE.match(sentence[0].text)
            and any(elements._PLAN.search(c.text) for c in sentence)
            and not any(elements._PAST.search(c.text) for c in sentence)
        ):
            mode = DIR
        n = len(sentence)
        for i, c in enumerate(sentence):
            kind: tuple[str, ...] = ()
            rule: _Rule = ()
            cc = c
            if i + 1 < n and cues.FUTURE_BEFORE_LIST.match(c.text) and bullet_at(sentence[i + 1].text):
                mode = list_mode = DIR
                kind = ("kind:future_opener",)
            else:
                bullet = bullet_at(c.text)
                if bullet:
                    cc = elements._strip_bullet(c, bullet.end())
                    mode = list_mode
                    kind = ("bullet_item",)
                listing = cc.delim[:1] == ":"
                heading = elements._heading(cc.text, cc.delim) if listing else None
                if heading:
                    mode = list_mode = heading
                    kind = (*kind, "kind:heading:" + _ABBR[heading])
                elif cc.text:
                    mode, rule = elements._read_clause(
                        cc.text, cc.delim, mode, circumstance, after_praise, question
                    )
                    after_praise = after_praise or any(ev[0] == ACH for ev in rule)
                    if listing or (mode == DIR and cues.FUTURE_ONLY.match(cc.text)):
                        list_mode = mode
            own = _own_feats(kind, circumstance, question, i == 0, i == n - 1, rule)
            out.append((c.start, c.end, base(cc.text, cc.delim[:1]) if cc.text else _EMPTY_BASE, own, rule))
    return tuple(out)


@lru_cache(maxsize=16384)
def _own_feats(
    kind: tuple[str, ...], circumstance: bool, question: bool, first: bool, last: bool, rule: _Rule
) -> tuple[str, ...]:
    """The features of a clause's own reading: its kind, its place in the sentence, the rules' events."""
    out = list(kind)
    if circumstance:
        out.append("sent:circumstance")
    if question:
        out.append("sent:question")
    if first:
        out.append("pos:sent_first")
    if last:
        out.append("pos:sent_last")
    for event in rule:
        out.extend(_rule_feats(event[0], event[1], event[2] if event[2].startswith("（") else "", event[3]))
    return tuple(out)


def context_features(read: tuple[Read, ...]) -> list[list[str]]:
    """The features each clause takes from the others: what the clauses before and after say (a topic
    opened, a contrast, an excuse after), what the rest of the sentence says, and whether it shares their
    polarity (clauses joined without a contrast do: a figure next to a shortfall is the shortfall's)."""
    n = len(read)
    turned = any(u[2].turn for u in read)
    fault_at = [u[2].faulty or any(r[0] == SHORT and r[1] == "hit" for r in u[4]) for u in read]
    praise_at = [u[2].praised for u in read]
    n_fault, n_praise = sum(fault_at), sum(praise_at)
    ctx = [u[2].ctx + tuple(x for x in u[3][:2] if x.startswith("kind:heading")) for u in read]
    sent_count: dict[str, int] = {}
    if n > 1:
        for u in read:
            for x in u[2].sent:
                sent_count[x] = sent_count.get(x, 0) + 1
    out = []
    for k in range(n):
        b = read[k][2]
        extra: list[str] = []
        if n_fault - fault_at[k] > 0:
            extra.append("x:sent_fault_turned" if turned else "x:sent_fault_same")
        if n_praise - praise_at[k] > 0:
            extra.append("x:sent_praise_turned" if turned else "x:sent_praise_same")
        if k + 1 < n and fault_at[k + 1] and not read[k + 1][2].contrast_start:
            extra.append("x:next_fault_plain")
        if k > 0 and fault_at[k - 1] and not b.contrast_start:
            extra.append("x:prev_fault_plain")
        extra.extend([_PREV[x] for x in ctx[k - 1]] if k > 0 else ["p:none"])
        extra.extend([_NEXT[x] for x in ctx[k + 1]] if k + 1 < n else ["n:none"])
        if n > 1:
            own = b.sent
            extra.extend([_SENT[x] for x, c in sent_count.items() if c > (x in own)])
        out.append(extra)
    return out


@lru_cache(maxsize=8192)
def trace_sentence(text: str, after_praise: bool) -> tuple[Traced, ...]:
    """Each clause of one (folded, masked) sentence with every feature of its own and of its place."""
    read = read_sentence(text, after_praise)
    return tuple(
        (s, e, b, frozenset((*own, *ctx)), rule)
        for (s, e, b, own, rule), ctx in zip(read, context_features(read), strict=True)
    )


def review_extras(index: int, count: int) -> tuple[str, ...]:
    """The review-level features of a clause in sentence ``index`` of ``count``."""
    extra = ["bias"]
    if index == 0:
        extra.append("pos:review_first_sent")
    if index == count - 1:
        extra.append("pos:review_last_sent")
    if count == 1:
        extra.append("pos:one_sentence")
    return tuple(extra)


def review_units(original: str) -> list[Unit]:
    """The clauses of a review with all their features (spans are those of ``original``): the
    training data of ``bench/train_review_model.py``."""
    folded = _prepare(original)
    units: list[Unit] = []
    after_praise = False
    sentences = list(_SENTENCE.finditer(folded))
    for si, m in enumerate(sentences):
        at = m.start()
        extra = review_extras(si, len(sentences))
        for s, e, b, place, rule in trace_sentence(m.group(0), after_praise):
            units.append(Unit(at + s, at + e, tuple(sorted(b.feats | place)) + extra, rule))
            after_praise = after_praise or any(r[0] == ACH for r in rule)
    return units
