"""``yishi enroll`` as a user runs it, against the real server: a data dir that
holds another room is refused and the county's one-time code stays unspent, so
it still enrols the right (fresh) data dir; re-enrolling a room's own data dir
works."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Yishi
from tests.sync.helpers import enrollment_code, fresh_room


def test_a_data_dir_of_another_room_is_refused_and_the_code_stays_good(srv, tmp_path: Path):
    other = Yishi(tmp_path / "other")
    out = other("init", "--room-code", "HA-LOCAL", "--room-name", "钵池村协商议事室", "--county", "清江浦区")
    assert out.returncode == 0, out.stderr
    code, _ = fresh_room(srv)
    one_time = enrollment_code(srv, code)

    out = other("enroll", srv.base, one_time)
    assert out.returncode != 0
    assert "钵池村协商议事室" in out.stderr and "注册码没有用掉" in out.stderr
    status = other("sync", "--status")
    assert "还没有注册" in status.stdout  # nothing of the server's room was written here

    fresh = Yishi(tmp_path / "fresh")
    out = fresh("enroll", srv.base, one_time)
    assert out.returncode == 0, out.stderr
    assert code in out.stdout

    # the room's own data dir enrols again with a new code (say, after its token was revoked)
    out = fresh("enroll", srv.base, enrollment_code(srv, code))
    assert out.returncode == 0, out.stderr


def test_refused_in_english_too(srv, tmp_path: Path):
    other = Yishi(tmp_path / "other")
    assert other("init", "--room-code", "HA-LOCAL", "--room-name", "钵池村协商议事室").returncode == 0
    code, _ = fresh_room(srv)
    out = other("enroll", srv.base, enrollment_code(srv, code), lang="en")
    assert out.returncode != 0
    assert "has not been used up" in out.stderr


def test_a_room_that_began_offline_connects_under_its_own_number(srv, tmp_path: Path):
    """The usual start: a room works on its PC for weeks, then the county sets up
    the server. The refusal names the room's number; the county office registers
    the room under it (``yishi-server add-room --id``), and the room's own data
    dir enrols and sends everything it recorded, which a second PC then gets."""
    import json
    import secrets

    from server.services.rooms import add_room
    from tests.sync.helpers import server_db

    room_code = f"OFF-{secrets.token_hex(3).upper()}"
    pc1 = Yishi(tmp_path / "pc1")
    assert pc1("init", "--room-code", room_code, "--room-name", "先离线工作的议事室").returncode == 0
    csv = tmp_path / "12345.csv"
    csv.write_text("工单编号,受理时间,诉求内容,诉求地址,联系电话\nGD20261101001,2026-11-01 09:30,三号楼楼道灯不亮，晚上老人出门不安全,运河社区3号楼,13812345678\n", encoding="utf-8")
    assert pc1("import-hotline", str(csv)).returncode == 0
    room_id = json.loads(pc1("settings", "--json").stdout)["room_id"]

    # the county first registered the room under a new number: refused, and told what to do
    from server.services.rooms import room_by_code

    wrong = add_room(server_db(srv), code=room_code + "X", name="先离线工作的议事室", township="", county="清江浦区")
    out = pc1("enroll", srv.base, enrollment_code(srv, wrong.code))
    assert out.returncode != 0 and room_id in out.stderr and "add-room --id" in out.stderr

    # registered under the room's own number, it connects and sends its work
    add_room(server_db(srv), code=room_code, name="先离线工作的议事室", township="", county="清江浦区", room_id=room_id)
    assert room_by_code(server_db(srv), room_code).id == room_id
    out = pc1("enroll", srv.base, enrollment_code(srv, room_code))
    assert out.returncode == 0, out.stderr
    assert pc1("sync").returncode == 0
    pc2 = Yishi(tmp_path / "pc2")
    assert pc2("enroll", srv.base, enrollment_code(srv, room_code)).returncode == 0
    titles = [t["title"] for t in json.loads(pc2("topics", "--json").stdout)]
    assert any("楼道灯" in t for t in titles), titles
