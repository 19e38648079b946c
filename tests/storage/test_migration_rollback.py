"""A migration that fails half-way leaves the file exactly at its old schema."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from alembic import command

from desktop.storage.db import DB_FILENAME
from desktop.storage.migrate import HEAD, MIGRATIONS, alembic_config

FAILING = '''
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE half_done (x INTEGER)")
    op.execute("ALTER TABLE topic ADD COLUMN half_done_col TEXT")
    raise RuntimeError("power cut in the middle of an upgrade")


def downgrade():
    pass
'''


def test_failed_upgrade_rolls_back_whole(tmp_path, room_store):
    room_store.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_failing.py").write_text(FAILING.format(head=HEAD), encoding="utf-8")
    db = room_store.data_dir / DB_FILENAME
    cfg = alembic_config(f"sqlite:///{db}")
    cfg.set_main_option("script_location", str(scripts))
    with pytest.raises(RuntimeError):
        command.upgrade(cfg, "head")
    con = sqlite3.connect(db)
    assert con.execute("select version_num from alembic_version").fetchall() == [(HEAD,)]
    assert con.execute("select count(*) from sqlite_master where name = 'half_done'").fetchone() == (0,)
    cols = [r[1] for r in con.execute("pragma table_info(topic)")]
    assert "half_done_col" not in cols
    assert con.execute("select count(*) from room").fetchone() == (1,)
