"""A realistic room database of any size, fast: SQLAlchemy Core inserts of
topics (with their status history), meetings with one agenda item each,
action items and follow-up visits into a Store's SQLite file.

The text is drawn from templates modelled on real consultation-room cases
(construction noise, a canal-side public toilet, benches, waterlogged roads,
rutted village roads, left-behind children, a canteen for disabled residents,
jobs for fishermen who moved ashore), with Huai'an-style addresses and names.
Rows look as if they had already been synced (version 1, empty outbox), the
way a room's file looks after years of use. Deterministic for a given seed.

    .venv/bin/python bench/seed.py DATA_DIR N_TOPICS [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from desktop.domain.enums import (  # noqa: E402
    ActionStatus,
    MeetingStatus,
    MeetingType,
    Satisfaction,
    TopicSource,
    TopicStatus,
)
from desktop.domain.ids import TRACKING_ALPHABET  # noqa: E402
from desktop.storage import models as m  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.search import index_pending  # noqa: E402
from desktop.storage.services import rooms  # noqa: E402

START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 27, tzinfo=UTC)

# (category, titles, descriptions) — {place}, {n}, {who} are filled in
CASES: list[tuple[str, list[str], list[str]]] = [
    ("环境噪音", ["{place}夜间施工噪音扰民", "{place}工地凌晨还在施工", "广场舞音响噪音太大", "{place}商铺外放音乐噪音"],
     ["{place}附近工地晚上十点以后还在打桩，噪音很大，老人孩子睡不着觉，已经持续{n}天了，希望有关部门管一管。",
      "居民反映{place}每天早上五点就有噪音，影响休息，多次与施工方沟通无果，通过12345热线反映。"]),
    ("公共设施", ["运河风光带缺少公厕", "{place}公厕长期无人保洁", "希望在{place}增设公共厕所"],
     ["在运河边散步的老人和游客多，{place}一带一公里内没有公厕，老人内急很不方便，建议增设一座公厕并安排保洁。",
      "{place}的公厕门锁坏了{n}个月，地面积水有异味，希望尽快维修。"]),
    ("公共设施", ["{place}希望增加休息座椅", "小区健身区座椅损坏", "老年人休息的长椅不够"],
     ["{place}老年人多，散步走累了没有地方坐，希望在步道沿线增设{n}张座椅。",
      "健身区的木质座椅已经腐烂开裂，{who}说差点划伤孩子，请物业尽快更换。"]),
    ("道路交通", ["{place}雨后道路积水严重", "村道低洼处一下雨就积水", "{place}排水不畅"],
     ["每逢下雨，{place}路口积水有{n}十公分深，电动车熄火，孩子上学要绕路，希望疏通排水沟。",
      "村里的主干道地势低，排水管堵塞，雨后积水好几天不退，群众出行困难。"]),
    ("道路交通", ["{place}村道坑洼不平", "修缮{place}破损村道", "农用车压坏的道路亟需修复"],
     ["{place}到镇上的村道被重车压出很多坑，雨天泥泞，已有{n}位老人骑车摔倒，希望尽快修缮。",
      "道路破损长约{n}百米，村民希望能纳入今年的修缮计划，大家愿意出工出力。"]),
    ("民生服务", ["暑期留守儿童无人看护", "{place}留守儿童暑期托管", "关爱留守儿童暑期安全"],
     ["村里有{n}十个留守儿童，暑假父母在外打工，孩子整天在河边玩，存在安全隐患，希望开办暑期托管班。",
      "{who}建议利用{place}的活动室办暑期课堂，请退休教师和大学生志愿者辅导作业。"]),
    ("民生服务", ["建设助残食堂", "{place}残疾人吃饭难", "助残食堂的选址和运营"],
     ["社区有{n}十位残疾人和独居老人，做饭不便，希望在{place}办一个助残食堂，提供平价午餐。",
      "助残食堂开办后，希望增加送餐上门服务，行动不便的居民可以电话预约。"]),
    ("就业增收", ["上岸渔民就业难", "退捕渔民转产就业", "{place}渔民技能培训"],
     ["长江禁渔后，{place}有{n}十户渔民上岸，年纪大、没技术，找工作难，希望开展技能培训，对接企业岗位。",
      "{who}等上岸渔民希望在{place}设立公益岗位，比如河道巡查、保洁，增加收入。"]),
]

PLACES = ["水渡口社区", "清江浦区淮海路", "运河风光带", "里运河文化长廊", "柳树湾", "越秀园", "大治路", "漕运广场",
          "新民村", "周庄村", "洪泽湖大道", "健康西路", "翔宇大道", "钵池山公园", "古黄河生态园", "城南街道"]
STREETS = ["淮海南路", "健康东路", "水渡口大道", "承德北路", "解放东路", "人民南路", "延安东路", "北京北路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁"
GIVEN = "秀英玉兰桂芳建国志强卫东海燕丽华明德金凤国庆春梅永红晓东文斌爱民淑珍玉梅德福长江瑞华"
UNITS = ["住建局", "城管局", "交通运输局", "水利局", "民政局", "人社局", "生态环境局", "街道办事处", "村委会", "物业公司"]

SOURCES = [(TopicSource.HOTLINE, 40), (TopicSource.QR, 25), (TopicSource.GRID_WORKER, 15), (TopicSource.WALK_IN, 8),
           (TopicSource.MEMBER, 5), (TopicSource.PETITION, 4), (TopicSource.REFERRAL, 3)]
# final status, and the path of actions that leads there
PATHS: list[tuple[TopicStatus, int, list[tuple[str, TopicStatus]]]] = [
    (TopicStatus.SUBMITTED, 5, []),
    (TopicStatus.DECLINED, 6, [("decline", TopicStatus.DECLINED)]),
    (TopicStatus.MERGED, 4, [("merge", TopicStatus.MERGED)]),
    (TopicStatus.ACCEPTED, 6, [("accept", TopicStatus.ACCEPTED)]),
    (TopicStatus.SCHEDULED, 5, [("accept", TopicStatus.ACCEPTED), ("schedule", TopicStatus.SCHEDULED)]),
    (TopicStatus.IMPLEMENTING, 10, [("accept", TopicStatus.ACCEPTED), ("schedule", TopicStatus.SCHEDULED),
                                    ("consult", TopicStatus.CONSULTED), ("implement", TopicStatus.IMPLEMENTING)]),
    (TopicStatus.RESOLVED, 30, [("accept", TopicStatus.ACCEPTED), ("handle_directly", TopicStatus.RESOLVED)]),
    (TopicStatus.VISITED, 34, [("accept", TopicStatus.ACCEPTED), ("schedule", TopicStatus.SCHEDULED),
                               ("consult", TopicStatus.CONSULTED), ("resolve", TopicStatus.RESOLVED),
                               ("visit", TopicStatus.VISITED)]),
]
BATCH = 20_000


@dataclass(frozen=True)
class SeedSummary:
    topics: int
    topic_events: int
    meetings: int
    action_items: int
    follow_ups: int
    seconds: float


class _Ids:
    """Deterministic UUIDv7-shaped ids whose time part is the row's own time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, at: datetime) -> str:
        ms = int(at.timestamp() * 1000) & ((1 << 48) - 1)
        value = (ms << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64) | (0b10 << 62) | self.rng.getrandbits(62)
        return str(uuid.UUID(int=value))


