"""Faults and praise recognised by sentence form (不太X, 过于X, 率低, 一直没V, 从不X), not by word list."""

# Each pattern reads one folded clause. A fault form is found by its shape ("不够 + anything",
# "a rate + 低", "有时 + a negative event"); its guards are the shapes that turn it into praise
# ("从不 + a fault or a hardship", "a bad rate + 下降", "全靠 + a person").

from __future__ import annotations

import re

from cxzy_docs.check import cues

_H = f"[{cues.HAN}]"

# ------------------------------------------------------------------------------------ praise

# A negated hardship, complaint or fault is praise: 不怕苦, 不计报酬, 从不叫苦, 毫无怨言, 不含糊.
_NEG = r"(?:从来没有|从来没|从来不|从没有|从没|从未|从不|一次也没有?|一次都没有?|始终没有?|决不|绝不|毫不|毫无|没有|没|不)"
_TAKE = r"(?:怕|嫌|辞|叫|喊|讲|计|图|求|收|拿|要|占|贪|提|诉|说)"
_HARDSHIP = (r"(?:辛苦|劳苦|麻烦|苦|累|脏|险|烦|条件|价钱|报酬|回报|名利|个人得失|得失|红包|好处|礼|"
             r"一分钱|钱|困难|代价|委屈|怨言|名|利)")
_BARE = r"(?:徇私|徇情|怨言|二话|含糊|马虎|计较|退缩|放弃|懈怠|张扬|推辞|推脱|推诿|叫苦|喊累|抱怨|松劲|掉队|耽误|误事)"
PRAISE_NEG = re.compile(
    rf"{_NEG}(?:过|一句|半句|任何|一点)?(?:{_TAKE}过?(?:一声|一句|半句|一点|半点|一分)?{_HARDSHIP}|{_BARE})"
    r"|不[骄躁慌急挑拣争抢吵闹推拖等靠卑亢偏倚屈贪占拿要怕图计]不[" + cues.HAN + r"]"
    r"|不[" + cues.HAN + r"]不[骄躁慌急挑拣争抢吵闹推拖等靠卑亢偏倚屈挠贪占拿要怕图计]"
    rf"|{_NEG}(?:推|拖|躲|让|拿|收|要|占|贪)$"
    r"|(?:从不|从来不|从没有?|从来没有?|从未|一次也没有?)(?:请过假|请假|休息|歇|叫苦|喊累)"
    r"|不厌其烦|不偏不倚|不声不响|不折不扣|不遗余力|二话不说|任劳任怨|分文不取|分文不收|[一每](?:户|个|天|人)不落"
)

# Dedication: "有时连饭都顾不上吃", "忙到深夜", "吃住在村里".
SACRIFICE = re.compile(
    r"连[^,;:。]{1,8}?[都也](?![没不未])|顾不上(?:吃饭|吃|休息|回家|家)|加班加点|通宵|熬到深夜|忙到(?:深夜|半夜)|"
    r"吃住在|住在(?:厂|村|单位|工地|所|站|医院|学校|队)|[不没]合眼|没日没夜|不眠不休|废寝忘食|连轴转|忙得不可开交"
)

# A doubled adjective (AABB) reads by its base: "整整齐齐" praise, "拖拖拉拉" a fault.
_AABB = re.compile(rf"({_H})\1({_H})\2")
_AABB_BAD = frozenset("冷清 稀拉 松垮 磨蹭 吞吐 躲闪 懒散 散漫 马虎 拖拉 含糊 糊涂 慌张 毛躁 啰嗦 唠叨 吵闹 零散 "
                      "断续 拉扯 推诿 冒失 迷糊 抠搜 扭捏 稀松".split())

# Habitual negators: "从不缺席" credits the subject (rule 2: 按时交纳党费), unlike "没有发现违纪问题".
HABITUAL_NEG = re.compile(
    r"(?:从来没有|从来没|从来不|从没有|从没|从未|从不曾|从不|一次也没有?|一次都没有?|一天也没有?)[^,;:。]{0,5}$")

# Credit to a person: "全靠他张罗", "多亏了老王".
_PERSON = (rf"(?:他|她|你|您|大家|该同志|支部|书记|党员们|老(?!办法|经验|方法|一套|习惯|思路|路子|本)"
           rf"|{_H}{{1,2}}(?:书记|主任|同志|师傅|大姐|大哥|老师|医生|大夫|站长|所长))")
