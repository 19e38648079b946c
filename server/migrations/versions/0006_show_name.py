"""the resident's choice to show their name on /t/: ``submissions.show_name``

The phone form asks "公开时显示我的称呼" (off by default). The choice is kept on
the server only, beside the submission that made the topic: /t/ then shows the
name masked (张*华), never in full. Earlier submissions were made when the form
promised 居民 to everyone, so they stay off (server default false). A topic
born on a PC has no submission row and always shows 居民.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite gets the column (with its default) through a copy of the table
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("show_name", sa.Boolean(), server_default=sa.false(), nullable=False))
    # /t/ reads the choice by topic on every lookup
    op.create_index(op.f("ix_submissions_topic_id"), "submissions", ["topic_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_submissions_topic_id"), table_name="submissions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("show_name")
