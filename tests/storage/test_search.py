"""Topic search: Chinese substrings of any length, AND of words, filters,
order and paging, text that looks like FTS syntax, and an index that follows
every write (services, edits, tombstones)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sqlalchemy import select

from desktop.domain.errors import ValidationError
from desktop.storage import outbox
from desktop.storage.models import TopicRow
from desktop.storage.search import count_topics, search_topics
from desktop.storage.db import Store
from desktop.storage.services import rooms, topics

CASES = [
    # title, description, location, submitter, source, ticket
    ("运河风光带缺少公厕", "在运河边散步的老人找不到厕所，希望增设一座公厕。", "里运河文化长廊", "王秀英", "qr", None),
    ("夜间施工噪音扰民", "工地晚上十点后还在打桩，噪音很大。", "淮海南路88号", "李建国", "hotline", "2025060100017"),
    ("小区健身区座椅损坏", "木质座椅开裂，老人没地方坐。", "水渡口社区3号楼", "张卫东", "grid_worker", None),
    ("雨后村道积水", "路口积水三十公分，孩子上学要绕路。", "周庄村", "刘丽华", "walk_in", None),
    ("Road repair 50% done", 'quotes "like this" and under_score', "Block A", "Tom", "referral", None),
]


def _record_cases(store) -> list[str]:
    start = datetime(2025, 6, 1, 1, 0, tzinfo=UTC)
    ids = []
    for i, (title, desc, loc, who, source, ticket) in enumerate(CASES):
        r = topics.record_topic(
            store, title=title, description=desc, location=loc, submitter_name=who, source=source,
            ticket_no=ticket, received_at=start + timedelta(days=i),
        )
        ids.append(r.value.id)
    return ids


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One room for the tests that only read (opening a database costs a second)."""
    store = Store(tmp_path_factory.mktemp("search") / "data")
    rooms.init_room(store, code="QJP-001", name="清江浦区水渡口社区协商议事室")
    ids = _record_cases(store)
    yield store, ids
    store.close()


@pytest.fixture
def seeded(room_store):
    return room_store, _record_cases(room_store)


def titles(found):
    return [t.title for t in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("厕", [0]),  # one character
        ("公厕", [0]),  # two characters
        ("噪音", [1]),
        ("施工噪音", [1]),  # four characters
        ("座椅", [2]),
        ("老人", [2, 0]),  # in descriptions, newest first
        ("王秀英", [0]),  # submitter
        ("秀", [0]),
        ("淮海", [1]),  # location
        ("0100017", [1]),  # part of the ticket number
        ("积水 孩子", [3]),  # two words: both must occur
        ("积水 公厕", []),
        ("road", [4]),  # case-insensitive Latin
        ("50%", [4]),
        ("under_score", [4]),
        ('"like', [4]),
        ("不存在的内容", []),
    ],
)
def test_finds_exactly_the_topics_containing_every_word(shared, query, expected):
    store, _ids = shared
    want = [CASES[i][0] for i in expected]
    assert titles(search_topics(store, query)) == want
    assert count_topics(store, query) == len(want)


@pytest.mark.parametrize("query", ['"', "AND", "OR NOT", "NEAR(公厕", "公厕*", "*", "-噪音", "^公", "title:公厕", "(", "'", "\\", "%", "_", "😀", "公厕)", "a\"b"])
def test_text_that_looks_like_query_syntax_is_just_text(shared, query):
    store, _ids = shared
    everything = [CASES[i] for i in range(len(CASES))]
    want = [c[0] for c in reversed(everything) if all(any(w.lower() in (f or "").lower() for f in c[:4] + (c[5],)) for w in query.split())]
    assert titles(search_topics(store, query)) == want


def test_every_substring_of_a_title_finds_its_topic(shared):
    store, _ids = shared
    title = CASES[0][0]
    for n in (1, 2, 3, 4):
        for i in range(len(title) - n + 1):
            word = title[i : i + n]
            assert CASES[0][0] in titles(search_topics(store, word)), word


def test_empty_query_lists_everything_with_filters_newest_first(shared):
    store, _ids = shared
    assert titles(search_topics(store, "")) == [c[0] for c in reversed(CASES)]
    assert titles(search_topics(store, "  ", source="hotline")) == [CASES[1][0]]
    assert titles(search_topics(store, "", status="submitted", limit=2)) == [CASES[4][0], CASES[3][0]]
    assert titles(search_topics(store, "", limit=2, offset=2)) == [CASES[2][0], CASES[1][0]]
    assert count_topics(store, "", source="qr") == 1
    assert search_topics(store, "", category="没有这类") == ()


