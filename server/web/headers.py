"""What every answer of the county server carries, whoever made it: security
headers (a pure ASGI middleware, so streamed files and error answers get them
too), ``/favicon.ico`` and ``/robots.txt``, and Chinese 404/405 answers (a page
in the site's layout, or ``{"detail": "…"}`` under /api/) instead of
Starlette's English ``{"detail":"Not Found"}``.

``install(app)`` is the one call ``create_app`` makes.

Why each header (docs/deploy-county-server.md, "Headers, notice and retention"):
``nosniff`` stops a browser from running a CSV, a photo or a JSON answer as a
page; ``no-store`` keeps tracking pages, exports, photos and sync answers out
of shared caches and the phone's history; ``X-Frame-Options: DENY`` stops
another site from framing the form or the admin pages (clickjacking);
``Referrer-Policy: no-referrer`` because our URLs carry tracking codes and
meeting ids, and the site links nowhere that needs to know where a visitor
came from (``strict-origin`` would still tell the origin, for no gain);
``X-Robots-Tag: noindex`` because nothing here is meant to be found through a
search engine: the QR poster is the way in.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, MutableMapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from desktop.i18n import tr
from desktop.resources import resource_path
from server.web.page import error_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# the only answers a cache may keep: they are the same for everyone
STATIC = {"/favicon.ico", "/robots.txt"}
STATIC_CACHE = b"public, max-age=86400"

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)

ROBOTS_TXT = "User-agent: *\nDisallow: /t/\nDisallow: /t\nDisallow: /m/\nDisallow: /r/\nDisallow: /api/\nDisallow: /admin\n"

# Starlette's default reasons, as a person reads them
REASON_LABELS = {
    400: "请求的内容不对，请返回重试。",
    401: "需要先登录。",
    403: "没有权限访问这里。",
    404: "没有找到这个网页。请核对网址，或重新扫描议事室海报上的二维码。",
    405: "这个网址不能这样打开。请从议事室的二维码或首页进入。",
    413: "提交的内容太大了。",
    429: "请求太频繁了，请稍后再试。",
}
# the same for a program calling /api/ (a room's PC, a county script)
API_REASON_LABELS = {
    404: "没有这个接口地址。请检查网址，或把议事程序更新到最新版本。",
    405: "这个接口地址不接受这种请求方式。",
}
_DEFAULT_DETAILS = {"Not Found", "Method Not Allowed", "Not authenticated", "Unauthorized", "Forbidden", "Bad Request", "Too Many Requests", "Request Entity Too Large", "Content Too Large"}


class SecurityHeaders:
    """Adds the headers above to every ``http.response.start``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _headers_for(path, list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers_for(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    drop = {name for name, _ in ALWAYS} | {b"cache-control", b"x-robots-tag"}
    if path in STATIC:
        drop.discard(b"cache-control")
    kept = [(k, v) for k, v in headers if k.lower() not in drop]
    kept.extend(ALWAYS)
    if path not in STATIC:
        # private by default: a route cannot forget it (blobs, exports, sync, pages)
        kept.append((b"cache-control", b"no-store"))
    elif not any(k.lower() == b"cache-control" for k, _ in kept):
        kept.append((b"cache-control", STATIC_CACHE))
    kept.append((b"x-robots-tag", b"noindex, nofollow"))
    return kept


def _message(exc: StarletteHTTPException, *, api: bool) -> str:
    detail = exc.detail
    if isinstance(detail, str) and detail and detail not in _DEFAULT_DETAILS:
        return detail  # a route's own message (already in the user's words)
    reasons = {**REASON_LABELS, **API_REASON_LABELS} if api else REASON_LABELS
    return tr(reasons.get(exc.status_code, "出了点问题，请稍后再试。"))


async def http_error(request: Request, exc: Exception) -> Response:
    """404, 405 and every other HTTPException: Chinese, in the site's form."""
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    api = request.url.path.startswith("/api/")
    message = _message(exc, api=api)
    if api:
        return JSONResponse({"detail": message}, status_code=exc.status_code, headers=headers)
    page = error_page(message, status=exc.status_code)
    page.headers.update(headers)
    return page


def favicon() -> Response:
    return Response(resource_path("icons", "favicon.ico").read_bytes(), media_type="image/x-icon", headers={"Cache-Control": STATIC_CACHE.decode()})


def robots() -> Response:
    return PlainTextResponse(ROBOTS_TXT, headers={"Cache-Control": STATIC_CACHE.decode()})


def install(app: FastAPI) -> None:
    """Headers on every answer, the two small files and the Chinese error answers."""
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_api_route("/favicon.ico", favicon, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/robots.txt", robots, methods=["GET", "HEAD"], include_in_schema=False)
