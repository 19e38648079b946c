from __future__ import annotations

import uuid

from desktop.domain.ids import TRACKING_ALPHABET, new_tracking_code, normalize_tracking_code, uuid7
from desktop.domain.masking import mask_name, mask_phone


def test_uuid7_is_version_7_and_time_ordered():
    ids = [uuid7() for _ in range(2000)]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_tracking_codes_avoid_ambiguous_characters_and_normalize():
    code = new_tracking_code()
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(TRACKING_ALPHABET)
    assert normalize_tracking_code(" " + code.lower().replace("-", "") + " ") == code


def test_masking_of_names_and_phones():
    assert mask_name("张小华") == "张*华"
    assert mask_name("欧阳建国") == "欧**国"
    assert mask_name("李明") == "李*"
    # no digit at all (issue 12): 138****1234 gave away 7 of 11
    assert mask_phone("13812341234") == "*" * 11
    assert mask_phone("0517-83601234") == "*" * 12
    assert mask_phone("") == ""
