"""The FastAPI application: routers, error handling (a DomainError becomes its
clear message, as JSON under /api and as a page elsewhere) and the health
check. ``app_from_env`` is the factory uvicorn workers call."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from desktop.domain.errors import DomainError
from desktop.i18n import set_language, tr
from server import __version__
from server.api import routes as api_routes
from server.db import ServerDB, Settings
from server.errors import retry_headers
from server.limits import install as install_body_limits
from server.services.submissions import Limits
from server.sync.routes import router as sync_router
from server.web import admin, public
from server.web.headers import install as install_headers
from server.web.page import error_page


def _ip_salt(data_dir: Path) -> str:
    """A per-install secret for hashing IPs; set YISHI_SERVER_SECRET on every
    app server when several share one database."""
    env = os.environ.get("YISHI_SERVER_SECRET")
    if env:
        return env
    path = data_dir / "ip-salt"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_text(secrets.token_hex(16))
        try:
            os.link(tmp, path)  # several workers may start at once: the first one wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _limits_from_env() -> Limits:
    # every limit and its YISHI_SERVER_* setting: server.services.throttle.ENV
    return Limits.from_env()


def create_app(settings: Settings, *, limits: Limits | None = None) -> FastAPI:
    lang = os.environ.get("YISHI_LANG", "zh")[:2]
    set_language(lang if lang in ("zh", "en") else "zh")
    app = FastAPI(title="Yishi county server", version=__version__, docs_url=None, redoc_url=None)
    app.state.db = ServerDB(settings)
    app.state.limits = limits or _limits_from_env()
    app.state.ip_salt = _ip_salt(settings.data_dir)
    install_headers(app)  # security headers, favicon, robots.txt, Chinese 404/405
    install_body_limits(app)  # every body capped per endpoint, in the app itself (413 in Chinese)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        status = getattr(exc, "status", 400)
        headers = retry_headers(exc)  # a 429 says its wait in seconds too
        if request.url.path.startswith("/api/"):
            if status == 401:
                headers["WWW-Authenticate"] = "Bearer"
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
        page = error_page(str(exc), status=status)
        page.headers.update(headers)
        return page

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": tr("请求的内容不完整或格式不对。"), "errors": _plain(exc.errors())}, status_code=422)
        return error_page(tr("网址或提交的内容不对，请返回重试。"), status=400)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness and database reachability."""
        with app.state.db.read() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return error_page(tr("请用手机扫描议事室海报上的二维码。查询进度请打开 /t 。"), status=200, back="/t")

    app.include_router(api_routes.router)
    app.include_router(public.router)
    app.include_router(admin.router)
    app.include_router(sync_router)
    return app


def _plain(errors: object) -> object:
    # pydantic's error dicts may hold exceptions or bytes that JSON cannot carry
    import json

    return json.loads(json.dumps(errors, default=str))


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings come from the environment the CLI set."""
    return create_app(Settings.make())