_RELY = r"(?:全靠|只靠|光靠|单靠|仅靠|全凭|光凭|只凭|全指望|就靠|都靠|多亏了?|幸亏|全仗)"
CREDIT = re.compile(_RELY + _PERSON)

# A named skill or area with a verdict at the clause's end: "养殖技术好", "教学质量高".
TOPIC_VERDICT = re.compile(
    rf"({_H}{{2,10}}?)(?:很|较|比较|特别|非常|挺|相当|都|也|又|更|最)?"
    r"(?:过硬|过得硬|扎实|精湛|在行|有一套|好|强|精|高|快|硬|棒|准|稳|足|勤|细|实|熟)$"
)
NOT_A_TOPIC = re.compile(r"身体|条件|基础|家境|天气|年纪|年龄|运气|底子|环境|位置|交通|心情|不|没|差|低|率|"
                         r"工作|各项|各方面|本职|情况|反映|反响|评价|表现|总体|整体|成绩|任务|要求|标准")

# ------------------------------------------------------------------------------------ faults

# 不太熟, 不够灵活, 不是很规范: a degree-negated predicate.
_DEGREE_NEG = re.compile(rf"(?:不太|不够|不很|不是很|不是太|不怎么|不甚|不算太|不大)({_H}{{1,2}})")
_DEGREE_OK = re.compile(r"^(?:计较|在乎|在意|看重|张扬|的|地|得|了|吗|呢|不小|不少)")

# A clause ending in 不 + a short predicate: "时间不固定", "拖着不学".
_FINAL_NEG = re.compile(rf"不({_H}{{1,2}})$")
_FINAL_NEG_GUARD = frozenset("从来决绝毫永也都亦再并点")
_FAULT_WORDS = frozenset(cues.SHORT_ADJ + cues.SHORT_NOUN)  # 不 + a fault word is praise: 不拖拉
# First characters after 不 that make no fault: complements, function words, praise (不错, 不懈).
_FINAL_NEG_OK = frozenset("了住开完起上下出过来去到着动得但仅管论如禁必用时久断停已由止同等一再错俗凡菲懈倦误"
                          "落漏让少小差输减变移渝悔苟息休朽亢卑扰乱偏歇慌怕计辞收取拿占贪要图")
_OTHERS = re.compile(r"(?:群众|村民|居民|家长|患者|病人|有人|有的人|个别人|别人|对方|老百姓|学生|孩子|乘客)[都也还]?$")

# 过于严厉, 等候时间过长, 热心过了头.
_EXCESS = re.compile(
    rf"(?:过于|过分|太过|过度)(?!疲劳|劳累){_H}|过了头|过头了|过火|"
    r"(?<![经通超度渡越跨穿透闯错路走做干办讲学看听用吃说谈想去来到问读写审算放改翻滤难好不])"
    r"过[长短多少慢快高低大宽严重密频松软粗急](?=$|了|的|些|地)|"
    rf"太(?!好|棒|感谢|辛苦|累|忙|不容易|难得|可贵|了不起|平|阳|多次|多年){_H}{{1,2}}(?:了|些|点|了点|了些)?$"
)

# 做不了, 弄不懂, 忙不过来: a task beyond the subject; 停留在口头.
_CANNOT = re.compile(
    r"[做干办写学用搞管看弄修讲说算填记跟接拿听读背打操整]不(?:了(?!解)|好|来|懂|清|会|动|完|下来|上|住|过来|明白|清楚)|"
    r"忙不过来|顾不过来|转不过来|停留在[^,;:。]{1,8}?(?:阶段|层面|水平|表面|口头|纸面|嘴上)"
)
PAST_TIME = re.compile(r"刚[^,;:。]{0,6}?时|刚开始|一开始|开始时|起初|起先|原先|当初|刚来|刚到|刚接手|刚上任|刚调来")

# 有点乱, 有些生硬, 略显单薄: a slight fault at the clause's end.
_SLIGHT = re.compile(rf"(?:有点儿|有点|有些|有一点|稍显|略显|稍有些|略有些)({_H}{{1,3}})$")
_SLIGHT_OK = re.compile(r"^(?:名气|本事|起色|成效|进步|成绩|改观|好转|收获|眉目|效果|成果|特色|本领|能耐|基础|经验|"
                        r"积蓄|想法|办法|心得|体会|变化|提高|提升|改善|进展|突破|好|新意|亮点)")

