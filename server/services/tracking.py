"""What a resident sees on ``/t/{code}`` and ``/t/{room code}/{code}``: the
topic's history in plain words, the outcomes agreed for it once the minutes
are finalized. The submitter is shown as 居民, or masked (张*华) when the
resident ticked "公开时显示我的称呼" on the phone form (``submissions.show_name``;
a topic born on a PC has no such row: 居民), never the full name; no digit of
any phone number appears: the form promises "不会公开", and a masked
138****5678 still gave away seven digits. Free text (title, reasons, outcomes) is scrubbed of
phone numbers and of the submitter's full name, should the room have quoted
them.

Codes are made offline on each room's PC, so two rooms can hold one code (the
county stores both: migration 0003). New receipts carry the room's code; an
old receipt's bare code that several rooms hold gets the list of those rooms
to choose from, and nothing else of their topics. Everything shown is read
from the topic's own room only, so a row another room slipped in that points
at this topic never appears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import MinutesStatus, TopicStatus
from desktop.domain.ids import normalize_tracking_code
from desktop.domain.masking import mask_name, public_submitter, scrub_text
from desktop.storage.models import AgendaItemRow, MeetingRow, MinutesRow, OutcomeRow, TopicEventRow, TopicRow
from server.db import ServerDB
from server.errors import NotFoundError
from server.services.throttle import N_, Client, Limits, current_limits, hit
from server.models import CountyRoomRow, SubmissionRow

# the plain words of each step; "{reason}" is filled where the room gave one
STEP_LABELS = {
    "submit": "已收到",
    "accept": "已受理",
    "decline": "不予受理",
    "merge": "已与同类事项合并办理",
    "handle_directly": "已直接办理",
    "schedule": "已安排协商",
    "unschedule": "协商时间另行安排",
    "consult": "已协商",
    "implement": "落实中",
    "resolve": "已办结",
    "visit": "已回访",
    "reopen": "重新办理",
    "retention": "个人信息已按保存期限删除",  # the retention job (desktop.domain.retention): no status change
}

# what the resident is told about where the matter stands now
STATUS_LABELS = {
    TopicStatus.SUBMITTED: "已收到，等待议事室受理",
    TopicStatus.ACCEPTED: "已受理",
    TopicStatus.DECLINED: "不予受理",
    TopicStatus.MERGED: "已与同类事项合并办理",
    TopicStatus.SCHEDULED: "已安排协商",
    TopicStatus.CONSULTED: "已协商",
    TopicStatus.IMPLEMENTING: "落实中",
    TopicStatus.RESOLVED: "已办结",
    TopicStatus.VISITED: "已办结并回访",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    at: datetime
    label: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackingView:
    tracking_code: str
    title: str
    room_name: str
    room_code: str
    status: TopicStatus
    status_text: str
    submitter: str  # as public_submitter: 居民 unless the resident chose to show a name, then masked
    received_at: datetime
    steps: tuple[Step, ...]
    outcomes: tuple[str, ...]
    merged_into: str | None  # the other topic's code, in the same room


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomChoice:
    """One room holding a code: what the resident needs to recognise it."""

    room_code: str
    room_name: str
    township: str


def _detail(ev: TopicEventRow, topic: TopicRow) -> str:
    # reasons the room wrote for the submitter; a merge's reason is the other code
    if ev.action in ("decline", "handle_directly", "merge", "reopen"):
        return _scrub(ev.reason, topic)
    return ""


def _scrub(text: str, topic: TopicRow) -> str:
    return scrub_text(text, names=(topic.submitter_name,), phones=(topic.submitter_phone,))


def _not_found(code: str) -> NotFoundError:
    return NotFoundError("没有找到查询码为“{code}”的事项。请核对回执上的查询码（8 位字母和数字）。", code=code[:20])


def _holders(session: Session, code: str, room_code: str | None = None) -> list[tuple[TopicRow, CountyRoomRow | None]]:
    """Live topics with the code (in one room if named), earliest first; one
    room normally holds a code once, but nothing on the server enforces it."""
    query = (
        select(TopicRow, CountyRoomRow)
        .outerjoin(CountyRoomRow, CountyRoomRow.id == TopicRow.room_id)
        .where(TopicRow.tracking_code == code, TopicRow.deleted.is_(False))
        .order_by(TopicRow.received_at, TopicRow.id)
    )
    if room_code is not None:
        query = query.where(CountyRoomRow.code == room_code)
    return [(t, r) for t, r in session.execute(query).all()]


TOO_MANY_LOOKUPS = N_("这个网络在短时间内查询了很多次。为防止有人乱猜查询码，请过 {minutes} 分钟再查。您反映的事情不受影响，议事室照常办理。")

# a miss runs the same queries as a hit, on an id no row has, so neither the
# work nor the answer's time tells a guessed code that exists from one that does not
_NOBODY = "00000000-0000-0000-0000-000000000000"


def _throttle(db: ServerDB, who: Client | None, limits: Limits | None) -> None:
    """Count a lookup (hit or miss) against the address and its network, or 429."""
    if who is None:
        return
    limits = limits or current_limits()
    counters = [(f"t:a:{who.address}", limits.track_per_ip, limits.track_window, TOO_MANY_LOOKUPS)]
    if who.network != who.address:
        counters.append((f"t:n:{who.network}", limits.track_per_network, limits.track_window, TOO_MANY_LOOKUPS))
    hit(db, counters)


def _first_or_nobody(session: Session, found: list[tuple[TopicRow, CountyRoomRow | None]]) -> TrackingView:
    if found:
        return _view(session, *found[0])
    nobody = TopicRow(id=_NOBODY, room_id=_NOBODY, title="", status=TopicStatus.SUBMITTED, submitter_name="", submitter_phone="", tracking_code="", merged_into_id=None)
    return _view(session, nobody, None)


def lookup(db: ServerDB, code: str, *, who: Client | None = None, limits: Limits | None = None) -> TrackingView | tuple[RoomChoice, ...]:
    """What ``/t/{code}`` shows: the topic when one room holds the code, else
    the rooms that hold it (the resident picks the one they submitted to).
    ``who`` (the web's client) is throttled first: RateLimitedError."""
    code = normalize_tracking_code(code or "")
    _throttle(db, who, limits)
    with db.read() as session:
        found = _holders(session, code)
        view = _first_or_nobody(session, found)
        rooms = {t.room_id: r for t, r in found}
        if len(rooms) > 1:
            return tuple(
                RoomChoice(room_code=r.code, room_name=r.name, township=r.township)
                for r in sorted((r for r in rooms.values() if r is not None), key=lambda r: (r.township, r.name, r.code))
            )
        if not found:
            raise _not_found(code)
        return view


def topic_history(db: ServerDB, code: str, *, room_code: str, who: Client | None = None, limits: Limits | None = None) -> TrackingView:
    """What ``/t/{room code}/{code}`` shows: that room's topic with the code."""
    code = normalize_tracking_code(code or "")
    _throttle(db, who, limits)
    with db.read() as session:
        found = _holders(session, code, room_code=(room_code or "")[:40])
        view = _first_or_nobody(session, found)
        if not found:
            raise _not_found(code)
        return view


def _view(session: Session, topic: TopicRow, room: CountyRoomRow | None) -> TrackingView:
    mine = topic.room_id
    events = session.scalars(
        select(TopicEventRow)
        .where(TopicEventRow.topic_id == topic.id, TopicEventRow.room_id == mine, TopicEventRow.deleted.is_(False))
        .order_by(TopicEventRow.at, TopicEventRow.id)
    ).all()
    # outcomes of this room's finalized original minutes, on this room's agenda items for the topic
    outcomes = session.scalars(
        select(OutcomeRow.text)
        .join(AgendaItemRow, AgendaItemRow.id == OutcomeRow.agenda_item_id)
        .join(MeetingRow, MeetingRow.id == OutcomeRow.meeting_id)
        .join(MinutesRow, MinutesRow.meeting_id == MeetingRow.id)
        .where(
            AgendaItemRow.topic_id == topic.id,
            AgendaItemRow.meeting_id == MeetingRow.id,
            AgendaItemRow.room_id == mine,
            AgendaItemRow.deleted.is_(False),
            OutcomeRow.room_id == mine,
            OutcomeRow.deleted.is_(False),
            MeetingRow.room_id == mine,
            MeetingRow.deleted.is_(False),
            MinutesRow.room_id == mine,
            MinutesRow.deleted.is_(False),
            MinutesRow.status == MinutesStatus.FINALIZED,
            MinutesRow.corrects_id.is_(None),
        )
        .order_by(OutcomeRow.position, OutcomeRow.id)
    ).all()
    merged_into = None
    # queried whether merged or not (a lookup's work must not depend on what it finds)
    other = session.scalars(select(TopicRow).where(TopicRow.id == (topic.merged_into_id or _NOBODY)).limit(1)).first()
    if topic.merged_into_id:
        merged_into = other.tracking_code if other is not None and other.room_id == mine and not other.deleted else None
    # the resident's own choice on the form, read from this room's submission (hit or miss alike)
    shown = session.scalars(
        select(SubmissionRow.show_name).where(SubmissionRow.topic_id == topic.id, SubmissionRow.room_id == mine).order_by(SubmissionRow.at).limit(1)
    ).first()
    steps = tuple(Step(at=e.at, label=STEP_LABELS.get(e.action, e.to_status.zh if hasattr(e.to_status, "zh") else str(e.to_status)), detail=_detail(e, topic)) for e in events)
    status = topic.status
    return TrackingView(
        tracking_code=topic.tracking_code,
        title=_scrub(topic.title, topic),
        room_name=room.name if room else "",
        room_code=room.code if room else "",
        status=status,
        status_text=STATUS_LABELS.get(status, str(status)),
        # masked even when chosen: the form asks to show the name, the page shows no more than 张*华
        submitter=public_submitter(mask_name(topic.submitter_name), shown=bool(shown)),
        received_at=topic.received_at,
        steps=steps,
        outcomes=tuple(dict.fromkeys(_scrub(o, topic) for o in outcomes)),
        merged_into=merged_into,
    )
