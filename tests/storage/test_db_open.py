"""Opening a room file: a damaged file is refused and left exactly as it was;
big files are verified in full only after an unclean shutdown."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.storage import db as dbmod
from desktop.storage.db import DB_FILENAME, StorageError, Store


def _damaged_copy(tmp_path, store_path):
    """A database whose last pages (table data, not the schema) are garbage."""
    con = sqlite3.connect(store_path)
    con.execute("CREATE TABLE filler(x)")
    con.executemany("INSERT INTO filler VALUES (?)", [("议事" * 200,)] * 300)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(store_path.read_bytes())
    page = 4096
    data[-4 * page :] = b"\xde\xad\xbe\xef" * page
    d = tmp_path / "damaged"
    d.mkdir()
    (d / DB_FILENAME).write_bytes(bytes(data))
    return d


def test_damaged_small_file_is_refused_and_untouched(tmp_path, store):
    store.close()
    d = _damaged_copy(tmp_path, store.path)
    before = (d / DB_FILENAME).read_bytes()
    with pytest.raises(StorageError) as err:
        Store(d)
    assert "已损坏" in str(err.value)
    assert (d / DB_FILENAME).read_bytes() == before


def test_big_file_is_checked_in_full_only_after_an_unclean_shutdown(tmp_path, store, monkeypatch):
    store.close()
    d = _damaged_copy(tmp_path, store.path)
    monkeypatch.setattr(dbmod, "FULL_CHECK_MAX_BYTES", 0)  # treat the file as big
    path = d / DB_FILENAME
    # clean shutdown: no WAL with content, so only header and schema are read
    dbmod.check_file(path)
    # a WAL left behind by a crash: the whole file is verified and refused
    (d / (DB_FILENAME + "-wal")).write_bytes(b"\0" * 32)
    with pytest.raises(StorageError):
        dbmod.check_file(path)
