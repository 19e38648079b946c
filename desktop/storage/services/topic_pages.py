"""Random access into the topics list, newest first, without ``OFFSET``: the
windowed topics view of the desktop needs any page of up to hundreds of
thousands of topics (a jump to the end, a drag of the scrollbar) at once.

Three read-only use cases, all keyset paging on ``ix_topic_received`` /
``ix_topic_status_received``: ``topics_from`` reads a page starting at a
known (received_at, id) key, ``oldest_topics`` reads the last rows from the
other end, and ``page_anchors`` reads the keys of every n-th row in one pass
over the index (a window function), so the page starting at row ``p * n`` is
one indexed seek from ``anchors[p]``. The filters are those of the list
without a text query (status, source, category, received day); a text query
goes to ``desktop.storage.search``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Integer, Select, func, literal_column, select, text
from sqlalchemy.sql.elements import ColumnElement

from desktop.domain.clock import CHINA_TZ
from desktop.domain.entities import Topic
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import TopicRow

Key = tuple[datetime, str]
_TOMBSTONES = "SELECT rowid FROM topic WHERE deleted = 1"
PAGE_MAX = 5000


def _conds(
    *,
    status: TopicStatus | None,
    source: TopicSource | None,
    category: str | None,
    date_from: date | None,
    date_to: date | None,
) -> list[ColumnElement[bool]]:
    # Tombstones are few and have their own partial index (ix_topic_tombstones;
    # the literal must match it): excluding their rowids keeps a pass over
    # ix_topic_received on the index alone, without reading each row.
    conds: list[ColumnElement[bool]] = [literal_column("topic.rowid").not_in(text(_TOMBSTONES).columns(rowid=Integer()))]
    if status is not None:
        conds.append(TopicRow.status == TopicStatus(status))
    if source is not None:
        conds.append(TopicRow.source == TopicSource(source))
    if category:
        conds.append(TopicRow.category == category)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期。")
    if date_from is not None:
        conds.append(TopicRow.received_at >= datetime.combine(date_from, time(0), tzinfo=CHINA_TZ))
    if date_to is not None:
        conds.append(TopicRow.received_at < datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=CHINA_TZ))
    return conds


def _check_limit(limit: int) -> None:
    if not 0 < limit <= PAGE_MAX:
        raise ValidationError("每页条数应在1到{max}之间。", max=PAGE_MAX)


def _newest_first(q: Select[tuple[TopicRow]]) -> Select[tuple[TopicRow]]:
    return q.order_by(TopicRow.received_at.desc(), TopicRow.id.desc())


def topics_from(
    store: Store,
    *,
    start: Key | None,
    limit: int,
    status: TopicStatus | None = None,
    source: TopicSource | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[Topic, ...]:
    """Up to ``limit`` topics newest first, beginning with the one whose key
    is ``start`` (included; ``None`` = the newest)."""
    _check_limit(limit)
    q = select(TopicRow).where(*_conds(status=status, source=source, category=category, date_from=date_from, date_to=date_to))
    if start is not None:
        at, row_id = start
        q = q.where((TopicRow.received_at < at) | ((TopicRow.received_at == at) & (TopicRow.id <= row_id)))
    with store.read() as session:
        return tuple(to_domain(r) for r in session.scalars(_newest_first(q).limit(limit)))


def oldest_topics(
    store: Store,
    *,
    limit: int,
    status: TopicStatus | None = None,
    source: TopicSource | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[Topic, ...]:
    """The ``limit`` oldest topics, in the list's order (newest first): the
    end of the list, read from its own end of the index."""
    _check_limit(limit)
    q = (
        select(TopicRow)
        .where(*_conds(status=status, source=source, category=category, date_from=date_from, date_to=date_to))
        .order_by(TopicRow.received_at.asc(), TopicRow.id.asc())
        .limit(limit)
    )
    with store.read() as session:
        rows = [to_domain(r) for r in session.scalars(q)]
    rows.reverse()
    return tuple(rows)


def page_anchors(
    store: Store,
    *,
    every: int,
    status: TopicStatus | None = None,
    source: TopicSource | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[Key, ...]:
    """Keys of rows 0, ``every``, 2×``every`` … of the list, newest first.
    One pass over the index reading two columns; ``anchors[p]`` then starts
    page ``p`` of size ``every`` (``topics_from(start=anchors[p])``)."""
    _check_limit(every)
    conds = _conds(status=status, source=source, category=category, date_from=date_from, date_to=date_to)
    rn = func.row_number().over(order_by=(TopicRow.received_at.desc(), TopicRow.id.desc())).label("rn")
    inner = select(TopicRow.received_at, TopicRow.id, rn).where(*conds).subquery()
    q = select(inner.c.received_at, inner.c.id).where((inner.c.rn - 1) % every == 0).order_by(inner.c.rn)
    with store.read() as session:
        return tuple((at, row_id) for at, row_id in session.execute(q))
