"""The public form's use case: a resident's topic, with source qr, in the room
of the poster they scanned. The topic row and its first event are built with
the same validation as ``desktop.storage.services.topics.new_topic_row`` and
stamped with the room's next versions (no outbox on the server: the version is
what sync pulls). A honeypot, limits per address prefix and per room
(``server.services.throttle``) and a dedupe keep abuse out; nothing is stored
when a submission is refused. The room's cap never shuts out a resident whose
network has sent it little: once a room is busy, only networks that already
sent it more than a small share wait. The dedupe answers only the same
submitter (same address, same content, within minutes) with the earlier code,
never someone else's. A code made here is one no room holds yet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import clock
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id, new_tracking_code
from desktop.domain.validation import clean_phone, clean_text, required_text
from desktop.storage.models import AttachmentRow, TopicEventRow, TopicRow
from server.db import ServerDB
from server.errors import NotFoundError, RateLimitedError
from server.models import CountyRoomRow, SubmissionRow
from server.services.photos import Photo, hold, store_blob
from server.services.throttle import N_, Client, Limits, count, wait_minutes
from server.versions import next_version, stamp_new

# what the public form allows (tighter than the desktop, which takes long imports)
TITLE_MAX = 60
DESCRIPTION_MAX = 2000
LOCATION_MAX = 100
NAME_MAX = 30
CATEGORIES = ("环境卫生", "道路交通", "物业管理", "公共设施", "邻里关系", "养老助残", "安全隐患", "其他")
CATEGORY_LABELS = {c: c for c in CATEGORIES}


# the messages say what happened (a shared network counts together) and what to do instead
TOO_MANY_FROM_ADDRESS = N_(
    "这个网络在短时间内提交了很多条（同一个无线网或同一个手机网络出口的人一起算）。"
    "为防止刷屏，请过 {minutes} 分钟再试，或直接到议事室登记、打电话反映。已经提交成功的事情都已收到。"
)
TOO_MANY_FROM_NETWORK = N_(
    "您附近的网络（同一段网络地址）在短时间内提交了很多条。"
    "为防止刷屏，请过 {minutes} 分钟再试，或直接到议事室登记、打电话反映。已经提交成功的事情都已收到。"
)
ROOM_BUSY = N_(
    "这个议事室这会儿收到的事情特别多，其中很多来自您所在的网络。"
    "为防止刷屏，请过 {minutes} 分钟再试，或直接到议事室登记、打电话反映。已经提交成功的事情都已收到。"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicForm:
    title: str
    description: str = ""
    location: str = ""
    category: str = ""
    name: str = ""
    phone: str = ""
    show_name: bool = False  # "公开时显示我的称呼": /t/ shows the name masked (张*华), else 居民


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    tracking_code: str
    title: str
    room_name: str
    received_at: datetime
    duplicate: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanForm:
    title: str
    description: str
    location: str
    category: str
    name: str
    phone: str


def clean_form(form: PublicForm) -> CleanForm:
    """The form's fields cleaned and bounded, or a ValidationError naming the field."""
    category = clean_text(form.category, field="类别", max_len=20, multiline=False)
    if category and category not in CATEGORIES:
        raise ValidationError("请从列表中选择“类别”。")
    return CleanForm(
        # field names as the form's labels say them, so the resident finds the box
        title=required_text(form.title, field="什么事", max_len=TITLE_MAX),
        description=clean_text(form.description, field="详细说说", max_len=DESCRIPTION_MAX),
        location=clean_text(form.location, field="在哪里", max_len=LOCATION_MAX, multiline=False),
        category=category,
        name=clean_text(form.name, field="您的称呼", max_len=NAME_MAX, multiline=False),
        phone=clean_phone(form.phone),
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def submit_topic(
    db: ServerDB, *, room_code: str, form: PublicForm, client: Client | None = None, ip_key: str = "", photo: Photo | None = None, limits: Limits = Limits()
) -> Receipt:
    """A new topic from the public form (or the earlier one if the same
    submitter repeats it). ``client`` is ``throttle.client_of(request)``; a
    bare ``ip_key`` (tests calling the service) stands for address and network."""
    who = client or Client(ip_key, ip_key)
    return _submit(db, room_code=room_code, form=form, who=who, photo=photo, limits=limits)


CODE_DRAWS = 20


def _fresh_code(session: Session) -> str:
    """A tracking code no room holds yet (live or deleted). Codes born on a PC
    may clash across rooms (the county keeps both); one born here never does,
    so the bare code on the phone's receipt finds exactly one topic. With about
    37 bits a second draw is already rare; twenty failing means something is
    wrong with the generator, not bad luck."""
    for _ in range(CODE_DRAWS):
        code = new_tracking_code()
        if session.scalar(select(TopicRow.id).where(TopicRow.tracking_code == code).limit(1)) is None:
            return code
    raise RuntimeError("no free tracking code after %d draws" % CODE_DRAWS)


def _submit(db: ServerDB, *, room_code: str, form: PublicForm, who: Client, photo: Photo | None, limits: Limits) -> Receipt:
    clean = clean_form(form)
    content = _digest(clean.title, clean.description, clean.location, clean.category, clean.name, clean.phone, photo.sha256 if photo else "")
    now = clock.now()
    with db.write() as session:
        # one round trip: the room and this submitter's identical submission of the last minutes
        found = session.execute(
            select(
                CountyRoomRow.id,
                CountyRoomRow.name,
                select(SubmissionRow.topic_id)
                .where(
                    SubmissionRow.room_id == CountyRoomRow.id,
                    SubmissionRow.ip_hash == who.address,
                    SubmissionRow.content_hash == content,
                    SubmissionRow.at > now - limits.dedupe,
                )
                .order_by(SubmissionRow.at.desc())
                .limit(1)
                .scalar_subquery(),
            ).where(CountyRoomRow.code == room_code)
        ).first()
        if found is None:
            raise NotFoundError("没有找到编码为“{code}”的议事室。请核对二维码海报上的编码。", code=room_code[:40])
        room_id, room_name, earlier_id = found
        if earlier_id is not None:
            earlier = session.get(TopicRow, earlier_id)
            if earlier is not None:
                return Receipt(tracking_code=earlier.tracking_code, title=earlier.title, room_name=room_name, received_at=earlier.received_at, duplicate=True)
        _count_submission(session, room_id=room_id, who=who, limits=limits, now=now)
        # topic, its event and the photo's attachment: versions reserved in one UPDATE
        first = next_version(session, room_id, count=3 if photo is not None else 2)
        topic = _new_topic(session, room_id=room_id, clean=clean, now=now, version=first)
        if photo is not None:
            _attach(session, topic, photo, now=now, blob_dir=db.settings.blob_dir, version=first + 2)
        session.add(SubmissionRow(room_id=room_id, ip_hash=who.address, content_hash=content, topic_id=topic.id, at=now, show_name=bool(form.show_name and clean.name)))
        return Receipt(tracking_code=topic.tracking_code, title=topic.title, room_name=room_name, received_at=now, duplicate=False)


def _count_submission(session: Session, *, room_id: str, who: Client, limits: Limits, now: datetime) -> None:
    """Count this submission against its address, its network and the room,
    or raise RateLimitedError (the caller's transaction then counts nothing).
    The room's cap is a busy mark, not a wall: past it, a network that has
    sent the room at most ``room_share`` still gets through, so one flooding
    prefix cannot shut the room's other residents out."""
    address = count(session, f"form:a:{who.address}", window=limits.window, now=now)
    if address.count > limits.per_ip:
        raise RateLimitedError(TOO_MANY_FROM_ADDRESS, minutes=wait_minutes(address.window_end, now))
    if who.network != who.address:
        network = count(session, f"form:n:{who.network}", window=limits.window, now=now)
        if network.count > limits.per_network:
            raise RateLimitedError(TOO_MANY_FROM_NETWORK, minutes=wait_minutes(network.window_end, now))
    room = count(session, f"form:r:{room_id}", window=limits.window, now=now)
    share = count(session, f"form:rn:{room_id}:{who.network}", window=limits.window, now=now)
    if room.count > limits.per_room and share.count > limits.room_share:
        raise RateLimitedError(ROOM_BUSY, minutes=wait_minutes(min(room.window_end, share.window_end), now))


def _new_topic(session: Session, *, room_id: str, clean: CleanForm, now: datetime, version: int) -> TopicRow:
    topic = TopicRow(
        id=new_id(),
        room_id=room_id,
        title=clean.title,
        description=clean.description,
        source=TopicSource.QR,
        status=TopicStatus.SUBMITTED,
        category=clean.category,
        location=clean.location,
        submitter_name=clean.name,
        submitter_phone=clean.phone,
        tracking_code=_fresh_code(session),
        ticket_no=None,
        decline_reason="",
        merged_into_id=None,
        received_at=now,
        created_at=now,
        updated_at=now,
    )
    stamp_new(session, topic, version=version)
    stamp_new(
        session,
        version=version + 1,
        row=TopicEventRow(
            id=new_id(),
            room_id=room_id,
            topic_id=topic.id,
            action="submit",
            from_status=None,
            to_status=TopicStatus.SUBMITTED,
            actor="",
            reason="",
            at=now,
        ),
    )
    return topic


def _attach(session, topic: TopicRow, photo: Photo, *, now: datetime, blob_dir, version: int) -> None:  # type: ignore[no-untyped-def]
    store_blob(blob_dir, photo)
    hold(session, room_id=topic.room_id, photo=photo, now=now)
    stamp_new(
        session,
        version=version,
        row=AttachmentRow(
            id=new_id(),
            room_id=topic.room_id,
            owner_type="topic",
            owner_id=topic.id,
            sha256=photo.sha256,
            size=len(photo.data),
            mime=photo.mime,
            filename=photo.filename,
        ),
    )
