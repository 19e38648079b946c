"""A realistic demo room, modelled on cases such rooms really handle: night-time
construction noise reported through 12345, a public toilet along the canal
walk, benches for elderly residents, waterlogged village roads after rain,
summer care for left-behind children, a rutted village road, a canteen for
disabled residents and jobs for fishermen who moved ashore.

Everything goes through the ordinary services (so the outbox, history and
lifecycle are exactly as real use would leave them); the clock is set back so
the history spreads over the past months.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Iterator

from desktop.domain import clock
from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import MeetingType, ParticipantKind, Role, Satisfaction, TopicSource
from desktop.storage.db import Store
from desktop.storage.services import actions, agenda, contacts, followups, meetings, minutes, participants, rooms, topics

ROOM = dict(code="QJP-YH-01", name="运河社区协商议事室", township="清江浦区水渡口街道", county="淮安市清江浦区")


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    """Let the services record ``moment`` as now (the demo's history is in the past)."""
    clock.set_clock(lambda: moment)
    try:
        yield
    finally:
        clock.set_clock(None)


def _local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ).astimezone(UTC)


PEOPLE = [
    ("王建国", "运河社区党总支", "书记、主任", Role.CONVENOR, "13905170001"),
    ("李秀兰", "运河社区居委会", "文书", Role.RECORDER, "13905170002"),
    ("陈立新", "清江浦区政协", "政协委员", Role.CPPCC_MEMBER, "13905170003"),
    ("赵桂芳", "运河社区", "居民代表", Role.RESIDENT_REP, "13905170004"),
    ("孙志强", "运河社区", "居民代表", Role.RESIDENT_REP, "13905170005"),
    ("周海燕", "区住建局", "科长", Role.DEPARTMENT, "13905170006"),
    ("吴德明", "区城管局", "中队长", Role.DEPARTMENT, "13905170007"),
    ("郑晓东", "金运物业公司", "项目经理", Role.PROPERTY, "13905170008"),
    ("钱永福", "中铁某局运河项目部", "项目副经理", Role.ENTERPRISE, "13905170009"),
    ("冯老师", "水渡口街道", "退休教师", Role.VILLAGE_ELITE, "13905170010"),
    ("何丽萍", "水渡口街道", "网格员", Role.GRID_WORKER, "13905170011"),
    ("韩堃", "区水利局", "工程师", Role.EXPERT, "13905170012"),
]


