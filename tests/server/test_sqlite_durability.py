"""The county's SQLite runs with the PC's durability: WAL with
``synchronous=FULL`` (2), so a push the server answered survives a power cut
(with NORMAL, the last commits before the cut can roll back while the PC has
already taken them out of its outbox). Both come from one engine set-up
(``desktop.storage.engine_setup``); PostgreSQL has its own fsync settings."""

from __future__ import annotations

from sqlalchemy import text

from server.db import ServerDB, Settings


def test_server_and_pc_sqlite_commit_with_synchronous_full(tmp_path, store):
    db = ServerDB(Settings.make(data_dir=tmp_path / "county"))  # what every server worker opens
    try:
        with db.write() as s:
            assert s.execute(text("PRAGMA synchronous")).scalar_one() == 2
            assert s.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    finally:
        db.close()
    with store.read() as s:
        assert s.execute(text("PRAGMA synchronous")).scalar_one() == 2
