"""``/api/v1/sync``: push, pull, verify, rows and photo blobs for an enrolled
PC, scoped to its room by its token. Every answer carries the protocol header;
a client below ``MIN_PROTOCOL`` gets 426 and nothing is applied. Request
bodies may be gzip-compressed; answers are, when the client accepts it."""

from __future__ import annotations

import gzip
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from sqlalchemy import update
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from desktop.domain import clock
from desktop.domain.errors import ValidationError
from desktop.storage.services.photos import MAX_PHOTO as PC_MAX_PHOTO  # the blob channel takes what a PC may attach
from desktop.sync.protocol import HEADER, MAX_VERSION, MIN_PROTOCOL, PROTOCOL_VERSION, PullOut, PushIn, PushOut, RowsIn, VerifyIn, inline_schema
from server import limits
from server.api.deps import DBDep, current_device
from server.errors import ServerError, TooLargeError
from server.models import DeviceRow
from server.services.devices import DeviceInfo
from server.sync import apply, blobs, pull as pull_svc, verify as verify_svc



class UpgradeRequired(ServerError):
    status = 426


OFFSET_PAST_END = limits.N_("照片分块的位置（{offset}）超过了照片的大小（{size} 字节），服务器没有接收。请把议事程序更新到最新版本后再同步；照片仍在本电脑上。")
TOO_OLD = limits.N_("本电脑上的议事程序版本太旧，无法与县（区）服务器同步。请更新到最新版本后再同步；数据仍安全地保存在本电脑上。")


PROTOCOL_DIGITS = 6  # far above any version we will ever ship; int() of 5,000 digits is not free


def check_protocol(raw: Annotated[str | None, Header(alias=HEADER, description="协议版本 (protocol version): ASCII digits")] = None) -> int:
    """The client's protocol version: ASCII digits only, at most six of them
    (``str.isdigit`` and ``int`` also take "²" and "٣", and the first raised)."""
    raw = (raw or "").strip()
    if not raw:
        raise UpgradeRequired(TOO_OLD)
    if not (len(raw) <= PROTOCOL_DIGITS and raw.isascii() and raw.isdigit()):
        raise ValidationError("同步请求里的协议版本号（{header}）不对：应是一个不超过 6 位的数字。请把议事程序更新到最新版本后再同步；数据仍安全地保存在本电脑上。", header=HEADER)
    version = int(raw)
    if version < MIN_PROTOCOL:
        raise UpgradeRequired(TOO_OLD)
    return version


Device = Annotated[DeviceInfo, Depends(current_device)]
router = APIRouter(prefix="/api/v1/sync", dependencies=[Depends(check_protocol)], tags=["sync"])


def _answer(request: Request, model: BaseModel | dict[str, Any], status: int = 200) -> Response:
    data = model.model_dump() if isinstance(model, BaseModel) else model
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {HEADER: str(PROTOCOL_VERSION)}
    if "gzip" in request.headers.get("accept-encoding", "") and len(body) > 512:
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=status, media_type="application/json", headers=headers)


