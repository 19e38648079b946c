"""Deferring Python's full garbage collections while a big file is read and
imported on a background thread.

Why: a full (oldest-generation) collection runs on whichever thread happens
to allocate when it falls due, and it holds the interpreter lock from start
to end, walking every container object alive. Reading a 12345 file keeps one
or two objects per row alive until the rows are written, so a collection that
falls due on the database worker in the middle of an import walks all of
them: about 0.1 s at 6,000 rows with the window open (0.2-0.3 s without
``gc.freeze``), growing with the file. During that time the GUI thread cannot
run a single Python slot, so the window freezes (issue 6; measured in
tests/ui/test_responsive.py). Young collections stay on: they are short
(a few hundred objects) and still reclaim the cycles the work makes, and
whatever survives is looked at by the first full collection afterwards, when
the rows are gone again and it is short.

Process-wide, since the collector is; nested and concurrent users share one
count, and the last one out puts the threshold back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# gen-1 collections before a full one: out of reach for any file we accept
_NEVER = 1 << 30

_lock = threading.Lock()
_users = 0
_saved = 10


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """While inside, the collector makes no full collection by itself
    (``gc.collect()`` still does one)."""
    global _users, _saved
    with _lock:
        if _users == 0:
            g0, g1, _saved = gc.get_threshold()
            gc.set_threshold(g0, g1, _NEVER)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                g0, g1, _g2 = gc.get_threshold()
                gc.set_threshold(g0, g1, _saved)
