"""A phone-sized headless Chromium submits a topic through the QR form, reads
the tracking code and follows it. Screenshots go to a temporary folder, or to
docs/screenshots/server/ with YISHI_KEEP_SCREENSHOTS=1 (so a test run does not
rewrite the committed images)."""

from __future__ import annotations

import os
import re
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


def test_a_phone_submits_and_follows_a_topic(srv, phone, tmp_path: Path):
    keep = srv.backend == "sqlite" and os.environ.get("YISHI_KEEP_SCREENSHOTS") == "1"
    shots = SHOTS if keep else tmp_path
    phone.set_extra_http_headers({"X-Forwarded-For": "10.99.0.1" if srv.backend == "sqlite" else "10.99.0.2"})
    phone.goto(f"{srv.base}/r/{srv.room_a}")
    assert phone.locator("header h1").inner_text() == "我要反映"
    # the title box must be big enough to hit with a thumb, and the text large
    box = phone.locator("#title").bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 300
    assert phone.locator("#title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 18
    phone.screenshot(path=str(shots / "01-form.png"), full_page=True)

    phone.locator("button[type=submit]").click()  # forgot the title
    assert "请填写“什么事”" in phone.locator(".error").inner_text()
    phone.screenshot(path=str(shots / "02-missing-title.png"))

    phone.fill("#title", "小区东门路灯坏了")
    phone.fill("#description", "已经黑了一个星期，晚上老人出门怕摔。")
    phone.fill("#location", "水渡口小区东门")
    phone.select_option("#category", "公共设施")
    phone.fill("#name", "王秀英")
    phone.fill("#phone", "13912345678")
    phone.locator("button[type=submit]").click()
    code = phone.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    phone.screenshot(path=str(shots / "03-receipt.png"), full_page=True)

    phone.locator("#track-link").click()
    assert phone.locator("#status").inner_text() == "已收到，等待议事室受理"
    text = phone.locator("main").inner_text()
    assert "小区东门路灯坏了" in text and "提出人：居民" in text and "王秀英" not in text and "王*英" not in text and "****5678" not in text and "139****" not in text
    phone.screenshot(path=str(shots / "04-tracking.png"), full_page=True)

    phone.goto(f"{srv.base}/t")
    phone.fill("#code", code.lower().replace("-", ""))
    phone.locator("button[type=submit]").click()
    assert phone.locator("#status").is_visible()
