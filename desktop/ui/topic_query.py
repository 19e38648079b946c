"""What the topics screen asks the services for, run on the database worker:
the size and the pages of the topics list for the current filters (keyset
paging from ``topic_pages``, text queries through ``desktop.storage.search``),
and the likely duplicates of a topic for the merge dialog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.domain.entities import Topic
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.storage import search
from desktop.storage.services import topic_pages
from desktop.storage.services import topics as topic_service
from desktop.storage.services.topic_pages import Key

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


def search_available() -> bool:
    return True  # kept for the screen; the search service is part of storage now


def _filters(flt: TopicFilter) -> dict[str, Any]:
    return {
        "status": flt.status,
        "source": flt.source,
        "category": flt.category or None,
        "date_from": flt.date_from,
        "date_to": flt.date_to,
    }


def open_window(store: Any, flt: TopicFilter, *, size: int) -> tuple[int, tuple[Topic, ...]]:
    """How many topics the filter finds, and the first page (one worker job,
    so the first paint waits for one round trip only)."""
    total = search.count_topics(store, flt.query, **_filters(flt))
    if total == 0:
        return 0, ()
    if flt.query:
        return total, search.search_topics(store, flt.query, limit=size, **_filters(flt))
    return total, topic_pages.topics_from(store, start=None, limit=size, **_filters(flt))


def load_page(
    store: Any, flt: TopicFilter, *, page: int, size: int, total: int, anchors: tuple[Key, ...] | None
) -> tuple[tuple[Key, ...] | None, tuple[Topic, ...]]:
    """Page ``page`` of the list (rows ``page*size`` …), and the page anchors
    when they had to be read for it (the model keeps them for later pages).

    Without a text query: the first page from the top, the last from the
    other end of the index, any other by one seek from its anchor (keyset
    paging, never OFFSET). A text query pages through the search service."""
    start = page * size
    if flt.query:
        return None, search.search_topics(store, flt.query, limit=size, offset=start, **_filters(flt))
    if page == 0:
        return None, topic_pages.topics_from(store, start=None, limit=size, **_filters(flt))
    if start + size >= total:
        return None, topic_pages.oldest_topics(store, limit=max(1, total - start), **_filters(flt))
    fresh = None
    if anchors is None:
        anchors = fresh = topic_pages.page_anchors(store, every=size, **_filters(flt))
    if page >= len(anchors):
        return fresh, ()
    return fresh, topic_pages.topics_from(store, start=anchors[page], limit=size, **_filters(flt))


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
