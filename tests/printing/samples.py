"""Realistic domain objects for the printing tests and the benchmark: a
community room, a meeting on parking and a leaking roof, residents with rare
name characters (堃, 喆, 旸), and minutes of any length."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from desktop.domain.entities import ActionItem, AgendaItem, Meeting, Minutes, Outcome, Participant, Room, Statement, Topic
from desktop.domain.enums import Attendance, MeetingType, MinutesStatus, ParticipantKind, Role, TopicSource, TopicStatus
from desktop.domain.minutes import MinutesBundle, fingerprint

SERVER = "https://xieshang.qjp.example.gov.cn"
PRINTED_AT = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)  # 下午3时05分 in China
STARTS = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 上午9时30分
ENDS = datetime(2026, 11, 27, 3, 40, tzinfo=UTC)  # 上午11时40分


def room(server_url: str = SERVER) -> Room:
    return Room(id="room-1", code="QJP-001", name="清江浦区水渡口社区协商议事室", township="水渡口街道", county="清江浦区", server_url=server_url)


def meeting(**kw) -> Meeting:
    base = dict(
        id="0193f0a0-7c3e-7abc-9def-0123456789ab", room_id="room-1", title="关于小区停车难和3号楼屋面渗漏问题的专题协商",
        type=MeetingType.THEMATIC, serial_no=7, starts_at=STARTS, ends_at=ENDS, place="水渡口社区党群服务中心二楼议事厅",
        convenor="孙喆", host="周旸", recorder="吴佳", created_at=STARTS - timedelta(days=5),
    )
    base.update(kw)
    return Meeting(**base)


TOPIC_TITLES = [
    ("小区停车位不足，晚上消防通道被占", "幸福里小区共有住户612户，登记车辆430余辆，地面车位仅180个。每天晚上7点以后消防通道两侧停满车辆，救护车、消防车难以进入，居民多次反映。"),
    ("3号楼屋面渗漏，顶层住户家中墙面发霉", "3号楼建成于2002年，屋面防水层老化。今年入夏以来，6户顶层住户家中出现渗漏，墙面发霉，影响正常生活。"),
    ("菜市场门口早高峰占道经营", "每天早上6点至8点，菜市场门口有流动摊贩占道经营，学生上学通行不便，存在安全隐患。"),
    ("老旧小区加装电梯意见不统一", "5号楼一单元部分住户希望加装电梯，低楼层住户担心采光和噪音，意见分歧较大。"),
    ("小区路灯损坏，夜间出行不便", "小区内共有路灯46盏，其中11盏损坏，老年人夜间出行存在安全隐患。"),
    ("垃圾分类投放点异味扰民", "2号楼东侧垃圾分类投放点夏季异味明显，附近住户希望调整位置或增加清运频次。"),
    ("健身器材老化需更换", "小区广场健身器材使用已超过十年，部分器材松动生锈，存在安全隐患。"),
    ("电动车进楼道充电隐患", "部分住户将电动车推进楼道充电，存在火灾隐患，需要增设集中充电桩。"),
    ("小区绿化带被私自种菜", "部分居民在公共绿化带内私自种菜，破坏绿化，引发邻里矛盾。"),
    ("物业服务费上调引发争议", "物业公司提出将服务费由每平方米0.6元上调至0.9元，业主意见较大。"),
]

NAMES = [
    "王堃", "李喆", "张旸", "刘德华", "陈建国", "杨秀英", "赵玉兰", "黄志强", "周桂芳", "吴海燕",
    "徐明亮", "孙丽娟", "胡国平", "朱春梅", "高永红", "林文博", "何晓东", "郭淑珍", "马建华", "罗玉梅",
    "梁家辉", "宋志刚", "郑秀兰", "谢宏伟", "韩桂英", "唐建军", "冯丽华", "于海洋", "董玉珍", "萧晓明",
]
ROLES = [Role.RESIDENT_REP, Role.RESIDENT_REP, Role.CPPCC_MEMBER, Role.DEPARTMENT, Role.PROPERTY, Role.RESIDENT_REP, Role.VILLAGE_ELITE, Role.GRID_WORKER, Role.EXPERT, Role.ENTERPRISE]
UNITS = {Role.DEPARTMENT: "清江浦区住房和城乡建设局", Role.PROPERTY: "幸福里物业服务有限公司", Role.ENTERPRISE: "淮安市恒通建设有限公司", Role.CPPCC_MEMBER: "区政协"}


def topics(n: int = 2) -> list[Topic]:
    out = []
    for i in range(n):
        title, desc = TOPIC_TITLES[i % len(TOPIC_TITLES)]
        out.append(Topic(
            id=f"topic-{i + 1}", room_id="room-1", title=title, description=desc,
            source=[TopicSource.QR, TopicSource.GRID_WORKER, TopicSource.HOTLINE][i % 3], status=TopicStatus.SCHEDULED,
            submitter_name=["张秀华", "欧阳建国", "王堃"][i % 3], submitter_phone=["13812341234", "13951876543", "0517-83661234"][i % 3],
            tracking_code=f"K7M{i + 2}Q9X{i}", received_at=STARTS - timedelta(days=12), created_at=STARTS - timedelta(days=12), updated_at=STARTS,
            location="幸福里小区",
        ))
    return out


def participants(n: int = 12, *, meeting_id: str = "0193f0a0-7c3e-7abc-9def-0123456789ab", attended: bool = True) -> list[Participant]:
    out = []
    for i in range(n):
        role = ROLES[i % len(ROLES)]
        kind = ParticipantKind.OBSERVER if i % 7 == 6 else ParticipantKind.ATTENDEE
        attendance = Attendance.INVITED if not attended else (Attendance.ABSENT if i % 11 == 10 else Attendance.PRESENT)
        out.append(Participant(
            id=f"p-{i:02d}", meeting_id=meeting_id, person_id=None, name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)),
            unit=UNITS.get(role, "幸福里小区"), title={Role.DEPARTMENT: "科长", Role.PROPERTY: "项目经理"}.get(role, ""),
            role=role, phone=f"139{i:04d}5678" if i % 4 else "", kind=kind, attendance=attendance,
            absence_reason="因病请假" if attendance == Attendance.ABSENT else "",
        ))
    return out


def agenda(topic_list: list[Topic], meeting_id: str = "0193f0a0-7c3e-7abc-9def-0123456789ab") -> list[AgendaItem]:
    return [
        AgendaItem(id=f"a-{i + 1}", meeting_id=meeting_id, topic_id=t.id, position=i + 1, title=t.title, background=t.description,
                   presenter="周旸" if i % 2 == 0 else "网格员黄志强", minutes_allotted=30 if i % 2 == 0 else None)
        for i, t in enumerate(topic_list)
    ]


SAYINGS = [
    "我家住在3号楼顶层，去年就开始漏水，墙皮一块一块往下掉，孩子的房间都没法住人，希望尽快维修。",
    "停车问题确实突出，建议把小区北侧闲置空地改建成临时停车场，晚上对外开放，白天供居民使用。",
    "物业方面可以配合，但屋面维修资金需要动用专项维修资金，需要业主表决通过，请社区帮助组织。",
    "从住建部门的角度，老旧小区改造项目明年有计划，可以把3号楼屋面防水纳入改造清单统一实施。",
    "消防通道必须保持畅通，建议在通道两侧施划黄色禁停线，安装监控，对占道车辆进行劝离。",
]


def bundle(*, n_topics: int = 2, statements_per_topic: int = 6, n_participants: int = 12, finalized: bool = False, meeting_kw: dict | None = None) -> MinutesBundle:
    m = meeting(**(meeting_kw or {}))
    tl = topics(n_topics)
    items = agenda(tl, m.id)
    people = participants(n_participants, meeting_id=m.id)
    speakers = [p for p in people if p.attendance == Attendance.PRESENT]
    statements, outcomes, actions = [], [], []
    for ai, item in enumerate(items):
        for s in range(statements_per_topic):
            sp = speakers[(ai * 3 + s) % len(speakers)]
            statements.append(Statement(id=f"s-{ai}-{s:03d}", meeting_id=m.id, agenda_item_id=item.id, position=s + 1, speaker=sp.name,
                                        identity=sp.role.zh, summary=SAYINGS[(ai + s) % len(SAYINGS)]))
        for o in range(2):
            oid = f"o-{ai}-{o}"
            outcomes.append(Outcome(id=oid, meeting_id=m.id, agenda_item_id=item.id, position=o + 1,
                                    text=["由社区牵头，物业配合，在一个月内完成消防通道禁停线施划和监控安装。", "3号楼屋面防水维修纳入2027年老旧小区改造计划，先期由物业对渗漏点进行临时封堵。"][o],
                                    votes_for=11 if o == 0 else None, votes_against=0 if o == 0 else None, votes_abstain=1 if o == 0 else None))
            actions.append(ActionItem(id=f"act-{ai}-{o}", room_id="room-1", title="施划禁停线并安装监控" if o == 0 else "渗漏点临时封堵", meeting_id=m.id, outcome_id=oid,
                                      topic_id=item.topic_id, owner_unit="幸福里物业服务有限公司" if o else "水渡口社区居委会", responsible="萧晓明" if o else "孙喆",
                                      deadline=date(2026, 12, 31), created_at=ENDS))
    minutes = Minutes(id="min-1", meeting_id=m.id, status=MinutesStatus.DRAFT,
                      summary="会议认为，停车难和屋面渗漏是居民反映最集中的两件事，必须在今冬明春前拿出看得见的改变。各方要各负其责，社区做好协调，物业抓好落实，住建部门给予政策支持。",
                      closing="上午11时40分，主持人宣布散会。", attachments_note="1. 签到表\n2. 现场照片12张")
    b = MinutesBundle(meeting=m, minutes=minutes, agenda=tuple(items), participants=tuple(people), statements=tuple(statements), outcomes=tuple(outcomes), action_items=tuple(actions))
    if finalized:
        from dataclasses import replace

        fp = fingerprint(b)
        b = replace(b, minutes=replace(minutes, status=MinutesStatus.FINALIZED, sha256=fp, finalized_at=ENDS + timedelta(hours=2)))
    return b
