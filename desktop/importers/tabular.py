"""Opening a file that should be a table, whatever Excel or the 12345 system
made of it: CSV in UTF-8 (with or without BOM), GBK/GB18030 (what Chinese Excel
writes), UTF-16 "Unicode text", comma/tab/semicolon separated, or an .xlsx
workbook. Everything else (images, PDFs, old .xls, empty or binary files) is
refused with one ``ImportFileError`` before anything is imported.

``open_table`` yields candidate tables (one per CSV separator, one per sheet),
each a function returning ``(row number, cells)`` pairs. The row number is the
one a person sees in Excel or WPS, so a quoted cell with line breaks still
counts as one row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from desktop.domain.errors import ValidationError
from desktop.i18n import tr

Rows = Iterator[tuple[int, Sequence[object]]]
Candidate = Callable[[], Rows]

MAX_BYTES = 500 * 1024 * 1024  # a city's three years of work orders is ~60 MB

# why a file is refused: shown inside the one "not a table" message
WHY_LABELS = {
    "empty": "文件是空的",
    "binary": "这不是表格文件",
    "xls": "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入",
    "bad_xlsx": "这个 Excel 文件已损坏，打不开",
    "too_big": "文件太大（超过 500 MB）",
    "no_header": "没有找到工单表头",
}

_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"MZ",  # Windows program
    b"RIFF",
    b"II*\x00",  # TIFF
    b"MM\x00*",
)
_OLE = b"\xd0\xcf\x11\xe0"  # .xls, .doc
_ZIP = b"PK\x03\x04"


class ImportFileError(ValidationError):
    """The file is not a work-order table; nothing was imported."""


def not_a_table(name: str, why: str) -> ImportFileError:
    return ImportFileError(
        "无法导入“{name}”：{why}。工单表应是 CSV 或 Excel（.xlsx）文件，表头要有“工单编号”“受理时间”（或“来电时间”）“诉求内容”三列，"
        "还可以有“诉求标题”“诉求人”“联系电话”“地址”“诉求类别”。没有导入任何内容。",
        name=name,
        why=why,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError("“{path}”是一个文件夹，请选择工单表文件。", path=str(path))
        if path.stat().st_size > MAX_BYTES:
            raise not_a_table(path.name, WHY_LABELS["too_big"])
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError("找不到文件“{path}”。", path=str(path)) from None
    except PermissionError:
        raise ImportFileError("没有权限读取文件“{path}”，可能被别的程序（如 Excel）占用，请关闭后再试。", path=str(path)) from None
    except OSError as exc:
        raise ImportFileError("读取文件“{path}”时出错：{detail}", path=str(path), detail=exc.strerror or str(exc)) from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_table(name, WHY_LABELS["binary"]) from None
    nuls = data.count(b"\x00")
    if nuls * 100 > len(data):  # UTF-16 without a BOM, or a binary file
        raise not_a_table(name, WHY_LABELS["binary"])
    if nuls:  # a stray NUL in an export: the csv module refuses those outright
        data = data.replace(b"\x00", b"")
    # strict UTF-8 first: GB18030 accepts almost any byte pairs, so trying it
    # first would turn every UTF-8 file into nonsense without an error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20_000]
        controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
        if controls > 8 and controls * 20 > len(sample):  # text has few, a binary file many
            break
        return text
    raise not_a_table(name, WHY_LABELS["binary"])


def _csv_rows(text: str, delimiter: str, name: str) -> Rows:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        raise ImportFileError(
            "文件“{name}”第{line}行附近的格式有误（可能是引号不成对），没有导入任何内容。", name=name, line=number + 1
        ) from None


@contextmanager
def _xlsx(path: Path, name: str) -> Iterator[list[Candidate]]:
    import openpyxl  # only here: it takes a while to import

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken or foreign zip
        raise not_a_table(name, WHY_LABELS["bad_xlsx"]) from None
    try:

        def sheet_rows(ws: object) -> Rows:
            try:
                yield from enumerate(ws.iter_rows(values_only=True), start=1)  # type: ignore[attr-defined]
            except (zipfile.BadZipFile, KeyError, ValueError, OSError):
                raise not_a_table(name, WHY_LABELS["bad_xlsx"]) from None

        yield [lambda ws=ws: sheet_rows(ws) for ws in book.worksheets]
    finally:
        book.close()


@contextmanager
def open_table(path: Path | str) -> Iterator[list[Candidate]]:
    """The candidate tables in the file at ``path``; raises ``ImportFileError``."""
    path = Path(path)
    data = _read_bytes(path)
    name = path.name
    if not data.strip():
        raise not_a_table(name, WHY_LABELS["empty"])
    if data.startswith(_OLE):
        raise not_a_table(name, WHY_LABELS["xls"])
    if data.startswith(_ZIP):
        del data
        with _xlsx(path, name) as candidates:
            yield candidates
        return
    if data.startswith(_MAGIC):
        raise not_a_table(name, WHY_LABELS["binary"])
    text = _decode(data, name)
    del data
    old_limit = csv.field_size_limit()
    # a resident's long letter (or a stray quote swallowing the rest of the
    # file) must come through to be reported, not crash the reader
    csv.field_size_limit(max(old_limit, 2**31 - 1))
    try:
        yield [lambda d=d: _csv_rows(text, d, name) for d in (",", "\t", ";")]
    finally:
        csv.field_size_limit(old_limit)


def describe_missing(fields: Sequence[str], labels: dict[str, str]) -> str:
    """“工单编号”“诉求内容” in the user's language, for the refusal message."""
    return tr("表头缺少{columns}", columns="".join(f"“{tr(labels[f])}”" for f in fields))
