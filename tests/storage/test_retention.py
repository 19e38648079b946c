"""The retention job on a room's PC, as the convenor's scheduled task runs it
over the years (the clock moved): names and phone numbers of residents whose
matter was closed more than the retention period ago are blanked, each with a
line in the topic's history; open, reopened and recently closed matters keep
theirs; the change reaches the real county server at the next sync (the
event insert and the field update both applied) and the resident's /t/ page
then shows the history line; the room's setting and the CLI's bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop.domain import clock
from desktop.domain.errors import ValidationError
from desktop.domain.retention import ACTION, REASON
from desktop.storage import search
from desktop.storage.models import OutboxRow, TopicEventRow, TopicRow
from desktop.storage.services import followups, retention, topics
from desktop.sync import engine
from tests.sync.helpers import fresh_room, new_pc, server_db

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2024, 3, 1, 2, tzinfo=UTC)


class Clock:
    """Moves the PC's clock: ``at(days)`` sets it to ``start`` + days."""

    def __init__(self) -> None:
        self.start = START

    def __call__(self, days: float) -> datetime:
        t = self.start + timedelta(days=days)
        clock.set_clock(lambda: t)
        return t


@pytest.fixture
def at():
    yield Clock()
    clock.set_clock(None)


def _topic(store, title: str, name: str, phone: str) -> str:  # type: ignore[no-untyped-def]
    return topics.record_topic(store, title=title, source="walk_in", submitter_name=name, submitter_phone=phone).value.id


def _matters(store, at):  # type: ignore[no-untyped-def]
    """Five residents' matters over three years; returns their ids by what became of them."""
    at(0)
    ids = {
        "resolved_long_ago": _topic(store, "路灯坏了", "张建华", "13812345678"),
        "declined_long_ago": _topic(store, "想要广场舞音响", "李秀英", "13900001111"),
        "visited_long_ago": _topic(store, "垃圾桶太少", "王德明", "13700002222"),
        "reopened": _topic(store, "下水道堵了", "赵桂兰", "13600003333"),
        "recent": _topic(store, "楼道灯不亮", "孙志强", "13500004444"),
        "open": _topic(store, "停车难", "周丽", "13400005555"),
    }
    at(1)
    for key in ("resolved_long_ago", "visited_long_ago", "reopened", "recent", "open"):
        topics.accept(store, ids[key])
    at(2)
    topics.handle_directly(store, ids["resolved_long_ago"], how="已换灯泡")
    topics.decline(store, ids["declined_long_ago"], reason="不属于议事范围")
    topics.handle_directly(store, ids["visited_long_ago"], how="加了两个垃圾桶")
    topics.handle_directly(store, ids["reopened"], how="已疏通")
    at(400)  # the visit more than a year after: the matter still counts as closed on day 2
    followups.record_follow_up(store, ids["visited_long_ago"], satisfaction="satisfied")
    followups.record_follow_up(store, ids["reopened"], satisfaction="dissatisfied", reopen=True)
    at(700)
    topics.handle_directly(store, ids["recent"], how="已修好")
    return ids