def _tracking(i: int, salt: int) -> str:
    # an affine map mod 25^8 is a bijection, so codes never repeat
    x = (i * 2_654_435_761 + salt) % (25**8)
    chars = []
    for _ in range(8):
        x, r = divmod(x, 25)
        chars.append(TRACKING_ALPHABET[r])
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _sync_meta(room_id: str, row_id: str) -> dict[str, Any]:
    return {"id": row_id, "room_id": room_id, "version": 1, "field_versions": {}, "deleted": False}


def seed_room(store_or_path: Store | Path | str, n_topics: int, *, seed: int = 0) -> SeedSummary:
    """Fill a room database with ``n_topics`` topics and what follows from them.

    ``store_or_path`` is an open ``Store`` or a data directory (a Store is
    opened on it and closed again). A room is set up if there is none."""
    own = not isinstance(store_or_path, Store)
    store = Store(Path(store_or_path)) if own else store_or_path
    try:
        return _seed(store, n_topics, seed)
    finally:
        if own:
            store.close()


def _seed(store: Store, n_topics: int, seed: int) -> SeedSummary:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    ids = _Ids(rng)
    room = rooms.get_room(store) or rooms.init_room(store, code="SEED-001", name="水渡口社区协商议事室",
                                                    township="水渡口街道", county="清江浦区").value
    span = (END - START).total_seconds()
    topics: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    agenda: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    counts = {"topics": 0, "events": 0, "meetings": 0, "actions": 0, "follow_ups": 0}
    salt = rng.randrange(25**8)
    ticket_base = rng.randrange(10**6)
    last_topic_id: str | None = None
    today = END.date()

    def flush(session: Any, final: bool = False) -> None:
        for model, rows in ((m.TopicRow, topics),  (m.TopicEventRow, events), (m.MeetingRow, meetings),
                            (m.AgendaItemRow, agenda), (m.ActionItemRow, actions), (m.FollowUpRow, follow_ups)):
            if rows and (final or len(rows) >= BATCH):
                session.execute(insert(model), rows)
                rows.clear()

    with store.write() as session:
        for i in range(n_topics):
            received = START + timedelta(seconds=span * i / max(n_topics, 1) + rng.random() * 60)
            category, titles, descs = rng.choice(CASES)
            place = rng.choice(PLACES)
            who = _name(rng)
            fill = {"place": place, "n": rng.randint(2, 9), "who": who}
            source = _pick(rng, SOURCES)
            final, _w, path = rng.choices(PATHS, weights=[p[1] for p in PATHS])[0]
            if final is TopicStatus.MERGED and last_topic_id is None:
                final, path = TopicStatus.SUBMITTED, []
            tid = ids(received)
            description = rng.choice(descs).format(**fill)
            if rng.random() < 0.3:
                description += rng.choice(descs).format(**fill)
            topics.append({
                **_sync_meta(room.id, tid),
                "title": rng.choice(titles).format(**fill),
                "description": description,
                "source": source,
                "status": final,
                "category": category,
                "location": f"{place}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                "submitter_name": who,
                "submitter_phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                "tracking_code": _tracking(i, salt),
                "ticket_no": f"2{received:%y%m%d}{ticket_base + i:09d}" if source is TopicSource.HOTLINE else None,
                "decline_reason": "不属于本议事室协商范围，已转相关部门办理。" if final is TopicStatus.DECLINED else "",
                "merged_into_id": last_topic_id if final is TopicStatus.MERGED else None,
                "received_at": received,
                "created_at": received,
                "updated_at": received,
            })
            at, prev = received, None
            chain = [("submit", TopicStatus.SUBMITTED)] + path
            meeting_id = None
            for action, to in chain:
                events.append({**_sync_meta(room.id, ids(at)), "topic_id": tid, "action": action, "from_status": prev,
                               "to_status": to, "actor": "", "reason": "", "at": at})
                if action == "schedule":
                    meeting_id = ids(at)
                    starts = at + timedelta(days=rng.randint(3, 20))
                    held = starts.date() < today
                    meetings.append({**_sync_meta(room.id, meeting_id), "title": f"关于{topics[-1]['title']}的协商议事会",
                                     "type": rng.choice(list(MeetingType)),
                                     "status": MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                                     "serial_no": None, "starts_at": starts, "ends_at": None, "place": f"{place}议事室",
                                     "convenor": _name(rng), "host": _name(rng), "recorder": _name(rng), "created_at": at})
                    agenda.append({**_sync_meta(room.id, ids(at)), "meeting_id": meeting_id, "topic_id": tid,
                                   "position": 1, "title": topics[-1]["title"], "background": "", "presenter": who,
                                   "minutes_allotted": 30})
                    at = starts
                elif action == "consult":
                    deadline = (at + timedelta(days=rng.randint(7, 90))).date()
                    done = final is not TopicStatus.IMPLEMENTING
                    actions.append({**_sync_meta(room.id, ids(at)), "title": f"落实：{topics[-1]['title']}",
                                    "meeting_id": meeting_id, "outcome_id": None, "topic_id": tid,
                                    "owner_unit": rng.choice(UNITS), "responsible": _name(rng), "deadline": deadline,
                                    "status": ActionStatus.DONE if done else rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
                                    "done_at": at + timedelta(days=5) if done else None, "created_at": at})
                elif action == "visit":
                    follow_ups.append({**_sync_meta(room.id, ids(at)), "topic_id": tid,
                                       "satisfaction": _pick(rng, [(Satisfaction.SATISFIED, 80), (Satisfaction.BASICALLY_SATISFIED, 15),
                                                                   (Satisfaction.DISSATISFIED, 5)]),
                                       "visitor": _name(rng), "comment": "", "at": at})
                prev = to
                at = min(at + timedelta(days=rng.randint(1, 15)), END)
            counts["events"] += len(chain)
            counts["meetings"] += meeting_id is not None
            counts["actions"] += "consult" in (a for a, _ in path)
            counts["follow_ups"] += final is TopicStatus.VISITED
            last_topic_id = tid
            if len(topics) >= BATCH:
                flush(session)
        flush(session, final=True)
        index_pending(session.connection())  # the search index, in one go
    return SeedSummary(topics=n_topics, topic_events=counts["events"], meetings=counts["meetings"],
                       action_items=counts["actions"], follow_ups=counts["follow_ups"],
                       seconds=round(time.perf_counter() - t0, 2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("n_topics", type=int)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(seed_room(args.data_dir, args.n_topics, seed=args.seed))


if __name__ == "__main__":
    main()
