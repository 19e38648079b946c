"""Which column holds what: the headers 12345 exports and grid-worker sheets
use, in Chinese with English aliases, matched after trimming spaces, the BOM,
full-width forms and "required" stars, and the search for the header row,
which exported sheets often put below a title row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from desktop.importers.values import cell_text

# field -> header names it may have (compared after ``normalize_header``);
# the first name is the one shown to people
ALIASES: dict[str, tuple[str, ...]] = {
    "ticket_no": ("工单编号", "工单号", "工单号码", "受理编号", "ticket_no", "ticket", "ticket_number", "order_no"),
    "received_at": ("受理时间", "来电时间", "上报时间", "登记时间", "诉求时间", "received_at", "received", "call_time", "reported_at"),
    "title": ("诉求标题", "标题", "工单标题", "事项标题", "title", "subject"),
    "content": ("诉求内容", "内容", "工单内容", "问题描述", "情况描述", "事项内容", "content", "description"),
    "name": ("诉求人", "联系人", "来电人", "姓名", "name", "contact"),
    "phone": ("联系电话", "电话", "来电号码", "手机号码", "手机号", "phone", "telephone", "mobile"),
    "address": ("地址", "诉求地址", "事发地址", "事发地点", "address", "location"),
    "category": ("诉求类别", "类别", "诉求分类", "问题类别", "事项类别", "category", "type"),
    "reporter": ("网格员", "上报人", "reporter", "grid_worker"),
}
REQUIRED = ("ticket_no", "received_at", "content")

# shown when a header is missing (the first alias, in the user's language)
COLUMN_LABELS = {
    "ticket_no": "工单编号",
    "received_at": "受理时间（或来电时间）",
    "content": "诉求内容",
}

_STRIP = re.compile(r"[\s\ufeff\u200b*＊:：]+")
_BY_NAME = {_STRIP.sub("", unicodedata.normalize("NFKC", a)).lower(): f for f, names in ALIASES.items() for a in names}

# a header is at most this far down (title rows, notes, an empty line or two)
HEADER_SEARCH_ROWS = 30


def normalize_header(value: object) -> str:
    """``" ＊工单编号 "`` and ``"\\ufeff工单编号："`` both become ``工单编号``."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", cell_text(value))).lower()


def match_header(cells: Sequence[object]) -> dict[str, int]:
    """field -> column index for the cells of one row (first match wins)."""
    found: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        field = _BY_NAME.get(normalize_header(cell))
        if field is not None and field not in found:
            found[field] = idx
    return found


def missing_required(found: dict[str, int]) -> tuple[str, ...]:
    return tuple(f for f in REQUIRED if f not in found)
