"""Writes the sample roster (xlsx + csv) and sample records of a fictional village, 红旗村党总支.

Run from the repository root: ``python samples/make_samples.py``. The output is deterministic.
People, places and texts are invented. The reviews are varied on purpose so that the validator
has something to find: most state achievements, shortcomings and direction; some say "无明显不足";
one is a bare "表现良好。"; one review is pasted identically for two members; one signature has
no date; one review is dated before the fulfilment it reviews.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lxml import etree  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402

from cxzy_docs.model import dumps_records, empty_record, load_records, set_field  # noqa: E402
from cxzy_docs.xlsxsafe import csv_text, put_text  # noqa: E402

YEAR = 2025
TOTAL_BRANCH = "红旗村党总支"
PARENT = "青山镇党委"
TOWN_SECRETARY = "周明远"
B1, B2, B3 = "红旗村第一党支部", "红旗村第二党支部", "红旗村老年党支部"

# name, gender, ethnicity, birth, joined, education, position, organization
MEMBERS = [
    ("李建国", "男", "汉族", "1966-08", "1990-07-01", "大专", "村党总支书记", B1),
    ("王秀英", "女", "汉族", "1972-04", "1998-07-01", "高中", "第一党支部书记、村妇联主席", B1),
    ("张伟", "男", "汉族", "1978-11", "2005-06", "高中", "水稻种植大户", B1),
    ("张伟", "男", "汉族", "1990-02", "2016-06-28", "大专", "村委会委员、电商服务站负责人", B1),
    ("陈丽华", "女", "汉族", "1983-09", "2010-12", "中专", "村卫生室村医", B1),
    ("孙𠮷祥", "男", "汉族", "1969-05", "1995-07", "初中", "农机合作社理事长", B1),
    ("刘春燕", "女", "满族", "1987-03", "2014-07-01", "本科", "大学生村官", B1),
    ("马国庆", "男", "回族", "1965-10", "1992-03", "初中", "第一村民小组组长", B1),
    ("金顺姬", "女", "朝鲜族", "1976-08", "2003-06", "高中", "食用菌种植户", B1),
    ("刘志强", "男", "汉族", "1970-06", "1996-06-30", "高中", "第二党支部书记、村委会主任", B2),
    ("热依拉·阿不都", "女", "维吾尔族", "1989-12", "2015-06", "大专", "村小学教师", B2),
    ("周海波", "男", "汉族", "1981-04", "2008-11", "中专", "养牛场场主", B2),
    ("吴桂芝", "女", "汉族", "1974-01", "2001-07", "初中", "第三村民小组组长", B2),
    ("郑国栋", "男", "汉族", "1985-07", "2012-06", "大专", "村会计", B2),
    ("冯晓东", "男", "汉族", "1992-10", "2019-06", "本科", "返乡创业青年", B2),
    ("何玉兰", "女", "汉族", "1968-02", "1994-07", "初中", "个体工商户", B2),
    ("赵德福", "男", "汉族", "1951-03", "1975-08", "高中", "老年党支部书记", B3),
    ("钱淑琴", "女", "汉族", "1948-12", "1972-06", "初中", "退休教师", B3),
    ("高玉山", "男", "满族", "1946-07", "1968-03", "小学", "退休村干部", B3),
    ("林凤霞", "女", "汉族", "1953-05", "1980-07", "初中", "农民", B3),
    ("杨宝田", "男", "汉族", "1944-09", "1965-01", "小学", "退伍军人", B3),
]

# name, secretary, member_count, activist_count, parent
ORGANIZATIONS = [
    (TOTAL_BRANCH, "李建国", 21, 5, PARENT),
    (B1, "王秀英", 9, 2, TOTAL_BRANCH),
    (B2, "刘志强", 7, 3, TOTAL_BRANCH),
    (B3, "赵德福", 5, 0, TOTAL_BRANCH),
]


# ------------------------------------------------------------------------------------- roster


def _roster_date_text(iso: str) -> str:
    """How offices type dates into a roster: 1966.08, 1990.07.01."""
    return iso.replace("-", ".")


def write_roster_xlsx(path: Path) -> None:
    wb = Workbook()
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=11)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def table(
        ws, title: str, note: str, header: list[str], rows: list[list[object]], widths: list[float]
    ) -> None:
        last = len(header)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        put_text(ws.cell(1, 1), title).font = Font(name="宋体", size=16, bold=True)
        ws.cell(1, 1).alignment = center
        ws.row_dimensions[1].height = 30
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
        put_text(ws.cell(2, 1), note).font = font
        for c, text in enumerate(header, start=1):
            cell = put_text(ws.cell(3, c), text)
            cell.font, cell.alignment, cell.border = Font(name="宋体", size=11, bold=True), center, box
        for r, row in enumerate(rows, start=4):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                if isinstance(value, int | dt.date):
                    cell.value = value
                else:
                    put_text(cell, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy.mm.dd"
                cell.font, cell.alignment, cell.border = font, center, box
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + i)].width = w

    ws = wb.active
    ws.title = "党员"
    member_rows: list[list[object]] = []
    for i, (name, gender, eth, birth, joined, edu, pos, org) in enumerate(MEMBERS, start=1):
        # Birth typed as text (1966.08); a full join date as a real Excel date, as offices mix them.
        joined_cell: object = (
            dt.date.fromisoformat(joined) if len(joined) == 10 else _roster_date_text(joined)
        )
        member_rows.append([i, name, gender, eth, _roster_date_text(birth), joined_cell, edu, pos, org, ""])
    table(
        ws,
        f"{TOTAL_BRANCH}党员花名册",
        "填报单位：红旗村党总支（盖章）　　　　填报时间：2025年1月6日",
        [
            "序号",
            "姓 名",
            "性别",
            "民族",
            "出生年月",
            "入党时间",
            "文化程度",
            "现任职务",
            "所在党组织",
            "备注",
        ],
        member_rows,
        [6, 14, 6, 9, 10, 12, 9, 26, 18, 8],
    )
    ws2 = wb.create_sheet("党组织")
    org_rows = [[i, *org] for i, org in enumerate(ORGANIZATIONS, start=1)]
    table(
        ws2,
        f"{TOTAL_BRANCH}党组织情况表",
        "统计时间：2025年1月6日",
        ["序号", "党组织名称", "党组织书记", "党员人数", "入党积极分子数", "上级党组织"],
        org_rows,
        [6, 20, 12, 10, 16, 16],
    )
    for sheet in (ws, ws2):
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
        sheet.print_title_rows = "3:3"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    wb.properties.creator = "cxzy-docs samples"
    path.write_bytes(_stable_xlsx(wb))


def _stable_xlsx(wb: Workbook) -> bytes:
    """The workbook's bytes with fixed timestamps, so that regenerating changes nothing."""
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                root = etree.fromstring(data)
                for tag in ("created", "modified"):
                    for el in root.iter(f"{{http://purl.org/dc/terms/}}{tag}"):
                        el.text = "2025-01-06T09:00:00Z"
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 6, 9, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def _csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_text(v) if isinstance(v, str) else v for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")  # UTF-8 with BOM: what Excel opens


