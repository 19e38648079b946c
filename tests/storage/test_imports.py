"""``import_hotline``: one transaction per file, the ticket number as key, rows
refused with their row and reason, and topics that carry the same submit event
and outbox operations as a topic recorded by hand (replaying the outbox onto an
empty file gives the same content)."""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import DomainError
from desktop.domain.ids import TRACKING_ALPHABET
from desktop.i18n import set_language
from desktop.storage.db import Store
from desktop.storage.models import OutboxRow
from desktop.storage.replay import apply_operation, snapshot
from desktop.storage.services import rooms, topics
from desktop.storage.services.imports import ImportReport, import_hotline
from tests.importers.sample_files import PNG, ROWS, write_csv, write_xlsx


def counts(store: Store) -> dict[str, int]:
    con = sqlite3.connect(store.path)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("topic", "topic_event", "outbox")}
    finally:
        con.close()


def test_imports_every_row_as_a_submitted_topic_with_its_history(room_store, tmp_path):
    report = import_hotline(room_store, write_csv(tmp_path / "工单.csv"), actor="李秘书")
    assert isinstance(report, ImportReport)
    assert (report.imported, report.duplicates, report.rejected) == (3, 0, ())
    assert len(report.topic_ids) == 3 and len(set(report.topic_ids)) == 3
    first = topics.get_topic(room_store, report.topic_ids[0])
    assert first.title == "工地夜间施工噪音" and first.description == ROWS[0][3]
    assert first.source is TopicSource.HOTLINE and first.status is TopicStatus.SUBMITTED
    assert (first.ticket_no, first.submitter_name, first.submitter_phone) == ("HA20261103001", "王先生", "13800001111")
    assert (first.location, first.category) == ("清江浦区翔宇大道88号", "城乡建设/噪音扰民")
    assert first.received_at == datetime(2026, 11, 3, 1, 5, tzinfo=UTC)
    second = topics.get_topic(room_store, report.topic_ids[1])
    assert second.title.startswith("运河边步道没有公共厕所") and second.title.endswith("…")
    assert topics.get_topic(room_store, report.topic_ids[2]).submitter_phone == ""  # masked in the export
    (event,) = topics.history(room_store, first.id)
    assert (event.action, event.from_status, event.to_status, event.actor) == ("submit", None, TopicStatus.SUBMITTED, "李秘书")
    # the topic is found by its tracking code like any other
    assert topics.find_by_tracking_code(room_store, first.tracking_code).id == first.id


def test_ids_and_tracking_codes_look_like_those_of_a_topic_recorded_by_hand(room_store, tmp_path):
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv"))
    for tid in report.topic_ids:
        assert uuid.UUID(tid).version == 7
        code = topics.get_topic(room_store, tid).tracking_code
        assert re.fullmatch(f"[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}", code)
    assert list(report.topic_ids) == sorted(report.topic_ids)  # UUIDv7 order follows the file


def test_outbox_operations_are_shaped_exactly_like_new_topic_row_writes(room_store, tmp_path):
    hand = topics.record_topic(
        room_store, title="工地夜间施工噪音", description=ROWS[0][3], source="hotline", category="城乡建设/噪音扰民",
        location="清江浦区翔宇大道88号", submitter_name="王先生", submitter_phone="13800001111", ticket_no="BY-HAND",
        received_at=datetime(2026, 11, 3, 1, 5, tzinfo=UTC),
    ).value
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", ROWS[:1]))
    with room_store.read() as s:
        ops = s.scalars(select(OutboxRow).order_by(OutboxRow.seq)).all()
        by_hand, imported = ops[:2], ops[2:]
        assert [o.entity for o in imported] == ["topic", "topic_event"]
        assert imported[0].row_id == report.topic_ids[0]
        for a, b in zip(by_hand, imported):
            assert (a.kind, a.base_version, a.frozen, a.state, a.reject_reason) == (b.kind, b.base_version, b.frozen, b.state, b.reject_reason)
            assert list(a.fields) == list(b.fields)  # same fields, same order
        differ = {k for k in by_hand[0].fields if by_hand[0].fields[k] != imported[0].fields[k]}
        assert differ == {"tracking_code", "ticket_no", "created_at", "updated_at"}
        differ = {k for k in by_hand[1].fields if by_hand[1].fields[k] != imported[1].fields[k]}
        assert differ == {"topic_id", "at"}
    assert hand.received_at == topics.get_topic(room_store, report.topic_ids[0]).received_at


