"""Reading a 12345 hotline (or grid-worker) work-order table into plain rows:
find the header, take each row's ticket number, time, title, content and
contact, and set aside the rows that cannot become a topic with their row
number and the reason in the user's language. Pure: no database here; the
import service decides what is new and writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from desktop.domain.errors import ValidationError
from desktop.domain.validation import clean_phone
from desktop.i18n import tr
from desktop.importers.columns import COLUMN_LABELS, HEADER_SEARCH_ROWS, match_header, missing_required
from desktop.importers.tabular import WHY_LABELS, Candidate, describe_missing, not_a_table, open_table
from desktop.importers.values import cell_text, parse_when, ticket_text

TITLE_FROM_CONTENT = 30  # characters of the content that make a missing title
_PHONE_SEPARATORS = str.maketrans({c: " " for c in "/,，;；、|"})


class HotlineRow(NamedTuple):
    """One work order as the file has it (text not yet cleaned or bounded).
    A named tuple: as immutable as a frozen dataclass, and several times
    cheaper to make, which counts at 200,000 rows."""

    line: int
    ticket_no: str
    received_at: datetime
    title: str
    content: str
    name: str = ""
    phone: str = ""
    address: str = ""
    category: str = ""


@dataclass(frozen=True)
class HotlineTable:
    rows: tuple[HotlineRow, ...]
    rejected: tuple[tuple[int, str], ...]  # (row number, reason in the user's language)
    header_line: int


def title_from(content: str) -> str:
    """A title for a work order that has none: the start of its content."""
    flat = " ".join(content.split())
    return flat if len(flat) <= TITLE_FROM_CONTENT else flat[:TITLE_FROM_CONTENT] + "…"


def pick_phone(text: str) -> str:
    """The first usable number. "138****1234" (masked by the 12345 system) or
    free text gives "": a row is not refused for a phone nobody could dial."""
    if text.isdigit() and text.isascii() and 3 <= len(text) <= 20:
        return text  # the usual case, and plainly what clean_phone accepts
    for candidate in (text, *text.translate(_PHONE_SEPARATORS).split()):
        try:
            phone = clean_phone(candidate)
        except ValidationError:
            continue
        if phone:
            return phone
    return ""


def _find_header(candidate: Candidate) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for number, cells in candidate():
        if number > HEADER_SEARCH_ROWS:
            break
        found = match_header(cells)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (number, found)
        if found and not missing_required(found):
            return number, found
    return best


_FIELDS = ("ticket_no", "received_at", "title", "content", "name", "phone", "address", "category", "reporter")


def _row(number: int, cells: Sequence[object], where: tuple[int, ...]) -> HotlineRow | str | None:
    """A row, a reason to refuse it, or None for an empty row. ``where`` holds
    the column of each of ``_FIELDS`` (-1: the file has no such column)."""
    width = len(cells)
    ticket_raw, when_raw, title, content, name, phone, address, category, reporter = (
        cells[i] if 0 <= i < width else None for i in where
    )
    content = cell_text(content)
    try:
        ticket = ticket_text(ticket_raw)
    except ValidationError as exc:
        return str(exc)
    if not ticket:
        if not content and not any(cell_text(c) for c in cells):
            return None  # Excel leaves empty rows below (and between) the data
        return tr("缺少工单编号")
    if not content:
        return tr("缺少诉求内容")
    when = parse_when(when_raw)
    if when is None:
        shown = cell_text(when_raw)
        if not shown:
            return tr("缺少受理时间")
        return tr("受理时间“{value}”无法识别，请写成 2026/11/3 9:05 或 2026-11-03 09:05:00 这样的格式", value=shown[:40])
    return HotlineRow(
        number,
        ticket,
        when,
        cell_text(title) or title_from(content),
        content,
        cell_text(name) or cell_text(reporter),
        pick_phone(cell_text(phone)),
        cell_text(address),
        cell_text(category),
    )


def read_hotline(path: Path | str) -> HotlineTable:
    """All work orders in the file; raises ``ImportFileError`` for a file that
    is not such a table (nothing can have been read from it)."""
    path = Path(path)
    with open_table(path) as candidates:
        partial: tuple[int, dict[str, int]] | None = None
        for candidate in candidates:
            header = _find_header(candidate)
            if header is None:
                continue
            header_line, cols = header
            if missing_required(cols):
                if partial is None or len(cols) > len(partial[1]):
                    partial = header
                continue
            rows: list[HotlineRow] = []
            rejected: list[tuple[int, str]] = []
            where = tuple(cols.get(f, -1) for f in _FIELDS)
            for number, cells in candidate():
                if number <= header_line:
                    continue
                got = _row(number, cells, where)
                if isinstance(got, HotlineRow):
                    rows.append(got)
                elif got is not None:
                    rejected.append((number, got))
            return HotlineTable(rows=tuple(rows), rejected=tuple(rejected), header_line=header_line)
    if partial is not None:
        raise not_a_table(path.name, describe_missing(missing_required(partial[1]), COLUMN_LABELS))
    raise not_a_table(path.name, WHY_LABELS["no_header"])