def write_roster_csv(members_path: Path, orgs_path: Path) -> None:
    members_path.write_bytes(
        _csv_bytes(
            ["序号", "姓名", "性别", "民族", "出生年月", "入党时间", "文化程度", "现任职务", "所在党组织"],
            [
                [i, name, g, e, _roster_date_text(b), _roster_date_text(j), edu, pos, org]
                for i, (name, g, e, b, j, edu, pos, org) in enumerate(MEMBERS, start=1)
            ],
        )
    )
    orgs_path.write_bytes(
        _csv_bytes(
            ["序号", "党组织名称", "党组织书记", "党员人数", "入党积极分子数", "上级党组织"],
            [[i, *org] for i, org in enumerate(ORGANIZATIONS, start=1)],
        )
    )


# ------------------------------------------------------------------------------------ records

PASTED_REVIEW = (
    "该同志本季度能够认真履行承诺，工作积极主动，较好地完成了各项任务，发挥了党员的先锋模范作用。"
    "不足是理论学习抓得还不够紧。今后要加强学习，进一步提高自身素质。"
)

# Member books of 红旗村第一党支部, reviewed by its secretary 王秀英.
# Each: (member index in MEMBERS, commitment, [(fulfilment, f_date, review, r_date) x4], summary, votes)
MEMBER_BOOKS = [
    (
        2,
        "1、带头推广水稻侧深施肥和秸秆全量还田，自家120亩水田全部落实，带动周边农户10户以上；\n"
        "2、汛期参加村防汛抢险队，承包第一村民小组排水沟的巡查；\n"
        "3、与村里2户脱贫监测户结对，帮助解决春耕用工和农资赊购。",
        [
            (
                "一季度参加县农技中心水稻侧深施肥培训2次，回村后在村民微信群分享培训资料；与结对的两户监测户商定春耕计划，"
                "帮助赊购化肥1.6吨。组织邻近5户农户统一订购秸秆还田机作业。",
                "2025-03-26",
                "张伟同志一季度把承诺落到了春耕准备上：带头参加侧深施肥培训，并把学到的技术在群里分享，帮助结对户赊购化肥，"
                "解决了他们开春的难处。不足是带动的农户还只有5户，离年初承诺的10户有差距，宣传方式也比较单一。"
                "下季度要抓住插秧前的关键时间，到田间地头现场示范，争取带动更多农户。",
                "2025-03-31",
            ),
            (
                "二季度自家120亩水田全部采用侧深施肥插秧，在田边组织现场观摩会1次，参加农户23人，当季新增采用侧深施肥的农户8户。"
                "帮结对户插秧用工12个，未收取报酬。",
                "2025-06-24",
                "二季度，张伟同志在自家田里办了现场观摩会，带动8户农户改用侧深施肥，加上一季度的5户，超过了年初承诺；"
                "主动帮结对户插秧，群众反映很好。存在的问题是观摩会后的跟踪指导不够，个别农户施肥量掌握不准。"
                "今后要建立示范户微信群，定期到田里查看苗情，把技术指导跟到底。",
                "2025-06-29",
            ),
            (
                "三季度汛期参加防汛巡查22次，发现并报告排水沟堵塞2处，组织村民清淤1次；协助结对户申报水稻种植保险。",
                "2025-09-25",
                "三季度汛期雨水多，张伟同志坚持巡查排水沟，及时报告险情并组织清淤，第一村民小组农田没有发生内涝；"
                "还帮结对户办理了种植保险。不足是防汛巡查记录不够规范，有几次只是口头报告。下一步要按村里的要求如实填写巡查记录，"
                "同时做好秋收秸秆还田的准备。",
                "2025-09-30",
            ),
            (
                "四季度自家水田全部完成秸秆还田；结对的两户监测户全年增收，其中一户购置了小型插秧机。全年承诺事项基本完成。",
                "2025-12-20",
                PASTED_REVIEW,
                "2025-12-27",
            ),
        ],
        "2025年，我带头推广水稻侧深施肥和秸秆还田，带动13户农户采用新技术；汛期巡查排水沟22次；与两户监测户结对帮扶，"
        "两户全年稳定增收。不足是技术指导跟踪不够，巡查记录不规范。明年要把示范带动和记录台账都抓实。",
        (18, 5, 1, 0, 9, 15),
    ),
    (
        3,
        "1、办好村电商服务站，全年帮助村民线上销售大米、木耳等农产品不少于30万元；\n"
        "2、每季度为老年人开展一次智能手机使用培训；\n"
        "3、参加村里的矛盾纠纷调解，做到小事不出村。",
        [
            (
                "一季度通过电商服务站销售大米1.8万斤、黑木耳600斤，销售额7.6万元；开展老年人智能手机培训1次，教会12名老人用手机缴纳医保、视频通话。",
                "2025-03-27",
                "张伟同志一季度把电商服务站办得有声有色，农产品线上销售开局良好，智能手机培训很受老年人欢迎。"
                "不足是网店商品图片和介绍比较粗糙，回头客不多。下季度要学习网店运营，提升产品包装和宣传，把销量做上去。",
                "2025-03-31",
            ),
            (
                "二季度新开短视频账号，拍摄村里插秧、采木耳视频15条；电商销售额8.9万元。调解邻里宅基地纠纷1起。",
                "2025-06-26",
                "二季度，该同志开通短视频账号宣传红旗村农产品，销售额比一季度增长，调解宅基地纠纷做到了小事不出村。"
                "不足是本季度没有开展老年人手机培训，没有按季度兑现承诺。下季度要补上培训，并把培训内容和防诈骗宣传结合起来。",
                None,
            ),
            (
                "三季度开展老年人手机培训2次（补上二季度），讲解防范电信诈骗；电商销售额6.3万元。",
                "2025-09-26",
                "三季度补上了老年人手机培训，并把防诈骗知识讲进课堂，做法值得肯定；电商销售受销售淡季影响有所下降。"
                "问题是对淡季销售考虑不足，准备不够。今后要提前谋划新米上市的线上销售，争取四季度实现全年目标。",
                "2025-09-30",
            ),
            (
                "四季度新米上市，线上销售额11.2万元，全年累计34万元，超过承诺；开展手机培训1次。",
                "2025-12-22",
                "张伟同志全年电商销售34万元，超额完成承诺，老年人手机培训全年开展4次。不足是电商站的账目管理还不够规范，"
                "部分代销款结算不及时。明年要建立代销台账，每月公开结算，让农户放心。",
                "2025-12-28",
            ),
        ],
        "2025年，我办好村电商服务站，全年线上销售农产品34万元，开展老年人手机培训4次，调解纠纷2起。"
        "不足是账目管理不够规范。2026年要建立代销台账，把电商服务站办成群众信得过的服务站。",
        (20, 3, 0, 0, 9, 14),
    ),
    (
        4,
        "1、做好村民基本公共卫生服务，65岁以上老人健康体检率达到90%以上；\n"
        "2、每月上门随访高血压、糖尿病患者一次；\n"
        "3、动员村民按时缴纳城乡居民医保，参保率不低于98%。",
        [
            (
                "一季度随访高血压患者46人次、糖尿病患者18人次；动员村民缴纳医保，全村参保率98.6%；为行动不便的老人上门代缴医保9人。",
                "2025-03-25",
                "陈丽华同志一季度随访工作扎实，医保动员中挨家挨户上门，为行动不便的老人代缴医保，参保率达到98.6%，完成了承诺。"
                "不足是随访记录填写不够及时，有的隔几天才补录。下季度要做到随访当天录入系统，同时做好春季传染病防控宣传。",
                "2025-03-31",
            ),
            (
                "二季度组织65岁以上老人集中体检，参加体检132人，体检率91%；随访慢病患者64人次。",
                "2025-06-25",
                "二季度，陈丽华同志组织老年人集中体检，体检率达到91%，慢病随访按月进行，群众满意。本季度工作无明显不足。"
                "希望继续保持，做好夏季肠道传染病的预防宣传。",
                "2025-06-30",
            ),
            (
                "三季度开展夏季防溺水、防中暑宣传3次；随访慢病患者64人次；为体检发现问题的11名老人联系镇卫生院复查。",
                "2025-09-24",
                "三季度，陈丽华同志对体检中发现问题的老人逐一联系复查，做到了早发现早治疗，宣传工作也比较到位。"
                "不足是健康宣传形式单一，主要是发传单。今后要多利用村广播和微信群，用群众听得懂的话讲健康知识。",
                "2025-09-29",
            ),
            (
                "四季度完成全年慢病随访任务；开展冬季一氧化碳中毒预防宣传，入户检查火炕烟道37户。",
                "2025-12-21",
                PASTED_REVIEW,
                "2025-12-27",
            ),
        ],
        "2025年，我全年随访慢病患者250余人次，组织老人体检132人，医保参保率98.6%，入户检查火炕烟道37户。"
        "不足是健康宣传形式单一。2026年要把健康宣传做到群众心里去。",
        (21, 2, 0, 0, 9, 14),
    ),
    (
        5,
        "1、农机合作社为全村农户提供代耕代收服务，收费低于市场价10%；\n"
        "2、为村里3户困难户免费代耕；\n"
        "3、冬季组织农机手清扫村内道路积雪。",
        [
            (
                "一季度检修合作社拖拉机、插秧机、收割机共14台；冬季组织农机手清雪6次，清扫村道4.5公里。",
                "2025-03-28",
                "孙𠮷祥同志一季度组织检修农机，为春耕做好准备，冬季带领农机手清雪6次，保障了村民出行。"
                "不足是合作社的收费标准还没有向村民公开。下季度要把代耕收费标准张榜公布，接受群众监督。",
                "2025-03-20",
            ),
            (
                "二季度为农户代耕代插水田1850亩，收费比市场价低12%，张榜公开收费标准；为3户困难户免费代耕42亩。",
                "2025-06-24",
                "二季度，该同志带领合作社完成代耕代插1850亩，收费低于市场价，收费标准张榜公开，为困难户免费代耕，兑现了承诺。"
                "本季度无明显不足。希望继续保持，做好秋收农机的调度准备。",
                "2025-06-29",
            ),
            (
                "三季度组织农机手参加县里的农机安全培训；完成秋收前农机检修。",
                "2025-09-25",
                "表现良好。",
                "2025-09-30",
            ),
            (
                "四季度代收水稻2100亩；为困难户免费代收；组织清雪2次。",
                "2025-12-23",
                "孙𠮷祥同志四季度组织代收水稻2100亩，全年为困难户免费代耕代收，兑现了年初承诺。不足是合作社财务制度还不健全，"
                "年底分红方案群众有疑问。明年要请村会计帮助建立财务制度，分红方案经社员大会讨论后公开。",
                "2025-12-28",
            ),
        ],
        "2025年，合作社代耕代插1850亩、代收2100亩，为3户困难户免费服务，组织清雪8次。合作社财务制度不够健全，"
        "明年要规范管理，让社员明明白白分红。",
        (15, 6, 2, 0, 9, 14),
    ),
]