def test_replaying_the_outbox_onto_an_empty_file_gives_the_same_content(room_store, tmp_path):
    rows = ROWS + [["GW-9", "2026/11/5 8:00", "", "雨后村道积水😟\x07，电动车过不去", "赵\u202e网格员", "", "大兴村三组", "排水防涝"]]
    import_hotline(room_store, write_csv(tmp_path / "a.csv", rows), source="grid_worker", actor="网格员老赵")
    room = rooms.require_room(room_store)
    copy = Store(tmp_path / "copy")
    rooms.init_room(copy, code=room.code, name=room.name, room_id=room.id)
    with room_store.read() as s:
        original = snapshot(s)
        ops = [(o.entity, o.row_id, o.kind, o.fields) for o in s.scalars(select(OutboxRow).order_by(OutboxRow.seq))]
    with copy.write() as s:
        for entity, row_id, kind, fields in ops:
            apply_operation(s, entity=entity, row_id=row_id, kind=kind, fields=fields)
    with copy.read() as s:
        assert snapshot(s) == original
    assert len(original["topic"]) == 4 and len(original["topic_event"]) == 4
    copy.close()


def test_importing_the_same_file_twice_adds_nothing(room_store, tmp_path):
    path = write_csv(tmp_path / "a.csv")
    import_hotline(room_store, path)
    before = counts(room_store)
    again = import_hotline(room_store, path)
    assert (again.imported, again.duplicates, again.topic_ids) == (0, 3, ())
    assert again.duplicate_lines == (2, 3, 4)
    assert counts(room_store) == before


def test_tickets_repeated_in_the_file_or_already_recorded_are_skipped(room_store, tmp_path):
    topics.record_topic(room_store, title="电话登记的", source="hotline", ticket_no="HA20261104003")
    rows = [ROWS[0], ROWS[1], ROWS[0], ROWS[2]]
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", rows))
    assert (report.imported, report.duplicates, report.duplicate_lines) == (2, 2, (4, 5))
    assert counts(room_store)["topic"] == 3


def test_bad_rows_are_refused_with_their_row_and_the_others_imported(room_store, tmp_path):
    rows = [
        ROWS[0],
        ["", "2026/11/3 9:05", "", "没有工单编号", "", "", "", ""],
        ["X2", "2026/13/3 9:05", "", "月份不对", "", "", "", ""],
        ["X3", "2026/11/3 9:05", "标" * 201, "标题太长", "", "", "", ""],
        ["X4", "2026/11/3 9:05", "", "地址太长", "", "", "地" * 301, ""],
        ["X5", "2026/11/3 9:05", "", "\x01\x02\u200b", "", "", "", ""],  # nothing left after cleaning
        ROWS[1],
    ]
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", rows))
    assert report.imported == 2
    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert reasons[3] == "缺少工单编号"
    assert "“2026/13/3 9:05”无法识别" in reasons[4]
    assert reasons[5] == "“诉求标题”太长了：最多200个字，现在有201个字。"
    assert reasons[6] == "“地址”太长了：最多300个字，现在有301个字。"
    assert "请填写" in reasons[7] or "缺少" in reasons[7]
    assert counts(room_store)["topic"] == 2


def test_a_content_of_more_than_100000_characters_is_refused_with_its_length(room_store, tmp_path):
    # refused, not cut: a cell that long is nearly always a broken export (a
    # stray quote swallowing the rows after it), and a cut letter would put
    # words in a resident's mouth that end mid-sentence without anyone noticing
    huge = "楼上漏水" * 25_001
    rows = [ROWS[0], ["BIG", "2026/11/3 9:05", "漏水", huge, "", "", "", ""], ROWS[1]]
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", rows))
    assert report.imported == 2
    assert report.rejected == ((3, "“诉求内容”太长了：最多100000个字，现在有100004个字。"),)