def test_date_filters_are_china_days(room_store):
    # 16:30 UTC on 1 June is 00:30 on 2 June in China
    topics.record_topic(room_store, title="六月二日凌晨的议题", source="qr", received_at=datetime(2025, 6, 1, 16, 30, tzinfo=UTC))
    assert count_topics(room_store, "", date_from=date(2025, 6, 2), date_to=date(2025, 6, 2)) == 1
    assert count_topics(room_store, "", date_to=date(2025, 6, 1)) == 0
    with pytest.raises(ValidationError, match="开始日期不能晚于结束日期"):
        search_topics(room_store, "", date_from=date(2025, 6, 3), date_to=date(2025, 6, 2))


def test_bad_filters_and_overlong_queries_get_a_clear_message(shared):
    store, _ids = shared
    with pytest.raises(ValidationError, match="议题状态"):
        search_topics(store, "", status="finished")
    with pytest.raises(ValidationError, match="太长"):
        search_topics(store, "公" * 201)
    with pytest.raises(ValidationError):
        search_topics(store, "", limit=-1)


def test_index_follows_edits_merges_and_tombstones(seeded):
    store, ids = seeded
    with store.write() as session:
        row = session.get(TopicRow, ids[2])
        outbox.update(session, row, title="小区健身区长椅损坏", description="长椅开裂")
    assert search_topics(store, "座椅") == ()
    assert titles(search_topics(store, "长椅")) == ["小区健身区长椅损坏"]
    topics.merge(store, ids[3], into_id=ids[0])  # a status change leaves the text searchable
    assert titles(search_topics(store, "积水")) == [CASES[3][0]]
    with store.write() as session:
        outbox.delete(session, session.get(TopicRow, ids[0]))
    assert search_topics(store, "公厕") == ()
    assert count_topics(store, "") == len(CASES) - 1
    with store.read() as session:
        # FTS5's own consistency check of both indexes
        session.connection().exec_driver_sql("INSERT INTO topic_tri(topic_tri) VALUES('integrity-check')")
        session.connection().exec_driver_sql("INSERT INTO topic_bi(topic_bi) VALUES('integrity-check')")


def _queued(store) -> int:
    with store.read() as session:
        return session.connection().exec_driver_sql("SELECT count(*) FROM topic_search_queue").scalar_one()


def test_rows_written_behind_the_services_back_are_found(room_store):
    """A writer that never passes through SQLAlchemy (another tool, a restore
    script) leaves rows in the queue; the next search indexes them, including
    rows edited or deleted while still waiting."""
    import sqlite3

    topics.record_topic(room_store, title="运河风光带缺少公厕", source="qr")
    assert _queued(room_store) == 0  # the commit hook indexed it
    con = sqlite3.connect(room_store.path)
    cols = "id, room_id, version, field_versions, deleted, title, description, source, status, category, location, submitter_name, submitter_phone, tracking_code, ticket_no, decline_reason, received_at, created_at, updated_at"
    for n, title in enumerate(["渔民转产就业", "助残食堂选址", "留守儿童托管"]):
        con.execute(
            f"INSERT INTO topic ({cols}) VALUES (?, ?, 0, '{{}}', 0, ?, '', 'qr', 'submitted', '', '', '', '', ?, NULL, '', "
            "'2025-06-01 02:00:00.000000', '2025-06-01 02:00:00.000000', '2025-06-01 02:00:00.000000')",
            (f"00000000-0000-7000-8000-00000000000{n}", rooms.require_room(room_store).id, title, f"TEST-000{n}"),
        )
    con.execute("UPDATE topic SET title = '渔民上岸就业' WHERE title = '渔民转产就业'")
    con.execute("DELETE FROM topic WHERE title = '留守儿童托管'")
    con.commit()
    con.close()
    assert _queued(room_store) == 2
    assert titles(search_topics(room_store, "上岸")) == ["渔民上岸就业"]
    assert search_topics(room_store, "转产") == ()
    assert search_topics(room_store, "儿童") == ()
    assert count_topics(room_store, "食堂") == 1
    assert _queued(room_store) == 0
    # an edit of an indexed row takes its old words out at once
    with room_store.write() as session:
        row = session.scalars(select(TopicRow).where(TopicRow.title == "助残食堂选址")).one()
        outbox.update(session, row, title="助残餐厅选址")
    assert search_topics(room_store, "食堂") == ()
    assert titles(search_topics(room_store, "餐厅")) == ["助残餐厅选址"]
    with room_store.read() as session:
        session.connection().exec_driver_sql("INSERT INTO topic_tri(topic_tri) VALUES('integrity-check')")
        session.connection().exec_driver_sql("INSERT INTO topic_bi(topic_bi) VALUES('integrity-check')")


