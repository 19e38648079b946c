"""The canonical content of a meeting's minutes and its SHA-256 fingerprint.

Finalizing freezes exactly this content; the fingerprint is printed on the paper
minutes and shown on the county server's public page, which recomputes it from
the synced records with this same function. Only what the meeting decided and
recorded goes in: later progress on an action item does not change the minutes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from desktop.domain.clock import iso
from desktop.domain.entities import (
    ActionItem,
    AgendaItem,
    Meeting,
    Minutes,
    Outcome,
    Participant,
    Statement,
)

CANON_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class MinutesBundle:
    """Everything the minutes consist of, gathered for printing or hashing."""

    meeting: Meeting
    minutes: Minutes
    agenda: tuple[AgendaItem, ...]
    participants: tuple[Participant, ...]
    statements: tuple[Statement, ...]
    outcomes: tuple[Outcome, ...]
    action_items: tuple[ActionItem, ...]


def _d(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    return value.isoformat()


def _sorted(items: Iterable, key) -> list:
    return sorted(items, key=key)


def canonical_content(bundle: MinutesBundle) -> bytes:
    m = bundle.meeting
    doc = {
        "v": CANON_VERSION,
        "meeting": {
            "id": m.id,
            "title": m.title,
            "type": str(m.type),
            "serial_no": m.serial_no,
            "starts_at": _d(m.starts_at),
            "ends_at": _d(m.ends_at),
            "place": m.place,
            "convenor": m.convenor,
            "host": m.host,
            "recorder": m.recorder,
        },
        "minutes": {
            "id": bundle.minutes.id,
            "summary": bundle.minutes.summary,
            "closing": bundle.minutes.closing,
            "attachments_note": bundle.minutes.attachments_note,
        },
        "agenda": [
            {
                "id": a.id,
                "position": a.position,
                "topic_id": a.topic_id,
                "title": a.title,
                "background": a.background,
                "presenter": a.presenter,
            }
            for a in _sorted(bundle.agenda, lambda a: (a.position, a.id))
        ],
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "unit": p.unit,
                "role": str(p.role),
                "kind": str(p.kind),
                "attendance": str(p.attendance),
                "absence_reason": p.absence_reason,
            }
            for p in _sorted(bundle.participants, lambda p: p.id)
        ],
        "statements": [
            {
                "id": s.id,
                "agenda_item_id": s.agenda_item_id,
                "position": s.position,
                "speaker": s.speaker,
                "identity": s.identity,
                "summary": s.summary,
            }
            for s in _sorted(bundle.statements, lambda s: (s.agenda_item_id, s.position, s.id))
        ],
        "outcomes": [
            {
                "id": o.id,
                "agenda_item_id": o.agenda_item_id,
                "position": o.position,
                "text": o.text,
                "votes": [o.votes_for, o.votes_against, o.votes_abstain],
            }
            for o in _sorted(bundle.outcomes, lambda o: (o.agenda_item_id, o.position, o.id))
        ],
        "action_items": [
            {
                "id": a.id,
                "outcome_id": a.outcome_id,
                "title": a.title,
                "owner_unit": a.owner_unit,
                "responsible": a.responsible,
                "deadline": _d(a.deadline),
            }
            for a in _sorted(bundle.action_items, lambda a: a.id)
        ],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(bundle: MinutesBundle) -> str:
    """SHA-256 hex digest of the canonical content."""
    return hashlib.sha256(canonical_content(bundle)).hexdigest()
