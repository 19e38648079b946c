"""Random access into the topics list (``topic_pages``): every page read by
keyset from its anchor, and the end read from the other end, is exactly that
slice of the whole list, newest first, with the filters applied and
tombstoned topics left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.storage import outbox
from desktop.storage.models import TopicRow
from desktop.storage.services import topic_pages, topics


@pytest.fixture
def listed(room_store):
    base = datetime(2026, 3, 1, tzinfo=UTC)
    ids = []
    for i in range(47):
        # pairs of topics share a moment, so the id has to break the tie
        at = base + timedelta(hours=i // 2)
        src = TopicSource.HOTLINE if i % 3 == 0 else TopicSource.WALK_IN
        ids.append(topics.record_topic(room_store, title=f"议题{i:02d}", source=src, received_at=at).value.id)
    topics.accept(room_store, ids[5])
    with room_store.write() as session:  # a tombstone must never show
        outbox.delete(session, session.get(TopicRow, ids[10]))
    return room_store


@pytest.mark.parametrize("filters", [{}, {"source": TopicSource.HOTLINE}, {"status": TopicStatus.SUBMITTED}])
def test_every_page_is_its_slice_of_the_whole_list(listed, filters):
    whole = topic_pages.topics_from(listed, start=None, limit=1000, **filters)
    assert "议题10" not in [t.title for t in whole]
    assert whole == tuple(sorted(whole, key=lambda t: (t.received_at, t.id), reverse=True))
    size = 7
    anchors = topic_pages.page_anchors(listed, every=size, **filters)
    assert len(anchors) == -(-len(whole) // size)
    for page, key in enumerate(anchors):
        assert topic_pages.topics_from(listed, start=key, limit=size, **filters) == whole[page * size : page * size + size]
    assert topic_pages.oldest_topics(listed, limit=size, **filters) == whole[-size:]


def test_status_filter_and_bad_page_sizes(listed):
    accepted = topic_pages.topics_from(listed, start=None, limit=10, status=TopicStatus.ACCEPTED)
    assert [t.title for t in accepted] == ["议题05"]
    for bad in (0, -1, 10**6):
        with pytest.raises(ValidationError):
            topic_pages.oldest_topics(listed, limit=bad)
