"""Minutes use cases: statements and outcomes per agenda item, the minutes text
(autosaved every two seconds while the secretary types), finalizing with a
SHA-256 of the canonical content, and corrections (勘误) as new records that
point at the finalized original, which never changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain import clock, lifecycle
from desktop.domain.entities import Minutes, Result
from desktop.domain.enums import MeetingStatus, MinutesStatus
from desktop.domain.errors import DomainError
from desktop.domain.ids import new_id
from desktop.domain.lifecycle import Action
from desktop.domain.minutes import MinutesBundle, fingerprint
from desktop.domain.validation import clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import (
    ActionItemRow,
    AgendaItemRow,
    MeetingRow,
    MinutesRow,
    OutcomeRow,
    ParticipantRow,
    StatementRow,
)
from desktop.storage.services.common import get_live, result
from desktop.storage.services.guards import count, ensure_editable, only_fields, original_minutes


def _next_position(session: Session, cls: type[StatementRow] | type[OutcomeRow], agenda_item_id: str) -> int:
    last = session.scalar(select(func.max(cls.position)).where(cls.agenda_item_id == agenda_item_id, cls.deleted.is_(False)))
    return (last or 0) + 1


def _clean_statement(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "speaker":
            out[key] = required_text(value, field="发言人", max_len=100)
        elif key == "identity":
            out[key] = clean_text(value, field="身份", max_len=100, multiline=False)
        elif key == "summary":
            out[key] = clean_text(value, field="发言要点")
    return out


def _clean_outcome(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "text":
            out[key] = required_text(value, field="协商结果", max_len=100_000, multiline=True)
        elif key == "votes_for":
            out[key] = count(value, field="赞成票")
        elif key == "votes_against":
            out[key] = count(value, field="反对票")
        elif key == "votes_abstain":
            out[key] = count(value, field="弃权票")
    return out


def record_statement(store: Store, *, agenda_item_id: str, speaker: str, identity: str = "", summary: str = "") -> Result:
    """One speaker's words under an agenda item, after the ones already there."""
    values = _clean_statement(dict(speaker=speaker, identity=identity, summary=summary))
    with store.write() as session:
        item = get_live(session, AgendaItemRow, agenda_item_id)
        ensure_editable(session, item.meeting_id)
        row = StatementRow(
            id=new_id(),
            room_id=item.room_id,
            meeting_id=item.meeting_id,
            agenda_item_id=item.id,
            position=_next_position(session, StatementRow, item.id),
            **values,
        )
        outbox.insert(session, row)
        return result(session, row)


def update_statement(store: Store, statement_id: str, **fields: Any) -> Result:
    only_fields(fields, ("speaker", "identity", "summary"))
    values = _clean_statement(fields)
    with store.write() as session:
        row = get_live(session, StatementRow, statement_id)
        ensure_editable(session, row.meeting_id)
        outbox.update(session, row, **values)
        return result(session, row)


def record_outcome(
    store: Store,
    *,
    agenda_item_id: str,
    text: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
) -> Result:
    """What the meeting agreed on an agenda item (协商结果), with optional votes."""
    values = _clean_outcome(dict(text=text, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain))
    with store.write() as session:
        item = get_live(session, AgendaItemRow, agenda_item_id)
        ensure_editable(session, item.meeting_id)
        row = OutcomeRow(
            id=new_id(),
            room_id=item.room_id,
            meeting_id=item.meeting_id,
            agenda_item_id=item.id,
            position=_next_position(session, OutcomeRow, item.id),
            **values,
        )
        outbox.insert(session, row)
        return result(session, row)


def update_outcome(store: Store, outcome_id: str, **fields: Any) -> Result:
    only_fields(fields, ("text", "votes_for", "votes_against", "votes_abstain"))
    values = _clean_outcome(fields)
    with store.write() as session:
        row = get_live(session, OutcomeRow, outcome_id)
        ensure_editable(session, row.meeting_id)
        outbox.update(session, row, **values)
        return result(session, row)


def _draft(session: Session, meeting: MeetingRow) -> MinutesRow:
    row = original_minutes(session, meeting.id)
    if row is None:
        row = MinutesRow(
            id=new_id(),
            room_id=meeting.room_id,
            meeting_id=meeting.id,
            status=MinutesStatus.DRAFT,
            summary="",
            closing="",
            attachments_note="",
            sha256=None,
            finalized_at=None,
            corrects_id=None,
            correction_note="",
        )
        outbox.insert(session, row)
    return row


