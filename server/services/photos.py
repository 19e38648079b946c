"""Photos from the public form: images only (checked by their first bytes, not
by what the browser claims), at most 5 MB, stored once under their SHA-256 in
the data dir (``blobs/ab/abcdef…``), the same address sync uses. A photo that
came in through a room's form is held by that room (``hold``), so its PCs can
download it without ever having uploaded it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.storage.services.photos import clean_filename, sniff_image  # one list of image types and one name rule, for the PC and the phone form
from server.errors import TooLargeError, UnsupportedError
from server.models import BlobRow, BlobUploadRow

MAX_PHOTO = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Photo:
    data: bytes
    mime: str
    sha256: str
    filename: str


def check_photo(data: bytes, filename: str) -> Photo:
    if len(data) > MAX_PHOTO:
        raise TooLargeError("照片太大了：最多 5 MB，这张有 {mb:.1f} MB。请换一张或用手机自带的“压缩”后再传。", mb=len(data) / 1024 / 1024)
    mime = sniff_image(data[:16])
    if mime is None:
        raise UnsupportedError("只能上传照片（JPG、PNG、GIF、WEBP、HEIC），这个文件不是照片。")
    # no folders and no bidi/control characters: "\u202egpj.exe" must not read as exe.jpg on the PC
    name = clean_filename(filename, max_len=200)
    return Photo(data=data, mime=mime, sha256=hashlib.sha256(data).hexdigest(), filename=name)


def blob_path(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256


def store_blob(blob_dir: Path, photo: Photo) -> Path:
    """Write the file once (atomically: temp file, then rename)."""
    path = blob_path(blob_dir, photo.sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{photo.sha256}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(photo.data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def hold(session, *, room_id: str, photo: Photo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """Record a stored photo as verified and held by ``room_id`` (the bytes were
    hashed here, so the room has proven it holds them)."""
    size = len(photo.data)
    if session.get(BlobRow, photo.sha256) is None:
        session.add(BlobRow(sha256=photo.sha256, size=size, mime=photo.mime, received=size, complete=True, created_at=now))
    up = session.get(BlobUploadRow, (room_id, photo.sha256))
    if up is None:
        session.add(BlobUploadRow(room_id=room_id, sha256=photo.sha256, size=size, mime=photo.mime, received=size, complete=True, created_at=now, updated_at=now))
    else:
        up.size = up.received = size
        up.complete, up.updated_at = True, now
