"""Reading work-order files as Excel, WPS and the 12345 system write them:
encodings, header rows, quoting, dates, and files that are not tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.domain.errors import DomainError
from desktop.i18n import set_language
from desktop.importers import ImportFileError, read_hotline
from tests.importers.sample_files import HEADER, PNG, ROWS, csv_text, write_csv, write_xlsx


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(tmp_path, encoding):
    table = read_hotline(write_csv(tmp_path / "工单.csv", encoding=encoding))
    assert [r.ticket_no for r in table.rows] == ["HA20261103001", "HA20261103002", "HA20261104003"]
    first = table.rows[0]
    assert first.title == "工地夜间施工噪音"
    assert first.content == ROWS[0][3]
    assert (first.name, first.phone, first.address, first.category) == ("王先生", "13800001111", "清江浦区翔宇大道88号", "城乡建设/噪音扰民")
    assert first.received_at == utc(2026, 11, 3, 1, 5)  # 9:05 in China is 1:05 UTC
    assert first.line == 2 and table.rejected == ()


def test_gb18030_characters_outside_gbk_survive(tmp_path):
    rows = [["T1", "2026/11/3 9:05", "", "门前路灯坏了", "王䶮", "", "", ""]]  # 䶮 is not in GBK
    table = read_hotline(write_csv(tmp_path / "a.csv", rows, encoding="gb18030"))
    assert table.rows[0].name == "王䶮"


def test_utf16_tab_separated_unicode_text(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(csv_text(ROWS, delimiter="\t").encode("utf-16"))
    table = read_hotline(path)
    assert len(table.rows) == 3 and table.rows[1].address == "里运河文化长廊"


def test_quoted_fields_with_commas_and_line_breaks_count_as_one_excel_row(tmp_path):
    rows = [
        ["T1", "2026/11/3 9:05", "标题，带逗号", "第一段，有逗号\r\n第二段\"引号\"", "", "", "", ""],
        ["T2", "2026/11/3 9:06", "", "第三行的内容", "", "", "", ""],
    ]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert table.rows[0].title == "标题，带逗号"
    assert table.rows[0].content == '第一段，有逗号\r\n第二段"引号"'
    assert [r.line for r in table.rows] == [2, 3]  # the rows Excel shows, not physical lines


def test_title_row_above_the_header_and_messy_header_cells(tmp_path):
    header = ["\ufeff 工单编号 ", "来电时间：", "＊标 题", "诉求内容*", "联系人", "联系电话", "地址", "诉求类别"]
    path = write_csv(tmp_path / "a.csv", ROWS[:1], header=header, title="淮安市12345热线工单明细（2026年11月）")
    table = read_hotline(path)
    assert table.header_line == 2
    assert table.rows[0].line == 3 and table.rows[0].title == "工地夜间施工噪音" and table.rows[0].name == "王先生"


def test_english_headers(tmp_path):
    header = ["Ticket_No", "received_at", "title", "description", "name", "phone", "address", "category"]
    table = read_hotline(write_csv(tmp_path / "a.csv", ROWS, header=header))
    assert len(table.rows) == 3 and table.rows[2].category == "社区服务"


def test_missing_title_is_made_from_the_content(tmp_path):
    table = read_hotline(write_csv(tmp_path / "a.csv"))
    assert table.rows[1].title == "运河边步道没有公共厕所，老人散步很不方便，希望在步道中段建一…"
    assert len(table.rows[1].title) == 31


def test_masked_or_odd_phone_numbers_are_left_out_not_refused(tmp_path):
    rows = [
        ["T1", "2026/11/3 9:05", "", "内容", "", "138****5678", "", ""],
        ["T2", "2026/11/3 9:05", "", "内容", "", "13800001111/0517-83661234", "", ""],
        ["T3", "2026/11/3 9:05", "", "内容", "", "无", "", ""],
    ]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert [r.phone for r in table.rows] == ["", "13800001111", ""]
    assert table.rejected == ()


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2026/11/3 9:05", utc(2026, 11, 3, 1, 5)),
        ("2026-11-03 09:05:00", utc(2026, 11, 3, 1, 5)),
        ("2026-11-03T09:05:30+08:00", utc(2026, 11, 3, 1, 5, 30)),
        ("2026年11月3日 9时5分", utc(2026, 11, 3, 1, 5)),
        ("2026年11月3日", utc(2026, 11, 2, 16, 0)),
        ("2026/11/3 下午3:05", utc(2026, 11, 3, 7, 5)),
        ("2026.11.03 09:05", utc(2026, 11, 3, 1, 5)),
        ("20261103090500", utc(2026, 11, 3, 1, 5)),
        ("46329.37847222222", utc(2026, 11, 3, 1, 5)),  # an Excel serial saved as text
        ("２０２６/１１/３ ９:０５", utc(2026, 11, 3, 1, 5)),  # full-width digits
    ],
)
def test_dates_as_people_and_excel_write_them_are_china_time(tmp_path, written, expected):
    rows = [["T1", written, "", "内容", "", "", "", ""]]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert table.rejected == ()
    assert table.rows[0].received_at == expected


def test_rows_that_cannot_become_topics_are_set_aside_with_row_and_reason(tmp_path):
    rows = [
        ["T1", "2026/11/3 9:05", "", "好的一行", "", "", "", ""],
        ["", "2026/11/3 9:05", "", "没有工单编号", "", "", "", ""],
        ["T3", "2026/11/3 9:05", "有标题", "", "", "", "", ""],
        ["T4", "2026/2/30 9:05", "", "不存在的日期", "", "", "", ""],
        ["T5", "上周三", "", "看不懂的日期", "", "", "", ""],
        ["T6", "", "", "没有日期", "", "", "", ""],
        ["2.02611E+12", "2026/11/3 9:05", "", "编号被 Excel 改坏了", "", "", "", ""],
        ["", "", "", "", "", "", "", ""],  # an empty row: skipped, not refused
        ["T9", "2026/11/3 9:05", "", "最后一行", "", "", "", ""],
    ]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert [r.ticket_no for r in table.rows] == ["T1", "T9"]
    assert [r.line for r in table.rows] == [2, 10]
    reasons = dict(table.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3] == "缺少工单编号"
    assert reasons[4] == "缺少诉求内容"
    assert "2026/2/30" in reasons[5] and "无法识别" in reasons[5]
    assert "上周三" in reasons[6]
    assert reasons[7] == "缺少受理时间"
    assert "科学计数法" in reasons[8]


def test_reasons_in_english_when_the_user_reads_english(tmp_path):
    set_language("en")
    rows = [["", "2026/11/3 9:05", "", "内容", "", "", "", ""], ["T2", "bad", "", "内容", "", "", "", ""]]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert table.rejected == ((2, "no ticket number (工单编号)"), (3, "the time received “bad” cannot be read: write it like 2026/11/3 9:05 or 2026-11-03 09:05:00"))


def test_xlsx_with_datetime_cells_serial_numbers_and_numeric_tickets(tmp_path):
    rows = [
        [2026110300123, datetime(2026, 11, 3, 9, 5), "整数工单号", "内容一", "王先生", 13800001111, "地址一", "类别"],
        ["HA-2", 46329.37847222222, None, "内容二，没有标题", None, None, None, None],
        ["HA-3", "2026/11/3 9:05", "文字日期", "内容三", "", "", "", ""],
        ["HA-4", "不是日期", "坏日期", "内容四", "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "工单.xlsx", rows, title="12345热线工单导出", sheets_before=1)
    table = read_hotline(path)
    assert [r.ticket_no for r in table.rows] == ["2026110300123", "HA-2", "HA-3"]
    assert [r.line for r in table.rows] == [3, 4, 5]
    assert all(r.received_at == utc(2026, 11, 3, 1, 5) for r in table.rows)
    assert table.rows[0].phone == "13800001111"
    assert table.rows[1].title == "内容二，没有标题"
    assert [line for line, _ in table.rejected] == [6]


def test_emoji_and_control_characters_come_through_for_cleaning(tmp_path):
    rows = [["T1", "2026/11/3 9:05", "路灯坏了💡", "晚上\x07很黑😟", "", "", "", ""]]
    table = read_hotline(write_csv(tmp_path / "a.csv", rows))
    assert table.rows[0].title == "路灯坏了💡" and "😟" in table.rows[0].content


def expect_refusal(path) -> str:
    with pytest.raises(ImportFileError) as info:
        read_hotline(path)
    message = str(info.value)
    assert isinstance(info.value, DomainError)
    return message


@pytest.mark.parametrize(
    "name, data, why",
    [
        ("empty.csv", b"", "文件是空的"),
        ("blank.csv", b"  \r\n\r\n", "文件是空的"),
        ("photo.png", PNG, "这不是表格文件"),
        ("photo.csv", PNG, "这不是表格文件"),
        ("random.bin", bytes(range(256)) * 40, "这不是表格文件"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Excel"),
        ("broken.xlsx", b"PK\x03\x04" + b"not really a zip" * 10, "已损坏"),
        ("notes.csv", "会议纪要\n今天讨论了三件事\n".encode(), "没有找到工单表头"),
    ],
)
def test_files_that_are_not_work_order_tables_get_one_clear_message(tmp_path, name, data, why):
    path = tmp_path / name
    path.write_bytes(data)
    message = expect_refusal(path)
    assert why in message
    assert "工单编号" in message and "受理时间" in message and "诉求内容" in message


def test_a_header_missing_a_required_column_names_it(tmp_path):
    header = [h for h in HEADER if h != "受理时间"]
    message = expect_refusal(write_csv(tmp_path / "a.csv", [r[:1] + r[2:] for r in ROWS], header=header))
    assert "表头缺少“受理时间（或来电时间）”" in message


def test_an_xlsx_without_a_header_and_a_docx_like_zip(tmp_path):
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["随便", "一些", "数据"])
    wb.save(tmp_path / "x.xlsx")
    assert "没有找到工单表头" in expect_refusal(tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "doc.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "已损坏" in expect_refusal(tmp_path / "doc.xlsx")


def test_missing_file_and_folder(tmp_path):
    assert "找不到文件" in expect_refusal(tmp_path / "nope.csv")
    assert "文件夹" in expect_refusal(tmp_path)


def test_english_refusal_names_the_columns(tmp_path):
    set_language("en")
    (tmp_path / "e.csv").write_bytes(b"")
    message = expect_refusal(tmp_path / "e.csv")
    assert message.startswith("Cannot import “e.csv”: the file is empty.")
    assert "工单编号 (ticket_no)" in message
