"""Enrolment from 设置 against the real county server on 127.0.0.1: until
enrolled, the settings and the status bar say 未注册到县服务器 and promise no
sync; a wrong code, an unreachable server and a code of another room each get
a kind message and enrol nothing; the right code enrols this PC (on a network
thread, the window keeps running) and the status bar stops saying so."""

from __future__ import annotations

from desktop.storage.services import rooms
from desktop.sync import engine
from tests.sync.helpers import blank_store, enrollment_code
from tests.ui.conftest import wait_idle


def _enrol(box, qtbot, url: str, code: str) -> str:
    box.server.setText(url)
    box.code.setText(code)
    box.enrol_button.click()
    assert box.busy  # the answer comes later, from the network thread
    qtbot.waitUntil(lambda: not box.busy, timeout=30_000)
    return box.message.text()


def test_enrol_from_settings(srv, room_a, tmp_path, make_window, qtbot):
    store = blank_store(tmp_path / "pc")
    rooms.init_room(store, code=srv.room_a, name="清江浦区水渡口社区协商议事室", township="水渡口街道", county="清江浦区", room_id=room_a)
    window = make_window(store)
    qtbot.waitUntil(lambda: window.sync.status is not None)
    assert window.sync_label.text().startswith("未注册到县服务器")
    box = window.go("settings").server_box
    wait_idle(qtbot, window.db)
    assert box.state.text().startswith("未注册到县服务器") and "注册码" in box.state.text()
    assert "自动同步" not in box.state.text()

    box.server.clear()
    box.code.setText("ABCD-EFGH-JKLM")
    box.enrol_button.click()
    assert not box.busy and "服务器地址" in box.message.text()

    assert "注册码不对" in _enrol(box, qtbot, srv.base, "AAAA-BBBB-CCCC")
    assert "连不上县服务器" in _enrol(box, qtbot, "http://127.0.0.1:9", enrollment_code(srv, srv.room_a))
    assert "属于议事室" in _enrol(box, qtbot, srv.base, enrollment_code(srv, srv.room_b))  # the data dir is room A's
    assert not engine.status(store).enrolled

    assert "注册成功" in _enrol(box, qtbot, srv.base, enrollment_code(srv, srv.room_a))
    assert engine.status(store).enrolled
    qtbot.waitUntil(lambda: window.sync.configured)
    assert not window.sync_label.text().startswith("未注册")
    assert box.state.text() == "已注册到县服务器。"
