"""tracking codes are no longer unique on the county server

Codes are made offline on each room's PC (about 37 bits), so two rooms can
hold the same one; the county must never refuse a topic for that, since its
receipt is already printed. The server drops ``uq_topic_tracking_code`` and
keeps two plain indexes: the code alone (``/t/{code}``, old receipts) and
(room, code) (``/t/{room}/{code}``, new receipts). Each PC keeps its own
unique constraint: one room per file.

On SQLite the constraint is inline in the CREATE TABLE, so the table is
rebuilt (batch mode); dropping the old table drops its triggers, so the
digest-journal triggers of migration 0002 are made again here, as 0002 wrote
them (a migration is frozen: it does not import another one).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_LOG = "INSERT INTO sync_digest_journal (room_id, entity, row_id, old_version, new_version) VALUES"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER topic_digest_ai AFTER INSERT ON topic WHEN NEW.version > 0 BEGIN {_LOG} (NEW.room_id, 'topic', NEW.id, 0, NEW.version); END",
    f"CREATE TRIGGER topic_digest_au AFTER UPDATE OF version ON topic WHEN OLD.version IS NOT NEW.version "
    f"BEGIN {_LOG} (NEW.room_id, 'topic', NEW.id, OLD.version, NEW.version); END",
    f"CREATE TRIGGER topic_digest_ad AFTER DELETE ON topic WHEN OLD.version > 0 BEGIN {_LOG} (OLD.room_id, 'topic', OLD.id, OLD.version, 0); END",
)


def _drop_sqlite_triggers() -> None:
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS topic_digest_{suffix}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # an ALTER keeps the table, and so its trigger
        op.drop_constraint("uq_topic_tracking_code", "topic", type_="unique")
    else:
        _drop_sqlite_triggers()  # gone with the old table anyway; said explicitly
        with op.batch_alter_table("topic", recreate="always") as batch_op:
            batch_op.drop_constraint("uq_topic_tracking_code", type_="unique")
        for sql in SQLITE_TRIGGERS:
            op.execute(sql)
    op.create_index("ix_topic_tracking_code", "topic", ["tracking_code"])
    op.create_index("ix_topic_room_tracking_code", "topic", ["room_id", "tracking_code"])


def downgrade() -> None:
    # fails if two rooms now hold one code: that is the state 0002 cannot express
    op.drop_index("ix_topic_room_tracking_code", "topic")
    op.drop_index("ix_topic_tracking_code", "topic")
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint("uq_topic_tracking_code", "topic", ["tracking_code"])
        return
    _drop_sqlite_triggers()
    with op.batch_alter_table("topic", recreate="always") as batch_op:
        batch_op.create_unique_constraint("uq_topic_tracking_code", ["tracking_code"])
    for sql in SQLITE_TRIGGERS:
        op.execute(sql)
