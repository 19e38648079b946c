"""one database-backed throttle for the form, /t/ and admin login

Limits used to be counted from ``submissions`` per address only (and not at
all for ``/t/`` and login). ``throttle`` holds one row per limited key (a
salted hash of an address prefix, a room, an account at an address): a
fixed-window count, and for logins a lock-out that doubles with each strike.
It lives in the database because the server runs several workers. Nothing to
carry over: counts start from zero.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import desktop.storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("window_end", desktop.storage.types.UTCDateTime(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("locked_until", desktop.storage.types.UTCDateTime(), nullable=True),
        sa.Column("touched_at", desktop.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle")),
    )
    op.create_index(op.f("ix_throttle_touched_at"), "throttle", ["touched_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_throttle_touched_at"), table_name="throttle")
    op.drop_table("throttle")
