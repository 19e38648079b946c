"""search index and statistics indexes

Two contentless FTS5 tables index the searchable text of every topic (title,
description, submitter_name, location, ticket_no), keyed by the topic's rowid:

- ``topic_tri`` uses the trigram tokenizer: exact substring search for words of
  three characters or more;
- ``topic_bi`` holds every two-character window of the text (so words of two
  characters are one token) with the unicode61 tokenizer; a single character
  is a prefix query on it (a one-character prefix index made every write
  markedly slower when measured, and single-character searches are rare).

Triggers on ``topic`` keep both in step with every write, whoever makes it
(services, the importer, sync pulls). SQLite triggers may not use CTEs, so the
windows are produced by ``json_each`` over an array of ``length(text)+1`` zeros
built from ``zeroblob``: a row per character position without a helper table.

Tombstoned topics stay in the index; searches filter ``topic.deleted``.
A later migration that recreates the ``topic`` table (Alembic batch mode does)
drops these triggers with it and must run ``create_search`` again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("title", "description", "submitter_name", "location", "ticket_no")


def grams(expr: str) -> str:
    """SQL giving the space-separated two-character windows of ``expr``."""
    n = f"length(coalesce({expr}, ''))"
    return (
        f"(SELECT group_concat(substr({expr}, key + 1, 2), ' ') "
        f"FROM json_each('[' || replace(hex(zeroblob({n})), '00', '0,') || '0]') "
        f"WHERE key < {n})"
    )


def _insert(prefix: str) -> list[str]:
    cols = ", ".join(COLUMNS)
    tri = ", ".join(f"{prefix}.{c}" for c in COLUMNS)
    bi = ", ".join(grams(f"{prefix}.{c}") for c in COLUMNS)
    return [
        f"INSERT INTO topic_tri(rowid, {cols}) VALUES ({prefix}.rowid, {tri});",
        f"INSERT INTO topic_bi(rowid, {cols}) SELECT {prefix}.rowid, {bi};",
    ]


def _delete(prefix: str) -> list[str]:
    # contentless tables forget a row when told its old tokens again
    cols = ", ".join(COLUMNS)
    tri = ", ".join(f"{prefix}.{c}" for c in COLUMNS)
    bi = ", ".join(grams(f"{prefix}.{c}") for c in COLUMNS)
    return [
        f"INSERT INTO topic_tri(topic_tri, rowid, {cols}) VALUES ('delete', {prefix}.rowid, {tri});",
        f"INSERT INTO topic_bi(topic_bi, rowid, {cols}) SELECT 'delete', {prefix}.rowid, {bi};",
    ]


def create_search() -> None:
    cols = ", ".join(COLUMNS)
    op.execute(f"CREATE VIRTUAL TABLE topic_tri USING fts5({cols}, tokenize='trigram', content='')")
    op.execute(
        f"CREATE VIRTUAL TABLE topic_bi USING fts5({cols}, tokenize='unicode61', content='', detail='none')"
    )
    op.execute("CREATE TRIGGER topic_search_ai AFTER INSERT ON topic BEGIN " + " ".join(_insert("NEW")) + " END")
    op.execute("CREATE TRIGGER topic_search_ad AFTER DELETE ON topic BEGIN " + " ".join(_delete("OLD")) + " END")
    op.execute(
        f"CREATE TRIGGER topic_search_au AFTER UPDATE OF {cols} ON topic BEGIN "
        + " ".join(_delete("OLD") + _insert("NEW"))
        + " END"
    )
    # index what is already there (a file upgraded from 0001)
    tri = ", ".join(COLUMNS)
    bi = ", ".join(grams(c) for c in COLUMNS)
    op.execute(f"INSERT INTO topic_tri(rowid, {cols}) SELECT rowid, {tri} FROM topic")
    op.execute(f"INSERT INTO topic_bi(rowid, {cols}) SELECT rowid, {bi} FROM topic")


def drop_search() -> None:
    for name in ("topic_search_ai", "topic_search_ad", "topic_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS topic_tri")
    op.execute("DROP TABLE IF EXISTS topic_bi")


# covering indexes so the statistics are index-only scans, not table scans
STATS_INDEXES = {
    "ix_topic_stats": ("topic", ["received_at", "deleted", "status", "source", "category"]),
    # led by the grouped columns: GROUP BY status, source, category walks the
    # index in order instead of sorting every topic
    "ix_topic_breakdown": ("topic", ["status", "source", "category", "received_at", "deleted"]),
    "ix_follow_up_at": ("follow_up", ["at", "deleted", "satisfaction"]),
    "ix_action_item_open_deadline": ("action_item", ["status", "deadline", "deleted"]),
    "ix_meeting_status_starts": ("meeting", ["status", "starts_at", "deleted"]),
}


def upgrade() -> None:
    create_search()
    for name, (table, columns) in STATS_INDEXES.items():
        op.create_index(name, table, columns)
    # tombstones are rare: a tiny index lets queries leave them out cheaply
    op.create_index("ix_topic_tombstones", "topic", ["deleted"], sqlite_where=sa.text("deleted = 1"))
    # resolve and reopen events only, so these stay small; queries must repeat
    # the condition literally for SQLite to use a partial index
    op.create_index(
        "ix_topic_event_resolved", "topic_event", ["at", "topic_id", "deleted"],
        sqlite_where=sa.text("to_status = 'resolved'"),
    )
    op.create_index("ix_topic_event_reopened", "topic_event", ["topic_id"], sqlite_where=sa.text("action = 'reopen'"))


def downgrade() -> None:
    op.drop_index("ix_topic_event_reopened", table_name="topic_event")
    op.drop_index("ix_topic_event_resolved", table_name="topic_event")
    op.drop_index("ix_topic_tombstones", table_name="topic")
    for name, (table, _columns) in STATS_INDEXES.items():
        op.drop_index(name, table_name=table)
    drop_search()
