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
