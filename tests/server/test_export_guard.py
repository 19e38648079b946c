"""The county's CSV and XLSX exports never hand Excel a formula: categories
that a hand-built push could store (a leading =, +, -, @, tab or carriage
return before a formula) come out as text, with an apostrophe in front, from
a real ``yishi-server serve`` to a logged-in county admin."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import requests
from openpyxl import load_workbook

from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.ids import new_id, new_tracking_code
from desktop.storage.models import TopicRow
from server.versions import stamp_new
from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.sync.helpers import fresh_room, server_db

# a year no other test writes into, so the export holds just these lines
WHEN = datetime(2033, 3, 5, 12, tzinfo=CHINA_TZ)
RANGE = {"start": "2033-03-01", "end": "2033-03-31"}
HOSTILE = ["\t=HYPERLINK(\"http://x.example\",\"点我\")", "\r=1+1", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,2)", "普通类别"]


def _admin(srv) -> requests.Session:  # type: ignore[no-untyped-def]
    s = requests.Session()
    form = s.get(f"{srv.base}/admin/login")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.text))
    assert s.post(f"{srv.base}/admin/login", data={**hidden, "username": ADMIN_USER, "password": ADMIN_PASSWORD}).status_code == 200
    return s


def test_exports_never_start_a_cell_with_a_formula(srv):
    _, room_id = fresh_room(srv)
    with server_db(srv).write() as s:
        for category in HOSTILE:
            stamp_new(s, TopicRow(
                id=new_id(), room_id=room_id, title="测试", description="", source=TopicSource.QR, status=TopicStatus.SUBMITTED,
                category=category, location="", submitter_name="", submitter_phone="", tracking_code=new_tracking_code(),
                ticket_no=None, decline_reason="", merged_into_id=None, received_at=WHEN, created_at=WHEN, updated_at=WHEN,
            ))
    admin = _admin(srv)
    r = admin.get(f"{srv.base}/admin/stats.csv", params={**RANGE, "dim": "category"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    labels = [row[0] for row in rows[1:-1]]
    assert sorted(labels) == sorted(["'" + c for c in HOSTILE[:-1]] + ["普通类别"]), labels

    x = admin.get(f"{srv.base}/admin/stats.xlsx", params=RANGE)
    assert x.status_code == 200
    sheet = load_workbook(io.BytesIO(x.content))["类别"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)][:-1]
    # XML keeps no bare CR: the cell holds a line feed there, after the apostrophe all the same
    assert sorted(cells) == sorted(c.replace("\r", "\n") for c in labels), cells
    assert all(not str(c).startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
