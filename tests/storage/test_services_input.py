"""Whatever people type: emoji are kept, control and direction-override
characters are removed, text over 100,000 characters is refused with a clear
message and nothing written. One case per long-text field of the services."""

from __future__ import annotations

import pytest

from desktop.domain.errors import ValidationError
from desktop.storage.services import actions, agenda, followups, minutes, reads
from tests.storage.service_helpers import held_meeting, nothing_written, planned_meeting

DIRTY = "路灯坏了💡\x00\x07\u202e，晚上\u200b看不见👀"
CLEAN = "路灯坏了💡，晚上看不见👀"
FLOOD = "灯" * 100_001


def _setup(store):
    meeting_id, topic_id, item_id = held_meeting(store)
    work = actions.create_action_item(store, title="修路灯", topic_id=topic_id).value
    return {"meeting": meeting_id, "topic": topic_id, "item": item_id, "work": work.id}


CASES = {
    "statement summary (发言要点)": (
        "发言要点",
        lambda s, ids, text: minutes.record_statement(s, agenda_item_id=ids["item"], speaker="张大爷", summary=text).value.summary,
    ),
    "outcome text (协商结果)": (
        "协商结果",
        lambda s, ids, text: minutes.record_outcome(s, agenda_item_id=ids["item"], text=text).value.text,
    ),
    "agenda background (情况说明)": (
        "情况说明",
        lambda s, ids, text: agenda.update_agenda_item(s, ids["item"], background=text).value.background,
    ),
    "progress note (进展情况)": (
        "进展情况",
        lambda s, ids, text: actions.record_progress(s, ids["work"], note=text).value.note,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_emoji_kept_control_characters_removed_floods_refused(room_store, case):
    field, call = CASES[case]
    ids = _setup(room_store)
    assert call(room_store, ids, DIRTY) == CLEAN
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        call(room_store, ids, FLOOD)
    assert str(err.value) == f"“{field}”太长了：最多100000个字，现在有100001个字。"


def test_follow_up_comment_is_cleaned_and_a_flood_refused(room_store):
    ids = _setup(room_store)
    actions.resolve_topic(room_store, ids["topic"], how="路灯已修好")
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        followups.record_follow_up(room_store, ids["topic"], satisfaction="satisfied", comment=FLOOD)
    assert str(err.value) == "“回访意见”太长了：最多100000个字，现在有100001个字。"
    visit = followups.record_follow_up(room_store, ids["topic"], satisfaction="basically_satisfied", comment=DIRTY).value
    assert reads.follow_ups_of(room_store, ids["topic"]) == (visit,) and visit.comment == CLEAN


def test_single_line_fields_fold_line_breaks(room_store):
    meeting_id, _ = planned_meeting(room_store)
    item = reads.agenda_of(room_store, meeting_id)[0]
    s = minutes.record_statement(room_store, agenda_item_id=item.id, speaker="张\n大爷", identity="  村民\t代表 ").value
    assert (s.speaker, s.identity) == ("张 大爷", "村民 代表")
