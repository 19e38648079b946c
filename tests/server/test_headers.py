"""Headers, small files and error answers of a real ``yishi-server serve``, as a
browser, a room's PC and a curious outsider meet them: every answer carries
nosniff, DENY and no-referrer; private answers (pages, sync, photos, JSON,
CSV/XLSX exports) say no-store; tracking and minutes pages say noindex in the
header and the page; the favicon and robots.txt exist; a wrong URL or method
answers in Chinese (a page in the site's layout, JSON under /api/)."""

from __future__ import annotations

import re

import requests
from PIL import Image

from desktop.storage.services import actions, minutes, photos, topics
from desktop.storage.services.rooms import get_setting
from desktop.sync import engine
from desktop.sync.engine import TOKEN_KEY
from desktop.sync.protocol import HEADER, PROTOCOL_VERSION
from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import fresh_room, new_pc

RAW_ENGLISH = ("Not Found", "Method Not Allowed", "Not authenticated")


def _common(r: requests.Response) -> None:
    assert r.headers.get("X-Content-Type-Options") == "nosniff", (r.url, r.headers)
    assert r.headers.get("X-Frame-Options") == "DENY", r.url
    assert r.headers.get("Referrer-Policy") == "no-referrer", r.url


def _private(r: requests.Response) -> None:
    _common(r)
    assert r.headers.get("Cache-Control") == "no-store", (r.url, r.headers.get("Cache-Control"))


def _admin(srv) -> requests.Session:  # type: ignore[no-untyped-def]
    """Log in as a person does: open the form, send back what it holds (a CSRF token if any)."""
    s = requests.Session()
    form = s.get(f"{srv.base}/admin/login")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.text))
    r = s.post(f"{srv.base}/admin/login", data={**hidden, "username": ADMIN_USER, "password": ADMIN_PASSWORD})
    assert r.status_code == 200, r.text
    return s


def test_every_kind_of_answer_carries_the_headers(srv, tmp_path):
    code, _ = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code)
    try:
        meeting_id, topic_id, item = held_meeting(pc)
        Image.new("RGB", (40, 30), (200, 30, 30)).save(tmp_path / "lamp.jpg")
        att = photos.attach_photo(pc, topic_id=topic_id, path=tmp_path / "lamp.jpg").value
        outcome = minutes.record_outcome(pc, agenda_item_id=item, text="物业一周内修好路灯").value
        actions.create_action_item(pc, title="修路灯", meeting_id=meeting_id, outcome_id=outcome.id, owner_unit="物业公司")
        minutes.finalize_minutes(pc, meeting_id)
        assert engine.sync(pc).rejected == 0
        tracking = topics.get_topic(pc, topic_id).tracking_code
        token = get_setting(pc, TOKEN_KEY)
    finally:
        pc.close()
    device = {"Authorization": f"Bearer {token}", HEADER: str(PROTOCOL_VERSION)}

    # pages a resident opens: private, and never for a search engine
    for url in (f"/t/{code}/{tracking}", f"/t/{tracking}", f"/m/{meeting_id}"):
        r = requests.get(srv.base + url)
        assert r.status_code == 200, (url, r.text[:300])
        _private(r)
        assert "noindex" in r.headers.get("X-Robots-Tag", ""), url
        assert '<meta name="robots" content="noindex">' in r.text, url
    form = requests.get(f"{srv.base}/r/{code}")
    assert form.status_code == 200
    _private(form)

    # what the room's PC fetches: sync answers and the photo itself
    pull = requests.get(f"{srv.base}/api/v1/sync/pull", params={"since": 0}, headers=device)
    assert pull.status_code == 200, pull.text
    _private(pull)
    blob = requests.get(f"{srv.base}/api/v1/sync/blobs/{att.sha256}", headers=device)
    assert blob.status_code == 200 and blob.content == (tmp_path / "lamp.jpg").read_bytes()
    _private(blob)
    _private(requests.get(f"{srv.base}/api/v1/device", headers=device))
    # an outsider's request gets them too
    _private(requests.get(f"{srv.base}/api/v1/sync/pull", params={"since": 0}, headers={HEADER: str(PROTOCOL_VERSION)}))

    # the county's exports and statistics
    admin = _admin(srv)
    for url, kind in (("/admin/stats.csv", "text/csv"), ("/admin/stats.xlsx", "spreadsheetml"), ("/admin", "text/html"), ("/admin/stats", "text/html")):
        r = admin.get(srv.base + url)
        assert r.status_code == 200 and kind in r.headers["Content-Type"], (url, r.status_code)
        _private(r)
    stats = requests.get(f"{srv.base}/api/v1/stats", auth=(ADMIN_USER, ADMIN_PASSWORD))
    assert stats.status_code == 200
    _private(stats)


def test_favicon_and_robots(srv):
    icon = requests.get(f"{srv.base}/favicon.ico")
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00" and len(icon.content) < 10_000  # a real, small .ico
    _common(icon)
    robots = requests.get(f"{srv.base}/robots.txt")
    assert robots.status_code == 200 and robots.headers["Content-Type"].startswith("text/plain")
    lines = robots.text.splitlines()
    assert "User-agent: *" in lines
    for path in ("/t/", "/api/", "/admin", "/m/"):
        assert f"Disallow: {path}" in lines, path
    _common(robots)


def test_wrong_urls_and_methods_answer_in_chinese(srv):
    page = requests.get(f"{srv.base}/no/such/page")
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert "没有找到这个网页" in page.text and "<header>" in page.text and 'lang="zh-CN"' in page.text
    _private(page)
    wrong_method = requests.delete(f"{srv.base}/t")
    assert wrong_method.status_code == 405 and "这个网址不能这样打开" in wrong_method.text and "<header>" in wrong_method.text
    assert wrong_method.headers.get("Allow") == "GET"

    api = requests.get(f"{srv.base}/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["Content-Type"] == "application/json"
    assert api.json() == {"detail": "没有这个接口地址。请检查网址，或把议事程序更新到最新版本。"}
    _private(api)
    api_method = requests.delete(f"{srv.base}/api/v1/stats")
    assert api_method.status_code == 405 and api_method.json() == {"detail": "这个接口地址不接受这种请求方式。"}
    for r in (page, wrong_method, api, api_method):
        assert not any(word in r.text for word in RAW_ENGLISH), r.text
