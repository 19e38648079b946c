"""What the topics screen asks the services for, run on the database worker:
one page of topics for the current filters, and the likely duplicates of a
topic for the merge dialog. Uses ``desktop.storage.search`` when it is there
(full filters and text search) and plain keyset paging otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop.domain.entities import Topic
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.storage.services import topics as topic_service

OPEN_STATUSES = (TopicStatus.SUBMITTED, TopicStatus.ACCEPTED, TopicStatus.SCHEDULED)


@dataclass(frozen=True, slots=True)
class TopicFilter:
    status: TopicStatus | None = None
    source: TopicSource | None = None
    category: str = ""
    query: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def needs_search(self) -> bool:
        return bool(self.query or self.source or self.category or self.date_from or self.date_to)


def _search() -> Any:
    try:
        from desktop.storage import search
    except ImportError:
        return None
    return getattr(search, "search_topics", None)


def search_available() -> bool:
    return _search() is not None


def fetch_page(store: Any, flt: TopicFilter, *, after: tuple[datetime, str] | None, offset: int, limit: int) -> tuple[Topic, ...]:
    """One page, newest first. Keyset paging when only the status filters
    (stays fast at any depth); the search service otherwise."""
    search_topics = _search()
    if flt.needs_search and search_topics is not None:
        found = search_topics(
            store,
            flt.query,
            status=flt.status,
            source=flt.source,
            category=flt.category or None,
            date_from=flt.date_from,
            date_to=flt.date_to,
            limit=limit,
            offset=offset,
        )
        items = getattr(found, "items", found)
        return tuple(items)
    return topic_service.list_topics(store, status=flt.status, limit=limit, after=after)


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if not ch.isspace())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def duplicate_score(a: Topic, b: Topic) -> float:
    """How likely ``b`` is the same matter as ``a``: same address, same phone,
    similar words (character bigrams: Chinese has no spaces between words)."""
    score = 0.0
    if a.location and a.location == b.location:
        score += 2.0
    if a.submitter_phone and a.submitter_phone == b.submitter_phone:
        score += 2.0
    wa, wb = _bigrams(a.title + a.description[:200]), _bigrams(b.title + b.description[:200])
    if wa and wb:
        score += 3.0 * len(wa & wb) / len(wa | wb)
    if a.category and a.category == b.category:
        score += 0.3
    return score


def merge_candidates(store: Any, topic_id: str, *, limit: int = 30) -> tuple[Topic, ...]:
    """Open topics this one could be merged into, likely duplicates first."""
    topic = topic_service.get_topic(store, topic_id)
    pool: list[Topic] = []
    for status in OPEN_STATUSES:
        pool.extend(topic_service.list_topics(store, status=status, limit=500))
    pool = [t for t in pool if t.id != topic.id]
    pool.sort(key=lambda t: (-duplicate_score(topic, t), -t.received_at.timestamp()))
    return tuple(pool[:limit])
