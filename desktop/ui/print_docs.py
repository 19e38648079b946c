"""Which service data each printed meeting document needs, gathered on the
database worker: ``meeting_renderer(what, meeting_id, lang)`` gives a
``render(store) -> bytes`` and the preview's title."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

from desktop.storage.services import minutes, reads, rooms, topics


def meeting_renderer(what: str, meeting_id: str, lang: str) -> tuple[Callable[[Any], bytes], str]:
    def render(store: Any) -> bytes:
        room = rooms.require_room(store)
        meeting = reads.get_meeting(store, meeting_id)
        people = reads.participants_of(store, meeting_id)
        if what == "signin":
            from desktop.printing.signin import render_signin

            return render_signin(room=room, meeting=meeting, participants=people, lang=lang)
        items = reads.agenda_of(store, meeting_id)
        by_id = {a.topic_id: topics.get_topic(store, a.topic_id) for a in items if a.topic_id}
        if what == "agenda":
            from desktop.printing.agenda import render_agenda

            return render_agenda(room=room, meeting=meeting, agenda=items, topics=by_id, participants=people, lang=lang)
        from desktop.printing.minutes import render_minutes_record

        bundle = minutes.minutes_bundle(store, meeting_id)
        return render_minutes_record(bundle, room=room, server_url=room.server_url, topics_by_id=by_id, lang=lang)

    titles = {
        "agenda": QCoreApplication.translate("printing", "议程"),
        "signin": QCoreApplication.translate("printing", "签到表"),
        "minutes": QCoreApplication.translate("printing", "会议记录"),
    }
    return render, titles[what]
