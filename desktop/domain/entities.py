"""The room's records as frozen dataclasses. Services hand these out, never ORM
rows, so nothing lazy-loads across threads and the window cannot change data
behind a service's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop.domain.enums import (
    ActionStatus,
    Attendance,
    MeetingStatus,
    MeetingType,
    MinutesStatus,
    ParticipantKind,
    Role,
    Satisfaction,
    TopicSource,
    TopicStatus,
)

frozen = dataclass(frozen=True, slots=True, kw_only=True)


@frozen
class Room:
    id: str
    code: str
    name: str
    township: str = ""
    county: str = ""
    server_url: str = ""


@frozen
class Person:
    """A contact of the room (通讯录)."""

    id: str
    room_id: str
    name: str
    unit: str = ""
    title: str = ""  # 职务
    role: Role = Role.OTHER
    phone: str = ""


@frozen
class Topic:
    id: str
    room_id: str
    title: str
    description: str = ""
    source: TopicSource
    status: TopicStatus = TopicStatus.SUBMITTED
    category: str = ""
    location: str = ""
    submitter_name: str = ""
    submitter_phone: str = ""
    tracking_code: str = ""
    ticket_no: str | None = None
    decline_reason: str = ""
    merged_into_id: str | None = None
    received_at: datetime
    created_at: datetime
    updated_at: datetime


@frozen
class TopicEvent:
    """One status change of a topic: who, when, why."""

    id: str
    topic_id: str
    room_id: str
    action: str
    from_status: TopicStatus | None
    to_status: TopicStatus
    actor: str = ""
    reason: str = ""
    at: datetime


@frozen
class Meeting:
    id: str
    room_id: str
    title: str
    type: MeetingType = MeetingType.THEMATIC
    status: MeetingStatus = MeetingStatus.PLANNED
    serial_no: int | None = None  # 议〔year〕第N号
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = ""
    convenor: str = ""
    host: str = ""
    recorder: str = ""
    created_at: datetime


@frozen
class AgendaItem:
    id: str
    meeting_id: str
    topic_id: str | None
    position: int
    title: str
    background: str = ""
    presenter: str = ""
    minutes_allotted: int | None = None


@frozen
class Participant:
    id: str
    meeting_id: str
    person_id: str | None
    name: str
    unit: str = ""
    title: str = ""
    role: Role = Role.OTHER
    phone: str = ""
    kind: ParticipantKind = ParticipantKind.ATTENDEE
    attendance: Attendance = Attendance.INVITED
    absence_reason: str = ""
    signed_in_at: datetime | None = None


@frozen
class Statement:
    id: str
    meeting_id: str
    agenda_item_id: str
    position: int
    speaker: str
    identity: str = ""  # 身份, e.g. 村民代表
    summary: str = ""


@frozen
class Outcome:
    """协商结果 / 议定事项 of one agenda item."""

    id: str
    meeting_id: str
    agenda_item_id: str
    position: int
    text: str
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None


@frozen
class ActionItem:
    id: str
    room_id: str
    title: str
    meeting_id: str | None = None
    outcome_id: str | None = None
    topic_id: str | None = None
    owner_unit: str = ""
    responsible: str = ""
    deadline: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    done_at: datetime | None = None
    created_at: datetime

    def is_overdue(self, today: date) -> bool:
        return (
            self.deadline is not None
            and self.deadline < today
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )


@frozen
class ProgressEntry:
    id: str
    action_item_id: str
    note: str
    actor: str = ""
    at: datetime


@frozen
class FollowUp:
    """回访 of a resolved topic."""

    id: str
    topic_id: str
    satisfaction: Satisfaction
    visitor: str = ""
    comment: str = ""
    at: datetime


@frozen
class Minutes:
    id: str
    meeting_id: str
    status: MinutesStatus = MinutesStatus.DRAFT
    summary: str = ""  # 会议认为 …
    closing: str = ""  # 散会 and anything said after
    attachments_note: str = ""  # 附件
    sha256: str | None = None
    finalized_at: datetime | None = None
    corrects_id: str | None = None  # a correction (勘误) points at the finalized original
    correction_note: str = ""


@frozen
class Attachment:
    id: str
    room_id: str
    owner_type: str
    owner_id: str
    sha256: str
    size: int
    mime: str
    filename: str = ""


@frozen
class Change:
    """What a service call changed, so a screen refreshes only when it must."""

    entity: str
    id: str
    op: str  # insert | update | delete


@frozen
class Result:
    """A service's answer: the object(s) it produced and what changed."""

    value: object = None
    changes: tuple[Change, ...] = field(default=())
