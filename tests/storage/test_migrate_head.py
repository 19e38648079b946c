"""The shortcut that skips Alembic for an up-to-date file must know the real head."""

from __future__ import annotations

import sqlite3

from alembic.script import ScriptDirectory

from desktop.storage.db import DB_FILENAME
from desktop.storage.migrate import HEAD, alembic_config


def test_head_constant_is_alembics_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_current_head() == HEAD


def test_a_fresh_store_is_at_head(store):
    con = sqlite3.connect(store.data_dir / DB_FILENAME)
    assert con.execute("select version_num from alembic_version").fetchall() == [(HEAD,)]
