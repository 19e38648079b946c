"""A consultation room's day as the day property test plays it: a fresh room on
the real server, two enrolled PCs and the residents' phone form, and the
alphabet of a person's actions, each one a call of the service the window's
button calls. ``World.step`` draws a PC, then one of the actions that PC's
window allows right now (``day_state.seen``), then its target and details;
it records every row the action created, so the end-of-day check can ask for
each of them by id.

Syncs are actions too: a whole sync, a push with no pull after it (the link
went down between the two), and a sync whose Nth request reaches the server
but whose answer is lost (what tests/sync/test_dropped_answers.py does with
the fault proxy, here without randomness so hypothesis can replay it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from hypothesis import note
from hypothesis import strategies as st

from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import Role, Satisfaction, TopicSource, TopicStatus
from desktop.storage.db import Store
from desktop.storage.services import actions, agenda, followups, meetings, minutes, participants, topics
from desktop.sync import engine
from desktop.sync.client import Client, SyncError, Unreachable
from tests.support.day_state import Seen, inserted_since, last_op, seen
from tests.sync.helpers import fresh_room, new_pc

Draw = Callable[..., Any]
T = TopicStatus
DAY = datetime(2026, 11, 27, 9, 0, tzinfo=CHINA_TZ)
SOURCES = [s for s in TopicSource if s != TopicSource.QR]  # QR topics come through the phone form


@dataclass(frozen=True)
class Final:
    """One finalization as the secretary saw it: the fingerprint printed on paper."""

    pc: int
    meeting_id: str
    minutes_id: str
    sha256: str


class CutAfter:
    """A client whose request number ``n`` (from 0) reaches the server and whose
    answer is lost on the way back; nothing after it is sent."""

    def __init__(self, client: Client, n: int) -> None:
        self.client, self.left = client, n
        self._send = client.request
        client.request = self.request  # type: ignore[method-assign]

    def request(self, *args: Any, **kw: Any) -> Any:
        resp = self._send(*args, **kw)
        if self.left == 0:
            raise Unreachable("无法连接县（区）服务器（{url}）。数据已安全保存在本电脑上，联网后会自动再同步。", url=self.client.base)
        self.left -= 1
        return resp


class World:
    """One example: the server's fresh room, PCs 0 and 1, what each one made."""

    def __init__(self, srv: Any, tmp: Path) -> None:
        self.srv = srv
        self.code, self.room_id = fresh_room(srv)
        self.pcs: list[Store] = [new_pc(srv, tmp, f"pc{i}", room_code=self.code) for i in range(2)]
        self.made: list[set[tuple[str, str]]] = [set(), set()]
        self.web_titles: list[str] = []
        self.finals: list[Final] = []
        self.n = 0
        self.at = 0  # the PC the person is working at

    def close(self) -> None:
        for pc in self.pcs:
            pc.close()

    # ---- one step ---------------------------------------------------------------

    def step(self, draw: Draw) -> None:
        # a person mostly goes on at the same desk: one draw in four moves to the other PC
        if draw(st.integers(0, 3), label="same PC (0-2) or the other (3)") == 3:
            self.at = 1 - self.at
        who = self.at
        view = seen(self.pcs[who])
        legal = [name for name, (allowed, _) in ALPHABET.items() if allowed(view) for _ in range(WEIGHT.get(name, 4))]
        name = draw(st.sampled_from(legal), label="action")
        self.n += 1
        before = last_op(self.pcs[who])
        what = ALPHABET[name][1](self, who, view, draw)
        note(f"step {self.n}: PC{who} {name} {what}")
        if not name.startswith("sync"):
            self.made[who] |= inserted_since(self.pcs[who], before)

    def web(self) -> str:
        """A resident scans the room's QR poster and submits a topic."""
        title = f"扫码议题{self.n}"
        ip = "10.{}.{}.{}".format(*os.urandom(2), 1 + os.urandom(1)[0] % 254)  # the form limits by address
        r = self.srv.session(ip=ip).post(f"{self.srv.base}/r/{self.code}", data={"title": title, "description": "路灯不亮，晚上很黑"})
        assert r.status_code == 200, (r.status_code, r.text[:300])
        self.web_titles.append(title)
        return title


def _pick(draw: Draw, ids: list[str], label: str) -> str:
    return draw(st.sampled_from(ids), label=label)


# ---- the actions: (allowed on what this PC shows, do it) -------------------------


def _record(w: World, who: int, v: Seen, draw: Draw) -> str:
    source = draw(st.sampled_from(SOURCES), label="source")
    topics.record_topic(w.pcs[who], title=f"议题{w.n}", source=source, description="群众反映", actor="王召集")
    return str(source)


def _web(w: World, who: int, v: Seen, draw: Draw) -> str:
    return w.web()


