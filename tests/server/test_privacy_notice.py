"""The personal-information notice (个人信息保护法 第十七条) on the phone form of
a real ``yishi-server serve``, as a resident's phone (headless Chromium,
390x844) shows it: above the submit button, naming the room and the county
office, why, what is kept, for how long (the county's retention setting) and
where to ask for correction or deletion; legible (17px type or more) and no
wider than the screen. Screenshot as in test_phone_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.server.conftest import ROOT

SHOTS = ROOT / "docs" / "screenshots" / "server"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def phone():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
        yield ctx.new_page()
        browser.close()


def test_the_phone_form_tells_who_keeps_what_for_how_long(srv, phone, tmp_path: Path):
    keep = srv.backend == "sqlite" and os.environ.get("YISHI_KEEP_SCREENSHOTS") == "1"
    phone.goto(f"{srv.base}/r/{srv.room_a}")
    notice = phone.locator("#privacy")
    text = notice.inner_text()
    for expected in (
        "您的个人信息",
        "谁来处理：水渡口社区协商议事室和清江浦区协商议事工作办公室。",
        "只用于办理您反映的事情，和办完后回访您。",
        "您的称呼、联系电话和您反映的内容（含照片）。",
        "事情办结后 2 年，到期删除您的称呼和电话。",
        "请到水渡口社区协商议事室（水渡口街道）当面提出",
    ):
        assert expected in text, (expected, text)
    # read before sending: it comes before the button, inside the form
    assert phone.evaluate("() => !!(document.querySelector('#privacy').compareDocumentPosition(document.querySelector('button[type=submit]')) & Node.DOCUMENT_POSITION_FOLLOWING)")
    assert notice.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 17
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = notice.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    notice.scroll_into_view_if_needed()
    phone.screenshot(path=str((SHOTS if keep else tmp_path) / "04-privacy-notice.png"))
    phone.screenshot(path=str(tmp_path / "notice.png"))
    print("screenshot:", tmp_path / "notice.png")
