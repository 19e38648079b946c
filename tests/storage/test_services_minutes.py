"""Statements, outcomes, the autosaved minutes text, finalizing with its
fingerprint, the freeze afterwards, and corrections."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import MinutesStatus
from desktop.domain.errors import DomainError, TransitionError, ValidationError
from desktop.domain.minutes import fingerprint
from desktop.storage.models import OutboxRow
from desktop.storage.services import actions, agenda, meetings, minutes, participants, reads
from tests.storage.service_helpers import held_meeting, nothing_written, planned_meeting

FINAL = "会议记录已定稿，不能再修改；如需更正，请做勘误。"


def test_statements_and_outcomes_keep_their_order_per_agenda_item(room_store):
    meeting_id, _ = planned_meeting(room_store, topics_=2)
    one, two = reads.agenda_of(room_store, meeting_id)
    minutes.record_statement(room_store, agenda_item_id=two.id, speaker="李四", summary="第二项的发言")
    s1 = minutes.record_statement(room_store, agenda_item_id=one.id, speaker="张大爷", identity="村民代表", summary="建议建在广场东侧").value
    s2 = minutes.record_statement(room_store, agenda_item_id=one.id, speaker="城管局王科长", identity="职能部门", summary="可以纳入今年计划").value
    assert (s1.position, s2.position) == (1, 2)
    minutes.update_statement(room_store, s1.id, summary="建议建在广场东侧，靠近公交站")
    assert [s.summary for s in reads.statements_of(room_store, meeting_id=meeting_id)] == [
        "建议建在广场东侧，靠近公交站", "可以纳入今年计划", "第二项的发言"]
    o = minutes.record_outcome(room_store, agenda_item_id=one.id, text="同意在广场东侧新建公厕", votes_for=11, votes_against=1, votes_abstain=0).value
    assert (o.votes_for, o.votes_against, o.votes_abstain) == (11, 1, 0)
    minutes.update_outcome(room_store, o.id, votes_against=2)
    assert reads.outcomes_of(room_store, agenda_item_id=one.id)[0].votes_against == 2
    with pytest.raises(ValidationError, match="二者选一"):
        reads.statements_of(room_store)


def test_autosave_creates_one_draft_and_coalesces_into_one_outbox_operation(room_store):
    meeting_id, _ = planned_meeting(room_store)
    text = ""
    for word in ["会议认为", "，公厕改造", "是群众急难愁盼", "的实事。"]:
        text += word
        minutes.save_minutes_text(room_store, meeting_id, summary=text)
    unchanged = minutes.save_minutes_text(room_store, meeting_id, summary=text)
    assert unchanged.changes == ()
    minutes.save_minutes_text(room_store, meeting_id, closing="散会。")
    (draft,) = reads.minutes_of(room_store, meeting_id)
    assert (draft.status, draft.summary, draft.closing) == (MinutesStatus.DRAFT, "会议认为，公厕改造是群众急难愁盼的实事。", "散会。")
    with room_store.read() as s:
        ops = [op.fields for op in s.scalars(select(OutboxRow).where(OutboxRow.entity == "minutes"))]
    assert len(ops) == 1 and ops[0]["summary"] == draft.summary and ops[0]["closing"] == "散会。"


def test_finalize_records_the_fingerprint_of_the_bundle(room_store):
    meeting_id, topic_id, item_id = held_meeting(room_store)
    participants.invite(room_store, meeting_id, name="张大爷", role="resident_rep")
    minutes.record_statement(room_store, agenda_item_id=item_id, speaker="张大爷", summary="要洗手池")
    outcome = minutes.record_outcome(room_store, agenda_item_id=item_id, text="加装洗手池").value
    actions.create_action_item(room_store, title="加装洗手池", outcome_id=outcome.id, owner_unit="社区居委会", deadline=date(2026, 6, 30))
    minutes.save_minutes_text(room_store, meeting_id, summary="会议认为应尽快改造。")
    final = minutes.finalize_minutes(room_store, meeting_id, actor="赵记录").value
    assert final.status == MinutesStatus.FINALIZED and final.finalized_at is not None
    bundle = minutes.minutes_bundle(room_store, meeting_id)
    assert len(final.sha256) == 64 and final.sha256 == fingerprint(bundle)
    assert [a.title for a in bundle.action_items] == ["加装洗手池"]
    assert bundle.minutes.summary == "会议认为应尽快改造。"


def test_minutes_cannot_be_finalized_before_the_meeting_is_held(room_store):
    meeting_id, _ = planned_meeting(room_store)
    with nothing_written(room_store), pytest.raises(DomainError) as err:
        minutes.finalize_minutes(room_store, meeting_id)
    assert str(err.value) == "会议“运河沿线公厕改造专题协商会”还没有召开完毕（当前为“已计划”），会议记录不能定稿。"


def test_after_finalizing_nothing_the_minutes_cover_can_change(room_store):
    meeting_id, topic_id, item_id = held_meeting(room_store)
    person = participants.invite(room_store, meeting_id, name="张大爷", role="resident_rep").value
    statement = minutes.record_statement(room_store, agenda_item_id=item_id, speaker="张大爷").value
    outcome = minutes.record_outcome(room_store, agenda_item_id=item_id, text="加装洗手池").value
    work = actions.create_action_item(room_store, title="加装洗手池", outcome_id=outcome.id).value
    minutes.finalize_minutes(room_store, meeting_id)
    attempts = [
        lambda: minutes.save_minutes_text(room_store, meeting_id, summary="改一改"),
        lambda: minutes.record_statement(room_store, agenda_item_id=item_id, speaker="李四"),
        lambda: minutes.update_statement(room_store, statement.id, summary="改"),
        lambda: minutes.record_outcome(room_store, agenda_item_id=item_id, text="再加一条"),
        lambda: minutes.update_outcome(room_store, outcome.id, text="改"),
        lambda: agenda.add_agenda_item(room_store, meeting_id, title="补一项"),
        lambda: agenda.update_agenda_item(room_store, item_id, title="改"),
        lambda: agenda.remove_agenda_item(room_store, item_id),
        lambda: participants.invite(room_store, meeting_id, name="补签", role="other"),
        lambda: participants.sign_in(room_store, person.id),
        lambda: participants.mark_absent(room_store, person.id, reason="病假"),
        lambda: participants.remove_participant(room_store, person.id),
        lambda: meetings.update_meeting(room_store, meeting_id, place="改"),
        lambda: actions.update_action_item(room_store, work.id, deadline=date(2027, 1, 1)),
        lambda: actions.create_action_item(room_store, title="新增", meeting_id=meeting_id),
        lambda: minutes.finalize_minutes(room_store, meeting_id),
    ]
    for attempt in attempts:
        with nothing_written(room_store), pytest.raises(DomainError) as err:
            attempt()
        assert str(err.value) == FINAL
    # progress on the decided work is not part of the minutes and goes on
    actions.record_progress(room_store, work.id, note="已联系施工队")
    actions.complete_action_item(room_store, work.id)
    bundle = minutes.minutes_bundle(room_store, meeting_id)
    assert fingerprint(bundle) == reads.minutes_of(room_store, meeting_id)[0].sha256


def test_a_correction_is_a_new_record_and_the_original_stays(room_store):
    meeting_id, _, _ = held_meeting(room_store)
    minutes.save_minutes_text(room_store, meeting_id, summary="会议认为应尽快改造，预算三万元。")
    original = minutes.finalize_minutes(room_store, meeting_id).value
    with nothing_written(room_store), pytest.raises(ValidationError, match="请填写“勘误说明”"):
        minutes.correct_minutes(room_store, meeting_id, note="")
    fix = minutes.correct_minutes(room_store, meeting_id, note="预算应为三千元", summary="会议认为应尽快改造，预算三千元。").value
    assert fix.id != original.id and fix.corrects_id == original.id and fix.correction_note == "预算应为三千元"
    first, second = reads.minutes_of(room_store, meeting_id)
    assert first == original
    assert second.summary == "会议认为应尽快改造，预算三千元。"
    assert minutes.minutes_bundle(room_store, meeting_id).minutes == original
    minutes.correct_minutes(room_store, meeting_id, note="补充：参会人数为12人")
    assert len(reads.minutes_of(room_store, meeting_id)) == 3


def test_draft_minutes_cannot_be_corrected(room_store):
    meeting_id, _, _ = held_meeting(room_store)
    with nothing_written(room_store), pytest.raises(DomainError) as err:
        minutes.correct_minutes(room_store, meeting_id, note="x")
    assert str(err.value) == "会议“运河沿线公厕改造专题协商会”还没有会议记录，无需勘误。"
    minutes.save_minutes_text(room_store, meeting_id, summary="草稿")
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        minutes.correct_minutes(room_store, meeting_id, note="x")
    assert str(err.value) == "会议记录当前状态为“草稿”，不能勘误。"


def test_minutes_text_takes_emoji_strips_control_characters_and_refuses_a_flood(room_store):
    meeting_id, _ = planned_meeting(room_store)
    saved = minutes.save_minutes_text(room_store, meeting_id, summary="大家都很满意👍\x00\x1b\u202e，散会。").value
    assert saved.summary == "大家都很满意👍，散会。"
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        minutes.save_minutes_text(room_store, meeting_id, summary="字" * 100_001)
    assert str(err.value) == "“会议纪要”太长了：最多100000个字，现在有100001个字。"
    assert minutes.save_minutes_text(room_store, meeting_id, summary="字" * 100_000).value.summary == "字" * 100_000


def test_bad_outcomes_are_refused(room_store):
    meeting_id, _ = planned_meeting(room_store)
    item = reads.agenda_of(room_store, meeting_id)[0].id
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="请填写“协商结果”"):
            minutes.record_outcome(room_store, agenda_item_id=item, text="\t\n")
        with pytest.raises(ValidationError, match="“赞成票”应为 0 到"):
            minutes.record_outcome(room_store, agenda_item_id=item, text="同意", votes_for=-1)
        with pytest.raises(ValidationError, match="“弃权票”"):
            minutes.record_outcome(room_store, agenda_item_id=item, text="同意", votes_abstain="3")
        with pytest.raises(ValidationError, match="请填写“发言人”"):
            minutes.record_statement(room_store, agenda_item_id=item, speaker="")