async def _body(request: Request, model: type[BaseModel]) -> Any:
    """The request's model, read by ``server.limits`` (streamed, capped, gunzipped)."""
    try:
        raw = await limits.read_json_body(request)
    except ClientDisconnect:
        raise ValidationError("请求的内容不完整或格式不对。") from None
    try:
        return model.model_validate_json(raw)
    except PydanticError:
        raise ValidationError("请求的内容不完整或格式不对。") from None


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` describing a body the route reads itself, so the
    schema tells clients (and the fuzz test) what to send."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inline_schema(model)}}}}


def _push(db, device: DeviceInfo, body: PushIn) -> PushOut:  # type: ignore[no-untyped-def]
    with db.write() as session:
        results = apply.apply_batch(session, room_id=device.room_id, device_id=device.id, ops=body.ops)
        session.execute(
            update(DeviceRow).where(DeviceRow.id == device.id).values(unsent_reported=max(0, body.unsent), last_sync_at=clock.now())
        )
    return PushOut(results=results)


@router.post("/push", openapi_extra=_schema(PushIn))
async def push(request: Request, device: Device, db: DBDep) -> Response:
    """Apply a batch of operations in one transaction; one result per operation."""
    body = await _body(request, PushIn)
    return _answer(request, await run_in_threadpool(_push, db, device, body))


def _pull(db, device: DeviceInfo, since: int, limit: int) -> PullOut:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return pull_svc.pull(session, room_id=device.room_id, since=since, limit=limit)


@router.get("/pull")
async def pull(request: Request, device: Device, db: DBDep, since: Annotated[int, Query(ge=0, le=MAX_VERSION)] = 0, limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> Response:
    """The room's changes with version > since, in version order, one page."""
    return _answer(request, await run_in_threadpool(_pull, db, device, since, limit))


def _verify(db, device: DeviceInfo, body: VerifyIn):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return verify_svc.verify(session, room_id=device.room_id, body=body)


@router.post("/verify", openapi_extra=_schema(VerifyIn))
async def verify(request: Request, device: Device, db: DBDep) -> Response:
    """Compare per-entity counts and digests; differing entities get bucket digests."""
    body = await _body(request, VerifyIn)
    return _answer(request, await run_in_threadpool(_verify, db, device, body))


def _rows(db, device: DeviceInfo, body: RowsIn):  # type: ignore[no-untyped-def]
    with db.read() as session:
        changes = pull_svc.rows(session, room_id=device.room_id, ids=body.ids, buckets=body.buckets)
    return {"changes": [c.model_dump() for c in changes]}


@router.post("/rows", openapi_extra=_schema(RowsIn))
async def rows(request: Request, device: Device, db: DBDep) -> Response:
    """Whole rows of this room again, by id or by bucket (repairs)."""
    body = await _body(request, RowsIn)
    return _answer(request, await run_in_threadpool(_rows, db, device, body))


@router.head("/blobs/{sha256}")
@router.get("/blobs/{sha256}/state")
async def blob_state(request: Request, sha256: str, device: Device, db: DBDep) -> Response:
    """How much of this room's upload of a blob has arrived (to resume it); 404
    when the room does not name the hash or has sent none of it."""
    await run_in_threadpool(blobs.clean_now_and_then, db)
    st = await run_in_threadpool(lambda: blobs.state(db, room_id=device.room_id, sha256=sha256))
    if st is None:
        return _unknown_blob(request, sha256)
    resp = _answer(request, st)
    resp.headers["X-Received"] = str(st.received)
    resp.headers["X-Complete"] = "1" if st.complete else "0"
    return resp


@router.put("/blobs/{sha256}")
async def blob_put(
    request: Request, sha256: str, device: Device, db: DBDep,
    offset: Annotated[int, Query(ge=0, le=PC_MAX_PHOTO)], size: Annotated[int, Query(ge=1, le=PC_MAX_PHOTO)], mime: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """Store one chunk at ``offset``; 409 with the received count when out of
    place. ``0 <= offset <= size <= 50 MB`` (the PC's own photo limit): out of
    it is a Chinese 422 (a bound) or 400 (offset past the end), before any byte
    is read or stored, so a made-up ``2**63`` never reaches the database."""
    if offset > size:
        raise ValidationError(OFFSET_PAST_END, offset=offset, size=size)
    try:
        data = await request.body()
    except ClientDisconnect:
        # the link was cut mid-chunk: nothing was stored, the PC asks where to go on
        return Response(status_code=400)
    if len(data) > 8 * 1024 * 1024:
        raise TooLargeError("照片分块太大。")
    await run_in_threadpool(blobs.clean_now_and_then, db)
    try:
        st = await run_in_threadpool(lambda: blobs.put_chunk(db, room_id=device.room_id, sha256=sha256, size=size, offset=offset, data=data, mime=mime))
    except blobs.OffsetError as exc:  # (a hash mismatch says 0: start again)
        return _answer(request, {"detail": str(exc), "received": exc.received}, status=409)
    except blobs.NotFoundError:
        # a hash this room does not name: the same answer as a made-up one
        return _unknown_blob(request, sha256)
    return _answer(request, st)


def _unknown_blob(request: Request, sha256: str) -> Response:
    """One 404 for every hash a room may not see (state and upload alike)."""
    return _answer(request, {"detail": blobs.unknown_message(), "sha256": sha256, "size": 0, "received": 0, "complete": False}, status=404)


@router.get("/blobs/{sha256}")
async def blob_get(sha256: str, device: Device, db: DBDep) -> Response:
    """A complete photo that this room names and has proven it holds (404, as an
    unknown hash, otherwise); ``Range: bytes=N-`` gives the rest from N (206), so
    a download cut short resumes where it stopped."""
    path = await run_in_threadpool(lambda: blobs.blob_file(db, room_id=device.room_id, sha256=sha256))
    # the content never changes (it is its own hash): the hash is the ETag
    return FileResponse(path, media_type="application/octet-stream", headers={HEADER: str(PROTOCOL_VERSION), "ETag": f'"{sha256}"'})
