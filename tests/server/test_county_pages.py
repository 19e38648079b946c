"""The county staff's pages and the statistics API show the right numbers for
known data; the public minutes page shows finalized minutes with a matching
fingerprint and nothing else."""

from __future__ import annotations

import csv
import io

import pytest
import requests
from openpyxl import load_workbook
from sqlalchemy import text

from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.support.admin_login import admin_login
from tests.server.seed import seed

_SEEDED: dict[str, dict[str, str]] = {}
Y2024 = {"start": "2024-01-01", "end": "2024-12-31"}


@pytest.fixture
def seeded(srv) -> dict[str, str]:
    if srv.backend not in _SEEDED:
        db = srv.db()
        try:
            _SEEDED[srv.backend] = seed(db)
        finally:
            db.close()
    return _SEEDED[srv.backend]


def _login(srv) -> requests.Session:
    s = requests.Session()
    r = admin_login(s, srv.base, ADMIN_USER, ADMIN_PASSWORD)
    assert r.status_code == 200 and "各议事室情况" in r.text
    return s


def test_statistics_api_counts_the_seeded_year(srv, seeded):
    assert requests.get(f"{srv.base}/api/v1/stats", params=Y2024).status_code == 401
    assert requests.get(f"{srv.base}/api/v1/stats", params=Y2024, auth=(ADMIN_USER, "wrong-password")).status_code == 401
    r = requests.get(f"{srv.base}/api/v1/stats", params=Y2024, auth=(ADMIN_USER, ADMIN_PASSWORD))
    assert r.status_code == 200, r.text
    s = r.json()
    t = s["total"]
    assert (t["topics"], t["accepted"], t["resolved"], t["meetings"], t["follow_ups"], t["satisfied"]) == (5, 3, 2, 2, 2, 1)
    # 办结率 = 办结 / 受理: 停车 and 垃圾 resolved of 停车, 垃圾, 路灯 accepted
    # (河道 still waits, 村道 was declined: no matters to resolve)
    assert t["resolution_rate"] == round(2 / 3, 4) and t["satisfaction_rate"] == 0.5
    # 逾期: 划设停车位 of room A, deadline 1 June 2024, still open today
    assert t["overdue"] == 1
    assert {r["label"]: r["overdue"] for r in s["by"]["room"]} == {"水渡口社区协商议事室（QJP-001）": 1, "钵池村协商议事室（HY-002）": 0}
    town = {r["label"]: (r["topics"], r["resolved"], r["meetings"]) for r in s["by"]["township"]}
    assert town == {"水渡口街道": (3, 2, 1), "钵池街道": (2, 0, 1)}
    month = {r["key"]: (r["topics"], r["meetings"], r["follow_ups"]) for r in s["by"]["month"]}
    assert month == {"2024-03": (3, 1, 0), "2024-04": (2, 1, 0), "2024-05": (0, 0, 2)}
    assert {r["label"]: r["topics"] for r in s["by"]["source"]} == {"扫码提交": 2, "12345热线": 1, "网格员上报": 2}
    assert {r["label"]: r["topics"] for r in s["by"]["category"]} == {"环境卫生": 2, "道路交通": 2, "公共设施": 1}
    bad = requests.get(f"{srv.base}/api/v1/stats", params={"start": "2024-05-01", "end": "2024-01-01"}, auth=(ADMIN_USER, ADMIN_PASSWORD))
    assert bad.status_code == 400 and "开始日期不能晚于结束日期" in bad.json()["detail"]


def test_admin_pages_login_rooms_stats_exports_logout(srv, seeded):
    assert requests.get(f"{srv.base}/admin", allow_redirects=False).headers["location"] == "/admin/login"
    wrong = admin_login(requests.Session(), srv.base, ADMIN_USER, "nope")
    assert "用户名或密码不对" in wrong.text
    s = _login(srv)
    rooms = s.get(f"{srv.base}/admin").text
    assert "水渡口社区协商议事室" in rooms and "钵池村协商议事室" in rooms
    # room A has one overdue action item (deadline 2024-06-01, still open)
    row = rooms.split("水渡口社区协商议事室", 1)[1].split("</tr>", 1)[0]
    assert [c.split("<")[0] for c in row.split('<td class="n">')[1:]][1] == "1"

    page = s.get(f"{srv.base}/admin/stats", params=Y2024).text
    assert "<svg" in page and "收集议题：<b>5</b>" in page and "办结率：<b>66.7%</b>" in page and "满意率：<b>50.0%</b>" in page
    rows = list(csv.reader(io.StringIO(s.get(f"{srv.base}/admin/stats.csv", params={**Y2024, "dim": "township"}).content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["镇/街道", "收集议题", "召开协商会"]
    assert {r[0]: r[1:4] for r in rows[1:]} == {"水渡口街道": ["3", "1", "2"], "钵池街道": ["2", "1", "0"], "合计": ["5", "2", "2"]}
    wb = load_workbook(io.BytesIO(s.get(f"{srv.base}/admin/stats.xlsx", params=Y2024).content))
    assert wb.sheetnames == ["镇、街道", "议事室", "议题来源", "类别", "月份"]
    assert [c.value for c in wb["月份"]["A"]][1:4] == ["2024-03", "2024-04", "2024-05"]

    assert s.post(f"{srv.base}/admin/logout", data={"csrf": "forged"}).status_code == 403
    assert s.get(f"{srv.base}/admin", allow_redirects=False).status_code == 200  # still logged in
    csrf = s.get(f"{srv.base}/admin").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    s.post(f"{srv.base}/admin/logout", data={"csrf": csrf})
    assert s.get(f"{srv.base}/admin", allow_redirects=False).status_code == 303


def test_public_minutes_show_finalized_minutes_with_their_fingerprint(srv, seeded):
    r = requests.get(f"{srv.base}/m/{seeded['meeting']}")
    assert r.status_code == 200
    assert seeded["fingerprint"] in r.text and "与存档的定稿一致" in r.text
    assert "同意在东侧空地新划30个停车位&lt;b&gt;" in r.text and "社区物业" in r.text and "孙*理" in r.text
    assert requests.get(f"{srv.base}/m/{seeded['draft_meeting']}").status_code == 404
    assert requests.get(f"{srv.base}/m/no-such-meeting").status_code == 404
    # the resident who raised the matter sees the agreed outcome on the tracking page
    t = requests.get(f"{srv.base}/t/{seeded['topic_code']}")
    assert "协商结果" in t.text and "新划30个停车位" in t.text and "提出人：居民" in t.text and "李*" not in t.text


def test_minutes_changed_after_finalizing_are_flagged(srv, seeded):
    db = srv.db()
    try:
        with db.write() as s:
            s.execute(text("UPDATE outcome SET text = text || '（改）' WHERE id = :i"), {"i": seeded["outcome"]})
        r = requests.get(f"{srv.base}/m/{seeded['meeting']}")
        assert "指纹与定稿时的指纹不一致" in r.text and seeded["fingerprint"] not in r.text.split('id="fingerprint">')[1][:70]
    finally:
        with db.write() as s:
            s.execute(text("UPDATE outcome SET text = replace(text, '（改）', '') WHERE id = :i"), {"i": seeded["outcome"]})
        db.close()
