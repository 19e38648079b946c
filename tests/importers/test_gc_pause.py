"""No full garbage collection while a big file is imported (it would hold the
interpreter lock for its whole walk over the rows, and the window with it:
issue 6), and the collector is set back afterwards, nested or not."""

from __future__ import annotations

import gc
import threading

from desktop.importers.gc_pause import full_collections_deferred
from desktop.storage.services import topics
from desktop.storage.services.imports import import_hotline
from tests.ui.test_import_dialog import hotline_csv


def test_thresholds_come_back_after_nested_use():
    before = gc.get_threshold()
    with full_collections_deferred():
        inside = gc.get_threshold()
        with full_collections_deferred():
            assert gc.get_threshold() == inside
        assert gc.get_threshold() == inside  # the outer user is still inside
    assert inside[:2] == before[:2] and inside[2] > before[2]
    assert gc.get_threshold() == before


def test_a_big_import_makes_no_full_collection(room_store, tmp_path):
    file = hotline_csv(tmp_path / "12345.csv", 3000)
    full: list[str] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(threading.current_thread().name)

    # a full collection falls due at any moment of a long day (in the window
    # one did in the middle of a 6,000-row import); here it is made due after
    # every second young collection, so an import without the deferral would
    # make several
    saved = gc.get_threshold()
    gc.freeze()
    gc.collect()
    gc.set_threshold(saved[0], saved[1], 1)
    gc.callbacks.append(watch)
    try:
        dry = import_hotline(room_store, file, dry_run=True)
        report = import_hotline(room_store, file)
    finally:
        gc.callbacks.remove(watch)
        gc.set_threshold(*saved)
        gc.unfreeze()
    assert dry.imported == report.imported == 3000
    assert len(topics.list_topics(room_store)) == 3000
    assert full == []
