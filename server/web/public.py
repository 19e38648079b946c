"""The public pages: ``/r/{room}`` (the form behind the QR poster and its
receipt), ``/t/{room}/{code}`` and ``/t/{code}`` (a topic's progress; a bare
code several rooms hold asks which room) and ``/m/{meeting}`` (the public
outcome of finalized minutes). A refused submission shows the form again with
what the resident typed, so nothing has to be typed twice."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.ids import normalize_tracking_code
from desktop.i18n import tr
from server.api.deps import db_of
from server.errors import TooLargeError, UnsupportedError, retry_headers
from server.services import rooms, submissions, tracking
from server.services.photos import MAX_PHOTO, check_photo
from server.services.public_minutes import public_minutes
from server.services.rooms import RoomInfo
from server.services.throttle import N_, client_of
from server.web.notice import privacy_notice
from server.web.page import error_page, fmt_date, fmt_dt, h, page

router = APIRouter(include_in_schema=False)
MAX_BODY = 12 * 1024 * 1024
HONEYPOT = "website"
SHOW_NAME = "show_name"
# far beyond any field's maxlength: only a program sends it, but a person may read the answer
TEXT_TOO_LONG = N_("填写的文字太长了：“什么事”最多 {title} 个字，“详细说说”最多 {description} 个字。请删短一些再提交。")
FORM_GARBLED = N_("提交的内容格式不对，没有保存。请刷新页面，用页面上的表单再提交一次。")


def _field(name: str, label: str, value: str, *, kind: str = "text", optional: bool = False, hint: str = "", maxlength: int = 0, extra: str = "") -> str:
    opt = f' <span class="opt">{h(tr("（可不填）"))}</span>' if optional else ""
    ml = f' maxlength="{maxlength}"' if maxlength else ""
    hint_html = f'<p class="hint" id="{name}-hint">{h(hint)}</p>' if hint else ""
    described = f' aria-describedby="{name}-hint"' if hint else ""
    if kind == "textarea":
        control = f'<textarea id="{name}" name="{name}"{ml}{described}>{h(value)}</textarea>'
    else:
        control = f'<input type="{kind}" id="{name}" name="{name}" value="{h(value)}"{ml}{described}{extra}>'
    return f'<label for="{name}">{h(label)}{opt}</label>{control}{hint_html}'


def _show_name_box(checked: bool) -> str:
    """The resident's choice to be named on public pages, unticked unless they
    ticked it (a refused form comes back as they left it). A large box: many
    residents are elderly and tap with a thumb."""
    tick = " checked" if checked else ""
    return (
        f'<label for="{SHOW_NAME}" style="font-weight:normal"><input type="checkbox" id="{SHOW_NAME}" name="{SHOW_NAME}" value="1"{tick}'
        ' style="width:26px;height:26px;vertical-align:middle;margin:0 8px 0 0"> '
        f'{h(tr("公开时显示我的称呼（不勾选时，公开页面只写“居民”）"))}</label>'
        f'<p class="hint">{h(tr("勾选后，公开的查询页面上也只显示称呼的一部分，例如“张三华”显示为“张*华”。"))}</p>'
    )


def render_form(room: RoomInfo, values: dict[str, str] | None = None, *, error: str = "", status: int = 200) -> HTMLResponse:
    v = values or {}
    options = "".join(
        f'<option value="{h(c)}"{" selected" if v.get("category") == c else ""}>{h(tr(c))}</option>' for c in submissions.CATEGORIES
    )
    body = ""
    if error:
        body += f'<div class="error" role="alert">{h(error)}</div>'
    body += (
        f'<div class="card"><p>{h(tr("有什么烦心事、好建议，写下来交给议事室。提交后会给您一个查询码，凭它随时查看办理进度。"))}</p></div>'
        f'<form class="card" method="post" action="/r/{h(room.code)}" enctype="multipart/form-data">'
        + _field("title", tr("什么事？（一句话说清楚）"), v.get("title", ""), maxlength=submissions.TITLE_MAX, hint=tr("例如：3号楼门口路灯坏了"))
        + _field("description", tr("详细说说"), v.get("description", ""), kind="textarea", optional=True, maxlength=submissions.DESCRIPTION_MAX)
        + _field("location", tr("在哪里？"), v.get("location", ""), optional=True, maxlength=submissions.LOCATION_MAX, hint=tr("例如：水渡口小区3号楼"))
        + f'<label for="category">{h(tr("属于哪一类？"))} <span class="opt">{h(tr("（可不选）"))}</span></label>'
        + f'<select id="category" name="category"><option value="">{h(tr("请选择"))}</option>{options}</select>'
        + _field("name", tr("您的称呼"), v.get("name", ""), optional=True, maxlength=submissions.NAME_MAX, hint=tr("给议事室联系您用。"))
        + _show_name_box(bool(v.get(SHOW_NAME)))
        + _field("phone", tr("联系电话"), v.get("phone", ""), kind="tel", optional=True, maxlength=20, hint=tr("只给议事室联系您用，不会公开。"), extra=' inputmode="tel"')
        + f'<label for="photo">{h(tr("照片"))} <span class="opt">{h(tr("（可不传，最多 5 MB）"))}</span></label>'
        '<input type="file" id="photo" name="photo" accept="image/*">'
        f'<div class="hp" aria-hidden="true"><label for="{HONEYPOT}">Website</label>'
        f'<input type="text" id="{HONEYPOT}" name="{HONEYPOT}" tabindex="-1" autocomplete="off" value=""></div>'
        + privacy_notice(room)  # read before sending (个人信息保护法 第十七条)
        + f'<button type="submit">{h(tr("提交"))}</button></form>'
        f'<a class="button secondary" href="/t">{h(tr("查询已提交事项的进度"))}</a>'
    )
    return page(tr("我要反映"), body, subtitle=room.name, status=status)


@router.get("/r/{room_code}")
def form_page(room_code: str, request: Request) -> HTMLResponse:
    try:
        room = rooms.room_by_code(db_of(request), room_code)
    except DomainError as exc:
        return error_page(str(exc), status=404)
    return render_form(room)


async def _read_form(request: Request) -> tuple[dict[str, str], tuple[bytes, str] | None, DomainError | None]:
    """The form's text fields and photo; a photo problem is returned, not raised,
    so the form can be shown again with what was typed."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise UnsupportedError("请用页面上的表单提交。")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise TooLargeError("提交的内容太大了：照片最多 5 MB。请换一张照片再提交。")
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException as exc:
        # Starlette's parser refuses in English ("Field exceeded maximum size of 1024KB.", too many fields, a broken
        # boundary) with a plain HTTPException; the body cap's own (server.limits, a subclass: 413 in Chinese) passes on
        if type(exc) is not HTTPException:
            raise
        if "size" in str(exc.detail):
            raise ValidationError(TEXT_TOO_LONG, title=submissions.TITLE_MAX, description=submissions.DESCRIPTION_MAX) from None
        raise ValidationError(FORM_GARBLED) from None
    values: dict[str, str] = {}
    photo = None
    problem: DomainError | None = None
    for key, item in form.multi_items():
        if isinstance(item, str):
            values[key] = item
        elif key == "photo" and item.filename:
            data = await item.read(MAX_PHOTO + 1)
            if len(data) > MAX_PHOTO:
                problem = TooLargeError("照片太大了：最多 5 MB。请换一张或用手机自带的“压缩”后再传。")
            else:
                photo = (data, item.filename or "")
    await form.close()
    return values, photo, problem


