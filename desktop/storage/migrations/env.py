"""Alembic environment of the room database (SQLite, batch mode for ALTERs)."""

from alembic import context
from sqlalchemy import create_engine, event

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
    if engine.dialect.name == "sqlite":
        # pysqlite would commit each CREATE/ALTER on its own; issue BEGIN ourselves
        # so a failed upgrade rolls back whole and the file stays at its old schema
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")

    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
else:
    context.configure(connection=connectable, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()
