"""Photo bytes on their own channel, after the records (the attachment rows are
pushed and pulled by the engine first, so the server knows which room owns a
hash before any byte of it is asked for).

Up: every photo this PC holds that an attachment refers to, whose attachment
row the server has accepted (it takes a photo only from a room naming it) and
that the server lacks from this room is sent in chunks at offsets; after a cut
the server's state says where to go on, so no byte is sent twice except the
chunk in flight; a hash mismatch on the server sends it again from the start.
Down: every attachment whose bytes are missing here is fetched into
``blobs/partial/<sha>.part`` with HTTP Range from where the last try stopped,
checked against its SHA-256 and only then renamed to its final name, so
``photo_path`` stays None until it is whole.

Photos known to be complete on the server are remembered in local settings
(``photo.server.<sha>``) so an evening sync does not ask about each old photo
again. Progress is reported as ("photos", bytes done, bytes in all).
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import requests
from sqlalchemy import select

from desktop.storage.db import Store
from desktop.storage.models import AttachmentRow, SettingRow
from desktop.storage.services.photos import (
    blob_dir,
    blob_file,
    file_sha256,
    is_sha256,
    photo_path,
)
from desktop.sync.client import Client, SyncError, Unreachable

CHUNK = 32 * 1024  # a cut wastes at most the chunk in flight; headers cost ~1% at this size
MARK = "photo.server."
Progress = Callable[[str, int, int], None]
_CUT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError, Unreachable)


class PhotoError(SyncError):
    """A photo could not be moved this time; the next sync tries again."""


@dataclass
class PhotoReport:
    sent: int = 0  # photos completed on the server by this run
    received: int = 0  # photos completed on this PC by this run
    waiting: int = 0  # photos the server does not have complete yet
    bad: int = 0  # local files that no longer match their hash


def _attachments(store: Store) -> dict[str, tuple[int, str]]:
    """sha256 -> (size, mime) of every live attachment of this PC's data."""
    with store.read() as session:
        rows = session.execute(select(AttachmentRow.sha256, AttachmentRow.size, AttachmentRow.mime).where(AttachmentRow.deleted.is_(False))).all()
        return {sha: (int(size), mime) for sha, size, mime in rows}


def _accepted(store: Store) -> set[str]:
    """Hashes named by a live attachment row the server has accepted (version > 0)."""
    with store.read() as session:
        q = select(AttachmentRow.sha256).where(AttachmentRow.deleted.is_(False), AttachmentRow.version > 0)
        return set(session.scalars(q))


def _marked(store: Store) -> set[str]:
    with store.read() as session:
        return {k[len(MARK):] for k in session.scalars(select(SettingRow.key).where(SettingRow.key.like(MARK + "%")))}


def _mark(store: Store, sha256: str) -> None:
    with store.write() as session:
        if session.get(SettingRow, MARK + sha256) is None:
            session.add(SettingRow(key=MARK + sha256, value=True))


def _pause(attempt: int, base: float) -> None:
    # exponential backoff with full jitter, as for the records
    time.sleep(random.uniform(0, base * (2 ** min(attempt, 6))))


def sync_photos(store: Store, client: Client, *, progress: Progress, retries: int = 6, backoff: float = 0.25) -> PhotoReport:
    """Upload what the server lacks, then download what this PC lacks."""
    report = PhotoReport()
    # a pulled row is data from elsewhere: only a real SHA-256 ever becomes a file name here
    wanted = {sha: v for sha, v in _attachments(store).items() if is_sha256(sha)}
    marked = _marked(store)
    # the server takes a photo's bytes only from a room whose attachment row it
    # has accepted (a row not yet there, or refused, waits: no upload, no error)
    accepted = _accepted(store)
    up = {sha: v for sha, v in wanted.items() if sha not in marked and sha in accepted and photo_path(store, sha) is not None}
    down = {sha: v for sha, v in wanted.items() if photo_path(store, sha) is None}
    total = sum(size for size, _ in up.values()) + sum(size for size, _ in down.values())
    done = [0]
    progress("photos", 0, total)

    def tick(n: int) -> None:
        done[0] += n
        progress("photos", min(done[0], total), total)

    for sha, (size, mime) in sorted(up.items()):
        before = done[0]
        if _upload(store, client, sha, mime=mime, tick=tick, retries=retries, backoff=backoff, report=report):
            _mark(store, sha)
        done[0] = before + size
    for sha, (size, _mime) in sorted(down.items()):
        before = done[0]
        if _download(store, client, sha, tick=tick, retries=retries, backoff=backoff, report=report):
            _mark(store, sha)
        done[0] = before + size
    progress("photos", total, total)
    return report


