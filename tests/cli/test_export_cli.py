"""``yishi settings`` and ``yishi export`` through the real command: the seven
papers from the demo room, refusals without a server address, and the warning
about characters no font can print."""

from __future__ import annotations

from tests.printing import pdftools

SERVER = "https://xieshang.qjp.example.gov.cn"


def _store(yishi):
    from desktop.storage.db import Store

    return Store(yishi.data_dir)


def test_settings_show_and_set_the_server_address(yishi_room):
    values = yishi_room.json("settings")
    assert {"room_code", "room_name", "township", "county", "server_url"} <= set(values)
    assert values["room_code"] == "QJP-001" and values["server_url"] == ""
    bad = yishi_room("settings", "--server-url", "xieshang.example")
    assert bad.returncode == 2 and "http://" in bad.stderr and "Traceback" not in bad.stderr
    assert yishi_room.json("settings")["server_url"] == ""
    ok = yishi_room("settings", "--server-url", SERVER + "/", "--supervision-phone", "0517-83661234")
    assert ok.returncode == 0, ok.stderr
    assert SERVER in ok.stdout
    values = yishi_room.json("settings")
    assert values["server_url"] == SERVER and values["supervision_phone"] == "0517-83661234"


def test_poster_is_refused_without_a_server_address(yishi_room, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = yishi_room("export", "poster", "-o", str(out_dir / "poster.pdf"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "yishi settings --server-url" in out.stderr
    assert list(out_dir.iterdir()) == []  # nothing half-written


def test_a_character_no_font_has_is_named_before_printing(yishi_room, tmp_path):
    from desktop.storage.services import topics

    store = _store(yishi_room)
    code = topics.record_topic(store, title="王\U0002a6d6家门口的井盖丢了", source="walk_in", submitter_name="王\U0002a6d6").value.tracking_code
    store.close()
    assert yishi_room("settings", "--server-url", SERVER).returncode == 0
    target = tmp_path / "receipt.pdf"
    out = yishi_room("export", "receipt", code, "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert "\U0002a6d6" in out.stderr and "空框" in out.stderr
    img = pdftools.render(target, tmp_path)[0]
    assert pdftools.qr_codes(img) == [f"{SERVER}/t/QJP-001/{code}"]


def test_all_seven_papers_from_the_demo_room(yishi, tmp_path):
    assert yishi("demo").returncode == 0
    from desktop.domain.enums import MinutesStatus
    from desktop.storage.services import minutes, reads, topics

    store = _store(yishi)
    meetings = reads.list_meetings(store)
    finalized = next(m for m in meetings if minutes.minutes_bundle(store, m.id).minutes.status == MinutesStatus.FINALIZED)
    topic = next(t for t in topics.list_topics(store) if t.tracking_code)
    store.close()

    # without a server address: finalized minutes are the archive copy without a QR
    # code; the results notice, made for residents to scan, is refused
    archive = yishi("export", "minutes", finalized.id, "-o", str(tmp_path / "m.pdf"))
    assert archive.returncode == 0, archive.stderr
    assert "尚未连接县级服务器" in pdftools.text(tmp_path / "m.pdf").replace("\n", "")
    assert [c for img in pdftools.render(tmp_path / "m.pdf", tmp_path) for c in pdftools.qr_codes(img)] == []
    refused = yishi("export", "notice", finalized.id, "-o", str(tmp_path / "n.pdf"))
    assert refused.returncode == 2 and "服务器地址" in refused.stderr and not (tmp_path / "n.pdf").exists()
    assert yishi("settings", "--server-url", SERVER, "--supervision-phone", "0517-83661234").returncode == 0

    expected = {
        "agenda": "协商议事会议程",
        "signin": "协商议事会签到表",
        "minutes": "协商议事会会议记录",
        "summary": "协商纪要",
        "notice": "协商结果公示",
    }
    for kind, title in expected.items():
        target = tmp_path / f"{kind}.pdf"
        out = yishi("export", kind, finalized.id, "-o", str(target))
        assert out.returncode == 0, (kind, out.stderr)
        txt = pdftools.text(target)
        assert title in txt, kind
        assert kind in ("summary", "notice") or finalized.title[:10] in txt, kind
        assert all(f["emb"] == "yes" for f in pdftools.fonts(target)), kind
    codes = [c for img in pdftools.render(tmp_path / "minutes.pdf", tmp_path) for c in pdftools.qr_codes(img)]
    assert codes == [f"{SERVER}/m/{finalized.id}"]

    out = yishi("export", "receipt", topic.tracking_code, "-o", str(tmp_path / "receipt.pdf"))
    assert out.returncode == 0, out.stderr
    assert topic.tracking_code in pdftools.text(tmp_path / "receipt.pdf")
    out = yishi("export", "poster", "-o", str(tmp_path / "poster.pdf"))
    assert out.returncode == 0, out.stderr
    room = yishi.json("settings")
    img = pdftools.render(tmp_path / "poster.pdf", tmp_path)[0]
    assert pdftools.qr_codes(img) == [f"{SERVER}/r/{room['room_code']}"]
    assert room["room_code"] in pdftools.text(tmp_path / "poster.pdf")


def test_unknown_meeting_is_a_clear_error(yishi_room, tmp_path):
    out = yishi_room("export", "agenda", "no-such-meeting", "-o", str(tmp_path / "a.pdf"))
    assert out.returncode == 2 and "找不到" in out.stderr and "Traceback" not in out.stderr
