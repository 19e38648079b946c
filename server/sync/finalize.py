"""A finalization checked against its content: when a pushed op makes a
meeting's minutes finalized, the server recomputes their fingerprint from the
rows it holds (with ``desktop.domain.minutes.fingerprint``, the function that
printed it on paper and that the public ``/m/`` page uses) and refuses the op
when it differs from the SHA-256 the PC sent. The rows a finalization covers
travel before it (earlier batches, or earlier in the same batch, flushed in
this transaction), so a mismatch means the server holds content the finalizing
PC had not seen (a statement recorded on another PC) or lacks some it had."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.minutes import MinutesBundle, fingerprint
from desktop.i18n import tr
from desktop.storage.mapping import to_domain
from desktop.storage.models import ActionItemRow, AgendaItemRow, MeetingRow, MinutesRow, OutcomeRow, ParticipantRow, StatementRow
from server.sync.rejected import Rejected


def _live(session: Session, cls: Any, room_id: str, meeting_id: str) -> tuple[Any, ...]:
    rows = session.scalars(select(cls).where(cls.meeting_id == meeting_id, cls.room_id == room_id, cls.deleted.is_(False)))
    return tuple(to_domain(r) for r in rows)


def server_bundle(session: Session, meeting: MeetingRow, minutes: MinutesRow) -> MinutesBundle:
    """The minutes' content as the server holds it (the room's live rows)."""
    room, mid = meeting.room_id, meeting.id
    return MinutesBundle(
        meeting=to_domain(meeting),
        minutes=to_domain(minutes),
        agenda=_live(session, AgendaItemRow, room, mid),
        participants=_live(session, ParticipantRow, room, mid),
        statements=_live(session, StatementRow, room, mid),
        outcomes=_live(session, OutcomeRow, room, mid),
        action_items=_live(session, ActionItemRow, room, mid),
    )


def check_finalization(session: Session, minutes: MinutesRow) -> None:
    """Refuse finalized minutes whose SHA-256 is not that of the server's rows."""
    session.flush()
    meeting = session.get(MeetingRow, minutes.meeting_id)
    if meeting is None or meeting.room_id != minutes.room_id:
        raise Rejected(tr("这份会议记录所属的会议不在本议事室的服务器数据里，定稿没有保存。"))
    if fingerprint(server_bundle(session, meeting, minutes)) != minutes.sha256:
        raise Rejected(
            tr(
                "服务器上这次会议的内容与定稿时本电脑上的不一致（例如另一台电脑记下了本电脑还没有收到的发言），定稿没有保存。"
                "请同步后放弃这次定稿，核对内容后重新定稿。"
            )
        )
