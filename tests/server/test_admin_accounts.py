"""County admin accounts against the real ``yishi-server`` (SQLite and
PostgreSQL): an old scrypt hash (N=2**14) is replaced on the next good login,
as the database shows; a password reset with ``add-admin`` and "log out
everywhere" (the button and ``end-sessions``) leave an old cookie with the
login page; a login POST without the form's CSRF token is refused in Chinese
and logs nobody in; ``yishi-server devices`` lists every PC so the right one
can be revoked."""

from __future__ import annotations

import hashlib
import os
import re
import secrets

import requests
from sqlalchemy import create_engine, text

from tests.support.admin_login import admin_login, login_csrf

PROTOCOL = {"X-Yishi-Protocol": "2"}


def _user() -> str:
    return "clerk" + secrets.token_hex(3)


def _add_admin(srv, user: str, password: str):  # type: ignore[no-untyped-def]
    r = srv.cli("add-admin", user, "--password-stdin", stdin=password + "\n")
    assert r.returncode == 0, r.stderr
    return r


def _stored(srv, user: str) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    engine = create_engine(srv.db_url)
    try:
        with engine.connect() as conn:
            salt, digest = conn.execute(text("SELECT salt, password_hash FROM admins WHERE username = :u"), {"u": user}).one()
            return bytes(salt), bytes(digest)
    finally:
        engine.dispose()


def _logged_in(s: requests.Session, srv) -> bool:  # type: ignore[no-untyped-def]
    r = s.get(f"{srv.base}/admin", timeout=30)
    assert r.status_code in (200, 401), r.status_code
    if "各议事室情况" in r.text:
        return True
    assert r.url.endswith("/admin/login") and 'name="password"' in r.text
    return False


def _login(srv, user: str, password: str) -> requests.Session:  # type: ignore[no-untyped-def]
    s = srv.session()
    r = admin_login(s, srv.base, user, password)
    assert r.status_code == 200 and "各议事室情况" in r.text, r.text[:300]
    return s


