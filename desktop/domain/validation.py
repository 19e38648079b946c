"""Cleaning of text that people type or files bring: control characters out,
lengths bounded, so nothing odd reaches the database, a PDF or a web page.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.domain.errors import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

TITLE_MAX = 200
TEXT_MAX = 100_000
SHORT_MAX = 200


def clean_text(value: str | None, *, field: str, max_len: int = TEXT_MAX, multiline: bool = True) -> str:
    """Text without control characters (line breaks kept when multiline)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("“{field}”应为文字。", field=field)
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > max_len:
        raise ValidationError("“{field}”太长了：最多{max}个字，现在有{n}个字。", field=field, max=max_len, n=len(text))
    return text


def required_text(value: str | None, *, field: str, max_len: int = TITLE_MAX, multiline: bool = False) -> str:
    text = clean_text(value, field=field, max_len=max_len, multiline=multiline)
    if not text:
        raise ValidationError("请填写“{field}”。", field=field)
    return text


_PHONE = re.compile(r"^[0-9+\-() ]{3,20}$")


def clean_phone(value: str | None) -> str:
    text = clean_text(value, field="联系电话", max_len=40, multiline=False)
    if text and not _PHONE.match(text):
        raise ValidationError("联系电话“{phone}”看起来不对：只能有数字、空格、+ 和 -。", phone=text[:40])
    return text
