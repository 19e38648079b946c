"""sync digests kept up to date by triggers

Per (room, entity, bucket) the count and sum of hashes of (id, version) that
the check after each sync compares (``desktop.sync.digest``). Triggers on every
room record table append each change of a row's version to
``sync_digest_journal``, whoever writes it; each verify folds the room's
journal in under the room's lock. Rooms that already hold rows are digested
once, at their next verify (no marker row yet).

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

TABLES = (
    "person", "topic", "topic_event", "meeting", "agenda_item", "participant", "statement",
    "outcome", "action_item", "progress_entry", "follow_up", "minutes", "attachment",
)
_LOG = "INSERT INTO sync_digest_journal (room_id, entity, row_id, old_version, new_version) VALUES"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION yishi_digest_journal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.version > 0 THEN {_LOG} (NEW.room_id, TG_TABLE_NAME, NEW.id, 0, NEW.version); END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.version IS DISTINCT FROM OLD.version THEN {_LOG} (NEW.room_id, TG_TABLE_NAME, NEW.id, OLD.version, NEW.version); END IF;
    ELSIF OLD.version > 0 THEN
        {_LOG} (OLD.room_id, TG_TABLE_NAME, OLD.id, OLD.version, 0);
    END IF;
    RETURN NULL;
END $$
"""


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
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),  # one sequence for every room: 64 bits on PostgreSQL
        sa.Column("room_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("old_version", sa.Integer(), nullable=False),
        sa.Column("new_version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_sync_digest_journal_room", "sync_digest_journal", ["room_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for t in TABLES:
            op.execute(f"CREATE TRIGGER {t}_digest AFTER INSERT OR UPDATE OF version OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION yishi_digest_journal()")
        return
    for t in TABLES:
        op.execute(f"CREATE TRIGGER {t}_digest_ai AFTER INSERT ON {t} WHEN NEW.version > 0 BEGIN {_LOG} (NEW.room_id, '{t}', NEW.id, 0, NEW.version); END")
        op.execute(
            f"CREATE TRIGGER {t}_digest_au AFTER UPDATE OF version ON {t} WHEN OLD.version IS NOT NEW.version "
            f"BEGIN {_LOG} (NEW.room_id, '{t}', NEW.id, OLD.version, NEW.version); END"
        )
        op.execute(f"CREATE TRIGGER {t}_digest_ad AFTER DELETE ON {t} WHEN OLD.version > 0 BEGIN {_LOG} (OLD.room_id, '{t}', OLD.id, OLD.version, 0); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for t in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_digest ON {t}")
        op.execute("DROP FUNCTION IF EXISTS yishi_digest_journal()")
    else:
        for t in TABLES:
            for suffix in ("ai", "au", "ad"):
                op.execute(f"DROP TRIGGER IF EXISTS {t}_digest_{suffix}")
    op.drop_index("ix_sync_digest_journal_room", "sync_digest_journal")
    op.drop_table("sync_digest_journal")
    op.drop_table("sync_digest")