@router.post("/r/{room_code}")
async def submit(room_code: str, request: Request) -> HTMLResponse:
    db = db_of(request)
    values: dict[str, Any] = {}
    try:
        values, raw_photo, problem = await _read_form(request)
        if values.get(HONEYPOT):
            return error_page(tr("提交没有成功。请刷新页面后再试一次。"), status=400, back=f"/r/{room_code[:40]}")
        if problem is not None:
            raise problem
        photo = check_photo(*raw_photo) if raw_photo else None
        form = submissions.PublicForm(
            **{k: str(values.get(k, "")) for k in ("title", "description", "location", "category", "name", "phone")}, show_name=bool(values.get(SHOW_NAME))
        )
        # the database work is blocking: off the event loop, so one worker serves many phones
        receipt = await run_in_threadpool(
            submissions.submit_topic, db, room_code=room_code, form=form, client=client_of(request), photo=photo, limits=request.app.state.limits
        )
    except DomainError as exc:
        # the room is looked up only now, so a good submission costs one transaction
        try:
            room = await run_in_threadpool(rooms.room_by_code, db, room_code)
        except DomainError as missing:
            return error_page(str(missing), status=404)
        answer = render_form(room, values, error=str(exc), status=getattr(exc, "status", 400))
        answer.headers.update(retry_headers(exc))
        return answer
    return _receipt(room_code, receipt)


