"""tracking codes: an index, no longer a unique constraint

Codes are made offline on each PC of a room. Two PCs drawing the same code
between two syncs (or an offline PC and the county's phone form) is rare, but
with a unique constraint the second topic could never be stored on the first
PC: every pull page holding it failed, and that PC's sync with it, every
evening. The county server keeps both since its migration 0003; a receipt's
page tells them apart. This file keeps both too.

SQLite cannot drop a constraint written inside CREATE TABLE, so the table is
rebuilt (SQLite's documented procedure): the new table is made from the old
definition without the constraint, the rows are copied with their rowids (the
search index refers to topics by rowid), and every index and trigger of the
table (search queue, sync digests), and every view, is made again from its saved
definition.
Triggers are dropped before the copy, so the copy itself journals nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import re

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_RENAME = re.compile(r'CREATE TABLE\s+"?topic"?')
_UNIQUE = re.compile(r",\s*CONSTRAINT uq_topic_tracking_code UNIQUE \(tracking_code\)")


def _rebuild(conn, new_table_sql: str, *, extra: list[str], skip_index: str | None = None) -> None:  # type: ignore[no-untyped-def]
    saved = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'topic' AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).all()
    # views read the table by name (the search queue's): they go and come back too
    views = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL").all()
    columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(topic)").all()]
    for name, _sql in views:
        conn.exec_driver_sql(f'DROP VIEW "{name}"')
    for kind, name, _sql in saved:
        if kind == "trigger":
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    conn.exec_driver_sql(new_table_sql)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.exec_driver_sql(f"INSERT INTO topic_rebuilt (rowid, {names}) SELECT rowid, {names} FROM topic")
    conn.exec_driver_sql("DROP TABLE topic")
    conn.exec_driver_sql("ALTER TABLE topic_rebuilt RENAME TO topic")
    for kind, name, sql in sorted(saved, key=lambda r: r[0] != "index"):  # indexes first, then triggers
        if name != skip_index:
            conn.exec_driver_sql(sql)
    for sql in extra:
        conn.exec_driver_sql(sql)
    for _name, sql in views:
        conn.exec_driver_sql(sql)


def _table_sql(conn) -> str:  # type: ignore[no-untyped-def]
    return conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'topic'").scalar_one()


def upgrade() -> None:
    conn = op.get_bind()
    old = _table_sql(conn)
    new, found = _UNIQUE.subn("", old)
    if not found:
        return  # made without it (a file from a newer build)
    new = _RENAME.sub("CREATE TABLE topic_rebuilt", new, count=1)
    _rebuild(conn, new, extra=["CREATE INDEX ix_topic_tracking_code ON topic (tracking_code)"])


def downgrade() -> None:
    conn = op.get_bind()
    old = _table_sql(conn)
    new = re.sub(r"\)\s*$", ", \n\tCONSTRAINT uq_topic_tracking_code UNIQUE (tracking_code)\n)", old.rstrip(), count=1)
    new = _RENAME.sub("CREATE TABLE topic_rebuilt", new, count=1)
    _rebuild(conn, new, extra=[], skip_index="ix_topic_tracking_code")