def _person(store, topic_id: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    t = topics.get_topic(store, topic_id)
    return t.submitter_name, t.submitter_phone


def test_the_job_blanks_only_matters_closed_longer_than_the_period(room_store, at):
    ids = _matters(room_store, at)
    # two years after day 2, minus a day: nothing is due yet
    at(2 + 730 - 1)
    assert retention.run_retention(room_store).value.topic_ids == ()
    assert _person(room_store, ids["resolved_long_ago"]) == ("张建华", "13812345678")

    now = at(2 + 731)
    dry = retention.run_retention(room_store, dry_run=True).value
    assert set(dry.topic_ids) == {ids["resolved_long_ago"], ids["declined_long_ago"], ids["visited_long_ago"]}
    assert _person(room_store, ids["declined_long_ago"]) == ("李秀英", "13900001111")  # a dry run changes nothing

    report = retention.run_retention(room_store).value
    assert set(report.topic_ids) == set(dry.topic_ids) and report.years == 2
    for key in ("resolved_long_ago", "declined_long_ago", "visited_long_ago"):
        assert _person(room_store, ids[key]) == ("", ""), key
        last = topics.history(room_store, ids[key])[-1]
        status = topics.get_topic(room_store, ids[key]).status
        assert (last.action, last.reason, last.at, last.from_status, last.to_status) == (ACTION, REASON, now, status, status)
    # open, reopened (closed long ago, then sent back to work) and recently closed keep theirs
    assert _person(room_store, ids["reopened"]) == ("赵桂兰", "13600003333")
    assert _person(room_store, ids["recent"]) == ("孙志强", "13500004444")
    assert _person(room_store, ids["open"]) == ("周丽", "13400005555")
    # the convenor's search no longer finds the resident by name
    assert search.search_topics(room_store, "张建华") == ()
    assert [t.id for t in search.search_topics(room_store, "孙志强")] == [ids["recent"]]
    # the blanking waits in the outbox, field by field
    with room_store.read() as s:
        ops = s.scalars(select(OutboxRow).where(OutboxRow.row_id == ids["resolved_long_ago"], OutboxRow.state == "pending")).all()
        assert any(op.fields.get("submitter_name") == "" and op.fields.get("submitter_phone") == "" for op in ops)
    # run again: nothing more to do, no second history line
    assert retention.run_retention(room_store).value.topic_ids == ()
    assert [e.action for e in topics.history(room_store, ids["resolved_long_ago"])].count(ACTION) == 1

    # a year later the recently closed one is due too, with a one-year setting sooner
    retention.set_retention_years(room_store, 1)
    at(700 + 366)
    assert retention.run_retention(room_store).value.topic_ids == (ids["recent"],)


def test_the_setting_refuses_nonsense(room_store):
    assert retention.retention_years(room_store) == 2
    for bad in ("0", "-1", "31", "二", "２", "1.5", "", "9" * 50):
        with pytest.raises(ValidationError):
            retention.set_retention_years(room_store, bad)
    assert retention.retention_years(room_store) == 2
    assert retention.set_retention_years(room_store, "5") == 5 and retention.retention_years(room_store) == 5


def test_the_blanking_syncs_to_the_county_server(srv, tmp_path, at):
    code, _ = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code)  # enrolled now: the code's 24 hours run on the real clock
    try:
        at(0)  # then the PC's clock goes back to 2024 for the room's work
        topic_id = _topic(pc, "路灯坏了", "张建华", "13812345678")
        topics.accept(pc, topic_id)
        topics.handle_directly(pc, topic_id, how="已换灯泡")
        assert engine.sync(pc).rejected == 0
        tracking = topics.get_topic(pc, topic_id).tracking_code
        at(800)
        assert retention.run_retention(pc).value.topic_ids == (topic_id,)
        result = engine.sync(pc)
        assert result.rejected == 0
        with pc.read() as s:
            assert s.scalars(select(OutboxRow).where(OutboxRow.state == "pending")).all() == []
    finally:
        pc.close()
    with server_db(srv).read() as s:
        row = s.get(TopicRow, topic_id)
        assert (row.submitter_name, row.submitter_phone) == ("", "")
        events = s.scalars(select(TopicEventRow).where(TopicEventRow.topic_id == topic_id, TopicEventRow.action == ACTION)).all()
        assert [(e.reason, e.from_status, e.to_status) for e in events] == [(REASON, row.status, row.status)]
    page = requests.get(f"{srv.base}/t/{code}/{tracking}")
    assert page.status_code == 200
    assert "张" not in page.text.split("<main>")[1] and "5678" not in page.text


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, "YISHI_LANG": "zh"})


def test_cli_runs_the_job_and_refuses_bad_input(room_store, at):
    # the CLI runs on the real clock: the matters start three years before today
    at.start = datetime.now(UTC) - timedelta(days=3 * 365)
    ids = _matters(room_store, at)
    data_dir = room_store.data_dir
    room_store.close()
    for bad in (("--years", "0"), ("--years", "abc"), ("--set-years", "99")):
        r = _cli(data_dir, "retention", *bad)
        assert r.returncode == 2 and "保存期限应是 1 到 30 之间的整数（年）" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = _cli(data_dir, "retention", "--dry-run")
    assert r.returncode == 0 and "3 件（没有删除）" in r.stdout, r.stdout + r.stderr
    r = _cli(data_dir, "retention")
    assert r.returncode == 0 and "已删除 3 件议题的提出人姓名和电话" in r.stdout, r.stdout + r.stderr
    r = _cli(data_dir, "retention", "--json")
    assert r.returncode == 0 and '"topics": []' in r.stdout
    # the room's period, once changed, is what the intake receipt promises
    assert _cli(data_dir, "retention", "--set-years", "5").returncode == 0
    assert _cli(data_dir, "settings", "--server-url", "https://xieshang.example.gov.cn").returncode == 0
    pdf = data_dir / "receipt.pdf"
    r = _cli(data_dir, "export", "receipt", ids["open"], "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # the notice wraps beside the QR code
    assert "保存多久：事情办结后5年，到期删除您的称呼和电话。" in flat, text
    assert _person_in(data_dir, ids["resolved_long_ago"]) == ("", "") and _person_in(data_dir, ids["recent"]) == ("孙志强", "13500004444")


def _person_in(data_dir: Path, topic_id: str) -> tuple[str, str]:
    from desktop.storage.db import Store

    store = Store(data_dir)
    try:
        return _person(store, topic_id)
    finally:
        store.close()
