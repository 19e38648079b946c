"""A day of long texts (a secretary pasting whole speeches into the outcomes)
goes up in several pushes, in order, each under the county server's cap on
an unpacked push (16 MiB): no evening sync ever fails for being too big."""

from __future__ import annotations

from desktop.storage.services import minutes
from desktop.sync import engine
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, fresh_room, new_pc


def test_forty_long_outcomes_sync_in_several_pushes(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "office", room_code=code)
    _, _, item = held_meeting(pc)
    speech = "居民代表发言：" + "小区停车难、夜间噪声和公厕年久失修的问题需要统筹解决。" * 3500  # ~100,000 characters
    for i in range(40):  # about 12 MB of UTF-8 in all
        minutes.record_outcome(pc, agenda_item_id=item, text=f"第{i + 1}条：{speech}"[:100_000])
    report = engine.sync(pc)
    assert report.rejected == 0 and report.pushed >= 40
    assert engine.status(pc).unsent == 0
    converged(srv, [pc], room_id)
