"""sync digests kept up to date by triggers

The check after each sync compares per-bucket digests of (id, version) with the
server's (``desktop.sync.digest``). Instead of re-hashing the room after every
sync, triggers on every synced table append each change of a row's version
(inserts, version changes, hard deletes) to ``sync_digest_journal``; verify
folds the journal into ``sync_digest`` (count and sum of hashes per bucket),
which is O(changes). Local edits do not change ``version`` (only the server's
answer does), so typing adds nothing to the journal. Existing rows are digested
once, by the first verify after this upgrade (no marker row yet).

Also an index on ``outbox (state, seq)``: the status bar counts the unsent
operations and lists the rejected ones, and push takes the next batch in order;
without it each of these read the whole outbox (400 ms for 400,000 operations
after a big import, 50 ms with it).

A later migration that recreates one of these tables (Alembic batch mode does)
drops its triggers and must create them again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (
    "person", "topic", "topic_event", "meeting", "agenda_item", "participant", "statement",
    "outcome", "action_item", "progress_entry", "follow_up", "minutes", "attachment",
)
_LOG = "INSERT INTO sync_digest_journal (room_id, entity, row_id, old_version, new_version) VALUES"


def upgrade() -> None:
    op.create_table(
        "sync_digest",
        sa.Column("room_id", sa.String(36), primary_key=True),
        sa.Column("entity", sa.String(32), primary_key=True),
        sa.Column("bucket", sa.Integer(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.String(16), nullable=False),
    )
    op.create_table(
        "sync_digest_journal",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("room_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("old_version", sa.Integer(), nullable=False),
        sa.Column("new_version", sa.Integer(), nullable=False),
    )
    op.execute("CREATE INDEX ix_outbox_state ON outbox (state, seq)")
    for t in TABLES:
        op.execute(f"CREATE TRIGGER {t}_digest_ai AFTER INSERT ON {t} WHEN NEW.version > 0 BEGIN {_LOG} (NEW.room_id, '{t}', NEW.id, 0, NEW.version); END")
        op.execute(
            f"CREATE TRIGGER {t}_digest_au AFTER UPDATE OF version ON {t} WHEN OLD.version IS NOT NEW.version "
            f"BEGIN {_LOG} (NEW.room_id, '{t}', NEW.id, OLD.version, NEW.version); END"
        )
        op.execute(f"CREATE TRIGGER {t}_digest_ad AFTER DELETE ON {t} WHEN OLD.version > 0 BEGIN {_LOG} (OLD.room_id, '{t}', OLD.id, OLD.version, 0); END")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_outbox_state")
    for t in TABLES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}_digest_{suffix}")
    op.drop_table("sync_digest_journal")
    op.drop_table("sync_digest")
