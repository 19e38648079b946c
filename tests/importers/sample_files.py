"""Real work-order files written the way Excel, WPS and the 12345 system write
them, for the importer's tests (reading, service and command line)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

HEADER = ["工单编号", "受理时间", "诉求标题", "诉求内容", "诉求人", "联系电话", "地址", "诉求类别"]

ROWS = [
    ["HA20261103001", "2026/11/3 9:05", "工地夜间施工噪音", "翔宇大道工地晚上十点后还在施工，噪音很大，影响居民休息。", "王先生", "13800001111", "清江浦区翔宇大道88号", "城乡建设/噪音扰民"],
    ["HA20261103002", "2026-11-03 10:30:00", "", "运河边步道没有公共厕所，老人散步很不方便，希望在步道中段建一座公厕。", "李阿姨", "0517-83661234", "里运河文化长廊", "市容环卫/公共厕所"],
    ["HA20261104003", "2026/11/4 14:00", "小区缺少休息座椅", "小区里老年人多，散步累了没有地方坐，希望增设几张长椅。", "张师傅", "138****5678", "水渡口小区", "社区服务"],
]


def csv_text(rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER, title: str | None = None, delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")  # Excel writes CRLF
    if title is not None:
        w.writerow([title])
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, rows: Sequence[Sequence[object]] = ROWS, *, encoding: str = "utf-8", **kw: object) -> Path:
    path.write_bytes(csv_text(rows, **kw).encode(encoding))  # type: ignore[arg-type]
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER, title: str | None = None, sheets_before: int = 0) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(sheets_before):  # e.g. an "说明" sheet in front of the data
        ws.title = f"说明{i}"
        ws.append(["本表由12345热线系统导出"])
        ws = wb.create_sheet("工单")
    if title is not None:
        ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