def test_emoji_kept_and_control_characters_removed(room_store, tmp_path):
    rows = [["E1", "2026/11/3 9:05", "路灯\x00坏了💡", "晚上\x07很黑😟\u202e\r\n第二行", "王\x1b先生", "", "", ""]]
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", rows))
    topic = topics.get_topic(room_store, report.topic_ids[0])
    assert (topic.title, topic.description, topic.submitter_name) == ("路灯坏了💡", "晚上很黑😟\n第二行", "王先生")


def test_a_file_that_is_not_a_table_raises_one_error_and_writes_nothing(room_store, tmp_path):
    import_hotline(room_store, write_csv(tmp_path / "good.csv"))
    before = counts(room_store)
    for name, data in [("a.png", PNG), ("empty.csv", b""), ("notes.csv", "今天开会\n".encode())]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DomainError) as info:
            import_hotline(room_store, tmp_path / name)
        assert "工单编号" in str(info.value) and "诉求内容" in str(info.value)
    assert counts(room_store) == before


def test_dry_run_reports_the_same_and_writes_nothing(room_store, tmp_path):
    rows = [*ROWS, ["", "2026/11/3 9:05", "", "没有编号", "", "", "", ""], ROWS[0]]
    path = write_csv(tmp_path / "a.csv", rows)
    before = counts(room_store)
    preview = import_hotline(room_store, path, dry_run=True)
    assert counts(room_store) == before
    assert (preview.dry_run, preview.imported, preview.duplicates, preview.topic_ids) == (True, 3, 1, ())
    real = import_hotline(room_store, path)
    assert (real.imported, real.duplicates, real.rejected) == (preview.imported, preview.duplicates, preview.rejected)


def test_grid_worker_file_with_reporter_column_from_xlsx(room_store, tmp_path):
    header = ["工单编号", "上报时间", "标题", "诉求内容", "网格员", "地址", "诉求类别"]
    rows = [["GW-1", datetime(2026, 7, 1, 8, 30), "留守儿童暑期托管", "暑假期间留守儿童无人照看。", "周网格员", "大兴村", "社会保障"]]
    report = import_hotline(room_store, write_xlsx(tmp_path / "网格.xlsx", rows, header=header), source=TopicSource.GRID_WORKER)
    topic = topics.get_topic(room_store, report.topic_ids[0])
    assert topic.source is TopicSource.GRID_WORKER
    assert topic.submitter_name == "周网格员"
    assert topic.received_at == datetime(2026, 7, 1, 0, 30, tzinfo=UTC)


def test_unknown_source_and_missing_room_write_nothing(store, tmp_path):
    path = write_csv(tmp_path / "a.csv")
    with pytest.raises(DomainError, match="未知的议题来源"):
        import_hotline(store, path, source="fax")
    with pytest.raises(DomainError, match="yishi init"):
        import_hotline(store, path)
    assert counts(store) == {"topic": 0, "topic_event": 0, "outbox": 0}


def test_reasons_in_english(room_store, tmp_path):
    set_language("en")
    rows = [ROWS[0], ["X", "2026/11/3 9:05", "t" * 201, "c", "", "", "", ""]]
    report = import_hotline(room_store, write_csv(tmp_path / "a.csv", rows))
    assert report.rejected == ((3, "“诉求标题 (title)” is too long: at most 200 characters, it has 201."),)


def test_many_rows_in_several_chunks_of_one_transaction(room_store, tmp_path, monkeypatch):
    from desktop.storage.services import imports

    monkeypatch.setattr(imports, "CHUNK", 300)  # several bulk inserts, as with a county's file
    rows = [[f"N{i:05d}", "2026/11/3 9:05", "", f"第{i}件事", "", "", "", ""] for i in range(1_000)]
    report = import_hotline(room_store, write_csv(tmp_path / "many.csv", rows))
    assert report.imported == 1_000
    con = sqlite3.connect(room_store.path)
    assert con.execute("select count(distinct tracking_code), count(distinct id), count(*) from topic").fetchone() == (1_000, 1_000, 1_000)
    assert con.execute("select entity, count(*) from outbox group by entity order by entity").fetchall() == [("topic", 1_000), ("topic_event", 1_000)]
    # a topic's operation comes right before its event's, as new_topic_row writes them
    entities = [e for (e,) in con.execute("select entity from outbox order by seq")]
    assert entities == ["topic", "topic_event"] * 1_000
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
