"""Issue 5, test 5: random scripts on two PCs of one room and the resident's
web form, against the real server process (one for the session, a fresh room
per example). Each round the PCs create, edit fields, delete, hold meetings
and finalize or correct minutes; residents submit topics; then some syncs are
cut short through the fault proxy and the rest run clean. After every round,
each field both PCs set to different values gives exactly one conflict, with
both values; at the end every copy is CONVERGED.

Examples: ``YISHI_PROPERTY_EXAMPLES`` (default 200, what CI runs; the soak in
bench/bench_sync.py runs thousands)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain.errors import DomainError
from desktop.storage import outbox
from desktop.storage.models import MeetingRow, MinutesRow, TopicRow
from desktop.storage.services import minutes, topics
from desktop.sync import conflicts, engine
from desktop.sync.client import SyncError
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, fresh_room, new_pc
from tools.faultproxy import FaultProxy, Faults

EXAMPLES = int(os.environ.get("YISHI_PROPERTY_EXAMPLES", "200"))
FIELDS = ("location", "category", "description")
VALUES = ("东门", "西门", "南门")

pc_ = st.integers(0, 1)
pick = st.integers(0, 50)
step = st.one_of(
    st.tuples(st.just("create"), pc_),
    st.tuples(st.just("edit"), pc_, pick, st.sampled_from(FIELDS), st.sampled_from(VALUES)),
    st.tuples(st.just("edit"), pc_, pick, st.sampled_from(FIELDS), st.sampled_from(VALUES)),
    st.tuples(st.just("delete"), pc_, pick),
    st.tuples(st.just("finalize"), pc_),
    st.tuples(st.just("correct"), pc_, pick),
    st.tuples(st.just("web"), pc_),
)
round_ = st.tuples(st.lists(step, max_size=6), st.lists(pc_, max_size=1), st.permutations([0, 1]))
script = st.lists(round_, min_size=1, max_size=2)


@pytest.fixture(scope="module")
def proxy(srv):  # type: ignore[no-untyped-def]
    host, port = srv.base.removeprefix("http://").split(":")
    p = FaultProxy(host, int(port), Faults(drop_response=0.3, reset=0.2, truncate=0.1, seed=5)).start()
    yield p
    p.stop()


def _live_topics(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return list(s.scalars(select(TopicRow.id).where(TopicRow.deleted.is_(False)).order_by(TopicRow.id)))


def _finalized_meetings(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return list(s.scalars(select(MinutesRow.meeting_id).where(MinutesRow.sha256.is_not(None), MinutesRow.corrects_id.is_(None)).order_by(MinutesRow.meeting_id)))


class Run:
    """One example: the server's fresh room, two PCs, what each set this round."""

    def __init__(self, srv, tmp: Path) -> None:  # type: ignore[no-untyped-def]
        self.srv = srv
        self.code, self.room_id = fresh_room(srv)
        self.pcs = [new_pc(srv, tmp, f"pc{i}", room_code=self.code) for i in range(2)]
        self.n = 0

    def step(self, s: tuple, edits: list[dict], deleted: set[str]) -> None:  # type: ignore[type-arg]
        kind, who = s[0], s[1]
        pc = self.pcs[who]
        self.n += 1
        if kind == "create":
            topics.record_topic(pc, title=f"议题{self.n}", source="walk_in")
        elif kind == "web":
            # hypothesis seeds ``random`` per example: a resident's address from the OS instead
            r = self.srv.session(ip="10.{}.{}.{}".format(*os.urandom(2), 1 + os.urandom(1)[0] % 254)).post(f"{self.srv.base}/r/{self.code}", data={"title": f"扫码议题{self.n}", "description": "路灯不亮"})
            assert r.status_code == 200
        elif kind in ("edit", "delete"):
            live = _live_topics(pc)
            if not live:
                return
            tid = live[s[2] % len(live)]
            with pc.write() as session:
                row = session.get(TopicRow, tid)
                if kind == "edit":
                    outbox.update(session, row, **{s[3]: s[4]})
                    edits[who][(tid, s[3])] = s[4]
                else:
                    outbox.delete(session, row)
                    deleted.add(tid)
        elif kind == "finalize":
            meeting_id, _, _ = held_meeting(pc)
            minutes.save_minutes_text(pc, meeting_id, summary=f"纪要{self.n}")
            minutes.finalize_minutes(pc, meeting_id)
        elif kind == "correct":
            done = _finalized_meetings(pc)
            if done:
                try:
                    minutes.correct_minutes(pc, done[s[2] % len(done)], note=f"勘误{self.n}")
                except DomainError:
                    pass  # refused by the rules (nothing written): fine

    def cut_sync(self, who: int, proxy: FaultProxy) -> None:
        c = engine.client_for(self.pcs[who], retries=0)
        c.base = proxy.url
        c.session.headers["Connection"] = "close"
        try:
            engine.sync(self.pcs[who], c, batch=2, page=3)
        except SyncError:
            pass  # cut: the next sync picks up from where this one stopped
        finally:
            c.close()

    def close(self) -> None:
        for pc in self.pcs:
            pc.close()


# no shrinking: an example costs a second of real syncs, and a failing script
# is short enough to read as it is
@settings(max_examples=EXAMPLES, deadline=None, database=None, phases=(Phase.explicit, Phase.generate), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(script=script)
def test_random_scripts_converge(srv, proxy, script):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory(prefix="yishi-prop-") as tmp:
        run = Run(srv, Path(tmp))
        try:
            for n, (steps, cuts, order) in enumerate(script):
                edits: list[dict] = [{}, {}]
                deleted: set[str] = set()
                for s in steps:
                    run.step(s, edits, deleted)
                for who in cuts:
                    run.cut_sync(who, proxy)
                last = n == len(script) - 1
                for who in (order[0], order[1], order[0]):
                    engine.sync(run.pcs[who], check=last)
                # every field both PCs set to different values: exactly one conflict, both values
                open_ = [c for pc in run.pcs for c in conflicts.list_conflicts(pc)]
                both = {k for k in edits[0].keys() & edits[1].keys() if edits[0][k] != edits[1][k] and k[0] not in deleted}
                for tid, field in both:
                    found = [c for c in open_ if (c.row_id, c.field) == (tid, field)]
                    assert len(found) == 1, (tid, field, found)
                    assert {found[0].local_value, found[0].server_value} == {edits[0][(tid, field)], edits[1][(tid, field)]}
                stray = [c for c in open_ if c.field != "deleted" and (c.row_id, c.field) not in both]
                assert stray == [], stray
                for pc in run.pcs:
                    for c in conflicts.list_conflicts(pc):
                        conflicts.resolve(pc, c.id, keep="server")
            converged(run.srv, run.pcs, run.room_id)
        finally:
            run.close()
