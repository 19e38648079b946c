"""Statuses and kinds, stored as enums (never free strings). Each has its
Chinese label, the glossary term, for screens and paper.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def zh(self) -> str:
        """The glossary term in Chinese (the translation source)."""
        return _LABELS[self]

    @property
    def label(self) -> str:
        from desktop.i18n import tr

        return tr(_LABELS[self])

    def label_for(self, lang: str) -> str:
        from desktop.i18n import tr_for

        return tr_for(lang, _LABELS[self])


class TopicSource(_Labelled):
    QR = "qr"
    GRID_WORKER = "grid_worker"
    HOTLINE = "hotline"
    PETITION = "petition"
    MEMBER = "member"
    WALK_IN = "walk_in"
    REFERRAL = "referral"


class TopicStatus(_Labelled):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MERGED = "merged"
    SCHEDULED = "scheduled"
    CONSULTED = "consulted"
    IMPLEMENTING = "implementing"
    RESOLVED = "resolved"
    VISITED = "visited"


class MeetingType(_Labelled):
    THEMATIC = "thematic"
    ON_SITE = "on_site"
    ONLINE = "online"


class MeetingStatus(_Labelled):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    CANCELLED = "cancelled"


class MinutesStatus(_Labelled):
    DRAFT = "draft"
    FINALIZED = "finalized"


class ActionStatus(_Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Role(_Labelled):
    CONVENOR = "convenor"
    RECORDER = "recorder"
    CPPCC_MEMBER = "cppcc_member"
    RESIDENT_REP = "resident_rep"
    DEPARTMENT = "department"
    PROPERTY = "property"
    ENTERPRISE = "enterprise"
    VILLAGE_ELITE = "village_elite"
    EXPERT = "expert"
    GRID_WORKER = "grid_worker"
    OTHER = "other"


class ParticipantKind(_Labelled):
    ATTENDEE = "attendee"  # 出席
    OBSERVER = "observer"  # 列席


class Attendance(_Labelled):
    INVITED = "invited"
    PRESENT = "present"
    ABSENT = "absent"


class Satisfaction(_Labelled):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


_LABELS: dict[StrEnum, str] = {
    TopicSource.QR: "扫码提交",
    TopicSource.GRID_WORKER: "网格员上报",
    TopicSource.HOTLINE: "12345热线",
    TopicSource.PETITION: "阳光信访",
    TopicSource.MEMBER: "政协委员提出",
    TopicSource.WALK_IN: "来访登记",
    TopicSource.REFERRAL: "部门交办",
    TopicStatus.SUBMITTED: "待受理",
    TopicStatus.ACCEPTED: "已受理",
    TopicStatus.DECLINED: "不予受理",
    TopicStatus.MERGED: "已合并",
    TopicStatus.SCHEDULED: "已排期",
    TopicStatus.CONSULTED: "已协商",
    TopicStatus.IMPLEMENTING: "落实中",
    TopicStatus.RESOLVED: "已办结",
    TopicStatus.VISITED: "已回访",
    MeetingType.THEMATIC: "专题协商",
    MeetingType.ON_SITE: "现场协商",
    MeetingType.ONLINE: "线上协商",
    MeetingStatus.PLANNED: "已计划",
    MeetingStatus.IN_PROGRESS: "进行中",
    MeetingStatus.HELD: "已召开",
    MeetingStatus.CANCELLED: "已取消",
    MinutesStatus.DRAFT: "草稿",
    MinutesStatus.FINALIZED: "已定稿",
    ActionStatus.OPEN: "待落实",
    ActionStatus.IN_PROGRESS: "落实中",
    ActionStatus.DONE: "已完成",
    ActionStatus.CANCELLED: "已撤销",
    Role.CONVENOR: "召集人",
    Role.RECORDER: "记录人",
    Role.CPPCC_MEMBER: "政协委员",
    Role.RESIDENT_REP: "居民代表",
    Role.DEPARTMENT: "职能部门",
    Role.PROPERTY: "物业",
    Role.ENTERPRISE: "企业代表",
    Role.VILLAGE_ELITE: "乡贤",
    Role.EXPERT: "专家",
    Role.GRID_WORKER: "网格员",
    Role.OTHER: "其他",
    ParticipantKind.ATTENDEE: "出席",
    ParticipantKind.OBSERVER: "列席",
    Attendance.INVITED: "已邀请",
    Attendance.PRESENT: "已到",
    Attendance.ABSENT: "缺席",
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY_SATISFIED: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
}
