"""Caps on what a request may send, enforced in the app itself (nginx's
``client_max_body_size`` is a second guard, not the only one).

``BodyLimit`` is a pure ASGI middleware: it picks the cap of the endpoint
(``cap_for``), answers 413 at once when ``Content-Length`` is above it, and
otherwise counts the bytes as the route reads them and raises ``BodyTooLarge``
the moment the count passes the cap, so no body is ever held whole beyond its
cap. ``read_json_body`` is how the sync routes read their (possibly gzip'd)
JSON: streamed, decompressed with ``zlib.decompressobj(max_length=...)`` so a
597 KiB bomb that expands to 600 MiB is refused after at most the cap.

Measured (tests/server/test_memory.py): the bomb and a 150 MiB body sent to
every endpoint that takes one raise the server's peak RSS by a few MiB, where
reading them whole raised it by more than 600 MiB.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, MutableMapping

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from desktop.domain.errors import ValidationError
from desktop.i18n import tr
from server.errors import UnsupportedError
from server.web.page import error_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

def N_(text: str) -> str:
    """Marks a message for the catalogue (tools/i18n_sources.py); ``tr`` runs later."""
    return text


KiB = 1024
MiB = 1024 * KiB

# The sync client sends at most 500 operations a push, gzip'd; 8 MiB on the
# wire is nginx's client_max_body_size in the deploy doc, 16 MiB unpacked is
# about 32 KiB per operation (the longest text field is 100,000 characters).
SYNC_WIRE = 8 * MiB
SYNC_UNPACKED = 16 * MiB
SYNC_MSG = N_("一次同步发送的数据太多（超过 {size}），服务器没有接收，什么也没有改变。请把议事程序更新到最新版本后再同步。")


@dataclass(frozen=True, slots=True)
class Cap:
    method: str
    pattern: re.Pattern[str]
    wire: int  # bytes on the wire (compressed or not)
    unpacked: int  # bytes after gzip (sync bodies only)
    message: str


def _cap(method: str, path: str, wire: int, message: str, unpacked: int = 0) -> Cap:
    return Cap(method, re.compile(path), wire, unpacked or wire, message)


CAPS: tuple[Cap, ...] = (
    _cap("POST", r"^/api/v1/sync/push$", SYNC_WIRE, SYNC_MSG, SYNC_UNPACKED),
    _cap("POST", r"^/api/v1/sync/rows$", 2 * MiB, SYNC_MSG, 4 * MiB),
    _cap("POST", r"^/api/v1/sync/verify$", 256 * KiB, SYNC_MSG, 256 * KiB),
    # the PC sends photos in 32 KiB chunks (desktop/sync/photos.py); room for 256 KiB ones
    _cap("PUT", r"^/api/v1/sync/blobs/[^/]*$", 512 * KiB, N_("照片分块太大了（超过 {size}），服务器没有接收。请把议事程序更新到最新版本后再同步。")),
    # no login is needed here: a code and a name fit in far less
    _cap("POST", r"^/api/v1/enroll$", 4 * KiB, N_("注册请求太大了（超过 {size}），服务器没有接收。")),
    # a 5 MB photo plus the form's text (server/services/photos.py MAX_PHOTO)
    _cap("POST", r"^/r/[^/]*$", 6 * MiB, N_("提交的内容太大了：照片最多 5 MB。请换一张照片再提交。")),
    _cap("POST", r"^/admin/", 16 * KiB, N_("提交的内容太大了（超过 {size}），服务器没有接收。")),
)
# any other request: nothing else takes a body
DEFAULT = _cap("*", r"", 16 * KiB, N_("提交的内容太大了（超过 {size}），服务器没有接收。"))


def cap_for(method: str, path: str) -> Cap:
    for cap in CAPS:
        if cap.method == method and cap.pattern.match(path):
            return cap
    return DEFAULT


def human(size: int) -> str:
    return f"{size // MiB} MB" if size >= MiB else f"{size // KiB} KB"


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing lets it through as it is
    (it turns any other exception raised while reading into a 400)."""

    def __init__(self, cap: Cap, *, unpacked: bool = False) -> None:
        super().__init__(413, detail=tr(cap.message, size=human(cap.unpacked if unpacked else cap.wire)))


class BadLength(HTTPException):
    def __init__(self) -> None:
        super().__init__(400, detail=tr("请求头里的内容长度（Content-Length）不对，服务器没有接收。"))


def _answer(path: str, exc: HTTPException) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    return error_page(str(exc.detail), status=exc.status_code)


class BodyLimit:
    """Refuses a body above its endpoint's cap: at once from Content-Length,
    or while it streams in, before it is read whole."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        cap = cap_for(scope.get("method", ""), path)
        length = next((v for k, v in scope.get("headers", []) if k.lower() == b"content-length"), None)
        early: HTTPException | None = None
        if length is not None:
            # ASCII digits only, bounded: int() would take "²" or 5,000 digits
            if not (0 < len(length) <= 18 and length.isdigit() and length.isascii()):
                early = BadLength()
            elif int(length) > cap.wire:
                early = BodyTooLarge(cap)
        if early is not None:
            await _answer(path, early)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap.wire:
                    raise BodyTooLarge(cap)
            return message

        await self.app(scope, counted, send)


async def too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _answer(request.url.path, exc)


async def read_json_body(request: Request) -> bytearray:
    """The request's body, gunzipped when it says ``Content-Encoding: gzip``,
    refused with 413 as soon as either side passes the endpoint's cap."""
    cap = cap_for(request.method, request.url.path)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip"):
        raise UnsupportedError("不支持这种压缩方式（{enc}）：请用 gzip 或不压缩。", enc=encoding[:20])
    out = bytearray()
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    async for chunk in request.stream():
        if inflate is None:
            out += chunk
        else:
            _inflate(inflate, chunk, out, cap)
        if len(out) > cap.unpacked:
            raise BodyTooLarge(cap, unpacked=True)
    if inflate is not None and not inflate.eof:
        raise ValidationError("请求的内容不完整或格式不对。")
    return out


def _inflate(inflate: Any, chunk: bytes, out: bytearray, cap: Cap) -> None:
    """Unpack ``chunk`` into ``out``, never more than one byte past the cap
    (``max_length``), so the bomb stops at the cap, not at 600 MiB."""
    data = chunk
    while data:
        if inflate.eof:
            # bytes after the gzip member: the PC never sends them
            raise ValidationError("请求的内容不完整或格式不对。")
        try:
            out += inflate.decompress(data, cap.unpacked - len(out) + 1)
        except zlib.error:
            raise ValidationError("请求的内容不完整或格式不对。") from None
        if len(out) > cap.unpacked:
            raise BodyTooLarge(cap, unpacked=True)
        data = inflate.unconsumed_tail
    if inflate.eof and inflate.unused_data:
        raise ValidationError("请求的内容不完整或格式不对。")


def install(app: FastAPI) -> None:
    """The body caps on every request, and their 413 answers in Chinese."""
    app.add_middleware(BodyLimit)  # type: ignore[arg-type]
    app.add_exception_handler(BodyTooLarge, too_large)
    app.add_exception_handler(BadLength, too_large)
