"""The room's contacts (通讯录): people invited to meetings again and again.
Deleting leaves a tombstone so the other PCs of the room hear of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop.domain.entities import Person, Result
from desktop.domain.enums import Role
from desktop.domain.ids import new_id
from desktop.domain.validation import clean_phone, clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import PersonRow
from desktop.storage.services.common import get_live, result, room_of
from desktop.storage.services.guards import only_fields
from desktop.storage.services.participants import role_of


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = required_text(value, field="姓名", max_len=100)
        elif key == "unit":
            out[key] = clean_text(value, field="单位", max_len=200, multiline=False)
        elif key == "title":
            out[key] = clean_text(value, field="职务", max_len=100, multiline=False)
        elif key == "role":
            out[key] = role_of(value)
        elif key == "phone":
            out[key] = clean_phone(value)
    return out


def add_person(store: Store, *, name: str, unit: str = "", title: str = "", role: Role | str = Role.OTHER, phone: str = "") -> Result:
    values = _clean(dict(name=name, unit=unit, title=title, role=role, phone=phone))
    with store.write() as session:
        row = PersonRow(id=new_id(), room_id=room_of(session).id, **values)
        outbox.insert(session, row)
        return result(session, row)


def update_person(store: Store, person_id: str, **fields: Any) -> Result:
    only_fields(fields, ("name", "unit", "title", "role", "phone"))
    values = _clean(fields)
    with store.write() as session:
        row = get_live(session, PersonRow, person_id)
        outbox.update(session, row, **values)
        return result(session, row)


def delete_person(store: Store, person_id: str) -> Result:
    """Remove from the contacts; meetings they attended keep their name."""
    with store.write() as session:
        row = get_live(session, PersonRow, person_id)
        outbox.delete(session, row)
        return result(session, row)


def list_people(store: Store, *, role: Role | None = None, search: str | None = None) -> tuple[Person, ...]:
    """Contacts by name; ``search`` matches part of the name, unit or phone."""
    with store.read() as session:
        q = select(PersonRow).where(PersonRow.deleted.is_(False))
        if role is not None:
            q = q.where(PersonRow.role == role)
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            q = q.where(
                PersonRow.name.like(pattern, escape="\\")
                | PersonRow.unit.like(pattern, escape="\\")
                | PersonRow.phone.like(pattern, escape="\\")
            )
        return tuple(to_domain(r) for r in session.scalars(q.order_by(PersonRow.name, PersonRow.id)))
