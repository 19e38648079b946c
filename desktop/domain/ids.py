"""Identifiers born where a row is born: UUIDv7 ids and human tracking codes.

UUIDv7 (RFC 9562) puts a millisecond timestamp in the high bits, so ids sort
roughly by creation time and index well; the rest is random, so two PCs never
collide. Tracking codes are short, unambiguous and safe to read aloud on a phone.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import unicodedata
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(*, now_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7; ids made in the same millisecond by one process stay ordered."""
    global _last_ms, _counter
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = secrets.randbits(8)  # leave head-room for increments
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new row id as the canonical 36-character string."""
    return str(uuid7())


# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a resident reads the code from paper to a phone.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


def new_tracking_code(length: int = 8) -> str:
    """A random tracking code such as ``K7QW-M3XD`` (about 37 bits of entropy)."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_tracking_code(text: str) -> str:
    """What a resident typed, made comparable: full-width forms made plain
    (NFKC: a Chinese input method types ＱＴＸＭ－ＰＨ６４), upper case, spaces
    and dashes dropped, the hyphen restored. Only ASCII letters and digits
    stay, so no other script's "digit" can pass for one."""
    plain = unicodedata.normalize("NFKC", text or "").upper()
    cleaned = "".join(ch for ch in plain if ch.isascii() and ch.isalnum())
    if len(cleaned) != 8:
        return cleaned
    return f"{cleaned[:4]}-{cleaned[4:]}"