def fill_demo(store: Store, *, today: date | None = None) -> dict[str, int]:
    """Fill an empty data dir with the demo room. Returns counts of what was made."""
    today = today or clock.now().astimezone(CHINA_TZ).date()
    d0 = today - timedelta(days=120)

    def day(n: int) -> date:
        return d0 + timedelta(days=n)

    if rooms.get_room(store) is None:
        rooms.init_room(store, **ROOM)
    people = {}
    with _at(_local(day(0), 8)):
        for name, unit, title, role, phone in PEOPLE:
            people[name] = contacts.add_person(store, name=name, unit=unit, title=title, role=role, phone=phone).value

    def topic(n: int, hour: int, **kw) -> str:  # type: ignore[no-untyped-def]
        with _at(_local(day(n), hour, 17)):
            return topics.record_topic(store, received_at=_local(day(n), hour, 5), **kw).value.id

    def do(n: int, hour: int, fn, *a, **kw):  # type: ignore[no-untyped-def]
        with _at(_local(day(n), hour, 30)):
            return fn(store, *a, **kw).value

    noise = topic(1, 22, title="夜间施工噪音扰民", source=TopicSource.HOTLINE, ticket_no="HA20260801-0193",
                  category="环境卫生", location="运河社区翔宇南道工地",
                  description="翔宇南道道路改造工地连续一周夜里十一点以后还在打桩、运渣土，老人孩子睡不着觉。希望规定夜间停工时间，渣土车不要走小区门口。",
                  submitter_name="刘玉梅", submitter_phone="13852301234")
    noise_dup = topic(2, 7, title="工地晚上太吵", source=TopicSource.QR, category="环境卫生", location="翔宇南道",
                      description="晚上施工声音太大，已经好几天了。", submitter_name="张小华", submitter_phone="13961234567")
    toilet = topic(3, 10, title="运河风光带缺少公厕", source=TopicSource.QR, category="公共设施", location="里运河风光带（水渡口段）",
                   description="风光带每天散步、锻炼的老人很多，两公里内找不到一个公厕，老人很不方便。建议在游客中心附近建一座公厕。",
                   submitter_name="周大爷", submitter_phone="15189561234")
    benches = topic(5, 9, title="小区增设休息座椅", source=TopicSource.MEMBER, category="公共设施", location="运河社区3号楼至菜场沿线",
                    description="去菜场的路上没有地方歇脚，腿脚不好的老人走一半就得停下。建议沿线放几张带靠背的座椅。",
                    submitter_name="陈立新")
    water = topic(8, 16, title="雨后村道积水严重", source=TopicSource.GRID_WORKER, category="道路交通", location="河东组村道",
                  description="每次下大雨河东组村道积水没过脚踝，排水沟被淤泥堵住，电动车容易打滑摔倒。",
                  submitter_name="何丽萍", submitter_phone="13905170011")
    kids = topic(10, 11, title="留守儿童暑期托管", source=TopicSource.MEMBER, category="民生服务", location="运河社区",
                 description="暑假期间社区有二十多个孩子父母在外打工，白天无人看护，存在溺水等安全隐患。建议开办暑期托管班。",
                 submitter_name="冯老师")
    canteen = topic(20, 15, title="开办助残食堂", source=TopicSource.REFERRAL, category="民生服务", location="运河社区服务中心",
                    description="区残联交办：辖区残疾人吃饭难，希望在社区服务中心开办助残食堂，提供平价午餐。", submitter_name="")
    road = topic(40, 9, title="修复坑洼村道", source=TopicSource.WALK_IN, category="道路交通", location="河西组至小学路段",
                 description="河西组到小学的一段村道坑坑洼洼，下雨天孩子上学鞋子全湿，家长接送很不安全。",
                 submitter_name="孙志强", submitter_phone="13905170005")
    fishers = topic(110, 10, title="上岸渔民就业难", source=TopicSource.PETITION, category="就业创业", location="运河社区渔民新村",
                    description="退捕上岸的渔民年纪偏大，找工作难，希望社区联系企业提供岗位和技能培训。",
                    submitter_name="韩喆", submitter_phone="18752301234")
    fee = topic(30, 14, title="要求小区全部免收物业费", source=TopicSource.QR, category="物业管理", location="运河花园小区",
                description="物业费太贵了，要求全部免掉。", submitter_name="匿名")
    parking = topic(115, 19, title="小区电动车充电难", source=TopicSource.QR, category="公共设施", location="运河花园小区",
                    description="楼道里私拉电线给电动车充电很危险，希望增设集中充电桩。", submitter_name="李旸", submitter_phone="13605171234")
    lights = topic(118, 20, title="巷子路灯坏了", source=TopicSource.QR, category="公共设施", location="运河社区东三巷",
                   description="东三巷的路灯坏了半个月，晚上回家黑漆漆的。", submitter_name="王芳", submitter_phone="13805171234")

    smell = topic(9, 18, title="垃圾分类投放点异味大", source=TopicSource.QR, category="环境卫生", location="运河花园小区5号楼旁",
                  description="垃圾投放点夏天气味很大，苍蝇多，离窗户太近。希望挪个位置或者加盖。",
                  submitter_name="吴敏", submitter_phone="13775301234")

    convenor = "王建国"
    # triage
    for n, tid in ((2, noise), (4, toilet), (6, benches), (9, water), (10, smell), (11, kids), (21, canteen), (41, road)):
        do(n, 9, topics.accept, tid, actor=convenor)
    do(3, 9, topics.merge, noise_dup, into_id=noise, actor=convenor)
    do(31, 9, topics.decline, fee, actor=convenor,
       reason="物业费标准由业主大会和物业服务合同确定，不属于议事室协商范围。已转告业主委员会，可在业主大会上提出调整收费标准的议案。")
    do(7, 15, topics.handle_directly, benches, actor=convenor,
       how="社区联系金运物业，在3号楼至菜场沿线安装了6张带靠背的休息座椅。")
    do(20, 10, followups.record_follow_up, benches, satisfaction=Satisfaction.SATISFIED, visitor="李秀兰", comment="老人们说歇脚方便多了。")

    # meeting 1: noise + toilet, held and finalized
    m1 = do(12, 9, meetings.schedule_meeting, title="关于翔宇南道夜间施工噪音和运河风光带公厕建设的专题协商",
            type=MeetingType.THEMATIC, starts_at=_local(day(15), 14, 30), place="运河社区协商议事室",
            convenor=convenor, host=convenor, recorder="李秀兰", topic_ids=(noise, toilet), actor=convenor)
    items = agenda.agenda_of(store, m1.id) if hasattr(agenda, "agenda_of") else _agenda(store, m1.id)
    for name, kind in (("王建国", ParticipantKind.ATTENDEE), ("李秀兰", ParticipantKind.ATTENDEE), ("陈立新", ParticipantKind.ATTENDEE),
                       ("赵桂芳", ParticipantKind.ATTENDEE), ("孙志强", ParticipantKind.ATTENDEE), ("周海燕", ParticipantKind.ATTENDEE),
                       ("吴德明", ParticipantKind.ATTENDEE), ("钱永福", ParticipantKind.ATTENDEE), ("郑晓东", ParticipantKind.OBSERVER),
                       ("冯老师", ParticipantKind.OBSERVER)):
        p = people[name]
        part = do(12, 10, participants.invite, m1.id, person_id=p.id, name=p.name, unit=p.unit, title=p.title, role=p.role, phone=p.phone, kind=kind)
        if name == "冯老师":
            do(15, 14, participants.mark_absent, part.id, reason="身体不适，书面提交了意见")
        else:
            do(15, 14, participants.sign_in, part.id)
    do(15, 14, meetings.start_meeting, m1.id)
    a_noise, a_toilet = items[0], items[1]
    for speaker, identity, text in (
        ("赵桂芳", "居民代表", "工地夜里打桩一直到一两点，孩子第二天上学没精神，老人心脏不好受不了。希望晚上十点以后必须停工。"),
        ("钱永福", "施工单位", "工期确实紧，但我们接受监督。可以把打桩等高噪音工序调到白天，夜间只做必要的混凝土养护，渣土车改走北侧便道。"),
        ("吴德明", "区城管局", "夜间施工须办理许可，城管中队会加强夜间巡查，违规一次查处一次。"),
        ("陈立新", "政协委员", "建议在工地门口公示夜间施工许可和投诉电话，请居民代表参与监督。"),
    ):
        do(15, 15, minutes.record_statement, agenda_item_id=a_noise.id, speaker=speaker, identity=identity, summary=text)
    o1 = do(15, 15, minutes.record_outcome, agenda_item_id=a_noise.id,
            text="晚上10时至次日6时禁止打桩等高噪音作业；渣土车改走北侧便道；工地门口公示夜间施工许可和投诉电话。",
            votes_for=9, votes_against=0, votes_abstain=0)
    for speaker, identity, text in (
        ("孙志强", "居民代表", "风光带早晚散步的人很多，老人上厕所要跑到商场里，很不方便。"),
        ("周海燕", "区住建局", "游客中心东侧有一块绿地可以建设，面积够一座小型装配式公厕，需要做一下选址论证。"),
        ("王建国", "召集人", "先在东侧设移动公厕过渡，同时推进固定公厕的立项。"),
    ):
        do(15, 16, minutes.record_statement, agenda_item_id=a_toilet.id, speaker=speaker, identity=identity, summary=text)
    o2 = do(15, 16, minutes.record_outcome, agenda_item_id=a_toilet.id,
            text="先在游客中心东侧设置移动公厕；区住建局牵头完成固定公厕选址论证并纳入明年建设计划。",
            votes_for=8, votes_against=0, votes_abstain=1)
    do(15, 16, minutes.save_minutes_text, m1.id,
       summary="会议认为，两项议题均涉及群众切身利益，各方意见基本一致。会议议定的事项由责任单位按时限落实，社区负责跟踪督办并向群众反馈。",
       closing="下午4时40分散会。", attachments_note="1. 签到表\n2. 冯老师书面意见")
    do(15, 16, meetings.end_meeting, m1.id)
    ai1 = do(15, 17, actions.create_action_item, title="夜间停工并公示投诉电话", topic_id=noise, meeting_id=m1.id, outcome_id=o1.id,
             owner_unit="中铁某局运河项目部", responsible="钱永福", deadline=day(18))
    ai2 = do(15, 17, actions.create_action_item, title="渣土车改走北侧便道", topic_id=noise, meeting_id=m1.id, outcome_id=o1.id,
             owner_unit="区城管局", responsible="吴德明", deadline=day(20))
    ai3 = do(15, 17, actions.create_action_item, title="设置移动公厕", topic_id=toilet, meeting_id=m1.id, outcome_id=o2.id,
             owner_unit="区城管局", responsible="吴德明", deadline=day(45))
    ai4 = do(15, 17, actions.create_action_item, title="固定公厕选址论证", topic_id=toilet, meeting_id=m1.id, outcome_id=o2.id,
             owner_unit="区住建局", responsible="周海燕", deadline=day(150))
    do(16, 10, minutes.finalize_minutes, m1.id, actor="李秀兰")
    do(17, 10, actions.record_progress, ai1.id, note="已调整工序，夜间停止打桩，工地门口已张贴公示牌。", actor="钱永福")
    do(18, 10, actions.complete_action_item, ai1.id)
    do(19, 10, actions.record_progress, ai2.id, note="北侧便道已铺设钢板，渣土车全部改道。", actor="吴德明")
    do(20, 10, actions.complete_action_item, ai2.id)
    do(21, 10, actions.resolve_topic, noise, how="夜间高噪音作业已停止，渣土车已改道，经回访居民反映良好。", actor=convenor)
    do(25, 10, followups.record_follow_up, noise, satisfaction=Satisfaction.BASICALLY_SATISFIED, visitor="李秀兰",
       comment="夜里安静多了，偶尔还有车辆鸣笛。")
    do(40, 10, actions.record_progress, ai3.id, note="移动公厕已进场，正在接水接电。", actor="吴德明")
    do(60, 10, actions.record_progress, ai4.id, note="已完成两处备选地址的现场踏勘。", actor="周海燕")

    # meeting 2: on-site consultation about the waterlogged road and summer care, minutes still a draft
    m2 = do(12, 11, meetings.schedule_meeting, title="河东组村道积水和留守儿童暑期托管现场协商", type=MeetingType.ON_SITE,
            starts_at=_local(day(14), 9, 0), place="河东组村道现场、社区服务中心", convenor=convenor, host="陈立新",
            recorder="李秀兰", topic_ids=(water, kids, smell), actor=convenor)
    items2 = agenda.agenda_of(store, m2.id) if hasattr(agenda, "agenda_of") else _agenda(store, m2.id)
    for name in ("王建国", "李秀兰", "陈立新", "何丽萍", "韩堃", "冯老师", "赵桂芳"):
        p = people[name]
        part = do(12, 12, participants.invite, m2.id, person_id=p.id, name=p.name, unit=p.unit, title=p.title, role=p.role, phone=p.phone)
        do(14, 9, participants.sign_in, part.id)
    do(14, 9, meetings.start_meeting, m2.id)
    do(14, 10, minutes.record_statement, agenda_item_id=items2[0].id, speaker="何丽萍", identity="网格员",
       summary="积水主要在排水沟出口，沟里淤泥有半米深，上游还有两户把生活垃圾倒进沟里。")
    do(14, 10, minutes.record_statement, agenda_item_id=items2[0].id, speaker="韩堃", identity="区水利局工程师",
       summary="先清淤，再把出口的涵管从三十公分换成六十公分，问题可以根本解决。")
    o3 = do(14, 10, minutes.record_outcome, agenda_item_id=items2[0].id, text="组织清淤，更换出水口涵管；在沟边设置禁止倾倒垃圾的提示牌。")
    do(14, 11, minutes.record_statement, agenda_item_id=items2[1].id, speaker="冯老师", identity="乡贤",
       summary="我和几位退休教师可以轮流辅导孩子作业，社区服务中心二楼可以做教室。")
    o4 = do(14, 11, minutes.record_outcome, agenda_item_id=items2[1].id, text="7月10日起在社区服务中心开办暑期托管班，退休教师和大学生志愿者轮流值守。")
    do(14, 11, minutes.record_statement, agenda_item_id=items2[2].id, speaker="赵桂芳", identity="居民代表",
       summary="投放点挪到小区西北角的空地，离住户远一些，物业每天冲洗两次。")
    do(14, 11, minutes.record_outcome, agenda_item_id=items2[2].id, text="投放点迁至小区西北角空地，具体方案由物业征求5号楼居民意见后报社区。")
    do(14, 11, minutes.save_minutes_text, m2.id, summary="会议认为，两件事都是群众急难愁盼，能立即办的马上办。")
    do(14, 12, meetings.end_meeting, m2.id)
    ai5 = do(14, 13, actions.create_action_item, title="村道排水沟清淤并更换涵管", topic_id=water, meeting_id=m2.id, outcome_id=o3.id,
             owner_unit="水渡口街道城建办", responsible="韩堃", deadline=day(30))
    do(35, 10, actions.record_progress, ai5.id, note="清淤已完成，涵管材料尚未到货。", actor="何丽萍")
    ai6 = do(14, 13, actions.create_action_item, title="开办暑期托管班", topic_id=kids, meeting_id=m2.id, outcome_id=o4.id,
             owner_unit="运河社区居委会", responsible="李秀兰", deadline=day(25))
    do(24, 10, actions.complete_action_item, ai6.id)
    do(26, 10, actions.resolve_topic, kids, how="暑期托管班已开班，每天有23名孩子参加。", actor=convenor)

    # meeting 3: planned, about the rutted road
    do(112, 9, meetings.schedule_meeting, title="修复河西组坑洼村道协商", type=MeetingType.ON_SITE,
       starts_at=_local(today + timedelta(days=3), 9, 0), place="河西组村道现场", convenor=convenor, host=convenor,
       recorder="李秀兰", topic_ids=(road,), actor=convenor)
    return {"topics": 13, "meetings": 3, "people": len(people)}


def _agenda(store: Store, meeting_id: str):  # type: ignore[no-untyped-def]
    from desktop.storage.services import reads

    return reads.agenda_of(store, meeting_id)