def test_rebuild_after_vacuum_finds_the_same_topics(seeded):
    from desktop.storage.search import rebuild_index

    store, _ids = seeded
    before = {q: titles(search_topics(store, q)) for q in ("厕", "噪音", "施工噪音", "老人")}
    import sqlite3

    con = sqlite3.connect(store.path)
    con.execute("VACUUM")
    con.close()
    rebuild_index(store)
    assert {q: titles(search_topics(store, q)) for q in before} == before
    assert _queued(store) == 0


def test_results_come_most_recently_recorded_first(room_store):
    """The order is that of recording on this PC, not of ``received_at``: an
    old 12345 ticket imported today comes before yesterday's QR topic."""
    topics.record_topic(room_store, title="昨天扫码反映的公厕问题", source="qr", received_at=datetime(2025, 6, 2, tzinfo=UTC))
    topics.record_topic(room_store, title="去年的公厕工单", source="hotline", ticket_no="2024010100001",
                        received_at=datetime(2024, 1, 1, tzinfo=UTC))
    want = ["去年的公厕工单", "昨天扫码反映的公厕问题"]
    assert titles(search_topics(room_store, "公厕")) == want
    assert titles(search_topics(room_store, "")) == want
    assert titles(search_topics(room_store, "公厕", limit=1, offset=1)) == want[1:]


WORDS = ["运河公厕", "施工噪音", "健身座椅", "村道积水"]
SOURCES = ["qr", "hotline", "petition", "grid_worker"]
N_MANY = 40


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Forty topics recorded in an order unlike their ``received_at``, one
    in five accepted: enough matches per word for the walk down the index to
    stop early, run out, or hand over to the filters."""
    store = Store(tmp_path_factory.mktemp("search-many") / "data")
    rooms.init_room(store, code="QJP-002", name="清江浦区柳树湾社区协商议事室")
    rows = []
    for i in range(N_MANY):
        title = f"{WORDS[i % 4]}第{i}号"
        desc = "老人反映" if i % 3 == 0 else "居民反映"
        source = SOURCES[(i // 4) % 4]
        received = datetime(2025, 1, 1, 2, tzinfo=UTC) + timedelta(days=(i * 7) % N_MANY)
        topic = topics.record_topic(store, title=title, description=desc, source=source, received_at=received).value
        status = "submitted"
        if i % 5 == 1:
            topics.accept(store, topic.id)
            status = "accepted"
        rows.append({"id": topic.id, "text": (title, desc), "source": source, "status": status, "day": (received + timedelta(hours=8)).date()})
    yield store, rows
    store.close()


def _reference(rows, query, flt, limit, offset):
    """What the search should give, worked out the slow way in Python."""
    def keep(r):
        if any(not any(w in f for f in r["text"]) for w in query.split()):
            return False
        if "status" in flt and r["status"] != flt["status"]:
            return False
        if "source" in flt and r["source"] != flt["source"]:
            return False
        if "date_from" in flt and r["day"] < flt["date_from"]:
            return False
        return not ("date_to" in flt and r["day"] > flt["date_to"])

    return [r["id"] for r in reversed(rows) if keep(r)][offset : offset + limit]


@pytest.mark.parametrize("budget", [3, 3000])
@pytest.mark.parametrize(
    ("query", "flt", "limit", "offset"),
    [
        ("公厕", {}, 2, 0),
        ("公厕", {}, 3, 4),
        ("公厕", {"status": "accepted"}, 2, 0),  # one in five kept
        ("噪音", {"source": "petition", "status": "submitted"}, 2, 1),
        ("施工噪音", {"source": "hotline"}, 3, 0),
        ("噪音 老人", {}, 2, 0),  # two words of one index: one MATCH
        ("施工噪音 老人", {}, 2, 1),  # words of both indexes
        ("施工噪音 老人", {"status": "submitted"}, 2, 0),
        ("座椅", {"status": "accepted", "source": "petition"}, 2, 0),  # nothing kept
        ("厕", {"source": "qr"}, 2, 1),  # one character
        ("积水", {"date_from": date(2025, 1, 10), "date_to": date(2025, 1, 20)}, 3, 0),
        ("反映", {"status": "accepted"}, 4, 3),
        ("", {"status": "accepted"}, 3, 2),
    ],
)
def test_pages_match_a_slow_reference_whichever_way_the_walk_goes(many, monkeypatch, budget, query, flt, limit, offset):
    from desktop.storage import search

    store, rows = many
    monkeypatch.setattr(search, "WALK_BUDGET", budget)
    want = _reference(rows, query, flt, limit, offset)
    assert [t.id for t in search_topics(store, query, limit=limit, offset=offset, **flt)] == want
    assert count_topics(store, query, **flt) == len(_reference(rows, query, flt, N_MANY, 0))