ORG_BOOKS = [
    # name, secretary, reviewer, commitment, [(fulfilment, date, review, date) x2], summary, votes, reviewer date
    (
        B1,
        "王秀英",
        "李建国",
        "1、开展“党员联户”活动，每名党员联系10户左右群众，全年走访不少于4轮；\n"
        "2、建设村级电商服务站，帮助群众销售农产品；\n"
        "3、组织党员参与人居环境整治，每月开展一次义务劳动。",
        [
            (
                "上半年支部党员联系群众198户，走访2轮，收集意见建议27条，已解决21条；电商服务站4月正式运营，销售额16.5万元；"
                "开展义务劳动6次，清理垃圾和柴草堆43处。",
                "2025-06-25",
                "第一党支部上半年党员联户工作扎实，收集的27条意见建议解决了21条，电商服务站运营当年见效，义务劳动坚持每月开展。"
                "不足是部分年纪大的党员联户走访流于形式，记录简单。下半年要对联户记录逐户检查，把群众反映的问题落实到人、限期办结。",
                "2025-06-30",
            ),
            (
                "下半年走访2轮，收集意见建议19条，解决17条；电商服务站全年销售34万元；义务劳动6次；冬季组织党员清雪。",
                "2025-12-22",
                "第一党支部下半年完成了全年联户走访任务，群众反映问题解决率较高，电商服务站超额完成销售目标。"
                "本年度支部工作无明显不足。希望明年继续探索党员联户的新办法，带动更多群众增收。",
                "2025-12-29",
            ),
        ],
        "2025年，第一党支部9名党员联系群众198户，走访4轮，收集意见建议46条，解决38条；村电商服务站销售农产品34万元；"
        "开展义务劳动12次。存在的问题是个别党员作用发挥不明显。2026年要加强党员教育管理，推动党员人人有承诺、个个有作为。",
        (27, 6, 1, 0, 9, 25),
        "2026-01-12",
    ),
    (
        TOTAL_BRANCH,
        "李建国",
        TOWN_SECRETARY,
        "1、全村落实秸秆全量还田，全年不发生秸秆露天焚烧；\n"
        "2、推进“美丽庭院”创建，创建户达到全村农户的30%；\n"
        "3、壮大村集体经济，集体经营性收入达到25万元；\n"
        "4、三个党支部按季度开展党员点评，做到点评全覆盖。",
        [
            (
                "上半年秸秆还田面积1.1万亩，未发生露天焚烧；创建“美丽庭院”示范户58户；村集体出租闲置校舍和机动地，收入11万元；"
                "各支部完成一季度、二季度党员点评。",
                "2025-06-26",
                "红旗村党总支上半年秸秆禁烧工作抓得紧，没有发生露天焚烧；美丽庭院创建起步快，集体经济收入过半。"
                "不足是老年党支部的点评比较简单，点评意见千篇一律，没有指出具体不足。下半年要对各支部点评质量进行检查，"
                "党总支书记要参加老年党支部的点评会。",
                "2025-07-03",
            ),
            (
                "下半年秸秆还田面积1.2万亩；美丽庭院创建户累计112户，占全村农户31%；集体经营性收入全年26.4万元；"
                "组织各支部开展年度党员群众评议。",
                "2025-12-24",
                "党总支全年承诺事项全部兑现，集体经济收入达到26.4万元，美丽庭院创建户超过30%。不足是党员点评中仍有"
                "套话空话，个别点评内容雷同。明年要建立点评台账，定期通报点评质量。",
                "2025-12-30",
            ),
        ],
        "2025年，红旗村党总支带领3个党支部、21名党员，秸秆还田2.3万亩，全年没有发生露天焚烧；美丽庭院创建户112户；"
        "村集体经营性收入26.4万元；各支部按季度开展党员点评。存在的问题是点评质量参差不齐。2026年要把点评和整改落实结合起来。",
        (48, 12, 3, 0, 21, 42),
        "2026-01-15",
    ),
]


