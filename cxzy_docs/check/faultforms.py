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
_HARDSHIP = (
    r"(?:辛苦|劳苦|麻烦|苦|累|脏|险|烦|条件|价钱|报酬|回报|名利|个人得失|得失|红包|好处|礼|"
    r"一分钱|钱|困难|代价|委屈|怨言|名|利)"
)
_BARE = (
    r"(?:徇私|徇情|怨言|二话|含糊|马虎|计较|退缩|放弃|懈怠|张扬|推辞|推脱|推诿|叫苦|喊累|抱怨|松劲|掉队|耽误|误事|"
    r"褪色|变色|变质|走样|落伍)"
)
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

# Willingness shown: "肯出力", "舍得下本钱", "敢管" (不肯 is a fault, and stays one).
WILLING = re.compile(rf"(?<![不没别])(?:肯|舍得|乐意|敢于|敢)(?!定|不|没){_H}")

# An outcome in plain speech: a thing done with its result ("桥修好了", "配齐了两名委员", "办起来了"), or a
# place or state better than before ("街上干净多了", "气氛活了不少", "丢车的少了").
_NOT_A_VERB = "就都也还太很真快要得了算正刚最不没说只挺够差更多少早晚来去是会能好看听想别才又再这那个些点"
OUTCOME = re.compile(
    rf"(?<![{_NOT_A_VERB}])(?:[修建盖铺架装搭办搞弄理配补筹凑种栽清通接收签谈跑批拆填堵换改治]|整理|落实|解决|安排|调整)"
    r"(?:好|齐|通|成|起来|下来|完|妥|全|上|清|掉|走|平|亮|顺)了"
)
_BETTER_ADJ = (
    "干净|整洁|方便|顺畅|通畅|畅通|亮堂|明亮|宽敞|热闹|和睦|安全|规范|清楚|齐全|平整|整齐|活跃|"
    "好看|漂亮|顺当|利索|踏实|安心|放心|满意|融洽|团结|好|活|顺|亮|净|美|绿|齐|稳"
)
BETTER = re.compile(rf"(?:{_BETTER_ADJ})(?:多了|了不少|了许多|了很多|起来了|得多了)")
# Bad things grown fewer: "丢自行车的少了", "上访的没了".
_BAD_THINGS = (
    r"丢|偷|盗|吵|闹|打架|上访|告状|事故|纠纷|违章|投诉|矛盾|积水|垃圾|脏|乱|堵|漏|火灾|案|赌|酒驾|"
    r"乱扔|乱倒|乱堆|怨言|意见|扯皮|红脸"
)
FEWER_BAD = re.compile(
    rf"(?:{_BAD_THINGS})[^,;:。]{{0,6}}?的?(?:少了|没了|不见了|少多了|几乎没了|绝迹了|减少了)"
)

# A doubled adjective (AABB) reads by its base: "整整齐齐" praise, "拖拖拉拉" a fault.
_AABB = re.compile(rf"({_H})\1({_H})\2")
_AABB_BAD = frozenset(
    "冷清 稀拉 松垮 磨蹭 吞吐 躲闪 懒散 散漫 马虎 拖拉 含糊 糊涂 慌张 毛躁 啰嗦 唠叨 吵闹 零散 "
    "断续 拉扯 推诿 冒失 迷糊 抠搜 扭捏 稀松".split()
)

# Habitual negators: "从不缺席" credits the subject (rule 2: 按时交纳党费), unlike "没有发现违纪问题".
HABITUAL_NEG = re.compile(
    r"(?:从来没有|从来没|从来不|从没有|从没|从未|从不曾|从不|一次也没有?|一次都没有?|一天也没有?)[^,;:。]{0,5}$"
)

