"""Alembic environment of the county database (SQLite or PostgreSQL)."""

from alembic import context
from sqlalchemy import create_engine

from server.models import TARGET_METADATA

config = context.config
connectable = config.attributes.get("connection")


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=TARGET_METADATA,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if connectable is None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
else:
    _run(connectable)
