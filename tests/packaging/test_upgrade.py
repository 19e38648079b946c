"""Upgrading: the bundle of this version opens a room file made by the first
schema (tests/storage/fixtures/room-0001.sqlite3, rows in every table),
migrates it with the migrations it carries, keeps every row, and leaves the
pre-upgrade copy next to it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from desktop.storage.migrate import alembic_config

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parents[1] / "storage" / "fixtures" / "room-0001.sqlite3"


def _rows(path: Path, tables: dict[str, list[str]]) -> dict[str, set[tuple]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: set(con.execute(f"SELECT {', '.join(cols)} FROM {t}")) for t, cols in tables.items()}
    finally:
        con.close()


def _old_tables() -> dict[str, list[str]]:
    con = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        return {
            name: [r[1] for r in con.execute(f"PRAGMA table_info({name})")]
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'")
        }
    finally:
        con.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_bundle_upgrades_a_0001_room_without_loss(run_bundle, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "yishi.sqlite3"
    shutil.copyfile(FIXTURE, db)
    tables = _old_tables()
    before = _rows(FIXTURE, tables)
    assert _revision(FIXTURE) == "0001" and all(before.values())
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head != "0001"

    listed = json.loads(run_bundle("topics", "--json", "--data-dir", str(data)).stdout)

    assert _revision(db) == head
    assert _rows(db, tables) == before
    assert {t["title"] for t in listed} == {"运河风光带缺少公厕", "夜间施工噪音扰民", "施工噪音（重复）"}
    assert [t["ticket_no"] for t in listed if t["title"] == "夜间施工噪音扰民"] == ["2025060100001"]
    # the search index the upgrade built finds rows written before it existed
    found = json.loads(run_bundle("topics", "--json", "--search", "噪音", "--data-dir", str(data)).stdout)
    assert {t["title"] for t in found} == {"夜间施工噪音扰民", "施工噪音（重复）"}
    backup = data / f"yishi.sqlite3.before-{head}"
    assert backup.is_file() and _revision(backup) == "0001"
    assert _rows(backup, tables) == before