# Credit to a person: "全靠他张罗", "多亏了老王".
_PERSON = (
    rf"(?:他|她|你|您|大家|该同志|支部|书记|党员们|老(?!办法|经验|方法|一套|习惯|思路|路子|本)"
    rf"|{_H}{{1,2}}(?:书记|主任|同志|师傅|大姐|大哥|老师|医生|大夫|站长|所长))"
)
_RELY = r"(?:全靠|只靠|光靠|单靠|仅靠|全凭|光凭|只凭|全指望|就靠|都靠|多亏了?|幸亏|全仗)"
CREDIT = re.compile(_RELY + _PERSON)

# A named skill or area with a verdict at the clause's end: "养殖技术好", "教学质量高".
TOPIC_VERDICT = re.compile(
    rf"({_H}{{2,10}}?)(?:很|较|比较|特别|非常|挺|相当|都|也|又|更|最)?"
    r"(?:过硬|过得硬|扎实|精湛|在行|有一套|准确|及时|规范|到位|清楚|干净|整齐|周到|利索|麻利|漂亮|拿手|有序|齐全|"
    r"明白|透彻|灵活|公道|不错|不赖|好|强|精|高|快|硬|棒|准|稳|足|勤|细|实|熟)$"
)
NOT_A_TOPIC = re.compile(
    r"身体|条件|基础|家境|天气|年纪|年龄|运气|底子|环境|位置|交通|心情|不|没|差|低|率|"
    r"工作|各项|各方面|本职|情况|反映|反响|评价|表现|总体|整体|成绩|任务|要求|标准"
)

# ------------------------------------------------------------------------------------ faults

# 不太熟, 不够灵活, 不是很规范: a degree-negated predicate.
_DEGREE_NEG = re.compile(rf"(?:不太|不够|不很|不是很|不是太|不怎么|不甚|不算太|不大)({_H}{{1,2}})")
_DEGREE_OK = re.compile(r"^(?:计较|在乎|在意|看重|张扬|的|地|得|了|吗|呢|不小|不少)")

