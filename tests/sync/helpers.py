"""What sync tests share: a real server process per test module (SQLite, or
PostgreSQL when asked), PCs as data dirs enrolled with one-time codes, and the
CONVERGED check every sync test ends with."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select, text

from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.models import ENTITIES, OutboxRow, TopicRow, content_fields
from desktop.storage.types import to_wire
from desktop.sync import engine
from desktop.sync.client import Client
from desktop.sync.enroll import enroll


def enrollment_code(srv, room_code: str) -> str:  # type: ignore[no-untyped-def]
    """A one-time code from the server's own service on its database (what
    ``yishi-server enrollment-code`` runs, without a process start per PC)."""
    from server.services.devices import new_enrollment_code

    code = new_enrollment_code(server_db(srv), room_code)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    return code


_TEMPLATE: dict[str, Path] = {}
_SERVER_DBS: dict[str, object] = {}


def server_db(srv):  # type: ignore[no-untyped-def]
    """The running server's database, opened once per test session (the tests
    read it to check what the server holds, as the county's admin would)."""
    db = _SERVER_DBS.get(srv.db_url)
    if db is None:
        db = _SERVER_DBS[srv.db_url] = srv.db()
    return db


def blank_store(data_dir: Path) -> Store:
    """A fresh, migrated data dir: a copy of one made once per test session
    (running the migrations takes a second; copying the file, milliseconds)."""
    if "db" not in _TEMPLATE:
        d = Path(tempfile.mkdtemp(prefix="yishi-template-"))
        Store(d).close()
        _TEMPLATE["db"] = d / DB_FILENAME
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_TEMPLATE["db"], data_dir / DB_FILENAME)
    return Store(data_dir, migrate=False)  # the copy is at the newest schema already


def new_pc(srv, tmp: Path, name: str, *, room_code: str | None = None, url: str | None = None) -> Store:  # type: ignore[no-untyped-def]
    """A fresh data dir enrolled in the room (default: room A)."""
    store = blank_store(tmp / name)
    enroll(store, server_url=url or srv.base, code=enrollment_code(srv, room_code or srv.room_a), device_name=name)
    return store


def client(store: Store, *, url: str | None = None, **kw) -> Client:  # type: ignore[no-untyped-def]
    c = engine.client_for(store, **kw)
    if url:
        c.base = url.rstrip("/")
    return c


def _hash(row, names: list[str]) -> str:  # type: ignore[no-untyped-def]
    content = {n: to_wire(getattr(row, n)) for n in names}
    content["deleted"] = bool(row.deleted)
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def rowset(session, room_id: str) -> set[tuple[str, str, int, str]]:  # type: ignore[no-untyped-def]
    out = set()
    for entity, cls in ENTITIES.items():
        names = content_fields(cls)
        for row in session.scalars(select(cls).where(cls.room_id == room_id)):
            out.add((entity, row.id, int(row.version), _hash(row, names)))
    return out


def converged(srv, stores: list[Store], room_id: str) -> set[tuple[str, str, int, str]]:  # type: ignore[no-untyped-def]
    """CONVERGED: identical (entity, id, version, content hash) on the server and
    every PC, no duplicate ids or ticket numbers, outboxes empty or holding only
    rejected operations, integrity_check ok. Returns the common set."""
    with server_db(srv).read() as session:
        server = rowset(session, room_id)
        tickets = [t for (t,) in session.execute(select(TopicRow.ticket_no).where(TopicRow.room_id == room_id, TopicRow.ticket_no.is_not(None)))]
    assert len(tickets) == len(set(tickets)), "duplicate ticket numbers on the server"
    ids = [(e, i) for e, i, _, _ in server]
    assert len(ids) == len(set(ids)), "duplicate ids on the server"
    for store in stores:
        with store.read() as session:
            mine = rowset(session, room_id)
            left = session.scalars(select(OutboxRow.state).where(OutboxRow.state != "rejected")).all()
            ok = session.execute(text("PRAGMA integrity_check")).scalar_one()
        assert ok == "ok"
        assert left == [], f"{len(left)} operations still waiting in {store.data_dir}"
        missing, extra = server - mine, mine - server
        assert not missing and not extra, f"{store.data_dir.name}: server-only {sorted(missing)[:5]}, pc-only {sorted(extra)[:5]}"
    return server


def sync_all(stores: list[Store], rounds: int = 2, **kw) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        for s in stores:
            engine.sync(s, **kw)


def fresh_room(srv) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A new room on the running server (what ``yishi-server add-room`` does):
    (code, id). Tests sharing one server process each work in their own room."""
    import secrets

    from server.services.rooms import add_room

    code = f"T{secrets.token_hex(4).upper()}"
    room = add_room(server_db(srv), code=code, name=f"测试议事室{code}", township="水渡口街道", county="清江浦区")
    return room.code, room.id