def _accept(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, v.topic(T.SUBMITTED), "topic")
    topics.accept(w.pcs[who], tid, actor="王召集")
    return tid


def _decline(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, v.topic(T.SUBMITTED), "topic")
    topics.decline(w.pcs[who], tid, reason="不属于议事范围，已转交街道", actor="王召集")
    return tid


def _merge_targets(v: Seen, tid: str) -> list[str]:
    return [t for st_, ids in v.topics.items() if st_ not in (T.MERGED, T.DECLINED) for t in ids if t != tid]


def _can_merge(v: Seen) -> bool:
    return any(_merge_targets(v, t) for t in v.topic(T.SUBMITTED, T.ACCEPTED))


def _merge(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, [t for t in v.topic(T.SUBMITTED, T.ACCEPTED) if _merge_targets(v, t)], "topic")
    into = _pick(draw, _merge_targets(v, tid), "into")
    topics.merge(w.pcs[who], tid, into_id=into, actor="王召集")
    return f"{tid} -> {into}"


def _handle(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, v.topic(T.ACCEPTED), "topic")
    topics.handle_directly(w.pcs[who], tid, how="当场联系物业修好", actor="王召集")
    return tid


def _schedule(w: World, who: int, v: Seen, draw: Draw) -> str:
    accepted = v.topic(T.ACCEPTED)
    chosen = draw(st.lists(st.sampled_from(accepted), max_size=2, unique=True), label="topics") if accepted else []
    m = meetings.schedule_meeting(
        w.pcs[who], title=f"专题协商会{w.n}", type="thematic", starts_at=DAY + timedelta(hours=w.n), place="社区议事室", convenor="王召集", recorder="李记录", topic_ids=chosen, actor="王召集"
    ).value
    return f"{m.id} topics={chosen}"


def _agenda(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.plannable, "meeting")
    accepted = v.topic(T.ACCEPTED)
    tid = draw(st.sampled_from([None, *accepted]), label="topic")
    agenda.add_agenda_item(w.pcs[who], mid, topic_id=tid, title=None if tid else f"通报情况{w.n}", actor="王召集")
    return f"{mid} topic={tid}"


def _invite(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.editable, "meeting")
    role = draw(st.sampled_from(list(Role)), label="role")
    participants.invite(w.pcs[who], mid, name=f"参会人{w.n}", role=role, unit="居委会")
    return f"{mid} {role}"


def _sign_in(w: World, who: int, v: Seen, draw: Draw) -> str:
    pid = _pick(draw, v.invitees, "participant")
    participants.sign_in(w.pcs[who], pid)
    return pid


def _start(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.startable, "meeting")
    meetings.start_meeting(w.pcs[who], mid, actor="王召集")
    return mid


def _end(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.endable, "meeting")
    meetings.end_meeting(w.pcs[who], mid, actor="王召集")
    return mid


def _autosave(w: World, who: int, v: Seen, draw: Draw) -> str:
    """The two-second autosave while the secretary types: several saves of a growing text."""
    mid = _pick(draw, v.typing, "meeting")
    saves = draw(st.integers(1, 3), label="saves")
    for i in range(saves):
        minutes.save_minutes_text(w.pcs[who], mid, summary=f"会议纪要（电脑{who}，第{w.n}步）" + "居民代表发言，" * (i + 1))
    return f"{mid} x{saves}"


def _statement(w: World, who: int, v: Seen, draw: Draw) -> str:
    item = _pick(draw, v.items, "agenda item")
    minutes.record_statement(w.pcs[who], agenda_item_id=item, speaker=f"李大爷{w.n}", identity="居民代表", summary="公厕要加洗手池")
    return item


def _outcome(w: World, who: int, v: Seen, draw: Draw) -> str:
    item = _pick(draw, v.items, "agenda item")
    votes = draw(st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(0, 5), st.integers(0, 5))), label="votes")
    f, a, b = votes or (None, None, None)
    minutes.record_outcome(w.pcs[who], agenda_item_id=item, text=f"议定事项{w.n}：由物业三个月内完成", votes_for=f, votes_against=a, votes_abstain=b)
    return f"{item} votes={votes}"


def _action(w: World, who: int, v: Seen, draw: Draw) -> str:
    oid = _pick(draw, v.workable, "outcome")
    actions.create_action_item(w.pcs[who], title=f"落实事项{w.n}", outcome_id=oid, owner_unit="物业公司", responsible="张经理", deadline=date(2027, 2, 28), actor="王召集")
    return oid


def _progress(w: World, who: int, v: Seen, draw: Draw) -> str:
    aid = _pick(draw, v.open_actions, "action item")
    actions.record_progress(w.pcs[who], aid, note=f"进展{w.n}：材料已采购", actor="张经理")
    return aid