# A clause ending in 不 + a short predicate: "时间不固定", "拖着不学".
_FINAL_NEG = re.compile(rf"不({_H}{{1,2}})$")
_FINAL_NEG_GUARD = frozenset("从来决绝毫永也都亦再并点")
_FAULT_WORDS = frozenset(cues.SHORT_ADJ + cues.SHORT_NOUN)  # 不 + a fault word is praise: 不拖拉
# First characters after 不 that make no fault: complements, function words, praise (不错, 不懈).
_FINAL_NEG_OK = frozenset(
    "了住开完起上下出过来去到着动得但仅管论如禁必用时久断停已由止同等一再错俗凡菲懈倦误赖"
    "落漏让少小差输减变移渝悔苟息休朽亢卑扰乱偏歇慌怕计辞收取拿占贪要图"
)
_OTHERS = re.compile(
    r"(?:群众|村民|居民|家长|患者|病人|有人|有的人|个别人|别人|对方|老百姓|学生|孩子|乘客)[都也还]?$"
)

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
# Softened faults: "简单了些", "慢了点", "粗了一点", "差点劲", "欠点火候", "还得再下功夫".
SOFTENED = re.compile(
    r"(?:简单|粗|粗糙|慢|弱|急|软|松|散|乱|差|浅|窄|淡|薄|嫩|毛躁|被动|保守|随意|马虎|急躁|单一|死板|笼统|生硬|拖拉|"
    r"晚|迟|少|冲|硬|懒|闷|偏|窄|短|低)(?:了|得)?(?:些|点|一些|一点|点儿|了点|了些)(?![钱人次个件])"
    r"|差(?:点|了点|一点|些|一些)(?:劲|火候|意思|功夫|力度|气候|味道|儿)"
    r"|欠(?:点|些|一点|把)(?:火候|劲|火|功夫)|还差(?:点|些|一点|得远|口气|把火)"
    r"|(?:还得|还要|还需|得|还须)再?(?:下|多下|花|多花|加)(?:点|些|一点|把)?(?:功夫|工夫|力气|劲|力)"
)
# A complement of manner that is a fault: "账记得乱", "字写得潦草", "会开得少", "抓得不紧".
_MANNER_BAD = (
    r"乱|差|慢|晚|少|粗|松|散|潦草|马虎|简单|粗糙|随便|草率|拖拉|稀|马马虎虎|稀里糊涂|"
    r"不(?!错|赖|差|坏|简单|容易|少|慢|久|多)[\u4e00-\u9fff]{1,2}"
)
MANNER = re.compile(rf"[{cues.HAN}]得(?:太|有点|有些|比较|较|很|过于|还是|还|也|都|更)?(?:{_MANNER_BAD})")
# Standing named as a capable hand: "工作上是把好手", "是种菜的行家".
CAPABLE = re.compile(
    r"是(?:把|个|一把|一个|位|名)?[^,;:。]{0,4}?(?:好手|能手|行家|里手|把式|内行|骨干|多面手|顶梁柱|主心骨)"
)
# Leave taken again and again, work left to others: "请了三回假", "都是别人替她做的".
ABSENT = re.compile(
    r"请了?[^,;:。]{0,3}?(?:回|次|天|趟)假|(?:别人|旁人|人家|其他人)(?:替|帮|代)(?:他|她)(?:做|干|办|完成|值)"
)
# A complement of manner that is praise: "这事办得漂亮", "路灯修得及时", "干得不赖".
MANNER_GOOD = re.compile(
    rf"[{cues.HAN}]得(?:很|挺|真|特别|非常|十分|相当|都|也|最)?(?:好|漂亮|不错|不赖|扎实|细|实|快|紧|严|勤|出色|利索|干净|明白|清楚|"
    r"及时|到位|周到|认真|仔细|红火|有声有色|井井有条|像模像样|热热闹闹|漂漂亮亮)(?![^,;:。]{0,2}(?:些|点|吗|么))"
)
# A clean record: "半年一个工伤都没出", "一笔错账也没有".
ZERO_RECORD = re.compile(
    rf"一(?:个|起|次|笔|件|回|例|份|张|天)?{_H}{{0,4}}?(?:都|也)(?:没有?|未)(?:出(?![去来])|发生|出现|丢|错|误|漏|断)"
    r"|一(?:个|起|次|笔|件|回|例|份)(?:差错|错账|错|事故|投诉|案子|纠纷|违章|工伤)(?:都|也)没有?"
    r"|(?:没|没有|未|再没|再也没)(?:出|发生)过?(?:一点|一次|一起|任何|什么|啥)?(?:事|问题|差错|岔子|纰漏|事故|险情)"
)
# A habit that is a fault: "交材料总拖", "开会老迟到", "动不动就发火".
HABIT_BAD = re.compile(
    r"(?:总|老|总是|老是|常常|经常|动不动就?|时不时|三天两头)(?:拖|忘|晚|迟|缺|躲|推|吵|骂|闹|喝酒|打牌|玩手机|"
    r"发火|发脾气|抱怨|发牢骚|顶撞|走神|打瞌睡|请假|不在|找不着|找不到|联系不上)"
)
# Complaints that are many or loud: "邻居们意见不小", "牢骚挺多".
COMPLAINTS = re.compile(r"(?:意见|怨气|怨言|牢骚|闲话)(?:很|挺|比较|较|非常|可|也)?(?:大|不小|多|不少)")
# Others' criticism, or being caught: "好几个人说过他了", "让车间主任逮着过", "挨了批".
CRITICISED = re.compile(
    r"(?:说过|说了|批评过|批评了|数落过|数落了|提醒过|提醒了)(?:他|她)(?:好几|几|多|两|三)?(?:回|次|遍)?了?$"
    r"|(?:让|被|叫)[^,;:。]{1,8}?(?:逮着|逮住|抓着|抓住|抓到|撞见|看见)(?:过|了)?$|挨了?(?:批|骂|说|训)"
)
# A doing verb not done: "这季度基本没露面", "村里的事也没管", "答应的事一件没办".
NOT_DONE = re.compile(
    r"(?<![再从])(?:没有|没|未)(?:怎么|咋|太|大)?(?:露面|露过面|来过|来|去过|去|到过|管过|管|问过|问|办|动过|动|理过|理|"
    r"改|记|写|交|报|补|更新|换|修|查|"
    r"见人|回音|回复|落实|兑现|跟进|上心|当回事)(?:过)?$"
    r"|(?:找不着|找不到|见不着|见不到|联系不上)人|没见(?:着|到)[^,;:。]{0,3}?(?:人影|人)|(?:电话|微信|信息)(?:也|都)?不(?:接|回)"
)
# Nothing at all done: "一只羊也没买", "一件也没有完成" (a bad event not happening is a clean record instead).
NONE_DONE = re.compile(
    rf"一(?:个|只|件|次|回|分|笔|户|亩|头|棵|趟|篇)?{_H}{{0,3}}?(?:也|都)(?:没有|没|未)"
    r"(?!出|发生|出现|丢|错|误|漏|断|耽误|落下|缺|迟|早退|旷|脱|离|违|犯|请过|红过|吵|闹|拖|欠|少)[\u4e00-\u9fff]"
)
# Trusted by others: "群众有事愿意找他", "大伙都信得过她".
TRUSTED = re.compile(
    r"(?:群众|大家|大伙|村民|居民|乡亲们?|老百姓)[^,;:。]{0,4}?(?:愿意|爱|喜欢|都找|信得过|离不开)(?:找|跟|和)?(?:他|她)"
)
# Lacking something a task needs: "没个准点", "没个记录", "没啥规矩".
# Neglect of everything: "村里的事啥也不管", "什么都没干".
NEGLECT = re.compile(
    r"(?:啥|什么|哪样|谁)(?:也|都)(?:不|没|没有)(?!怕|图|计较|要|求|缺|落下|耽误|误)[\u4e00-\u9fff]"
)
LACKING = re.compile(
    r"没(?:个|啥|什么)(?!毛病|问题|缺点|不足|差错|说的|可挑|挑的|好挑|可说|意见|怨言|架子|二话|亮点|特色|出彩|突出)"
    rf"[{cues.HAN}]{{1,3}}"
)