def save_minutes_text(
    store: Store,
    meeting_id: str,
    *,
    summary: str | None = None,
    closing: str | None = None,
    attachments_note: str | None = None,
) -> Result:
    """Save what the secretary typed (only the parts given). Cheap enough for a
    two-second autosave: unchanged text writes nothing, and unsent saves of the
    same minutes coalesce into one outbox operation."""
    values: dict[str, str] = {}
    if summary is not None:
        values["summary"] = clean_text(summary, field="会议纪要")
    if closing is not None:
        values["closing"] = clean_text(closing, field="会议结束语")
    if attachments_note is not None:
        values["attachments_note"] = clean_text(attachments_note, field="附件说明", max_len=5000)
    with store.write() as session:
        meeting = ensure_editable(session, meeting_id)
        row = _draft(session, meeting)
        lifecycle.apply(lifecycle.MINUTES, row.status, Action.EDIT)
        outbox.update(session, row, **values)
        return result(session, row)


def _bundle(session: Session, meeting: MeetingRow, minutes: Minutes) -> MinutesBundle:
    def live(cls: Any) -> tuple[Any, ...]:
        rows = session.scalars(select(cls).where(cls.meeting_id == meeting.id, cls.deleted.is_(False)))
        return tuple(to_domain(r) for r in rows)

    return MinutesBundle(
        meeting=to_domain(meeting),
        minutes=minutes,
        agenda=tuple(sorted(live(AgendaItemRow), key=lambda a: (a.position, a.id))),
        participants=live(ParticipantRow),
        statements=tuple(sorted(live(StatementRow), key=lambda s: (s.agenda_item_id, s.position, s.id))),
        outcomes=tuple(sorted(live(OutcomeRow), key=lambda o: (o.agenda_item_id, o.position, o.id))),
        action_items=tuple(sorted(live(ActionItemRow), key=lambda a: a.id)),
    )


def minutes_bundle(store: Store, meeting_id: str) -> MinutesBundle:
    """Everything the original minutes consist of (not the corrections), for
    printing and for the fingerprint. Before anything was typed, the minutes
    part is an empty draft with an empty id."""
    with store.read() as session:
        meeting = get_live(session, MeetingRow, meeting_id)
        row = original_minutes(session, meeting_id)
        minutes = to_domain(row) if row is not None else Minutes(id="", meeting_id=meeting_id)
        return _bundle(session, meeting, minutes)


def finalize_minutes(store: Store, meeting_id: str, *, actor: str = "") -> Result:
    """定稿: freeze the minutes and record the SHA-256 of their canonical content."""
    with store.write() as session:
        meeting = ensure_editable(session, meeting_id, allow_cancelled=True)
        if meeting.status != MeetingStatus.HELD:
            raise DomainError("会议“{title}”还没有召开完毕（当前为“{status}”），会议记录不能定稿。", title=meeting.title, status=meeting.status.zh)
        row = _draft(session, meeting)
        new = lifecycle.apply(lifecycle.MINUTES, row.status, Action.FINALIZE)
        session.flush()
        digest = fingerprint(_bundle(session, meeting, to_domain(row)))
        outbox.update(session, row, status=new, sha256=digest, finalized_at=clock.now())
        return result(session, row)


def correct_minutes(store: Store, meeting_id: str, *, note: str, summary: str | None = None, actor: str = "") -> Result:
    """勘误: a new record pointing at the finalized minutes, saying what was wrong
    (and, if given, the corrected 会议纪要). The original stays exactly as it was."""
    note = required_text(note, field="勘误说明", max_len=5000, multiline=True)
    new_summary = clean_text(summary, field="会议纪要") if summary is not None else None
    with store.write() as session:
        meeting = get_live(session, MeetingRow, meeting_id)
        original = original_minutes(session, meeting_id)
        if original is None:
            raise DomainError("会议“{title}”还没有会议记录，无需勘误。", title=meeting.title)
        status = lifecycle.apply(lifecycle.MINUTES, original.status, Action.CORRECT)
        row = MinutesRow(
            id=new_id(),
            room_id=original.room_id,
            meeting_id=meeting.id,
            status=status,
            summary=original.summary if new_summary is None else new_summary,
            closing=original.closing,
            attachments_note=original.attachments_note,
            sha256=None,
            finalized_at=clock.now(),
            corrects_id=original.id,
            correction_note=note,
        )
        row.sha256 = fingerprint(_bundle(session, meeting, to_domain(row)))
        outbox.insert(session, row)
        return result(session, row)