def _receipt(room_code: str, r: submissions.Receipt) -> HTMLResponse:
    note = tr("这件事您刚才已经提交过，我们只记了一次。") if r.duplicate else tr("议事室已经收到您反映的事情。")
    body = (
        f'<div class="card ok"><p><b>{h(note)}</b></p><p>{h(tr("事项"))}：{h(r.title)}</p>'
        f'<p>{h(tr("提交时间"))}：{h(fmt_dt(r.received_at))}</p></div>'
        f'<div class="card"><p>{h(tr("您的查询码是："))}</p><div class="code" id="tracking-code">{h(r.tracking_code)}</div>'
        f'<p>{h(tr("请截屏或抄下这个查询码，凭它查看办理进度。"))}</p>'
        f'<a class="button" id="track-link" href="{h(_track_href(room_code, r.tracking_code))}">{h(tr("查看办理进度"))}</a>'
        f'<a class="button secondary" href="/r/{h(room_code)}">{h(tr("再反映一件事"))}</a></div>'
    )
    return page(tr("提交成功"), body, subtitle=r.room_name)


@router.get("/t")
def track_lookup(code: str = "") -> HTMLResponse:
    if code.strip():
        return RedirectResponse(f"/t/{normalize_tracking_code(code)[:20]}", status_code=303)  # type: ignore[return-value]
    body = (
        f'<form class="card" method="get" action="/t">'
        f'<label for="code">{h(tr("请输入回执上的查询码"))}</label>'
        f'<input type="text" id="code" name="code" maxlength="20" autocapitalize="characters" placeholder="K7QW-M3XD">'
        f'<button type="submit">{h(tr("查询"))}</button></form>'
    )
    return page(tr("查询办理进度"), body)


@router.get("/t/{code}")
def track(code: str, request: Request) -> HTMLResponse:
    """An old receipt's bare code (and the lookup form): the topic, or the rooms
    holding that code when several do."""
    try:
        found = tracking.lookup(db_of(request), code, who=client_of(request), limits=request.app.state.limits)
    except DomainError as exc:
        return _refused(exc)
    if isinstance(found, tracking.TrackingView):
        return _progress(found)
    return _choose_room(normalize_tracking_code(code), found)


@router.get("/t/{room_code}/{code}")
def track_in_room(room_code: str, code: str, request: Request) -> HTMLResponse:
    """A new receipt's QR: the code within the room that printed it."""
    try:
        view = tracking.topic_history(db_of(request), code, room_code=room_code, who=client_of(request), limits=request.app.state.limits)
    except DomainError as exc:
        return _refused(exc)
    return _progress(view)


def _refused(exc: DomainError) -> HTMLResponse:
    """A lookup that found nothing (404) or was throttled (429, with Retry-After)."""
    answer = error_page(str(exc), status=getattr(exc, "status", 404), back="/t")
    answer.headers.update(retry_headers(exc))
    return answer


def _track_href(room_code: str, code: str) -> str:
    return f"/t/{quote(room_code, safe='')}/{quote(code, safe='')}" if room_code else f"/t/{quote(code, safe='')}"


def _choose_room(code: str, choices: tuple[tracking.RoomChoice, ...]) -> HTMLResponse:
    links = "".join(
        f'<a class="button secondary" href="{h(_track_href(c.room_code, code))}">{h(c.room_name)}'
        + (f"（{h(c.township)}）" if c.township else "")
        + "</a>"
        for c in choices
    )
    body = (
        f'<div class="card"><p>{h(tr("查询码“{code}”在几个议事室都有。请选择您当初反映事情的议事室，回执上印着它的名称。", code=code))}</p></div>'
        f'<div class="card" id="rooms">{links}</div>'
    )
    return page(tr("请选择议事室"), body)


