"""Schema migrations: a room file made at revision 0001 (checked in, with rows
of every table) upgrades to the newest schema with every row intact and every
topic searchable; downgrading past 0002 removes the search index cleanly."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.migrate import alembic_config
from desktop.storage.search import count_topics, search_topics
from desktop.storage.stats import room_stats

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "room-0001.sqlite3"


def _dump(path: Path) -> dict[str, set[tuple]]:
    """Every row of every table of the 0001 schema, by table."""
    con = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        tables = {
            name: [r[1] for r in con.execute(f"PRAGMA table_info({name})")]
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'")
        }
    finally:
        con.close()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: set(con.execute(f"SELECT {', '.join(cols)} FROM {t}")) for t, cols in tables.items()}
    finally:
        con.close()


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_a_0001_file_upgrades_without_losing_a_row(data_dir):
    db = data_dir / DB_FILENAME
    shutil.copyfile(FIXTURE, db)
    before = _dump(FIXTURE)
    assert all(before.values()), "the fixture must hold rows of every table"

    store = Store(data_dir)
    try:
        assert _dump(db) == before
        con = sqlite3.connect(db)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == _head()
        con.close()
        # rows written before the index existed are found, tombstones are not
        assert [t.title for t in search_topics(store, "公厕")] == ["运河风光带缺少公厕"]
        assert {t.title for t in search_topics(store, "噪音")} == {"夜间施工噪音扰民", "施工噪音（重复）"}
        assert [t.ticket_no for t in search_topics(store, "0100001")] == ["2025060100001"]
        assert search_topics(store, "座椅") == ()
        assert count_topics(store, "") == 3
        stats = room_stats(store)
        assert (stats.topics_collected, stats.meetings_held, stats.matters_resolved) == (2, 1, 1)
        assert stats.satisfaction_rate == 1.0
    finally:
        store.close()


def test_downgrade_to_0001_drops_the_search_index_and_keeps_the_data(data_dir):
    db = data_dir / DB_FILENAME
    shutil.copyfile(FIXTURE, db)
    Store(data_dir).close()
    cfg = alembic_config(f"sqlite:///{db}")
    command.downgrade(cfg, "0001")
    con = sqlite3.connect(db)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert not {n for n in names if n.startswith("topic_tri") or n.startswith("topic_bi") or n.startswith("topic_search")}
        assert "ix_topic_stats" not in names
    finally:
        con.close()
    assert _dump(db) == _dump(FIXTURE)
    # and up again: the index is rebuilt from the rows
    command.upgrade(cfg, "head")
    store = Store(data_dir)
    try:
        assert [t.title for t in search_topics(store, "厕")] == ["运河风光带缺少公厕"]
    finally:
        store.close()