def _upload(store: Store, client: Client, sha256: str, *, mime: str, tick: Callable[[int], None], retries: int, backoff: float, report: PhotoReport) -> bool:
    """True when the server holds the photo complete."""
    path = photo_path(store, sha256)
    if path is None:
        return False
    size = path.stat().st_size
    if file_sha256(path) != sha256:
        report.bad += 1  # a damaged file here must not reach the server
        return False
    state = client.blob_state(sha256)
    if state is not None and state.complete:
        return True
    offset = state.received if state is not None else 0
    tick(offset)
    restarts = cuts = 0
    with path.open("rb") as fh:
        while True:
            fh.seek(offset)
            data = fh.read(CHUNK)
            try:
                received, complete = client.blob_put(sha256, offset=offset, size=size, mime=mime, data=data)
            except _CUT:
                # the link or the server went away for longer than the client's own
                # retries: wait, then ask the server where the upload stands
                cuts += 1
                if cuts > retries:
                    raise
                _pause(cuts, backoff)
                continue_at = _where(client, sha256)
                if continue_at is None:
                    continue
                received, complete = continue_at
                if not complete and received <= offset:
                    # the chunk in flight was lost with the link (or more, when the
                    # server was killed before its commit): go on from where it stands
                    tick(received - offset)
                    offset = received
                    continue
            if complete:
                tick(size - offset)
                report.sent += 1
                return True
            if received <= offset:
                # an answer with no step forward: the server threw its partial bytes
                # away (hash mismatch, or they were lost) or stands where we were;
                # a bounded number of tries, with a pause, never a tight loop
                restarts += 1
                if restarts > max(3, retries):
                    raise PhotoError("照片 {sha} 多次上传都没有进展（可能在传输中损坏），这次没有传完。照片仍安全地保存在本电脑上，下次同步时再传。", sha=sha256[:12])
                _pause(restarts, backoff)
            tick(received - offset)
            offset = received


def _where(client: Client, sha256: str) -> tuple[int, bool] | None:
    """(received, complete) on the server, or None when it cannot be asked now."""
    try:
        state = client.blob_state(sha256)
    except _CUT:
        return None
    return (state.received, state.complete) if state else (0, False)


def _part(store: Store, sha256: str) -> Path:
    return blob_dir(store) / "partial" / f"{sha256}.part"


def _download(store: Store, client: Client, sha256: str, *, tick: Callable[[int], None], retries: int, backoff: float, report: PhotoReport) -> bool:
    """True when the verified photo is in place here."""
    part = _part(store, sha256)
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    tick(have)
    cuts = restarts = 0
    while True:
        try:
            resp = client.blob_open(sha256, start=have)
            if resp is None:
                if have:
                    # maybe our partial file is longer than the photo (416): start again
                    part.unlink(missing_ok=True)
                    have = 0
                    restarts += 1
                    if restarts <= 1:
                        continue
                report.waiting += 1
                return False
            with resp, part.open("r+b" if part.exists() else "wb") as fh:
                if resp.status_code != 206:
                    tick(-have)
                    have = 0  # the whole file came back: write it from the start
                fh.truncate(have)
                fh.seek(have)
                for chunk in resp.iter_content(CHUNK):
                    fh.write(chunk)
                    have += len(chunk)
                    client.bytes_received += len(chunk)
                    tick(len(chunk))
                fh.flush()
                os.fsync(fh.fileno())
        except _CUT:
            cuts += 1
            if cuts > retries:
                raise Unreachable("照片下载多次中断，这次没有下载完。已下载的部分保留，下次同步从断点继续。") from None
            _pause(cuts, backoff)
            have = part.stat().st_size if part.exists() else 0
            continue
        if file_sha256(part) != sha256:
            part.unlink()
            tick(-have)
            have = 0
            restarts += 1
            if restarts > 2:
                raise PhotoError("照片 {sha} 下载后校验不符，这次没有保存。下次同步再试。", sha=sha256[:12])
            continue
        final = blob_file(store, sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, final)
        report.received += 1
        return True
