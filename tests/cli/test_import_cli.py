"""``yishi import-hotline`` run as a real process on a fresh data dir: exit
codes, messages in the user's language, and nothing written on bad input."""

from __future__ import annotations

import json
import sqlite3

from desktop.storage.db import DB_FILENAME
from tests.importers.sample_files import PNG, ROWS, write_csv, write_xlsx


def topic_count(yishi) -> int:
    con = sqlite3.connect(yishi.data_dir / DB_FILENAME)
    try:
        return con.execute("select count(*) from topic").fetchone()[0]
    finally:
        con.close()


def test_import_then_reimport_then_list(yishi_room, tmp_path):
    path = write_csv(tmp_path / "工单.csv", encoding="gbk")
    out = yishi_room("import-hotline", str(path))
    assert out.returncode == 0, out.stderr
    assert "已导入 3 条12345热线工单" in out.stdout and "退回 0 条" in out.stdout
    again = yishi_room("import-hotline", str(path))
    assert again.returncode == 0
    assert "已导入 0 条" in again.stdout and "跳过已有或重复的 3 条" in again.stdout
    listed = yishi_room.json("topics")
    assert sorted(t["ticket_no"] for t in listed) == ["HA20261103001", "HA20261103002", "HA20261104003"]
    assert {t["source"] for t in listed} == {"hotline"}


def test_rejected_rows_give_exit_1_with_each_row_and_reason(yishi_room, tmp_path):
    rows = [ROWS[0], ["", "2026/11/3 9:05", "", "没有工单编号", "", "", "", ""], ["X3", "明天", "", "日期不对", "", "", "", ""], ROWS[1]]
    out = yishi_room("import-hotline", str(write_csv(tmp_path / "a.csv", rows)))
    assert out.returncode == 1, out.stderr
    assert "已导入 2 条" in out.stdout and "退回 2 条" in out.stdout
    assert "第 3 行：缺少工单编号" in out.stdout
    assert "第 4 行：受理时间“明天”无法识别" in out.stdout
    assert topic_count(yishi_room) == 2


def test_json_report_and_grid_worker_source_from_xlsx(yishi_room, tmp_path):
    header = ["工单编号", "上报时间", "诉求内容", "上报人"]
    rows = [["GW-1", "2026/7/1 8:30", "村道坑洼不平，下雨积水", "周网格员"], ["GW-2", "坏日期", "内容", ""]]
    out = yishi_room("import-hotline", str(write_xlsx(tmp_path / "网格.xlsx", rows, header=header)), "--source", "grid_worker", "--json")
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["source"] == "grid_worker" and report["imported"] == 1 and report["dry_run"] is False
    assert [r["line"] for r in report["rejected"]] == [3]
    assert len(report["topic_ids"]) == 1
    listed = yishi_room.json("topics")
    assert [(t["id"], t["source"], t["title"]) for t in listed] == [(report["topic_ids"][0], "grid_worker", "村道坑洼不平，下雨积水")]


def test_dry_run_previews_and_writes_nothing(yishi_room, tmp_path):
    out = yishi_room("import-hotline", str(write_csv(tmp_path / "a.csv")), "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "预览（没有写入）：将导入 3 条" in out.stdout
    assert topic_count(yishi_room) == 0


def test_bad_files_exit_2_name_the_columns_and_write_nothing(yishi_room, tmp_path):
    yishi_room("import-hotline", str(write_csv(tmp_path / "good.csv", ROWS[:1])))
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "empty.csv").write_bytes(b"")
    expected = {"photo.png": "这不是表格文件", "empty.csv": "文件是空的", "missing.csv": "找不到文件"}
    for name, why in expected.items():
        out = yishi_room("import-hotline", str(tmp_path / name))
        assert out.returncode == 2, (name, out.stdout, out.stderr)
        assert why in out.stderr and "Traceback" not in out.stderr and out.stdout == ""
        if name != "missing.csv":
            assert "工单编号" in out.stderr and "诉求内容" in out.stderr
    out = yishi_room("import-hotline", str(tmp_path / "good.csv"), "--source", "fax")
    assert out.returncode == 2 and "用法有误" in out.stderr
    assert topic_count(yishi_room) == 1


def test_english_messages(yishi_room, tmp_path):
    out = yishi_room("import-hotline", str(write_csv(tmp_path / "a.csv", [ROWS[0], ["", "2026/11/3 9:05", "", "c", "", "", "", ""]])), lang="en")
    assert out.returncode == 1
    assert "Imported 1 work orders (12345 hotline)" in out.stdout
    assert "Row 3: no ticket number (工单编号)" in out.stdout
    (tmp_path / "e.csv").write_bytes(b"")
    out = yishi_room("import-hotline", str(tmp_path / "e.csv"), lang="en")
    assert out.returncode == 2 and "Cannot import “e.csv”: the file is empty." in out.stderr


def test_without_a_room_nothing_is_imported(yishi, tmp_path):
    out = yishi("import-hotline", str(write_csv(tmp_path / "a.csv")))
    assert out.returncode == 2 and "yishi init" in out.stderr
    assert topic_count(yishi) == 0
