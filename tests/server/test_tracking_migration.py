"""Server migration 0003 (tracking codes no longer unique across rooms), on
SQLite and PostgreSQL: a county database at 0002 holding topics keeps them and
their codes, takes a second room's topic with a code another room holds, and
its digest triggers still journal every change of a topic (so the kept verify
digests still follow the rows); the migrated schema is what server/models.py
describes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from desktop.sync import digest
from server.migrate import alembic_config
from server.models import TARGET_METADATA
from tests.support.pg import scratch_database

ROOMS = ("room-a", "room-b")
DIGEST_TABLES = {"sync_digest", "sync_digest_journal"}  # made by 0002 with Core, not in the ORM metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty county database of its own for this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'county.sqlite3'}"
        return
    with scratch_database("yishi_mig") as url:
        yield url


def _topic(conn, *, room: str, n: int, code: str) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 11, 20, 2, n, tzinfo=UTC)
    conn.execute(
        text(
            "INSERT INTO topic (id, room_id, title, description, source, status, category, location, submitter_name, submitter_phone,"
            " tracking_code, decline_reason, received_at, created_at, updated_at, version, field_versions, deleted)"
            " VALUES (:id, :room, :title, '', 'walk_in', 'submitted', '', '', '', '', :code, '', :at, :at, :at, :v, '{}', :no)"
        ),
        {"id": f"{room}-topic-{n}", "room": room, "title": f"议题{n}", "code": code, "at": now, "v": n, "no": False},
    )


def _kept_equals_rows(engine: Engine, room: str) -> bool:
    """The kept digests (journal folded in) equal those computed from the rows now."""
    with Session(engine) as session:
        digest.settle(session, room)
        session.commit()
        kept = digest.summary(session, room_id=room, upto=10**9)["topic"]
        rows = digest.render(digest.from_pairs(digest._rows(session, digest.ENTITIES["topic"], room)))
    return kept == rows


def test_a_0002_county_keeps_its_topics_and_takes_a_clashing_code_after_0003(blank_url):
    cfg = alembic_config(blank_url)
    command.upgrade(cfg, "0002")
    engine = create_engine(blank_url)
    try:
        with engine.begin() as conn:
            for room in ROOMS:
                conn.execute(text("INSERT INTO rooms (id, code, name, township, county, created_at) VALUES (:r, :r, :r, '', '', :at)"),
                             {"r": room, "at": datetime(2026, 1, 1, tzinfo=UTC)})
            for n, code in enumerate(("K7QW-M3XD", "4CEF-9HJK", "PQRT-UVWX"), 1):
                _topic(conn, room="room-a", n=n, code=code)
        assert _kept_equals_rows(engine, "room-a")  # digests built at 0002
        with pytest.raises(Exception), engine.begin() as conn:  # 0002 refuses a second room's copy of a code
            _topic(conn, room="room-b", n=9, code="K7QW-M3XD")

        command.upgrade(cfg, "head")

        with engine.connect() as conn:
            kept = conn.execute(text("SELECT id, room_id, tracking_code, version FROM topic ORDER BY id")).all()
        assert [tuple(r) for r in kept] == [
            ("room-a-topic-1", "room-a", "K7QW-M3XD", 1), ("room-a-topic-2", "room-a", "4CEF-9HJK", 2), ("room-a-topic-3", "room-a", "PQRT-UVWX", 3),
        ]
        assert _kept_equals_rows(engine, "room-a")  # nothing journalled by the rebuild's copy
        # after 0003: another room may hold the code, and every change still reaches the digests
        with engine.begin() as conn:
            _topic(conn, room="room-b", n=9, code="K7QW-M3XD")
            _topic(conn, room="room-a", n=4, code="3467-ACDE")
            conn.execute(text("UPDATE topic SET version = 7 WHERE id = 'room-a-topic-2'"))
            conn.execute(text("DELETE FROM topic WHERE id = 'room-a-topic-3'"))
        with engine.connect() as conn:
            journalled = conn.execute(text("SELECT row_id, old_version, new_version FROM sync_digest_journal WHERE entity = 'topic' ORDER BY id")).all()
        assert [tuple(j) for j in journalled] == [
            ("room-b-topic-9", 0, 9), ("room-a-topic-4", 0, 4), ("room-a-topic-2", 2, 7), ("room-a-topic-3", 3, 0),
        ]
        assert _kept_equals_rows(engine, "room-a") and _kept_equals_rows(engine, "room-b")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM topic WHERE tracking_code = 'K7QW-M3XD'")).scalar_one() == 2
    finally:
        engine.dispose()


def test_the_migrated_schema_is_what_server_models_describe(blank_url):
    command.upgrade(alembic_config(blank_url), "head")
    engine = create_engine(blank_url)
    try:
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), TARGET_METADATA)
    finally:
        engine.dispose()

    def about_digest_tables(d: object) -> bool:
        item = d[1] if isinstance(d, tuple) else None
        table = getattr(item, "table", item)
        return getattr(table, "name", None) in DIGEST_TABLES

    assert [d for d in diffs if not about_digest_tables(d)] == []
