"""Benchmark: a 50-page minutes record (30 participants, 10 topics) made by
desktop.printing, against a bare reportlab document of the same text in the
same embedded font, built in the same run. Targets: at most 1.5x the bare
document's time, file at most 1 MB.

    .venv/bin/python bench/bench_printing.py
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402
from xml.sax.saxutils import escape  # noqa: E402

from desktop.printing import render_minutes_record  # noqa: E402
from desktop.printing.fonts import main_font  # noqa: E402
from tests.printing import samples as s  # noqa: E402

RUNS = 5


def bare_text(bundle) -> list[str]:
    """The same words the minutes print, as plain paragraphs."""
    m = bundle.meeting
    out = [s.room().name, "协商议事会会议记录", m.title, m.place, m.host, m.recorder]
    out += [p.name + p.unit for p in bundle.participants]
    for item in bundle.agenda:
        out += [item.title, item.background]
        out += [f"{st.speaker}（{st.identity}）：{st.summary}" for st in bundle.statements if st.agenda_item_id == item.id]
        out += [o.text for o in bundle.outcomes if o.agenda_item_id == item.id]
    out += [a.title + a.owner_unit + a.responsible for a in bundle.action_items]
    out += [bundle.minutes.closing, bundle.minutes.attachments_note]
    return out


def bare(texts: list[str]) -> bytes:
    style = ParagraphStyle("b", fontName=main_font(), fontSize=11.5, leading=19, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm, bottomMargin=20 * mm, initialFontName=main_font())
    doc.build([Paragraph(escape(t), style) for t in texts])
    return buf.getvalue()


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def main() -> int:
    bundle = s.bundle(n_topics=10, statements_per_topic=86, n_participants=30, finalized=True)
    room = s.room()
    texts = bare_text(bundle)
    main_font()  # font loading is a one-off for both, kept out of the timing
    ours_t, bare_t = [], []
    for _ in range(RUNS):  # interleaved, so load on the machine hits both alike
        t0 = time.perf_counter()
        pdf = render_minutes_record(bundle, room=room, server_url=s.SERVER, printed_at=s.PRINTED_AT)
        ours_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        base = bare(texts)
        bare_t.append(time.perf_counter() - t0)
    ours, baseline = statistics.median(ours_t), statistics.median(bare_t)
    print(f"minutes record: {pages(pdf)} pages, {len(bundle.participants)} participants, {len(bundle.agenda)} topics")
    print(f"  yishi   {ours:6.3f} s  {len(pdf) / 1024:7.1f} KiB")
    print(f"  bare    {baseline:6.3f} s  {len(base) / 1024:7.1f} KiB  ({pages(base)} pages)")
    print(f"  ratio   {ours / baseline:6.2f} x   (target <= 1.5)")
    print(f"  size    {len(pdf) / 1_000_000:6.3f} MB  (target <= 1)")
    return 0 if ours / baseline <= 1.5 and len(pdf) <= 1_000_000 else 1


if __name__ == "__main__":
    sys.exit(main())
