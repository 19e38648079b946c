"""A real county server process for the sync tests (one per test session, SQLite; each test enrolls fresh PCs),
with rooms QJP-001 (A) and HY-002 (B)."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.server.conftest import Srv, _start


@pytest.fixture(scope="session")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    tmp = tmp_path_factory.mktemp("sync-srv")
    yield from _start(tmp, f"sqlite:///{tmp / 'data' / 'yishi-server.sqlite3'}", "sqlite")


@pytest.fixture(scope="session")
def room_a(srv: Srv) -> str:
    db = srv.db()
    try:
        from server.services.rooms import room_by_code

        return room_by_code(db, srv.room_a).id
    finally:
        db.close()