def _sign(rec: dict, path: str, name: str | None, date: str | None) -> None:
    set_field(rec, f"{path}.name", name)
    set_field(rec, f"{path}.date", date)


def member_records() -> list[dict]:
    out = []
    reviewer = "王秀英"
    for idx, commitment, periods, summary, votes in MEMBER_BOOKS:
        name = MEMBERS[idx][0]
        rec = empty_record("member", YEAR)
        for key, value in zip(
            ("name", "gender", "ethnicity", "birth", "joined", "education", "position", "organization"),
            MEMBERS[idx],
            strict=True,
        ):
            set_field(rec, f"subject.{key}", value)
        set_field(rec, "commitment.text", commitment)
        _sign(rec, "commitment.self_sign", name, "2025-01-15")
        _sign(rec, "commitment.reviewer_sign", reviewer, "2025-01-18")
        for code, (fulfil, f_date, review, r_date) in zip(("Q1", "Q2", "Q3", "Q4"), periods, strict=True):
            set_field(rec, f"periods.{code}.fulfilment.text", fulfil)
            _sign(rec, f"periods.{code}.fulfilment.sign", name, f_date)
            set_field(rec, f"periods.{code}.review.text", review)
            _sign(rec, f"periods.{code}.review.sign", reviewer, r_date)
        set_field(rec, "annual.summary", summary)
        for key, n in zip(
            (
                "satisfied",
                "fairly_satisfied",
                "average",
                "dissatisfied",
                "members_attending",
                "public_attending",
            ),
            votes,
            strict=True,
        ):
            set_field(rec, f"annual.evaluation.{key}", n)
        _sign(rec, "annual.reviewer_sign", reviewer, "2026-01-10")
        out.append(rec)
    return out


