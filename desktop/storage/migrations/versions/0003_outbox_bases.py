"""outbox: per-field bases for sync conflict detection

Each outbox operation records, per changed field, the version that field was
based on (or ``op:<op_id>`` of an earlier unanswered operation that set it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch-mode table copy): cheap on a large outbox
    op.add_column("outbox", sa.Column("bases", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("bases")
