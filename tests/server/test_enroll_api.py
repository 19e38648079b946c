"""Enrolment of a room's PC and the token that scopes it to its room."""

from __future__ import annotations

import requests
from pyzbar.pyzbar import decode
from PIL import Image


def _code(srv, room: str, *extra: str) -> str:
    r = srv.cli("enrollment-code", room, *extra)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def _enroll(srv, code: str, name: str = "议事室电脑") -> requests.Response:
    return requests.post(f"{srv.base}/api/v1/enroll", json={"code": code, "device_name": name})


def test_enrol_once_and_see_only_the_own_room(srv, tmp_path):
    code = _code(srv, srv.room_a, "--qr", str(tmp_path / "code.png"))
    assert [d.data.decode() for d in decode(Image.open(tmp_path / "code.png"))] == [code]
    r = _enroll(srv, code)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["room_code"] == srv.room_a and body["room"]["name"] == "水渡口社区协商议事室" and body["room"]["county"] == "清江浦区"
    assert len(body["token"]) >= 43  # 256 bits, url-safe base64
    assert srv.count("SELECT count(*) FROM devices WHERE id = :d AND token_hash <> :t", d=body["device_id"], t=body["token"]) == 1

    auth = {"Authorization": f"Bearer {body['token']}"}
    me = requests.get(f"{srv.base}/api/v1/device", headers=auth)
    assert me.status_code == 200 and me.json()["room"]["code"] == srv.room_a
    assert requests.get(f"{srv.base}/api/v1/rooms/{srv.room_a}", headers=auth).status_code == 200
    other = requests.get(f"{srv.base}/api/v1/rooms/{srv.room_b}", headers=auth)
    assert other.status_code == 403 and other.json()["detail"] == "这台电脑只能读写本议事室的数据。"
    assert "钵池" not in other.text

    devices = srv.count("SELECT count(*) FROM devices")
    replay = _enroll(srv, code, "另一台电脑")
    assert replay.status_code == 401 and "已经用过" in replay.json()["detail"]
    assert srv.count("SELECT count(*) FROM devices") == devices


def test_wrong_codes_and_tokens_are_refused(srv):
    devices = srv.count("SELECT count(*) FROM devices")
    r = _enroll(srv, "AAAA-BBBB-CCCC")
    assert r.status_code == 401 and "注册码无效" in r.json()["detail"]
    r = requests.post(f"{srv.base}/api/v1/enroll", json={"code": _code(srv, srv.room_b), "device_name": "   "})
    assert r.status_code == 400 and "设备名称" in r.json()["detail"]
    assert srv.count("SELECT count(*) FROM devices") == devices
    assert requests.get(f"{srv.base}/api/v1/device").status_code == 401
    bad = requests.get(f"{srv.base}/api/v1/device", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and "设备令牌无效" in bad.json()["detail"]
    assert srv.cli("enrollment-code", "NO-SUCH").returncode == 2


def test_a_revoked_device_is_refused_on_its_next_request(srv):
    body = _enroll(srv, _code(srv, srv.room_b)).json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    assert requests.get(f"{srv.base}/api/v1/device", headers=auth).status_code == 200
    r = srv.cli("revoke-device", body["device_id"])
    assert r.returncode == 0 and "已撤销" in r.stdout
    refused = requests.get(f"{srv.base}/api/v1/device", headers=auth)
    assert refused.status_code == 401 and "撤销" in refused.json()["detail"]
