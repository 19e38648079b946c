"""One room, two reports, the same numbers: a month of the room's work on an
enrolled PC, the evening sync to the real county server (SQLite and
PostgreSQL), then ``yishi stats --json`` run as a process on the PC and the
county's ``/api/v1/stats`` (as the county's admin) give the same 收集议题,
召开议事会, 办结, 办结率, 满意率 and 逾期, and both the figures a person
counts by hand."""

from __future__ import annotations

import pytest
import requests

from desktop.domain.statistics import china_today
from desktop.sync import engine
from tests.cli.conftest import Yishi
from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER, pg_srv, pg_url  # noqa: F401 (fixtures)
from tests.support.stats_room import MAY_FROM, MAY_TO, delete_wrong_topic, work_may
from tests.sync.helpers import converged, fresh_room, new_pc

# the PC's key in ``yishi stats --json`` -> the county's field for the same statistic
SAME = {
    "topics_collected": "topics",
    "meetings_held": "meetings",
    "matters_resolved": "resolved",
    "resolution_rate": "resolution_rate",
    "satisfaction_rate": "satisfaction_rate",
    "overdue_action_items": "overdue",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("srv" if request.param == "sqlite" else "pg_srv")


def test_the_pc_and_the_county_count_one_room_alike(county, tmp_path):
    code, room_id = fresh_room(county)
    store = new_pc(county, tmp_path, "pc1", room_code=code)
    # both sides judge 逾期 against today in China, so the deadlines are set around it
    hand = work_may(store, today=china_today())
    engine.sync(store)  # the evening sync
    delete_wrong_topic(store, hand)  # noticed the next day
    engine.sync(store)
    converged(county, [store], room_id)
    store.close()

    pc = Yishi(store.data_dir)
    mine = pc.json("stats", "--from", MAY_FROM.isoformat(), "--to", MAY_TO.isoformat())
    r = requests.get(
        f"{county.base}/api/v1/stats",
        params={"start": MAY_FROM.isoformat(), "end": MAY_TO.isoformat()},
        auth=(ADMIN_USER, ADMIN_PASSWORD),
        timeout=30,
    )
    assert r.status_code == 200, r.text
    (theirs,) = [row for row in r.json()["by"]["room"] if row["key"] == room_id]

    assert {k: mine[k] for k in SAME} == {k: theirs[v] for k, v in SAME.items()}
    assert {k: mine[k] for k in SAME} == {k: getattr(hand, k) for k in SAME}
    # the county's source lines for this room's numbers are the PC's by_source
    assert sum(mine["by_source"].values()) == theirs["topics"]