# 偶有…的情况, 时有违章发生.
_OCCASIONAL = re.compile(rf"(?:偶有|时有|偶尔有|时常有|屡有|偶见|时见|偶发|间或有){_H}")
# 有时…没人, 个别时候…急: an occasional negative event.
_SOMETIMES = re.compile(
    r"(?:有时候|有时|偶尔|个别时候|个别情况下|少数时候|有几次|有一次|有一回|有的时候)[^,;:。]{0,8}?"
    r"(?:没|不|未|忘|漏|错|晚|迟|急|冲|拖|缺|乱|找不到|联系不上)"
)
_SOMETIMES_OK = re.compile(r"连|顾不上|饭|觉|休息|加班|深夜|半夜|通宵|周末|假日|放弃|家|叫苦|喊累|怨")

# 一直没成立起来, 迟迟没动静, 半年没人借阅: a task not yet done.
_NOT_YET = re.compile(
    r"(?:一直|迟迟|至今|到现在|到今天|到目前为止|到目前|始终|还|仍然|仍|尚|依然|半年|一年|多年|几个月|"
    r"[0-9一二两三四五六七八九十]+(?:个月|年|周|天))(?:都|也|还)?(?:没有|没能|没|未能|未|不见)"
    rf"{_H}"
)
_NOBODY = re.compile(rf"(?:没有人|没人|无人)(?!不|说|能比|能及|能替|能敌|超过|比得上){_H}")
_NOT_YET_OK = re.compile(r"差错|出错|事故|投诉|上访|纠纷|案件|火灾|违纪|违规|问题|矛盾|意外|红脸|怨言|叫苦|喊累|"
                         r"放弃|退缩|落下|耽误|请过|缺席|迟到|早退|脱岗|离岗|间断|断过|停过|拖欠|欠|漏|丢|"
                         r"松懈|懈怠|偷懒|拿过|收过|要过|占过|闲|歇|休息")

# 全靠手工, 光靠上级拨款: dependence on something that is not a person.
_RELIANCE = re.compile(_RELY + rf"(?!{_PERSON}){_H}")
# 这不是长久之计.
_NOT_LASTING = re.compile(r"(?:不是|并非|并不是|非)(?:长久|长远)之计|不是(?:个)?(?:办法|长法)|难以为继|不可持续|长此以往")

# A rate or degree that is low (使用率低, 知晓度不高), or a bad rate that is high (差错率偏高).
_METRIC = re.compile(
    rf"({_H}{{0,4}}?)(率|度|性|量|面)(?:还|仍|也|都|一直|明显|有所|较|偏|很|太|比较|相对|持续|普遍|仍然|依然){{0,2}}"
    r"(?:[比较与][^,;:。0-9]{1,6}?)?"
    r"(不够高|不高|不大|不广|不宽|不强|不够|偏低|较低|低|下降|下滑|降低|减少|小|窄|少|差|偏高|较高|高|上升|升高|增加|居高不下)"
)
# A rate of something bad ("发案率", "近视率"): its fall is praise, its rise a fault.
_BAD_STEM = re.compile(r"(?:近视|肥胖|贫困|文盲|失业|欠薪|上访|信访|隐患|不合格|不良|复发|再犯|病|案|错|诉|故|辍|失|亡|染|"
                       r"违|犯|废|损|耗|漏|逃|盗|灾|险|返贫|超标|空置|欠|拖|误|危|难|负债|淘汰)$")
_UP = frozenset(("偏高", "较高", "高", "上升", "升高", "增加", "居高不下"))
_BY_HEAD = {"面": {"不广", "不宽", "小", "窄"}, "量": {"小", "少", "低", "不大", "下降", "减少", "偏低", "较低", "不高"},
            "性": {"不强", "不高", "不够", "差", "低", "较低", "偏低"}}


