"""Masking of residents' personal data on everything public (notices, posters,
receipts, public web pages).

A name is masked to its first and last character (张*华); the public web pages
go further and show a submitter only as 居民 (the form promises nothing more).
A phone number keeps no digit at all: ``138****5678`` gives away 7 of 11
digits, and with the room (a few thousand households) and the rest of the page
that is close to the whole number. A mask of stars still tells a reader that a
number was left, which is all a public paper needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PUBLIC_SUBMITTER = "居民"

# a mobile (1[3-9]x + 8 digits) or a landline with its area code (0xx[x]-7/8 digits), spaces or dashes inside
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d(?:[ -]?\d){8}|0\d{2,3}[ -]?\d{7,8})(?!\d)")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """A star per digit, so a paper shows that a number was left and nothing of it."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return "*" * len(digits)


def public_submitter(name: str, *, shown: bool = False) -> str:
    """How a public web page names whoever raised a topic: the name they chose
    to show if they chose to, else 居民 (a Chinese term: translate it when shown)."""
    name = " ".join((name or "").split())
    return name if shown and name else PUBLIC_SUBMITTER


def scrub_text(text: str, *, names: Iterable[str] = (), phones: Iterable[str] = ()) -> str:
    """Free text for a public page: every phone-like number starred, the given
    phones wherever they appear (however written), and the given full names
    masked, should a description or a title quote them."""
    out = _PHONE.sub(lambda m: mask_phone(m.group(0)), text or "")
    for phone in phones:
        digits = "".join(ch for ch in (phone or "") if ch.isdigit())
        if len(digits) >= 5:
            out = out.replace(digits, mask_phone(digits))
    for name in names:
        name = (name or "").strip()
        if len(name) > 1:
            out = out.replace(name, mask_name(name))
    return out
