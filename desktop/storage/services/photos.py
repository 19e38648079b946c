"""Photos of a topic on this PC: the bytes live once, content-addressed, under
``<data_dir>/blobs/ab/abcdef…`` (the same address the county server uses), and
an ``attachment`` row (synced through the outbox) points at them by SHA-256.
A file reaches its final name only whole and verified (temp file, fsync,
``os.replace``), so ``photo_path`` never hands out a half-written photo: it is
None until the bytes are in place, whether they came from a file here or are
still on their way from the server (see ``desktop.sync.photos``).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from sqlalchemy import or_, select

from desktop.domain.entities import Attachment, Result, Topic
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.ids import new_id, normalize_tracking_code
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import AttachmentRow, TopicRow
from desktop.storage.services.common import get_live, result, room_of

MAX_PHOTO = 50 * 1024 * 1024  # what the server's blob channel takes
_SHA = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(value: object) -> bool:
    """A photo's address: 64 lower-case hex digits (PCs and the server make file names of it)."""
    return isinstance(value, str) and bool(_SHA.match(value))
_BUF = 1 << 20


def clean_filename(name: str, *, max_len: int = 300) -> str:
    """A photo's file name safe to show and to save: no folders, and none of the
    invisible characters (U+202E and the other bidi controls, zero-width
    characters, control codes, line breaks) that make ``gpj.exe`` read as
    ``exe.jpg`` on the convenor's screen."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control codes; Cf: format characters (bidi overrides/isolates, ZWSP, BOM); Zl/Zp: separators
    kept = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))
    return kept.strip()[:max_len]


def sniff_image(head: bytes) -> str | None:
    """The image type from its first bytes (what the file is, not what its name says)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic"
    return None


def blob_dir(store: Store) -> Path:
    return store.data_dir / "blobs"


def blob_file(store: Store, sha256: str) -> Path:
    """Where a complete photo lives (whether it is there yet or not)."""
    return blob_dir(store) / sha256[:2] / sha256


def photo_path(store: Store, sha256: str) -> Path | None:
    """The verified file of a photo, or None while it is not (yet) on this PC."""
    if not is_sha256(sha256):
        return None
    path = blob_file(store, sha256)
    return path if path.is_file() else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_BUF), b""):
            h.update(chunk)
    return h.hexdigest()


def _copy_in(store: Store, src: Path) -> tuple[str, int, bool]:
    """Copy ``src`` into the blob store: (sha256, size, newly placed). The copy is
    hashed while it is written, fsynced, and renamed into place whole."""
    tmp_dir = blob_dir(store) / "partial"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"add-{new_id()}.tmp"
    h = hashlib.sha256()
    size = 0
    try:
        with src.open("rb") as fin, tmp.open("wb") as fout:
            for chunk in iter(lambda: fin.read(_BUF), b""):
                h.update(chunk)
                fout.write(chunk)
                size += len(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        sha = h.hexdigest()
        final = blob_file(store, sha)
        if final.is_file():
            return sha, size, False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return sha, size, True
    finally:
        tmp.unlink(missing_ok=True)


def _check_file(path: Path) -> str:
    """The image type of ``path``, or a clear error (nothing has been changed)."""
    if not path.exists():
        raise ValidationError("找不到文件“{path}”。请检查文件名和位置。", path=str(path))
    if not path.is_file():
        raise ValidationError("“{path}”不是一个文件。", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise ValidationError("文件“{path}”是空的，不是照片。", path=str(path))
    if size > MAX_PHOTO:
        raise ValidationError("照片太大了：最多 50 MB，这张有 {mb:.1f} MB。请缩小后再添加。", mb=size / 1024 / 1024)
    with path.open("rb") as fh:
        mime = sniff_image(fh.read(16))
    if mime is None:
        raise ValidationError("“{path}”不是照片。只能添加 JPG、PNG、GIF、WEBP、HEIC 格式的照片。", path=path.name)
    return mime


def find_topic(store: Store, key: str) -> Topic:
    """A live topic by its id, its work-order number (工单编号) or its tracking code."""
    key = (key or "").strip()
    with store.read() as session:
        row = session.scalars(
            select(TopicRow).where(TopicRow.deleted.is_(False), or_(TopicRow.id == key, TopicRow.ticket_no == key, TopicRow.tracking_code == normalize_tracking_code(key))).limit(1)
        ).first()
        if row is None:
            raise NotFound("找不到议题“{key}”。请填写议题编号、工单编号或查询码。", key=key[:64])
        return to_domain(row)


def attach_photo(store: Store, *, topic_id: str, path: Path | str) -> Result:
    """Add the photo file ``path`` to a topic. Returns the new ``Attachment``."""
    path = Path(path)
    mime = _check_file(path)
    with store.read() as session:
        get_live(session, TopicRow, topic_id)  # before any byte is copied
    sha, size, placed = _copy_in(store, path)
    try:
        with store.write() as session:
            topic = get_live(session, TopicRow, topic_id)
            same = session.scalars(
                select(AttachmentRow.id).where(AttachmentRow.owner_type == "topic", AttachmentRow.owner_id == topic.id, AttachmentRow.sha256 == sha, AttachmentRow.deleted.is_(False))
            ).first()
            if same is not None:
                raise ValidationError("这张照片已经添加到这个议题了。")
            row = AttachmentRow(
                id=new_id(),
                room_id=room_of(session).id,
                owner_type="topic",
                owner_id=topic.id,
                sha256=sha,
                size=size,
                mime=mime,
                filename=clean_filename(path.name),
            )
            outbox.insert(session, row)
            session.flush()
            return result(session, row)
    except BaseException:
        if placed:
            _drop_unreferenced(store, sha)
        raise


def _drop_unreferenced(store: Store, sha256: str) -> None:
    """Take back a file this call placed when its row did not commit."""
    with store.read() as session:
        used = session.scalars(select(AttachmentRow.id).where(AttachmentRow.sha256 == sha256).limit(1)).first()
    if used is None:
        blob_file(store, sha256).unlink(missing_ok=True)


def list_photos(store: Store, topic_id: str) -> tuple[Attachment, ...]:
    """The topic's photos, oldest first (whether their bytes are here yet or not)."""
    with store.read() as session:
        get_live(session, TopicRow, topic_id)
        rows = session.scalars(
            select(AttachmentRow)
            .where(AttachmentRow.owner_type == "topic", AttachmentRow.owner_id == topic_id, AttachmentRow.deleted.is_(False))
            .order_by(AttachmentRow.id)
        ).all()
        # names from the phone form or an older PC are cleaned for showing too
        return tuple(replace(a, filename=clean_filename(a.filename)) for a in (to_domain(r) for r in rows))