def _metric_faults(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Faults ("使用率低") and praise ("发案率下降") from rates and degrees in ``text``."""
    faults: list[tuple[int, int, str]] = []
    praise: list[tuple[int, int, str]] = []
    for m in _METRIC.finditer(text):
        stem, head, move = m.group(1), m.group(2), m.group(3)
        allowed = _BY_HEAD.get(head)
        if allowed is not None and move not in allowed and move not in _UP:
            continue
        if head in "面量性" and move in _UP:
            continue  # "覆盖面大", "积极性高": never a fault
        span = (m.start(2) - min(len(stem), 2), m.end(), m.group(0))
        bad = bool(_BAD_STEM.search(stem))
        if bad == (move in _UP):
            faults.append(span)
        else:
            praise.append(span)
    return faults, praise


def form_faults(text: str) -> tuple[list[tuple[int, int, str, bool]], list[tuple[int, int, str]]]:
    """Fault forms in a folded clause, as (start, end, cue, excusable), and the praise spans.

    ``excusable`` faults (a task not done) are no fault when the sentence gives a reason ("因病").
    """
    praise = [(m.start(), m.end(), m.group(0)) for m in PRAISE_NEG.finditer(text)] if any(
        ch in text for ch in "不没毫从二任分落") else []

    def praised(s: int, e: int) -> bool:
        return any(a < e and s < b for a, b, _ in praise)

    praise.extend((m.start(), m.end(), m.group(0)) for m in SACRIFICE.finditer(text))
    out: list[tuple[int, int, str, bool]] = []
    if PAST_TIME.search(text):
        return out, praise  # "刚调来时对片区不熟": a past gap, not a current fault

    def add(s: int, e: int, cue: str, excusable: bool = False) -> None:
        if not praised(s, e):
            out.append((s, e, cue, excusable))

    m: re.Match[str] | None
    if "不" in text:
        for m in _DEGREE_NEG.finditer(text):
            if not _DEGREE_OK.match(m.group(1)):
                add(m.start(), m.end(), m.group(0))
        m = _FINAL_NEG.search(text)
        if m and text[m.start() - 2:m.start() - 1] != "不" and m.group(1)[0] not in _FINAL_NEG_OK and m.group(1) not in _FAULT_WORDS and text[m.start() - 1:m.start()] not in _FINAL_NEG_GUARD \
                and not _OTHERS.search(text, 0, m.start()) and not _DEGREE_NEG.search(text, m.start()):
            if text[m.start() - 1:m.start()] != m.group(1)[0]:  # not "行不行"
                add(m.start(), m.end(), m.group(0))
    if "过" in text or "太" in text:
        for m in _EXCESS.finditer(text):
            add(m.start(), m.end(), m.group(0))
    if "有" in text or "略" in text or "稍" in text:
        m = _SLIGHT.search(text)
        if m and not _SLIGHT_OK.match(m.group(1)):
            add(m.start(), m.end(), m.group(0))
    if "有" in text or "时" in text or "偶" in text:
        for m in _OCCASIONAL.finditer(text):
            add(m.start(), m.end(), m.group(0))
        m = _SOMETIMES.search(text)
        if m and not _SOMETIMES_OK.search(text):
            add(m.start(), m.end(), m.group(0))
    if "没" in text or "未" in text or "不见" in text or "无人" in text:
        for pattern in (_NOT_YET, _NOBODY):
            for m in pattern.finditer(text):
                if not _NOT_YET_OK.search(text, m.end() - 1, m.end() + 8):
                    add(m.start(), m.end(), m.group(0), True)
    if "靠" in text or "凭" in text or "指望" in text:
        for m in _RELIANCE.finditer(text):
            add(m.start(), m.end(), m.group(0))
    if "不" in text:
        for m in _CANNOT.finditer(text):
            add(m.start(), m.end(), m.group(0))
    elif "停留" in text:
        m = _CANNOT.search(text)
        if m:
            add(m.start(), m.end(), m.group(0))
    for m in _AABB.finditer(text):
        if m.group(1) + m.group(2) in _AABB_BAD:
            add(m.start(), m.end(), m.group(0))
        else:
            praise.append((m.start(), m.end(), m.group(0)))
    m = _NOT_LASTING.search(text)
    if m:
        add(m.start(), m.end(), m.group(0))
    if any(ch in text for ch in "率度性量面"):
        metric_faults, metric_praise = _metric_faults(text)
        for s, e, cue in metric_faults:
            add(s, e, cue)
        praise.extend(metric_praise)
    return out, praise