def _progress(view: tracking.TrackingView) -> HTMLResponse:
    steps = "".join(
        f'<li><span class="when">{h(fmt_dt(s.at))}</span><b>{h(tr(s.label))}</b>'
        + (f"<br>{h(s.detail)}" if s.detail else "")
        + "</li>"
        for s in view.steps
    )
    body = (
        f'<div class="card"><p>{h(tr("事项"))}：<b>{h(view.title)}</b></p>'
        f'<p>{h(tr("查询码"))}：{h(view.tracking_code)}</p>'
        f'<p>{h(tr("提出人"))}：{h(tr(view.submitter))}</p>'
        f'<p>{h(tr("现在的情况"))}：<span class="status" id="status">{h(tr(view.status_text))}</span></p></div>'
    )
    if view.merged_into:
        other = _track_href(view.room_code, view.merged_into)
        body += f'<div class="card"><p>{h(tr("这件事和另一件同类事项一起办理，请查看："))}<a href="{h(other)}">{h(view.merged_into)}</a></p></div>'
    if view.outcomes:
        body += f'<div class="card"><h2>{h(tr("协商结果"))}</h2>' + "".join(f"<p>{h(o)}</p>" for o in view.outcomes) + "</div>"
    body += f'<div class="card"><h2>{h(tr("办理经过"))}</h2><ol class="steps" id="steps">{steps}</ol></div>'
    body += f'<p class="hint">{h(tr("议事室的电脑同步后，这里的进度才会更新，一般每天一次。"))}</p>'
    return page(tr("办理进度"), body, subtitle=view.room_name)


@router.get("/m/{meeting_id}")
def minutes_page(meeting_id: str, request: Request) -> HTMLResponse:
    try:
        m = public_minutes(db_of(request), meeting_id)
    except DomainError as exc:
        return error_page(str(exc), status=getattr(exc, "status", 404))
    items = "".join(
        f"<li><b>{h(i.title)}</b>" + "".join(f"<p>{h(o)}</p>" for o in i.outcomes) + "</li>" for i in m.items
    )
    actions = "".join(
        f"<tr><td>{h(a.title)}</td><td>{h(a.owner_unit)}</td><td>{h(a.responsible)}</td><td>{h(fmt_date(a.deadline))}</td><td>{h(tr(a.status_label))}</td></tr>"
        for a in m.actions
    )
    check = (
        f'<p class="ok">{h(tr("与存档的定稿一致。"))}</p>'
        if m.matches
        else f'<p class="error">{h(tr("注意：按现存记录算出的指纹与定稿时的指纹不一致，请联系议事室核实。"))}</p>'
    )
    body = (
        f'<div class="card"><p>{h(tr("时间"))}：{h(fmt_dt(m.starts_at))}</p><p>{h(tr("地点"))}：{h(m.place)}</p>'
        + (f"<p>{h(m.summary)}</p>" if m.summary else "")
        + "</div>"
        f'<div class="card"><h2>{h(tr("议题与协商结果"))}</h2><ol>{items}</ol></div>'
    )
    if actions:
        body += (
            f'<div class="card"><h2>{h(tr("落实事项"))}</h2><table><tr><th>{h(tr("事项"))}</th><th>{h(tr("承办单位"))}</th>'
            f'<th>{h(tr("责任人"))}</th><th>{h(tr("完成时限"))}</th><th>{h(tr("状态"))}</th></tr>{actions}</table></div>'
        )
    body += (
        f'<div class="card"><h2>{h(tr("会议记录指纹（SHA-256）"))}</h2><p class="fp" id="fingerprint">{h(m.fingerprint)}</p>'
        f'<p class="hint">{h(tr("与纸质会议记录上印的指纹一致，说明内容没有改动过。"))}</p>{check}</div>'
    )
    return page(m.meeting_title, body, subtitle=m.room_name)
