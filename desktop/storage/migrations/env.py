"""Alembic environment of the room database (SQLite, batch mode for ALTERs)."""

from alembic import context
from sqlalchemy import create_engine

from desktop.storage.models import Base

config = context.config


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Autogenerate never proposes dropping what migrations made by hand (the
    search tables, triggers, view and the statistics' partial indexes)."""
    return not (reflected and compare_to is None)


url = config.get_main_option("sqlalchemy.url")
connectable = config.attributes.get("connection")

if connectable is None:
    engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
else:
    context.configure(connection=connectable, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()