def test_an_old_hash_is_replaced_with_current_parameters_on_login(srv):
    user, password = _user(), "old-password-1"
    _add_admin(srv, user, "placeholder-9")
    # what the server stored before issue 12: a bare 16-byte salt, scrypt N=2**14
    salt = os.urandom(16)
    legacy = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=64)
    engine = create_engine(srv.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE admins SET salt = :s, password_hash = :h WHERE username = :u"), {"s": salt, "h": legacy, "u": user})
    engine.dispose()

    assert admin_login(srv.session(), srv.base, user, "wrong-password").status_code == 401
    assert _stored(srv, user) == (salt, legacy)  # a wrong password changes nothing
    _login(srv, user, password)  # the old hash still verifies
    new_salt, new_hash = _stored(srv, user)
    assert new_salt[:4] == bytes((1, 17, 8, 1)) and len(new_salt) == 20  # format 1, N=2**17, r=8, p=1
    assert new_hash != legacy
    assert new_hash == hashlib.scrypt(password.encode(), salt=new_salt[4:], n=2**17, r=8, p=1, maxmem=2**28, dklen=64)
    _login(srv, user, password)  # and the new one verifies, without being made again
    assert _stored(srv, user) == (new_salt, new_hash)
    # a new account gets the current parameters straight away
    other = _user()
    _add_admin(srv, other, "brand-new-pass")
    assert _stored(srv, other)[0][:4] == bytes((1, 17, 8, 1))


def test_a_password_reset_ends_every_session_of_that_account(srv):
    user = _user()
    _add_admin(srv, user, "first-password")
    office, home = _login(srv, user, "first-password"), _login(srv, user, "first-password")
    bystander = _user()
    _add_admin(srv, bystander, "someone-else-1")
    theirs = _login(srv, bystander, "someone-else-1")

    out = _add_admin(srv, user, "second-password")
    assert "2 个会话已全部退出" in out.stdout
    assert not _logged_in(office, srv) and not _logged_in(home, srv)  # the old cookies get the login page
    assert _logged_in(theirs, srv)  # another account is not touched
    assert admin_login(srv.session(), srv.base, user, "first-password").status_code == 401
    assert _logged_in(_login(srv, user, "second-password"), srv)


def test_log_out_everywhere_button_and_command(srv):
    user = _user()
    _add_admin(srv, user, "everywhere-pass")
    here, there = _login(srv, user, "everywhere-pass"), _login(srv, user, "everywhere-pass")
    page = here.get(f"{srv.base}/admin", timeout=30).text
    assert "在所有设备上退出" in page
    csrf = re.search(r'action="/admin/logout-everywhere"[^>]*><input type="hidden" name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    # without the session's token (a forged form) it does nothing
    forged = here.post(f"{srv.base}/admin/logout-everywhere", data={"csrf": "forged"}, timeout=30)
    assert forged.status_code == 403 and "页面已过期" in forged.text
    assert _logged_in(there, srv)
    r = here.post(f"{srv.base}/admin/logout-everywhere", data={"csrf": csrf}, timeout=30)
    assert r.url.endswith("/admin/login")
    assert not _logged_in(here, srv) and not _logged_in(there, srv)

    again = _login(srv, user, "everywhere-pass")
    out = srv.cli("end-sessions", user)
    assert out.returncode == 0 and "已在所有浏览器上退出（1 个会话）" in out.stdout, out.stdout + out.stderr
    assert not _logged_in(again, srv)
    typo = srv.cli("end-sessions", user + "x")
    assert typo.returncode == 2 and "没有名为" in typo.stderr


def test_login_without_the_forms_csrf_token_is_refused(srv):
    user = _user()
    _add_admin(srv, user, "csrf-password")
    good = {"username": user, "password": "csrf-password"}
    # another site's form posting the right password: no token, no cookie
    cold = requests.post(f"{srv.base}/admin/login", data=good, allow_redirects=False, timeout=30)
    assert cold.status_code == 403 and "登录页面已过期或不是从本站打开的" in cold.text
    assert "yishi_admin" not in cold.cookies
    # a browser that has the login cookie, but a form that does not carry its token
    s = srv.session()
    token = login_csrf(s, srv.base)
    for field in ({}, {"csrf": ""}, {"csrf": token[:-1] + ("A" if token[-1] != "A" else "B")}):
        r = s.post(f"{srv.base}/admin/login", data={**good, **field}, allow_redirects=False, timeout=30)
        assert r.status_code == 403 and "请重新打开登录页面" in r.text, field
        assert not _logged_in(s, srv)
    # a token without the cookie (copied from another browser) is refused too
    assert requests.post(f"{srv.base}/admin/login", data={**good, "csrf": token}, timeout=30).status_code == 403
    # the same browser through the form logs in
    r = s.post(f"{srv.base}/admin/login", data={**good, "csrf": login_csrf(s, srv.base)}, timeout=60)
    assert r.status_code == 200 and "各议事室情况" in r.text


def _enroll(srv, room_code: str, name: str) -> str:  # type: ignore[no-untyped-def]
    out = srv.cli("enrollment-code", room_code)
    assert out.returncode == 0, out.stderr
    code = out.stdout.strip().splitlines()[-1]
    r = requests.post(f"{srv.base}/api/v1/enroll", json={"code": code, "device_name": name}, headers=PROTOCOL, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["device_id"]


def test_devices_lists_every_pc_so_the_lost_one_can_be_revoked(srv):
    room = f"D{secrets.token_hex(3).upper()}"
    out = srv.cli("add-room", "--code", room, "--name", "设备测试议事室", "--township", "水渡口街道")
    assert out.returncode == 0, out.stderr
    office = _enroll(srv, room, "办公室电脑")
    laptop = _enroll(srv, room, "书记 笔记本")
    elsewhere = _enroll(srv, srv.room_b, "钵池村电脑")

    listed = srv.cli("devices", "--room", room)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert lines[0].split("\t") == ["编号", "议事室", "名称", "注册时间", "最近联系", "已撤销"]
    rows = {cols[0]: cols for cols in (line.split("\t") for line in lines[1:])}
    assert set(rows) == {office, laptop}  # only this room's
    assert rows[laptop][1:3] == [room, "书记 笔记本"] and rows[laptop][5] == "否"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[laptop][3])

    everyone = srv.cli("devices")
    ids = {line.split("\t")[0] for line in everyone.stdout.strip().splitlines()[1:]}
    assert {office, laptop, elsewhere} <= ids

    # the clerk copies the laptop's id from the list and revokes it
    assert srv.cli("revoke-device", laptop).returncode == 0
    after = {cols[0]: cols for cols in (line.split("\t") for line in srv.cli("devices", "--room", room).stdout.strip().splitlines()[1:])}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", after[laptop][5]) and after[office][5] == "否"

    typo = srv.cli("devices", "--room", "NO-SUCH-ROOM")
    assert typo.returncode == 2 and "没有找到编码为“NO-SUCH-ROOM”的议事室" in typo.stderr
