"""The county staff's pages: login, every room's state, and the statistics
with charts and exports. A session cookie (HttpOnly, SameSite=Strict) carries
the login; the state-changing forms (logout, log out everywhere) post the
session's CSRF token. The login form itself carries a double-submit token: the
form page sets it in a cookie and a hidden field, and a POST whose field does
not match the cookie is refused, so another site cannot log a staff browser
into an account of its choosing (login CSRF)."""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from desktop.domain import clock
from desktop.domain.errors import DomainError
from desktop.i18n import tr
from server.api.deps import SESSION_COOKIE, DBDep
from server.api.routes import date_range
from server.errors import RateLimitedError, retry_headers
from server.services import admins, rooms, stats
from server.services.admins import AdminSession
from server.services.throttle import client_of
from server.web import exports
from server.web.charts import bar_chart
from server.web.page import error_page, fmt_dt, h, page

router = APIRouter(prefix="/admin", include_in_schema=False)
LOGIN_CSRF_COOKIE = "yishi_login_csrf"
ROOM_COLUMN_LABELS = {
    "county": "县/区",
    "township": "镇/街道",
    "room": "议事室",
    "last_sync": "最近同步",
    "unsent": "未上传",
    "overdue": "逾期落实事项",
    "waiting": "待受理议题",
    "devices": "已注册电脑",
}


def _nav(sess: AdminSession) -> str:
    return (
        f'<nav><a href="/admin">{h(tr("议事室"))}</a><a href="/admin/stats">{h(tr("统计"))}</a>'
        f'<form method="post" action="/admin/logout" style="display:inline"><input type="hidden" name="csrf" value="{h(sess.csrf)}">'
        f'<button style="display:inline;width:auto;margin:0;padding:2px 10px;font-size:16px">{h(tr("退出"))} {h(sess.username)}</button></form>'
        f'<form method="post" action="/admin/logout-everywhere" style="display:inline"><input type="hidden" name="csrf" value="{h(sess.csrf)}">'
        f'<button style="display:inline;width:auto;margin:0 0 0 8px;padding:2px 10px;font-size:16px">{h(tr("在所有设备上退出"))}</button></form></nav>'
    )


def _session(request: Request, db) -> AdminSession | None:  # type: ignore[no-untyped-def]
    return admins.session_of(db, request.cookies.get(SESSION_COOKIE))


def _to_login() -> Response:
    return RedirectResponse("/admin/login", status_code=303)


@router.get("/login")
def login_form(request: Request, error: str = "") -> HTMLResponse:
    # keep a token the browser already holds, so two open login tabs both work
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (20 <= len(token) <= 64 and token.isascii()):
        token = secrets.token_urlsafe(24)
    body = (
        (f'<div class="error">{h(tr("用户名或密码不对，请重新输入。"))}</div>' if error else "")
        + '<form class="card" method="post" action="/admin/login">'
        f'<input type="hidden" name="csrf" value="{h(token)}">'
        f'<label for="username">{h(tr("用户名"))}</label><input type="text" id="username" name="username" maxlength="64" autocomplete="username">'
        f'<label for="password">{h(tr("密码"))}</label><input type="password" id="password" name="password" maxlength="200" autocomplete="current-password">'
        f'<button type="submit">{h(tr("登录"))}</button></form>'
    )
    resp = page(tr("县（区）协商办公室登录"), body, status=401 if error else 200)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", max_age=3600, path="/admin/login")
    return resp


