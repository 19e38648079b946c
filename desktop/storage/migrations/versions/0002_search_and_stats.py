"""search index and statistics indexes

Two contentless FTS5 tables index the searchable text of every topic (title,
description, submitter_name, location, ticket_no), keyed by the topic's rowid:

- ``topic_tri`` uses the trigram tokenizer: exact substring search for words of
  three characters or more;
- ``topic_bi`` holds every two-character window of the text (so words of two
  characters are one token) with the unicode61 tokenizer; a single character
  is a prefix query on it (a one-character prefix index made every write
  markedly slower when measured, and single-character searches are rare).

Triggers on ``topic`` see every write, whoever makes it (services, the
importer, sync pulls). Indexing a row inside its own INSERT costs about a
millisecond (FTS5 flushes at every statement), so the insert trigger only puts
the rowid in ``topic_search_queue``; ``desktop.storage.search`` indexes the
queue in bulk before each commit and before each search. Edits and deletes
take the old tokens out at once (only the old values can say which), unless
the row is still queued. SQLite triggers may not use CTEs, so the two-character
windows come from ``json_each`` over an array of ``length(text)+1`` zeros built
from ``zeroblob``: a row per character position without a helper table.

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


def _forget(prefix: str) -> list[str]:
    """Trigger statements removing a row's old tokens, unless the row is still
    waiting in the queue (then it was never indexed). Contentless tables
    forget a row only when told its old tokens again."""
    cols = ", ".join(COLUMNS)
    tri = ", ".join(f"{prefix}.{c}" for c in COLUMNS)
    bi = ", ".join(grams(f"{prefix}.{c}") for c in COLUMNS)
    waiting = f"WHERE NOT EXISTS (SELECT 1 FROM topic_search_queue WHERE topic_rowid = {prefix}.rowid)"
    return [
        f"INSERT INTO topic_tri(topic_tri, rowid, {cols}) SELECT 'delete', {prefix}.rowid, {tri} {waiting};",
        f"INSERT INTO topic_bi(topic_bi, rowid, {cols}) SELECT 'delete', {prefix}.rowid, {bi} {waiting};",
    ]


def create_search() -> None:
    cols = ", ".join(COLUMNS)
    op.execute(f"CREATE VIRTUAL TABLE topic_tri USING fts5({cols}, tokenize='trigram', content='')")
    op.execute(f"CREATE VIRTUAL TABLE topic_bi USING fts5({cols}, tokenize='unicode61', content='', detail='none')")
    op.execute("CREATE TABLE topic_search_queue (topic_rowid INTEGER PRIMARY KEY)")
    # what the queue's rows give each index; the catch-up (desktop.storage.search)
    # reads this view, so the token SQL lives here only, next to the triggers
    # that must repeat it exactly to forget a row
    tri = ", ".join(f"t.{c} AS {c}" for c in COLUMNS)
    bi = ", ".join(f"{grams('t.' + c)} AS bi_{c}" for c in COLUMNS)
    op.execute(
        f"CREATE VIEW topic_search_pending AS SELECT t.rowid AS topic_rowid, {tri}, {bi} "
        "FROM topic_search_queue q JOIN topic t ON t.rowid = q.topic_rowid"
    )
    enqueue = "INSERT OR IGNORE INTO topic_search_queue(topic_rowid) VALUES (NEW.rowid);"
    op.execute(f"CREATE TRIGGER topic_search_ai AFTER INSERT ON topic BEGIN {enqueue} END")
    op.execute(
        "CREATE TRIGGER topic_search_ad AFTER DELETE ON topic BEGIN "
        + " ".join(_forget("OLD"))
        + " DELETE FROM topic_search_queue WHERE topic_rowid = OLD.rowid; END"
    )
    op.execute(f"CREATE TRIGGER topic_search_au AFTER UPDATE OF {cols} ON topic BEGIN " + " ".join(_forget("OLD")) + f" {enqueue} END")
    # a file upgraded from 0001: index every row now
    op.execute("INSERT INTO topic_search_queue(topic_rowid) SELECT rowid FROM topic")
    op.execute(CATCH_UP_TRI)
    op.execute(CATCH_UP_BI)
    op.execute("DELETE FROM topic_search_queue")


_COLS = ", ".join(COLUMNS)
CATCH_UP_TRI = f"INSERT INTO topic_tri(rowid, {_COLS}) SELECT topic_rowid, {_COLS} FROM topic_search_pending"
CATCH_UP_BI = (
    f"INSERT INTO topic_bi(rowid, {_COLS}) SELECT topic_rowid, {', '.join('bi_' + c for c in COLUMNS)} FROM topic_search_pending"
)


def drop_search() -> None:
    for name in ("topic_search_ai", "topic_search_ad", "topic_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP VIEW IF EXISTS topic_search_pending")
    op.execute("DROP TABLE IF EXISTS topic_search_queue")
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
