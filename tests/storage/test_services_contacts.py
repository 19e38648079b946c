"""The room's contacts: add, edit, search, delete (tombstone)."""

from __future__ import annotations

import pytest

from desktop.domain.enums import Role
from desktop.domain.errors import NotFound, ValidationError
from desktop.storage.models import PersonRow
from desktop.storage.services import contacts
from tests.storage.service_helpers import nothing_written


def test_add_edit_search_and_delete_people(room_store):
    chen = contacts.add_person(room_store, name="陈委员", unit="区政协", title="委员", role="cppcc_member", phone="138 0000 1111").value
    liu = contacts.add_person(room_store, name="刘经理", unit="恒通物业", role=Role.PROPERTY).value
    contacts.update_person(room_store, liu.id, phone="0517-83661234")
    assert [p.name for p in contacts.list_people(room_store)] == ["刘经理", "陈委员"]
    assert [p.name for p in contacts.list_people(room_store, search="物业")] == ["刘经理"]
    assert [p.name for p in contacts.list_people(room_store, search="0517")] == ["刘经理"]
    assert [p.name for p in contacts.list_people(room_store, role=Role.CPPCC_MEMBER)] == ["陈委员"]
    assert contacts.list_people(room_store, search="%") == ()
    contacts.delete_person(room_store, chen.id)
    assert [p.name for p in contacts.list_people(room_store)] == ["刘经理"]
    with room_store.read() as s:
        assert s.get(PersonRow, chen.id).deleted  # a tombstone, so other PCs hear of it
    with nothing_written(room_store), pytest.raises(NotFound):
        contacts.update_person(room_store, chen.id, name="陈")


def test_bad_contacts_are_refused(room_store):
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="请填写“姓名”"):
            contacts.add_person(room_store, name="\x1b[31m\x1b[0m".replace("[31m", "").replace("[0m", ""))
        with pytest.raises(ValidationError, match="联系电话"):
            contacts.add_person(room_store, name="某人", phone="138-xxxx")
        with pytest.raises(ValidationError, match="“姓名”太长了"):
            contacts.add_person(room_store, name="名" * 101)
    odd = contacts.add_person(room_store, name="王\x00小\u200b明😀", unit="  第一\n网格  ").value
    assert (odd.name, odd.unit) == ("王小明😀", "第一 网格")