def org_records() -> list[dict]:
    out = []
    counts = {o[0]: o for o in ORGANIZATIONS}
    for name, secretary, reviewer, commitment, periods, summary, votes, annual_date in ORG_BOOKS:
        rec = empty_record("organization", YEAR)
        _, _, members, activists, parent = counts[name]
        set_field(rec, "subject.name", name)
        set_field(rec, "subject.secretary", secretary)
        set_field(rec, "subject.member_count", members)
        set_field(rec, "subject.activist_count", activists)
        set_field(rec, "subject.parent", parent)
        set_field(rec, "commitment.text", commitment)
        _sign(rec, "commitment.self_sign", secretary, "2025-01-20")
        _sign(rec, "commitment.reviewer_sign", reviewer, "2025-01-24")
        for code, (fulfil, f_date, review, r_date) in zip(("H1", "H2"), periods, strict=True):
            set_field(rec, f"periods.{code}.fulfilment.text", fulfil)
            _sign(rec, f"periods.{code}.fulfilment.sign", secretary, f_date)
            set_field(rec, f"periods.{code}.review.text", review)
            _sign(rec, f"periods.{code}.review.sign", reviewer, r_date)
        set_field(rec, "annual.summary", summary)
        for key, n in zip(
            (
                "satisfied",
                "fairly_satisfied",
                "average",
                "dissatisfied",
                "members_attending",
                "public_attending",
            ),
            votes,
            strict=True,
        ):
            set_field(rec, f"annual.evaluation.{key}", n)
        _sign(rec, "annual.reviewer_sign", reviewer, annual_date)
        out.append(rec)
    return out


def main(out_dir: Path = HERE) -> None:
    write_roster_xlsx(out_dir / "roster.xlsx")
    write_roster_csv(out_dir / "roster.csv", out_dir / "organizations.csv")
    records_path = out_dir / "records.json"
    records_path.write_text(dumps_records(member_records() + org_records()) + "\n", encoding="utf-8")
    load_records(records_path)  # every record checked against cxzy.record/1


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
