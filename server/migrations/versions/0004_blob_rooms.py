"""photos scoped to rooms: per-room uploads in ``blob_uploads``

Before, one ``blobs`` row per SHA-256 held the upload's size and progress for
everyone, so a room that claimed a hash (``size=1``) blocked every other
room's real photo, and naming a hash in an attachment row let a room read
another room's photo. From here on ``blobs`` lists only verified files (shared,
content-addressed) and ``blob_uploads`` holds each room's own upload and, once
complete, that room's proof that it holds the bytes.

Upgrading: every complete blob is granted to each room that had a live
attachment naming it at upgrade time (the server cannot tell any more who sent
the bytes; what was readable stays readable). Partial uploads are dropped: the
PCs start those photos again from byte 0 at their next sync, and the cleaner
removes the old ``blobs/partial/<sha>`` files.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

import desktop.storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_uploads",
        sa.Column("room_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", desktop.storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", desktop.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", "sha256", name=op.f("pk_blob_uploads")),
    )
    op.create_index(op.f("ix_blob_uploads_updated_at"), "blob_uploads", ["updated_at"], unique=False)
    op.execute(_grant_sql())
    op.execute(sa.text("DELETE FROM blobs WHERE complete = :no").bindparams(no=False))


def _grant_sql() -> sa.TextClause:
    return sa.text(
        "INSERT INTO blob_uploads (room_id, sha256, size, mime, received, complete, created_at, updated_at) "
        "SELECT DISTINCT a.room_id, b.sha256, b.size, b.mime, b.size, b.complete, b.created_at, b.created_at "
        "FROM blobs b JOIN attachment a ON a.sha256 = b.sha256 "
        "WHERE b.complete = :yes AND a.deleted = :no"
    ).bindparams(yes=True, no=False)


def downgrade() -> None:
    # the old table keeps complete files only; uploads in progress start again
    op.drop_index(op.f("ix_blob_uploads_updated_at"), table_name="blob_uploads")
    op.drop_table("blob_uploads")
