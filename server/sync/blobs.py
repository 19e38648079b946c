"""Photo blobs on their own channel: addressed by SHA-256, uploaded in chunks
at offsets so an upload resumes after a cut where it stopped, and visible only
once every byte has arrived and the hash checks out. Partial uploads live in
``blobs/partial/`` and are moved into place atomically when complete."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import select

from desktop.domain import clock
from desktop.storage.models import AttachmentRow
from desktop.storage.services.photos import is_sha256
from desktop.sync.protocol import BlobState
from server.db import ServerDB
from server.errors import ForbiddenError, NotFoundError, ServerError, TooLargeError
from server.models import BlobRow
from server.services.photos import blob_path

MAX_BLOB = 50 * 1024 * 1024


class OffsetError(ServerError):
    status = 409
    received = 0  # where the upload stands: the client goes on from there


class HashMismatch(OffsetError):
    """The bytes did not hash to the address: the upload starts again at 0."""


def _check_sha(sha256: str) -> str:
    if not is_sha256(sha256):
        raise NotFoundError("照片编号不对。")
    return sha256


def _partial(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / "partial" / sha256


def state(db: ServerDB, sha256: str) -> BlobState | None:
    _check_sha(sha256)
    with db.read() as session:
        row = session.get(BlobRow, sha256)
        if row is None:
            return None
        return BlobState(sha256=sha256, size=row.size, received=row.received, complete=row.complete)


def put_chunk(db: ServerDB, *, sha256: str, size: int, offset: int, data: bytes, mime: str = "") -> BlobState:
    """Append ``data`` at ``offset``; an offset other than what has arrived is refused
    with the current state (the client resumes from there)."""
    _check_sha(sha256)
    if not 0 < size <= MAX_BLOB:
        raise TooLargeError("照片太大了：最多 50 MB。")
    blob_dir = db.settings.blob_dir
    misplaced = mismatch = False
    with db.write() as session:
        row = session.get(BlobRow, sha256)
        if row is None:
            row = BlobRow(sha256=sha256, size=size, mime=mime[:100], received=0, complete=False, created_at=clock.now())
            session.add(row)
            session.flush()
        if row.complete:
            return BlobState(sha256=sha256, size=row.size, received=row.received, complete=True)
        final = blob_path(blob_dir, sha256)
        if final.exists() and _file_sha(final) == sha256:
            # killed after the file got its name but before the row said so
            row.received, row.complete = final.stat().st_size, True
            row.size = row.received
            return BlobState(sha256=sha256, size=row.size, received=row.received, complete=True)
        part = _partial(blob_dir, sha256)
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        # the file may hold fewer bytes than the row says (a kill between the
        # write and the commit, or a lost file): the row follows the file, so
        # what ``state`` reports is where the upload can go on
        row.received = received = min(row.received, have)
        misplaced = offset != received or offset + len(data) > row.size
        if not misplaced:
            _append(part, offset, data)
            row.received = offset + len(data)
            if row.received == row.size:
                if _file_sha(part) != sha256:
                    part.unlink()
                    row.received = 0
                    mismatch = True
                else:
                    final.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(part, final)
                    row.complete = True
        state_now = BlobState(sha256=sha256, size=row.size, received=row.received, complete=row.complete)
    # raised after the commit, so the row's correction above is kept
    if misplaced:
        err = OffsetError("照片上传位置不对（已收到 {n} 字节），请从那里继续。", n=received)
        err.received = received
        raise err
    if mismatch:
        raise HashMismatch("照片传输中损坏（校验值不符），请从头重新上传。")
    return state_now


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
    """A complete blob that an attachment of this room refers to."""
    return blob_file(db, room_id=room_id, sha256=sha256).read_bytes()


def blob_file(db: ServerDB, *, room_id: str, sha256: str) -> Path:
    """The file of a complete blob that an attachment of this room refers to
    (the route serves it with HTTP Range, so a download resumes after a cut)."""
    _check_sha(sha256)
    with db.read() as session:
        row = session.get(BlobRow, sha256)
        if row is None or not row.complete:
            raise NotFoundError("这张照片还没有上传完整。")
        owned = session.scalar(select(AttachmentRow.id).where(AttachmentRow.room_id == room_id, AttachmentRow.sha256 == sha256).limit(1))
        if owned is None:
            raise ForbiddenError("这台电脑只能读写本议事室的数据。")
    return blob_path(db.settings.blob_dir, sha256)