def _complete(w: World, who: int, v: Seen, draw: Draw) -> str:
    aid = _pick(draw, v.open_actions, "action item")
    actions.complete_action_item(w.pcs[who], aid, note="已完成", actor="张经理")
    return aid


def _resolve(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, v.topic(T.CONSULTED, T.IMPLEMENTING), "topic")
    actions.resolve_topic(w.pcs[who], tid, how="已办结", actor="王召集")
    return tid


def _visit(w: World, who: int, v: Seen, draw: Draw) -> str:
    tid = _pick(draw, v.topic(T.RESOLVED), "topic")
    sat = draw(st.sampled_from(list(Satisfaction)), label="satisfaction")
    reopen = sat == Satisfaction.DISSATISFIED and draw(st.booleans(), label="reopen")
    followups.record_follow_up(w.pcs[who], tid, satisfaction=sat, visitor="网格员小陈", comment="回访", reopen=reopen)
    return f"{tid} {sat} reopen={reopen}"


def _finalize(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.finalizable, "meeting")
    row = minutes.finalize_minutes(w.pcs[who], mid, actor="李记录").value
    w.finals.append(Final(pc=who, meeting_id=mid, minutes_id=row.id, sha256=row.sha256))  # type: ignore[attr-defined]
    return f"{mid} sha256={row.sha256}"  # type: ignore[attr-defined]


def _correct(w: World, who: int, v: Seen, draw: Draw) -> str:
    mid = _pick(draw, v.correctable, "meeting")
    minutes.correct_minutes(w.pcs[who], mid, note=f"勘误{w.n}：发言人姓名写错", actor="李记录")
    return mid


def _sync(w: World, who: int, v: Seen, draw: Draw) -> str:
    engine.sync(w.pcs[who])
    return ""


def _push_only(w: World, who: int, v: Seen, draw: Draw) -> str:
    """The link goes down after the push: no pull, no verify."""
    c = engine.client_for(w.pcs[who], retries=0)
    try:
        engine.push(w.pcs[who], c)
    finally:
        c.close()
    return ""


def _cut(w: World, who: int, v: Seen, draw: Draw) -> str:
    n = draw(st.integers(0, 5), label="answers heard")
    c = engine.client_for(w.pcs[who], retries=0)
    CutAfter(c, n)
    try:
        engine.sync(w.pcs[who], c, batch=draw(st.sampled_from([2, 50]), label="batch"))
    except SyncError:
        pass  # the cut: the next sync goes on from where this one stopped
    finally:
        c.close()
    return f"answer {n} lost"


# Actions on rows that exist weigh four, the ones that are always possible one:
# otherwise a day is mostly new topics and syncs, and the secretary's order
# (autosave, statements, outcomes, action items, finalize, then sync) came up
# in none of 30 days at HEAD (each sync also costs about 0.4 s, a step 20 ms).
WEIGHT = {"record_topic": 1, "phone_form": 1, "schedule_meeting": 1, "sync": 1, "sync_push_only": 1, "sync_cut": 1}


def _always(v: Seen) -> bool:
    return True


ALPHABET: dict[str, tuple[Callable[[Seen], bool], Callable[[World, int, Seen, Draw], str]]] = {
    "record_topic": (_always, _record),
    "phone_form": (_always, _web),
    "accept": (lambda v: bool(v.topic(T.SUBMITTED)), _accept),
    "decline": (lambda v: bool(v.topic(T.SUBMITTED)), _decline),
    "merge": (_can_merge, _merge),
    "handle_directly": (lambda v: bool(v.topic(T.ACCEPTED)), _handle),
    "schedule_meeting": (_always, _schedule),
    "add_agenda_item": (lambda v: bool(v.plannable), _agenda),
    "invite": (lambda v: bool(v.editable), _invite),
    "sign_in": (lambda v: bool(v.invitees), _sign_in),
    "start_meeting": (lambda v: bool(v.startable), _start),
    "end_meeting": (lambda v: bool(v.endable), _end),
    "autosave_minutes": (lambda v: bool(v.typing), _autosave),
    "record_statement": (lambda v: bool(v.items), _statement),
    "record_outcome": (lambda v: bool(v.items), _outcome),
    "create_action_item": (lambda v: bool(v.workable), _action),
    "record_progress": (lambda v: bool(v.open_actions), _progress),
    "complete_action_item": (lambda v: bool(v.open_actions), _complete),
    "resolve_topic": (lambda v: bool(v.topic(T.CONSULTED, T.IMPLEMENTING)), _resolve),
    "follow_up": (lambda v: bool(v.topic(T.RESOLVED)), _visit),
    "finalize_minutes": (lambda v: bool(v.finalizable), _finalize),
    "correct_minutes": (lambda v: bool(v.correctable), _correct),
    "sync": (_always, _sync),
    "sync_push_only": (_always, _push_only),
    "sync_cut": (_always, _cut),
}