def _needs(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{chars}]")


PAST_TIME = re.compile(
    r"刚[^,;:。]{0,6}?时|刚开始|一开始|开始时|起初|起先|原先|当初|刚来|刚到|刚接手|刚上任|刚调来"
)

# 有点乱, 有些生硬, 略显单薄: a slight fault at the clause's end.
_SLIGHT = re.compile(rf"(?:有点儿|有点|有些|有一点|稍显|略显|稍有些|略有些)({_H}{{1,3}})$")
_SLIGHT_OK = re.compile(
    r"^(?:名气|本事|起色|成效|进步|成绩|改观|好转|收获|眉目|效果|成果|特色|本领|能耐|基础|经验|"
    r"积蓄|想法|办法|心得|体会|变化|提高|提升|改善|进展|突破|好|新意|亮点)"
)

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
_NOT_YET_OK = re.compile(
    r"差错|出错|事故|投诉|上访|纠纷|案件|火灾|违纪|违规|问题|矛盾|意外|红脸|怨言|叫苦|喊累|"
    r"放弃|退缩|落下|耽误|请过|缺席|迟到|早退|脱岗|离岗|间断|断过|停过|拖欠|欠|漏|丢|"
    r"松懈|懈怠|偷懒|拿过|收过|要过|占过|闲|歇|休息"
)

# 全靠手工, 光靠上级拨款: dependence on something that is not a person.
_RELIANCE = re.compile(_RELY + rf"(?!{_PERSON}){_H}")
# 这不是长久之计.
_NOT_LASTING = re.compile(
    r"(?:不是|并非|并不是|非)(?:长久|长远)之计|不是(?:个)?(?:办法|长法)|难以为继|不可持续|长此以往"
)

