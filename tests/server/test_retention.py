"""The retention job on the county server (SQLite and PostgreSQL), for topics
born there: residents submit on the phone form of a real ``yishi-server
serve``, the room's PC pulls and decides them (declined, handled), then never
runs its own job. ``yishi-server retention`` blanks the names and phones of
matters closed longer than the period, with a history line, leaves the rest;
the /t/ page shows no trace of the resident; the PC pulls the blank fields and
the line at its next sync, and its own job then has nothing left to do (one
line, not two). With the clock moved, the period's edge is exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from desktop.domain import clock
from desktop.domain.retention import ACTION, REASON
from desktop.storage.models import TopicEventRow, TopicRow
from desktop.storage.services import retention as pc_retention
from desktop.storage.services import topics
from desktop.sync import engine
from server.services.retention import run_retention
from tests.sync.helpers import fresh_room, new_pc, server_db

RESIDENTS = {
    "路灯坏了": ("张建华", "13812345678"),
    "想要广场舞音响": ("李秀英", "13900001111"),
    "停车难": ("周丽", "13400005555"),
}


def _submit(srv, code: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each resident on their own phone; returns tracking codes by title."""
    out = {}
    for title, (name, phone) in RESIDENTS.items():
        r = srv.session().post(f"{srv.base}/r/{code}", data={"title": title, "name": name, "phone": phone})
        assert r.status_code == 200, r.text
        out[title] = r.text.split('id="tracking-code">')[1].split("<")[0]
    return out


def _decide(srv, tmp_path, code: str, *, when: datetime):  # type: ignore[no-untyped-def]
    """The room's PC pulls the phone topics and closes two of them at ``when``."""
    pc = new_pc(srv, tmp_path, "pc", room_code=code)
    try:
        assert engine.sync(pc).rejected == 0
        by_title = {t.title: t.id for t in topics.list_topics(pc)}
        clock.set_clock(lambda: when)
        topics.accept(pc, by_title["路灯坏了"])
        topics.handle_directly(pc, by_title["路灯坏了"], how="已换灯泡")
        topics.decline(pc, by_title["想要广场舞音响"], reason="不属于议事范围")
        topics.accept(pc, by_title["停车难"])
        clock.set_clock(None)
        assert engine.sync(pc).rejected == 0
    finally:
        clock.set_clock(None)
    return pc, by_title


def _people(srv, room_id: str) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    with server_db(srv).read() as s:
        return {t.title: (t.submitter_name, t.submitter_phone) for t in s.scalars(select(TopicRow).where(TopicRow.room_id == room_id))}


def _lines(srv, topic_id: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with server_db(srv).read() as s:
        return [(e.reason, str(e.to_status)) for e in s.scalars(select(TopicEventRow).where(TopicEventRow.topic_id == topic_id, TopicEventRow.action == ACTION))]


def test_cli_blanks_phone_topics_closed_long_ago_and_the_pc_follows(srv, tmp_path):
    code, room_id = fresh_room(srv)
    codes = _submit(srv, code)
    # the PC decided them three years ago (its clock) and was then lost
    pc, ids = _decide(srv, tmp_path, code, when=datetime.now(UTC) - timedelta(days=3 * 365))
    try:
        bad = srv.cli("retention", "--years", "0")
        assert bad.returncode == 2 and "保存期限应是 1 到 30 之间的整数（年）" in bad.stderr and "Traceback" not in bad.stderr
        missing = srv.cli("retention", "--room", "NO-SUCH-ROOM")
        assert missing.returncode == 2 and "没有找到编码为“NO-SUCH-ROOM”的议事室" in missing.stderr
        dry = srv.cli("retention", "--room", code, "--dry-run", "--json")
        assert dry.returncode == 0 and json.loads(dry.stdout)["by_room"] == {code: 2}, dry.stdout + dry.stderr
        assert _people(srv, room_id) == RESIDENTS  # a dry run changes nothing

        r = srv.cli("retention", "--room", code)
        assert r.returncode == 0 and "已删除 2 件议题的提出人姓名和电话（办结已满 2 年）" in r.stdout, r.stdout + r.stderr
        assert _people(srv, room_id) == {"路灯坏了": ("", ""), "想要广场舞音响": ("", ""), "停车难": RESIDENTS["停车难"]}
        assert _lines(srv, ids["路灯坏了"]) == [(REASON, "resolved")]
        assert _lines(srv, ids["想要广场舞音响"]) == [(REASON, "declined")]
        for title in ("路灯坏了", "想要广场舞音响"):
            page = requests.get(f"{srv.base}/t/{code}/{codes[title]}")
            assert page.status_code == 200
            name, phone = RESIDENTS[title]
            assert name[0] not in page.text and phone[-4:] not in page.text and phone[:3] not in page.text.split("<main>")[1]
            assert f"<b>{REASON}</b>" in page.text  # the resident sees it done, as a step of the history

        # the PC pulls the blanking; its own job then has nothing to do
        assert engine.sync(pc).rejected == 0
        assert topics.get_topic(pc, ids["路灯坏了"]).submitter_name == ""
        assert [e.action for e in topics.history(pc, ids["路灯坏了"])].count(ACTION) == 1
        assert pc_retention.run_retention(pc).value.topic_ids == ()
        assert topics.get_topic(pc, ids["停车难"]).submitter_phone == RESIDENTS["停车难"][1]
        again = srv.cli("retention", "--room", code, "--json")
        assert json.loads(again.stdout)["by_room"] == {}
    finally:
        pc.close()


def test_the_period_edge_with_the_clock_moved(srv, tmp_path):
    code, room_id = fresh_room(srv)
    _submit(srv, code)
    decided = datetime.now(UTC).replace(microsecond=0)
    pc, ids = _decide(srv, tmp_path, code, when=decided)
    pc.close()
    db = server_db(srv)
    try:
        clock.set_clock(lambda: decided.replace(year=decided.year + 2) - timedelta(seconds=1))
        assert run_retention(db, room_code=code).total == 0
        clock.set_clock(lambda: decided.replace(year=decided.year + 2))
        assert run_retention(db, room_code=code).by_room == {code: 2}
        assert _people(srv, room_id)["停车难"] == RESIDENTS["停车难"]
    finally:
        clock.set_clock(None)
