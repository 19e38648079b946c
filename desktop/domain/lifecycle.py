"""The lifecycle tables: every status change of a topic, meeting, minutes or
action item is looked up here. The desktop services, the importer and the
county server all call ``apply`` (or ``check_move`` for a synced status), so
the rules live in exactly one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Mapping, TypeVar

from desktop.domain.enums import ActionStatus, MeetingStatus, MinutesStatus, TopicStatus
from desktop.domain.errors import TransitionError


class Action(StrEnum):
    # topics
    ACCEPT = "accept"
    DECLINE = "decline"
    MERGE = "merge"
    HANDLE_DIRECTLY = "handle_directly"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    CONSULT = "consult"
    IMPLEMENT = "implement"
    RESOLVE = "resolve"
    VISIT = "visit"
    REOPEN = "reopen"
    # meetings
    START = "start"
    END = "end"
    CANCEL = "cancel"
    # minutes
    EDIT = "edit"
    FINALIZE = "finalize"
    CORRECT = "correct"
    # action items
    PROGRESS = "progress"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "受理",
    Action.DECLINE: "作出不予受理决定",
    Action.MERGE: "合并",
    Action.HANDLE_DIRECTLY: "直接办理",
    Action.SCHEDULE: "排期协商",
    Action.UNSCHEDULE: "撤出议程",
    Action.CONSULT: "完成协商",
    Action.IMPLEMENT: "开始落实",
    Action.RESOLVE: "办结",
    Action.VISIT: "回访",
    Action.REOPEN: "重新办理",
    Action.START: "开始会议",
    Action.END: "结束会议",
    Action.CANCEL: "取消会议",
    Action.EDIT: "修改",
    Action.FINALIZE: "定稿",
    Action.CORRECT: "勘误",
    Action.PROGRESS: "登记进展",
    Action.COMPLETE: "完成",
    Action.WITHDRAW: "撤销",
}

T = TopicStatus
TOPIC: Mapping[tuple[TopicStatus, Action], TopicStatus] = {
    (T.SUBMITTED, Action.ACCEPT): T.ACCEPTED,
    (T.SUBMITTED, Action.DECLINE): T.DECLINED,
    (T.SUBMITTED, Action.MERGE): T.MERGED,
    (T.ACCEPTED, Action.MERGE): T.MERGED,
    (T.ACCEPTED, Action.SCHEDULE): T.SCHEDULED,
    (T.ACCEPTED, Action.HANDLE_DIRECTLY): T.RESOLVED,
    (T.SCHEDULED, Action.UNSCHEDULE): T.ACCEPTED,
    (T.SCHEDULED, Action.CONSULT): T.CONSULTED,
    (T.CONSULTED, Action.IMPLEMENT): T.IMPLEMENTING,
    (T.CONSULTED, Action.RESOLVE): T.RESOLVED,
    (T.IMPLEMENTING, Action.RESOLVE): T.RESOLVED,
    (T.RESOLVED, Action.VISIT): T.VISITED,
    # an unsatisfied visit sends the matter back to work
    (T.VISITED, Action.REOPEN): T.IMPLEMENTING,
    (T.RESOLVED, Action.REOPEN): T.IMPLEMENTING,
}

M = MeetingStatus
MEETING: Mapping[tuple[MeetingStatus, Action], MeetingStatus] = {
    (M.PLANNED, Action.START): M.IN_PROGRESS,
    (M.PLANNED, Action.END): M.HELD,  # recorded after the fact
    (M.PLANNED, Action.CANCEL): M.CANCELLED,
    (M.IN_PROGRESS, Action.END): M.HELD,
}

N = MinutesStatus
MINUTES: Mapping[tuple[MinutesStatus, Action], MinutesStatus] = {
    (N.DRAFT, Action.EDIT): N.DRAFT,
    (N.DRAFT, Action.FINALIZE): N.FINALIZED,
    # a correction is a new record referencing the finalized one, which stays as it is
    (N.FINALIZED, Action.CORRECT): N.FINALIZED,
}

A = ActionStatus
ACTION_ITEM: Mapping[tuple[ActionStatus, Action], ActionStatus] = {
    (A.OPEN, Action.PROGRESS): A.IN_PROGRESS,
    (A.IN_PROGRESS, Action.PROGRESS): A.IN_PROGRESS,
    (A.OPEN, Action.COMPLETE): A.DONE,
    (A.IN_PROGRESS, Action.COMPLETE): A.DONE,
    (A.OPEN, Action.WITHDRAW): A.CANCELLED,
    (A.IN_PROGRESS, Action.WITHDRAW): A.CANCELLED,
    (A.DONE, Action.REOPEN): A.IN_PROGRESS,
}

_KIND_LABELS = {id(TOPIC): "议题", id(MEETING): "会议", id(MINUTES): "会议记录", id(ACTION_ITEM): "落实事项"}

S = TypeVar("S", bound=StrEnum)


def apply(table: Mapping[tuple[S, Action], S], current: S, action: Action) -> S:
    """The status after ``action``, or a ``TransitionError`` a convenor can read."""
    try:
        return table[(current, action)]
    except KeyError:
        raise TransitionError(
            "{kind}当前状态为“{status}”，不能{action}。",
            kind=_KIND_LABELS[id(table)],
            status=current.zh,
            action=ACTION_LABELS[action],
        ) from None


def allowed_actions(table: Mapping[tuple[S, Action], S], current: S) -> list[Action]:
    """What can be done next (the window enables exactly these buttons)."""
    return [action for (status, action) in table if status == current]


def check_move(table: Mapping[tuple[S, Action], S], current: S, new: S) -> Action:
    """The action that moves ``current`` to ``new`` (a status that arrived by sync)."""
    for (status, action), target in table.items():
        if status == current and target == new:
            return action
    raise TransitionError(
        "{kind}不能从“{old}”直接变为“{new}”。",
        kind=_KIND_LABELS[id(table)],
        old=current.zh,
        new=new.zh,
    )
