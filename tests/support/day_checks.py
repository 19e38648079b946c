"""The end of the day property test's day: what a convenor would check after the
evening sync. Nothing a person made is missing (every row any PC created is on
the server and on both PCs, unless the server refused it, and then it is still
on the PC that made it, listed with a reason as a refused change); both PCs
hold what the server holds for every other row; and every finalized meeting's
public page shows the fingerprint printed at finalization, and says it matches."""

from __future__ import annotations

import re

from sqlalchemy import select

from desktop.domain.enums import MinutesStatus
from desktop.storage.models import MinutesRow, OutboxRow, TopicRow
from desktop.sync import engine
from tests.support.day_state import live_ids
from tests.support.day_world import World
from tests.sync.helpers import rowset, server_db, sync_all


def refused(world: World) -> list[dict[tuple[str, str], str]]:
    """Per PC: the rows with a refused change, and the reasons shown for them."""
    out = []
    for pc in world.pcs:
        st = engine.status(pc)
        with pc.read() as s:
            outbox = {(e, r) for e, r in s.execute(select(OutboxRow.entity, OutboxRow.row_id).where(OutboxRow.state == "rejected"))}
        listed = {(e, r): reason for e, r, reason in st.rejected}
        assert set(listed) == outbox, "the status line and the outbox disagree on what was refused"
        out.append(listed)
    return out


def check_day(world: World) -> None:
    # two rounds, so each PC pulls what the other pushed; the digests are
    # compared (and repaired) in the second, when there is something to compare
    sync_all(world.pcs, rounds=1, check=False)
    sync_all(world.pcs, rounds=1)
    rej = refused(world)
    for n, listed in enumerate(rej):
        blank = [k for k, reason in listed.items() if not reason.strip()]
        assert not blank, f"PC{n}: refused without a reason: {blank}"
    db = server_db(world.srv)
    with db.read() as s:
        server_rows = rowset(s, world.room_id)
        server = live_ids(s)
        server_titles = set(s.scalars(select(TopicRow.title).where(TopicRow.room_id == world.room_id)))
    pcs = []
    for pc in world.pcs:
        with pc.read() as s:
            left = s.scalars(select(OutboxRow.entity).where(OutboxRow.state != "rejected")).all()
            pcs.append((live_ids(s), rowset(s, world.room_id), set(s.scalars(select(TopicRow.title)))))
        assert left == [], f"{pc.data_dir.name}: {len(left)} changes still unsent after the final sync: {left}"

    # nothing a person made is missing
    any_refused = set().union(*rej)
    for n, made in enumerate(world.made):
        for key in sorted(made):
            if key in rej[n]:
                assert key in pcs[n][0], f"PC{n} made {key}, the server refused it ({rej[n][key]}), and the PC lost it"
                continue
            assert key in server, f"PC{n} made {key}: not on the server (refused: {sorted(any_refused)[:5]})"
            for m, (live, _, _) in enumerate(pcs):
                assert key in live, f"PC{n} made {key}: on the server but missing on PC{m}"
    for title in world.web_titles:
        assert title in server_titles, f"the resident's topic {title!r} is not on the server"
        for m, (_, _, titles) in enumerate(pcs):
            assert title in titles, f"the resident's topic {title!r} is missing on PC{m}"

    # every other row: the same on the server and both PCs
    def strip(rows: set[tuple[str, str, int, str]]) -> set[tuple[str, str, int, str]]:
        return {r for r in rows if (r[0], r[1]) not in any_refused}

    for m, (_, rows, _) in enumerate(pcs):
        missing, extra = strip(server_rows) - strip(rows), strip(rows) - strip(server_rows)
        assert not missing and not extra, f"PC{m} differs from the server: server-only {sorted(missing)[:4]}, pc-only {sorted(extra)[:4]}"

    # every finalized meeting: the public page shows the printed fingerprint, matching
    for meeting_id in sorted({f.meeting_id for f in world.finals}):
        finals = [f for f in world.finals if f.meeting_id == meeting_id]
        with db.read() as s:
            stored = s.scalars(
                select(MinutesRow).where(MinutesRow.meeting_id == meeting_id, MinutesRow.corrects_id.is_(None), MinutesRow.status == MinutesStatus.FINALIZED, MinutesRow.deleted.is_(False))
            ).all()
            stored_shas = [r.sha256 for r in stored]
        if not stored:
            for f in finals:
                assert ("minutes", f.minutes_id) in rej[f.pc], f"PC{f.pc} finalized {meeting_id}: not finalized on the server, and not listed as refused"
            continue
        assert len(stored) == 1, f"{meeting_id}: {len(stored)} finalized minutes on the server"
        assert stored_shas[0] in {f.sha256 for f in finals}, f"{meeting_id}: the server holds a fingerprint no PC printed"
        page = world.srv.session().get(f"{world.srv.base}/m/{meeting_id}")
        assert page.status_code == 200, (meeting_id, page.status_code)
        shown = re.search(r'id="fingerprint">([0-9a-f]{64})<', page.text)
        assert shown and shown.group(1) == stored_shas[0], f"{meeting_id}: /m/ shows {shown and shown.group(1)}, printed {stored_shas[0]}"
        assert 'class="ok"' in page.text and 'class="error"' not in page.text, f"{meeting_id}: /m/ says the fingerprint does not match"
