"""Follow-up visits (回访) of resolved topics, with the resident's satisfaction.
A dissatisfied resident can have the matter reopened (back to implementing).
"""

from __future__ import annotations

from desktop.domain import clock
from desktop.domain.entities import Result
from desktop.domain.enums import Satisfaction
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id
from desktop.domain.lifecycle import Action
from desktop.domain.validation import clean_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import FollowUpRow, TopicRow
from desktop.storage.services import topics
from desktop.storage.services.common import get_live, result


def satisfaction_of(value: Satisfaction | str) -> Satisfaction:
    try:
        return Satisfaction(value)
    except ValueError:
        raise ValidationError("未知的满意度“{value}”：请选满意、基本满意或不满意。", value=str(value)[:40]) from None


def record_follow_up(
    store: Store,
    topic_id: str,
    *,
    satisfaction: Satisfaction | str,
    visitor: str = "",
    comment: str = "",
    reopen: bool = False,
    actor: str = "",
) -> Result:
    """回访 a resolved topic; ``reopen`` (only when dissatisfied) sends it back to work."""
    satisfaction = satisfaction_of(satisfaction)
    if reopen and satisfaction != Satisfaction.DISSATISFIED:
        raise ValidationError("只有群众不满意时才需要重新办理。")
    visitor = clean_text(visitor, field="回访人", max_len=100, multiline=False)
    comment = clean_text(comment, field="回访意见")
    with store.write() as session:
        topic = get_live(session, TopicRow, topic_id)
        now = clock.now()
        row = FollowUpRow(
            id=new_id(),
            room_id=topic.room_id,
            topic_id=topic.id,
            satisfaction=satisfaction,
            visitor=visitor,
            comment=comment,
            at=now,
        )
        topics.move(session, topic, Action.VISIT, actor=actor or visitor, reason=satisfaction.zh)
        outbox.insert(session, row)
        if reopen:
            topics.move(session, topic, Action.REOPEN, actor=actor or visitor, reason=comment or satisfaction.zh)
        return result(session, row)
