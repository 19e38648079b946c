"""Photo blobs on their own channel: addressed by SHA-256, uploaded in chunks
at offsets so an upload resumes after a cut where it stopped, and visible only
once every byte has arrived and the hash checks out.

A blob belongs to the rooms that name it and hold it: a room may ask about,
upload or read a hash only while one of its live attachment rows names it
(the rows are pushed before the photo channel runs), and it reads the bytes
only after proving it holds them (its own upload verified against the hash,
or the photo came in through its own public form). Any other case answers
404, the same as a made-up hash, so nothing tells a room what another holds.
Each room's upload is its own (``BlobUploadRow``, ``blobs/partial/<room>/<sha>``):
another room's claim (a wrong size, a stuck partial) can neither block nor
reveal a photo. A verified file is stored once under ``blobs/ab/<sha>`` and
shared by every room that proves it holds it. Partial uploads that make no
progress for ``YISHI_BLOB_PARTIAL_DAYS`` (default 7) are removed by
``clean_partials`` (the server, at most once an hour, and
``yishi-server clean-blobs``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop.domain import clock
from desktop.storage.models import AttachmentRow
from desktop.storage.services.photos import is_sha256
from desktop.sync.protocol import BlobState
from server.db import ServerDB
from server.errors import NotFoundError, ServerError, TooLargeError
from server.models import BlobRow, BlobUploadRow
from server.services.photos import blob_path

MAX_BLOB = 50 * 1024 * 1024
PARTIAL_DAYS_ENV = "YISHI_BLOB_PARTIAL_DAYS"
DEFAULT_PARTIAL_DAYS = 7.0
CLEAN_EVERY_S = 3600.0
# one answer for every hash this room may not see: unknown, another room's, not yet whole
UNKNOWN = "没有这张照片，或它还没有上传完整。"


class OffsetError(ServerError):
    status = 409
    received = 0  # where the upload stands: the client goes on from there


class HashMismatch(OffsetError):
    """The bytes did not hash to the address: the upload starts again at 0."""


def unknown_message() -> str:
    """The 404's words, in the server's language."""
    return str(NotFoundError(UNKNOWN))


def _check_sha(sha256: str) -> str:
    if not is_sha256(sha256):
        raise NotFoundError("照片编号不对。")
    return sha256


def _partial(blob_dir: Path, room_id: str, sha256: str) -> Path:
    # room ids are the server's own UUIDs; the name is checked anyway, a path is made of it
    if not room_id or not all(c.isalnum() or c == "-" for c in room_id):
        raise NotFoundError(UNKNOWN)
    return blob_dir / "partial" / room_id / sha256


def _named(session, room_id: str, sha256: str) -> bool:  # type: ignore[no-untyped-def]
    """A live attachment row of this room names the hash."""
    q = select(AttachmentRow.id).where(AttachmentRow.room_id == room_id, AttachmentRow.sha256 == sha256, AttachmentRow.deleted.is_(False)).limit(1)
    return session.scalar(q) is not None


def _state(up: BlobUploadRow) -> BlobState:
    return BlobState(sha256=up.sha256, size=up.size, received=up.received, complete=up.complete)


def state(db: ServerDB, *, room_id: str, sha256: str) -> BlobState | None:
    """How far this room's upload stands; None (404) when the room does not name
    the hash or has sent none of it, whatever other rooms hold."""
    _check_sha(sha256)
    with db.read() as session:
        if not _named(session, room_id, sha256):
            return None
        up = session.get(BlobUploadRow, (room_id, sha256))
        return None if up is None else _state(up)


def put_chunk(db: ServerDB, *, room_id: str, sha256: str, size: int, offset: int, data: bytes, mime: str = "") -> BlobState:
    """Append ``data`` at ``offset`` to this room's upload; an offset other than
    what has arrived is refused with the current state (the client resumes from
    there). A hash the room does not name is 404, as an unknown one."""
    _check_sha(sha256)
    if not 0 < size <= MAX_BLOB:
        raise TooLargeError("照片太大了：最多 50 MB。")
    blob_dir = db.settings.blob_dir
    misplaced = mismatch = False
    finished: Path | None = None
    now = clock.now()
    with db.write() as session:
        if not _named(session, room_id, sha256):
            raise NotFoundError(UNKNOWN)
        part = _partial(blob_dir, room_id, sha256)
        up = session.get(BlobUploadRow, (room_id, sha256), with_for_update=True)
        if up is None:
            up = BlobUploadRow(room_id=room_id, sha256=sha256, size=size, mime=mime[:100], received=0, complete=False, created_at=now, updated_at=now)
            session.add(up)
            session.flush()
        if up.complete:
            return _state(up)
        if up.size != size:
            # this room's own upload with another size (only ever its own: other
            # rooms' claims live in their rows): the new one starts from byte 0
            up.size, up.received, up.updated_at = size, 0, now
            part.unlink(missing_ok=True)
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        # the file may hold fewer bytes than the row says (a kill between the
        # write and the commit, or a lost file): the row follows the file, so
        # what ``state`` reports is where the upload can go on
        up.received = received = min(up.received, have)
        misplaced = offset != received or offset + len(data) > up.size
        if not misplaced:
            _append(part, offset, data)
            up.received, up.updated_at = offset + len(data), now
            if up.received == up.size:
                if _file_sha(part) != sha256:
                    part.unlink()
                    up.received = 0
                    mismatch = True
                else:
                    _place(part, blob_path(blob_dir, sha256))
                    if session.get(BlobRow, sha256) is None:
                        session.add(BlobRow(sha256=sha256, size=up.size, mime=up.mime, received=up.size, complete=True, created_at=now))
                    up.complete = True
                    finished = part
        state_now = _state(up)
    # after the commit: a kill before it finds the partial whole and the last chunk is sent again
    if finished is not None:
        finished.unlink(missing_ok=True)
    # raised after the commit, so the row's correction above is kept
    if misplaced:
        err = OffsetError("照片上传位置不对（已收到 {n} 字节），请从那里继续。", n=received)
        err.received = received
        raise err
    if mismatch:
        raise HashMismatch("照片传输中损坏（校验值不符），请从头重新上传。")
    return state_now


def _place(part: Path, final: Path) -> None:
    """Give the verified partial its shared name, keeping the partial until the
    commit. A file already there was verified when it was placed: it is kept."""
    if final.exists():
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(part, final)
        return
    except FileExistsError:
        return  # another room finished the same bytes at the same moment
    except OSError:
        pass  # a file system without hard links: copy, then rename into place
    tmp = final.with_name(f".{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    shutil.copyfile(part, tmp)
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def _append(part: Path, offset: int, data: bytes) -> None:
    with part.open("r+b" if part.exists() else "wb") as fh:
        fh.truncate(offset)
        fh.seek(offset)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_blob(db: ServerDB, *, room_id: str, sha256: str) -> bytes:
    """A complete blob that this room names and holds."""
    return blob_file(db, room_id=room_id, sha256=sha256).read_bytes()


def blob_file(db: ServerDB, *, room_id: str, sha256: str) -> Path:
    """The file of a complete blob that a live attachment of this room names and
    that this room has proven it holds (the route serves it with HTTP Range, so a
    download resumes after a cut). Anything else is 404, as an unknown hash."""
    _check_sha(sha256)
    with db.read() as session:
        up = session.get(BlobUploadRow, (room_id, sha256))
        if up is None or not up.complete or not _named(session, room_id, sha256):
            raise NotFoundError(UNKNOWN)
    path = blob_path(db.settings.blob_dir, sha256)
    if not path.is_file():
        raise NotFoundError(UNKNOWN)
    return path


# ---- stale partial uploads ------------------------------------------------------


def partial_max_age() -> timedelta:
    """How long a partial upload may sit without progress (``YISHI_BLOB_PARTIAL_DAYS``,
    days, fractions allowed; anything unreadable means the default, 7)."""
    raw = os.environ.get(PARTIAL_DAYS_ENV, "").strip()
    try:
        days = float(raw) if raw else DEFAULT_PARTIAL_DAYS
    except ValueError:
        days = DEFAULT_PARTIAL_DAYS
    if not 0 < days < 100_000:  # also NaN and inf
        days = DEFAULT_PARTIAL_DAYS
    return timedelta(days=days)


def clean_partials(db: ServerDB, *, max_age: timedelta | None = None, now: datetime | None = None) -> int:
    """Remove partial uploads with no progress for ``max_age``: their rows and
    files, and any file under ``blobs/partial/`` that no upload in progress owns
    (older layouts, a kill after the commit) once it is that old. Verified
    files are never touched. Returns how many uploads or files were removed."""
    age = max_age if max_age is not None else partial_max_age()
    cutoff = (now or clock.now()) - age
    blob_dir = db.settings.blob_dir
    removed = 0
    with db.write() as session:
        stale = session.scalars(select(BlobUploadRow).where(BlobUploadRow.complete.is_(False), BlobUploadRow.updated_at < cutoff)).all()
        for up in stale:
            _partial(blob_dir, up.room_id, up.sha256).unlink(missing_ok=True)
            session.delete(up)
            removed += 1
        live = {(r, s) for r, s in session.execute(select(BlobUploadRow.room_id, BlobUploadRow.sha256).where(BlobUploadRow.complete.is_(False)))}
    root = blob_dir / "partial"
    if root.is_dir():
        for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            try:
                if path.is_dir():
                    if not any(path.iterdir()):
                        path.rmdir()
                    continue
                key = (path.parent.name, path.name) if path.parent != root else None
                if key in live:
                    continue
                if datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo) < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue  # gone meanwhile, or in use: the next round tries again
    return removed


_clean_lock = threading.Lock()
_last_clean: list[float] = []


def clean_now_and_then(db: ServerDB) -> None:
    """The server's own round: the first blob request after a start, then at
    most once an hour per process (so no cron job is needed, though one may run
    ``yishi-server clean-blobs`` as well)."""
    if _last_clean and time.monotonic() - _last_clean[0] < CLEAN_EVERY_S:
        return
    if not _clean_lock.acquire(blocking=False):
        return
    try:
        _last_clean[:] = [time.monotonic()]
        clean_partials(db)
    finally:
        _clean_lock.release()
