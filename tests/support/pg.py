"""A throw-away PostgreSQL database for a test or a fixture, on the server
scripts/test starts (``YISHI_TEST_PG_URL``): made with a random name, dropped
afterwards even when the server still holds connections to it."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database named ``{prefix}_<random>``."""
    base = os.environ.get("YISHI_TEST_PG_URL")
    if not base:
        pytest.fail("YISHI_TEST_PG_URL is not set: run scripts/test, or `source scripts/postgres.sh && start_postgres`")
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