# A rate or degree that is low (使用率低, 知晓度不高), or a bad rate that is high (差错率偏高).
_METRIC = re.compile(
    rf"({_H}{{0,4}}?)(率|度|性|量|面)(?:还|仍|也|都|一直|明显|有所|较|偏|很|太|比较|相对|持续|普遍|仍然|依然){{0,2}}"
    r"(?:[比较与][^,;:。0-9]{1,6}?)?"
    r"(不够高|不高|不大|不广|不宽|不强|不够|偏低|较低|低|下降|下滑|降低|减少|小|窄|少|差|偏高|较高|高|上升|升高|增加|居高不下)"
)
# A rate of something bad ("发案率", "近视率"): its fall is praise, its rise a fault.
_BAD_STEM = re.compile(
    r"(?:近视|肥胖|贫困|文盲|失业|欠薪|上访|信访|隐患|不合格|不良|复发|再犯|病|案|错|诉|故|辍|失|亡|染|"
    r"违|犯|废|损|耗|漏|逃|盗|灾|险|返贫|超标|空置|欠|拖|误|危|难|负债|淘汰)$"
)
_UP = frozenset(("偏高", "较高", "高", "上升", "升高", "增加", "居高不下"))
_BY_HEAD = {
    "面": {"不广", "不宽", "小", "窄"},
    "量": {"小", "少", "低", "不大", "下降", "减少", "偏低", "较低", "不高"},
    "性": {"不强", "不高", "不够", "差", "低", "较低", "偏低"},
}


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


# Each spoken form with the characters one of its matches must contain (a cheap skip).
_SPOKEN_FAULTS = (
    (SOFTENED, _needs("些点劲火功工力")),
    (HABIT_BAD, _needs("总老常动时天")),
    (CRITICISED, _needs("他她逮抓撞看挨")),
    (NOT_DONE, _needs("没未找见联")),
    (LACKING, _needs("没")),
    (COMPLAINTS, _needs("意怨牢闲")),
    (NEGLECT, _needs("啥么谁样")),
    (MANNER, _needs("得")),
    (ABSENT, _needs("假替代")),
    (NONE_DONE, _needs("也都")),
)
_SPOKEN_PRAISE = (
    (WILLING, _needs("肯舍乐敢")),
    (OUTCOME, _needs("了")),
    (BETTER, _needs("了")),
    (FEWER_BAD, _needs("少没见绝减")),
    (MANNER_GOOD, _needs("得")),
    (ZERO_RECORD, _needs("没未")),
    (CAPABLE, _needs("手家式行干柱骨")),
    (TRUSTED, _needs("他她")),
)


def form_faults(text: str) -> tuple[list[tuple[int, int, str, bool]], list[tuple[int, int, str]]]:
    """Fault forms in a folded clause, as (start, end, cue, excusable), and the praise spans.

    ``excusable`` faults (a task not done) are no fault when the sentence gives a reason ("因病").
    """
    praise = (
        [(m.start(), m.end(), m.group(0)) for m in PRAISE_NEG.finditer(text)]
        if any(ch in text for ch in "不没毫从二任分落")
        else []
    )

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
        if (
            m
            and text[m.start() - 2 : m.start() - 1] != "不"
            and m.group(1)[0] not in _FINAL_NEG_OK
            and m.group(1) not in _FAULT_WORDS
            and text[m.start() - 1 : m.start()] not in _FINAL_NEG_GUARD
            and not _OTHERS.search(text, 0, m.start())
            and not _DEGREE_NEG.search(text, m.start())
        ):
            if text[m.start() - 1 : m.start()] != m.group(1)[0]:  # not "行不行"
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
    for pattern, needs in _SPOKEN_FAULTS:
        if needs.search(text):
            for m in pattern.finditer(text):
                add(m.start(), m.end(), m.group(0), pattern is NOT_DONE)
    for pattern, needs in _SPOKEN_PRAISE:
        if needs.search(text):
            praise.extend((m.start(), m.end(), m.group(0)) for m in pattern.finditer(text))
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
