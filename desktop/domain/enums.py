"""Statuses and kinds, stored as enums (never free strings). Each has its
Chinese label, the glossary term, for screens and paper.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def zh(self) -> str:
        """The glossary term in Chinese (the translation source)."""
        return _LABELS[(type(self), self)]

    @property
    def label(self) -> str:
        from desktop.i18n import tr

        return tr(_LABELS[(type(self), self)])

    def label_for(self, lang: str) -> str:
        from desktop.i18n import tr_for

        return tr_for(lang, _LABELS[(type(self), self)])


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


# keyed by (enum class, member): members of different enums with the same value
# (MeetingStatus.CANCELLED and ActionStatus.CANCELLED) are equal as strings
_LABELS: dict[tuple[type, StrEnum], str] = {
    (TopicSource, TopicSource.QR): "扫码提交",
    (TopicSource, TopicSource.GRID_WORKER): "网格员上报",
    (TopicSource, TopicSource.HOTLINE): "12345热线",
    (TopicSource, TopicSource.PETITION): "阳光信访",
    (TopicSource, TopicSource.MEMBER): "政协委员提出",
    (TopicSource, TopicSource.WALK_IN): "来访登记",
    (TopicSource, TopicSource.REFERRAL): "部门交办",
    (TopicStatus, TopicStatus.SUBMITTED): "待受理",
    (TopicStatus, TopicStatus.ACCEPTED): "已受理",
    (TopicStatus, TopicStatus.DECLINED): "不予受理",
    (TopicStatus, TopicStatus.MERGED): "已合并",
    (TopicStatus, TopicStatus.SCHEDULED): "已排期",
    (TopicStatus, TopicStatus.CONSULTED): "已协商",
    (TopicStatus, TopicStatus.IMPLEMENTING): "落实中",
    (TopicStatus, TopicStatus.RESOLVED): "已办结",
    (TopicStatus, TopicStatus.VISITED): "已回访",
    (MeetingType, MeetingType.THEMATIC): "专题协商",
    (MeetingType, MeetingType.ON_SITE): "现场协商",
    (MeetingType, MeetingType.ONLINE): "线上协商",
    (MeetingStatus, MeetingStatus.PLANNED): "已计划",
    (MeetingStatus, MeetingStatus.IN_PROGRESS): "进行中",
    (MeetingStatus, MeetingStatus.HELD): "已召开",
    (MeetingStatus, MeetingStatus.CANCELLED): "已取消",
    (MinutesStatus, MinutesStatus.DRAFT): "草稿",
    (MinutesStatus, MinutesStatus.FINALIZED): "已定稿",
    (ActionStatus, ActionStatus.OPEN): "待落实",
    (ActionStatus, ActionStatus.IN_PROGRESS): "落实中",
    (ActionStatus, ActionStatus.DONE): "已完成",
    (ActionStatus, ActionStatus.CANCELLED): "已撤销",
    (Role, Role.CONVENOR): "召集人",
    (Role, Role.RECORDER): "记录人",
    (Role, Role.CPPCC_MEMBER): "政协委员",
    (Role, Role.RESIDENT_REP): "居民代表",
    (Role, Role.DEPARTMENT): "职能部门",
    (Role, Role.PROPERTY): "物业",
    (Role, Role.ENTERPRISE): "企业代表",
    (Role, Role.VILLAGE_ELITE): "乡贤",
    (Role, Role.EXPERT): "专家",
    (Role, Role.GRID_WORKER): "网格员",
    (Role, Role.OTHER): "其他",
    (ParticipantKind, ParticipantKind.ATTENDEE): "出席",
    (ParticipantKind, ParticipantKind.OBSERVER): "列席",
    (Attendance, Attendance.INVITED): "已邀请",
    (Attendance, Attendance.PRESENT): "已到",
    (Attendance, Attendance.ABSENT): "缺席",
    (Satisfaction, Satisfaction.SATISFIED): "满意",
    (Satisfaction, Satisfaction.BASICALLY_SATISFIED): "基本满意",
    (Satisfaction, Satisfaction.DISSATISFIED): "不满意",
}