@router.post("/login")
def login(
    request: Request,
    db: DBDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(csrf.encode("utf-8"), cookie.encode("utf-8")):
        # checked before the password, so a forged POST costs no scrypt work
        return error_page(tr("登录页面已过期或不是从本站打开的。请重新打开登录页面再登录。"), status=403, back="/admin/login")
    try:
        token, _sess = admins.login(db, username, password, client=client_of(request))
    except RateLimitedError as exc:
        page = error_page(str(exc), status=429, back="/admin/login")
        page.headers.update(retry_headers(exc))
        return page
    except DomainError:
        return RedirectResponse("/admin/login?error=1", status_code=303)
    resp = RedirectResponse("/admin", status_code=303)
    resp.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", max_age=admins.SESSION_HOURS * 3600, path="/")
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin/login")
    return resp


@router.post("/logout")
def logout(request: Request, db: DBDep, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    sess = _session(request, db)
    if sess is None:
        return _to_login()
    if csrf != sess.csrf:
        return error_page(tr("页面已过期，请刷新后再试。"), status=403, back="/admin")
    admins.logout(db, request.cookies.get(SESSION_COOKIE, ""))
    resp = _to_login()
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.post("/logout-everywhere")
def logout_everywhere(request: Request, db: DBDep, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """End every session of this account (another browser left logged in, a
    shared office PC): all of them get the login page next time."""
    sess = _session(request, db)
    if sess is None:
        return _to_login()
    if csrf != sess.csrf:
        return error_page(tr("页面已过期，请刷新后再试。"), status=403, back="/admin")
    try:
        admins.end_sessions(db, sess.username)
    except DomainError as exc:
        return error_page(str(exc), status=400, back="/admin")
    resp = _to_login()
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("")
def rooms_page(request: Request, db: DBDep) -> Response:
    sess = _session(request, db)
    if sess is None:
        return _to_login()
    today = clock.to_local(clock.now()).date()
    rows = "".join(
        f"<tr><td>{h(o.room.county)}</td><td>{h(o.room.township)}</td><td>{h(o.room.name)}<br><small>{h(o.room.code)}</small></td>"
        f'<td>{h(fmt_dt(o.last_sync_at)) or h(tr("从未同步"))}</td><td class="n">{o.unsent}</td><td class="n">{o.overdue}</td>'
        f'<td class="n">{o.waiting}</td><td class="n">{o.devices}</td></tr>'
        for o in rooms.rooms_overview(db, today=today)
    )
    body = (
        '<div class="card"><table id="rooms"><tr>'
        + "".join(f"<th>{h(tr(t))}</th>" for t in ROOM_COLUMN_LABELS.values())
        + f"</tr>{rows}</table></div>"
    )
    return page(tr("各议事室情况"), body, wide=True, nav=_nav(sess))


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


@router.get("/stats")
def stats_page(request: Request, db: DBDep, start: Annotated[date | None, Query()] = None, end: Annotated[date | None, Query()] = None) -> Response:
    sess = _session(request, db)
    if sess is None:
        return _to_login()
    try:
        s, e = date_range(start, end)
    except DomainError as exc:
        return error_page(str(exc), status=400, back="/admin/stats")
    result = stats.county_stats(db, start=s, end=e)
    t = result.total
    q = f"start={s.isoformat()}&amp;end={e.isoformat()}"
    body = (
        '<form class="card" method="get" action="/admin/stats">'
        f'<label for="start">{h(tr("开始日期"))}</label><input type="date" id="start" name="start" value="{s.isoformat()}">'
        f'<label for="end">{h(tr("结束日期"))}</label><input type="date" id="end" name="end" value="{e.isoformat()}">'
        f'<button type="submit">{h(tr("查看"))}</button></form>'
        f'<div class="card" id="totals"><p>{h(tr("收集议题"))}：<b>{t.topics}</b>　{h(tr("召开协商会"))}：<b>{t.meetings}</b>　'
        f'{h(tr("已办结"))}：<b>{t.resolved}</b>　{h(tr("办结率"))}：<b>{_pct(t.resolution_rate)}</b>　{h(tr("满意率"))}：<b>{_pct(t.satisfaction_rate)}</b></p>'
        f'<p><a href="/admin/stats.xlsx?{q}">{h(tr("导出 Excel（XLSX）"))}</a></p></div>'
    )
    for dim, rows in result.by.items():
        label = tr(stats.DIMENSION_LABELS[dim])
        chart_rows = [(r.label, r.topics) for r in rows]
        table = "".join(
            f'<tr><td>{h(r.label)}</td><td class="n">{r.topics}</td><td class="n">{r.meetings}</td><td class="n">{r.resolved}</td>'
            f'<td class="n">{_pct(r.resolution_rate)}</td><td class="n">{r.follow_ups}</td><td class="n">{_pct(r.satisfaction_rate)}</td></tr>'
            for r in rows
        )
        heads = "".join(f"<th>{h(c)}</th>" for c in exports._header(dim))
        body += (
            f'<div class="card" id="by-{dim}"><h2>{h(tr("按{what}", what=label))}</h2>'
            + bar_chart(chart_rows, title=tr("收集议题（按{what}）", what=label))
            + f'<p><a href="/admin/stats.csv?dim={dim}&amp;{q}">{h(tr("导出 CSV"))}</a></p>'
            f"<table><tr>{heads}</tr>{table}</table></div>"
        )
    return page(tr("议事统计"), body, subtitle=tr("{start} 至 {end}", start=s.isoformat(), end=e.isoformat()), wide=True, nav=_nav(sess))


@router.get("/stats.csv")
def stats_csv(request: Request, db: DBDep, dim: str = "room", start: Annotated[date | None, Query()] = None, end: Annotated[date | None, Query()] = None) -> Response:
    if _session(request, db) is None:
        return _to_login()
    if dim not in stats.DIMENSIONS:
        return error_page(tr("不认识的统计维度。"), status=400, back="/admin/stats")
    try:
        s, e = date_range(start, end)
    except DomainError as exc:
        return error_page(str(exc), status=400, back="/admin/stats")
    data = exports.to_csv(stats.county_stats(db, start=s, end=e), dim)
    name = f"yishi-stats-{dim}-{s.isoformat()}-{e.isoformat()}.csv"
    return Response(data, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/stats.xlsx")
def stats_xlsx(request: Request, db: DBDep, start: Annotated[date | None, Query()] = None, end: Annotated[date | None, Query()] = None) -> Response:
    if _session(request, db) is None:
        return _to_login()
    try:
        s, e = date_range(start, end)
    except DomainError as exc:
        return error_page(str(exc), status=400, back="/admin/stats")
    data = exports.to_xlsx(stats.county_stats(db, start=s, end=e))
    name = f"yishi-stats-{s.isoformat()}-{e.isoformat()}.xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={"Content-Disposition": f'attachment; filename="{name}"'})
