"""Every Chinese message of the non-Qt layers has its English translation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import i18n_sources  # noqa: E402


def test_every_message_outside_qt_has_an_english_translation():
    gaps = i18n_sources.missing()
    assert gaps == {}, "add these to resources/translations/en/*.json: " + ", ".join(f"{s!r} ({w})" for s, w in gaps.items())


def test_the_extractor_sees_error_messages(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('raise ValidationError("请填写“{field}”。", field="议题标题")\n', encoding="utf-8")
    assert i18n_sources.sources_in(f) == {"请填写“{field}”。", "议题标题"}
