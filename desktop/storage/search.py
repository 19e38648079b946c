"""Chinese substring search over topics (title, description, submitter name,
location and ticket number), with the list filters of the topics screen.

The index is the two FTS5 tables of migration 0002. Triggers queue new rows;
``index_pending`` indexes the queue in bulk before every commit (a
``before_commit`` hook on all sessions) and before a search.
Each space-separated word of a query must occur (AND). A word of three or more
characters is a phrase of the trigram table (exact substring); a word of two
characters is one token of the two-character table and a single character a
prefix query on it. Words are always passed as quoted FTS5 strings, so no
query text can be read as FTS syntax. Where the two-character table cannot be
exact (a short word with punctuation in it) a ``LIKE`` on the found rows makes
it so.

Results come most recently recorded first: in the order the topics were
written into this file (the topic table's rowid, newest first), which for
topics typed in or received by QR is the order they arrived, and for a 12345
import the order of the import. That order is the index's own, so FTS5 hands
the matches over newest first and stops after the page instead of counting
and sorting them all (see ``search_topics``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Result, Integer, column, event, func, literal_column, or_, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause

from desktop.domain.clock import CHINA_TZ
from desktop.domain.entities import Topic
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.storage.db import Store
from desktop.storage.models import TopicRow

QUERY_MAX = 200
SEARCH_COLUMNS = ("title", "description", "submitter_name", "location", "ticket_no")
# served by the partial index ix_topic_tombstones (the literal must match it)
_TOMBSTONES = "SELECT rowid FROM topic WHERE deleted = 1"
_COLS = ", ".join(SEARCH_COLUMNS)
# A page is read as plain rows of the fields a Topic has, not as ORM objects:
# a hundred ORM rows (identity map, per-field versions decoded) cost more
# than the whole index walk.
TOPIC_COLUMNS = tuple(getattr(TopicRow, f.name) for f in fields(Topic))
_CATCH_UP = (
    f"INSERT INTO topic_tri(rowid, {_COLS}) SELECT topic_rowid, {_COLS} FROM topic_search_pending",
    f"INSERT INTO topic_bi(rowid, {_COLS}) SELECT topic_rowid, {', '.join('bi_' + c for c in SEARCH_COLUMNS)} "
    "FROM topic_search_pending",
    "DELETE FROM topic_search_queue",
)


def topics_of(result: Result[Any]) -> tuple[Topic, ...]:
    """Topics from rows of ``TOPIC_COLUMNS``."""
    return tuple(Topic(**row._mapping) for row in result)


def _waiting(conn: Connection) -> bool:
    """Rows wait in the queue (False too on a database without one, such as
    the county server's)."""
    has_queue = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'topic_search_queue'"
    ).first()
    return bool(has_queue and conn.exec_driver_sql("SELECT 1 FROM topic_search_queue LIMIT 1").first())


def index_pending(conn: Connection) -> None:
    """Index the topics waiting in ``topic_search_queue``, inside the caller's
    transaction: three statements however many rows wait, which is what makes
    a bulk import cheap."""
    if _waiting(conn):
        for sql in _CATCH_UP:
            conn.exec_driver_sql(sql)


@event.listens_for(Session, "before_commit")
def _index_before_commit(session: Session) -> None:
    # Every commit of a room database leaves the queue empty, so a search
    # never waits for rows written long ago. Registered when this module is
    # imported; ``search_topics`` catches up too, for writers that commit
    # before anything imported it.
    if not session.in_transaction():
        return
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        index_pending(conn)


def rebuild_index(store: Store) -> None:
    """Index every topic afresh. The index is keyed by the topic table's
    rowid, which ``VACUUM`` may renumber: run this after one (or after any
    repair that copies the topic table)."""
    with store.write() as session:
        conn = session.connection()
        for table in ("topic_tri", "topic_bi"):
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
        conn.exec_driver_sql("INSERT OR IGNORE INTO topic_search_queue(topic_rowid) SELECT rowid FROM topic")
        index_pending(conn)


@contextmanager
def _indexed_read(store: Store) -> Iterator[Session]:
    """A read session on an index with nothing waiting: the queue is checked
    in the same session, so a search costs no extra round trip when (as after
    every commit through SQLAlchemy) the queue is empty."""
    with store.read() as session:
        if not _waiting(session.connection()):
            yield session
            return
    with store.write() as session:
        index_pending(session.connection())
    with store.read() as session:
        yield session


def _phrase(word: str) -> str:
    """An FTS5 string literal: the word in double quotes, inner quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def _like(word: str) -> ColumnElement[bool]:
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(getattr(TopicRow, c).like(pattern, escape="\\") for c in SEARCH_COLUMNS))


@dataclass(frozen=True)
class _Plan:
    """What a query asks of the indexes: FTS5 expressions per table (words
    joined with AND, so FTS5 intersects them itself) and LIKE conditions for
    words an index cannot answer."""

    tri: str = ""
    bi: str = ""
    likes: tuple[ColumnElement[bool], ...] = ()

    def candidates(self) -> TextClause | None:
        """SQL of the rowids matching every indexed word, or None if no word is indexed."""
        parts = []
        if self.tri:
            parts.append("SELECT rowid FROM topic_tri WHERE topic_tri MATCH :tri")
        if self.bi:
            parts.append("SELECT rowid FROM topic_bi WHERE topic_bi MATCH :bi")
        if not parts:
            return None
        params = {k: v for k, v in (("tri", self.tri), ("bi", self.bi)) if v}
        return text(" INTERSECT ".join(parts)).bindparams(**params)

    def driver(self) -> tuple[str, str, list[ColumnElement[bool]]]:
        """The FTS5 table whose matches are walked newest first, its MATCH
        expression, and the membership test for the other table's words (a
        query mixing words of two and of three or more characters). The
        trigram side drives: its words are longer, so it has fewer matches."""
        if self.tri:
            others = []
            if self.bi:
                # the unary + keeps SQLite from feeding these rowids to the walk
                others.append(literal_column("+topic.rowid").in_(
                    text("SELECT rowid FROM topic_bi WHERE topic_bi MATCH :bi").bindparams(bi=self.bi)
                ))
            return "topic_tri", self.tri, others
        return "topic_bi", self.bi, []


def _plan(query: str) -> _Plan:
    tri: list[str] = []
    bi: list[str] = []
    likes: list[ColumnElement[bool]] = []
    for word in dict.fromkeys(query.split()):
        if len(word) >= 3:
            tri.append(_phrase(word))
        elif not any(ch.isalnum() for ch in word):
            likes.append(_like(word))  # punctuation only: nothing an index of words holds
        else:
            bi.append(_phrase(word) + ("*" if len(word) == 1 else ""))
            if not all(ch.isalnum() for ch in word):
                likes.append(_like(word))
    return _Plan(tri=" AND ".join(tri), bi=" AND ".join(bi), likes=tuple(likes))


def _china_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ)


def _coerce(enum_cls: type[Any], value: Any, field: str) -> Any:
    if value is None or value == "":
        return None
    try:
        return enum_cls(value)
    except ValueError:
        raise ValidationError("“{field}”没有“{value}”这一项。", field=field, value=str(value)[:40]) from None


def _filters(
    query: str,
    *,
    status: TopicStatus | str | None,
    source: TopicSource | str | None,
    category: str | None,
    date_from: date | None,
    date_to: date | None,
) -> tuple[list[ColumnElement[bool]], _Plan]:
    if query is None:
        query = ""
    if not isinstance(query, str):
        raise ValidationError("搜索内容应为文字。")
    query = query.strip()
    if len(query) > QUERY_MAX:
        raise ValidationError("搜索内容太长了：最多{max}个字。", max=QUERY_MAX)
    conds: list[ColumnElement[bool]] = []
    st = _coerce(TopicStatus, status, "议题状态")
    if st is not None:
        conds.append(TopicRow.status == st)
    src = _coerce(TopicSource, source, "议题来源")
    if src is not None:
        conds.append(TopicRow.source == src)
    if category:
        conds.append(TopicRow.category == category)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期。")
    if date_from is not None:
        conds.append(TopicRow.received_at >= _china_midnight_utc(date_from))
    if date_to is not None:
        conds.append(TopicRow.received_at < _china_midnight_utc(date_to + timedelta(days=1)))
    plan = _plan(query)
    return conds + list(plan.likes), plan


# Matches walked newest first before a filter that keeps few of them hands
# the search to the filter's index instead (``_page_by_index``).
WALK_BUDGET = 3000


def _page_by_index(
    session: Session, plan: _Plan, conds: list[ColumnElement[bool]], *, limit: int, offset: int
) -> tuple[Topic, ...]:
    """One page of topics matching ``plan`` and ``conds``, most recently
    recorded first.

    FTS5 yields a query's matches in rowid order, descending at no extra
    cost, so the page is a walk down that list, reading each found topic by
    rowid to test the filters, stopping once the page is full. With no
    filter but tombstones the walk stops right after the page. With filters
    it first walks at most the newest ``WALK_BUDGET`` matches (found by one
    OFFSET step in the index alone); if the filters keep too few of those,
    the filter's own index drives and each topic it yields is tested for
    membership in the matches (the walk would otherwise read every match)."""
    fts, match, others = plan.driver()
    hits = table(fts, column("rowid"))
    rowid = hits.c.rowid
    page = (
        select(*TOPIC_COLUMNS)
        .select_from(hits.join(TopicRow, literal_column("topic.rowid") == rowid))
        .where(text(f"{fts} MATCH :match").bindparams(match=match), TopicRow.deleted.is_(False), *others, *conds)
        .order_by(rowid.desc())
        .limit(limit)
        .offset(offset)
    )
    if not conds and not others:
        return topics_of(session.execute(page))
    budget = max(WALK_BUDGET, 4 * (limit + offset))
    floor = session.scalar(
        text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :match ORDER BY rowid DESC LIMIT 1 OFFSET :n")
        .bindparams(match=match, n=budget)
    )
    if floor is None:  # fewer matches than the budget: the walk reads them all anyway
        return topics_of(session.execute(page))
    found = topics_of(session.execute(page.where(rowid > floor)))
    if len(found) == limit:
        return found
    cands = plan.candidates()
    assert cands is not None
    by_filter = (
        select(*TOPIC_COLUMNS)
        .where(TopicRow.deleted.is_(False), *conds, literal_column("+topic.rowid").in_(cands))
        .order_by(literal_column("topic.rowid").desc())
        .limit(limit)
        .offset(offset)
    )
    return topics_of(session.execute(by_filter))


def search_topics(
    store: Store,
    query: str,
    *,
    status: TopicStatus | str | None = None,
    source: TopicSource | str | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[Topic, ...]:
    """Topics matching every word of ``query`` and the filters, most recently
    recorded first (the order topics were written into this file, newest
    first; see the module docstring), then ``offset`` and ``limit``.

    An empty query lists all topics that pass the filters, in the same order.
    ``date_from`` and ``date_to`` are calendar days in China time (of
    ``received_at``), both included. Tombstoned topics are never returned."""
    if limit < 0 or offset < 0:
        raise ValidationError("分页参数不能为负数。")
    conds, plan = _filters(query, status=status, source=source, category=category, date_from=date_from, date_to=date_to)
    if limit == 0:
        return ()
    if not (plan.tri or plan.bi):
        with store.read() as session:
            q = (
                select(*TOPIC_COLUMNS)
                .where(TopicRow.deleted.is_(False), *conds)
                .order_by(literal_column("topic.rowid").desc())
                .limit(limit)
                .offset(offset)
            )
            return topics_of(session.execute(q))
    with _indexed_read(store) as session:
        return _page_by_index(session, plan, conds, limit=limit, offset=offset)


def count_topics(
    store: Store,
    query: str,
    *,
    status: TopicStatus | str | None = None,
    source: TopicSource | str | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> int:
    """How many topics ``search_topics`` would find with no limit."""
    conds, plan = _filters(query, status=status, source=source, category=category, date_from=date_from, date_to=date_to)
    cands = plan.candidates()
    reading = _indexed_read(store) if cands is not None else store.read()
    with reading as session:
        if cands is not None and not conds:
            # only words: count in the index, leaving out the few tombstones
            sub = cands.columns(rowid=Integer()).subquery()
            q = select(func.count()).select_from(sub).where(sub.c.rowid.not_in(text(_TOMBSTONES).columns(rowid=Integer())))
        else:
            q = select(func.count()).select_from(TopicRow).where(TopicRow.deleted.is_(False), *conds)
            if cands is not None:
                q = q.where(literal_column("topic.rowid").in_(cands))
        return int(session.scalar(q) or 0)
