"""The page every printed paper shares: A4, the bundled font, paragraph styles,
the footer (第x页 共y页 and the print time), the 草稿 watermark of drafts, a
vector QR code flowable, Chinese dates, and the check that a document that
needs the county server's address has one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Sequence

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from desktop.domain import clock
from desktop.domain.errors import DomainError
from desktop.i18n import tr_for
from desktop.printing.fonts import main_font, markup

from reportlab.lib import textsplit  # noqa: E402

# reportlab's CJK line breaking knows Japanese punctuation only; without these a
# line could start with a full-width comma or closing bracket (禁则)
textsplit.ALL_CANNOT_START += "，。、；：？！）》」』】〕〉…％·→"

PAGE_W, PAGE_H = A4
MARGIN_X = 25 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
GREY = colors.Color(0.35, 0.35, 0.35)


class PrintingError(DomainError):
    """A paper cannot be made as asked; nothing was printed."""


def in_language(lang: str) -> Callable[..., str]:
    """``tr`` for one paper's language (named ``tr`` where used, so
    tools/i18n_sources.py finds the strings)."""
    return lambda source, /, **params: tr_for(lang, source, **params)


def require_server(server_url: str, *, what: str) -> str:
    """The county server's address without a trailing slash, or a clear refusal."""
    url = (server_url or "").strip().rstrip("/")
    if not url:
        raise PrintingError(
            "还没有设置县级服务器地址，无法生成{what}的二维码。请先运行 yishi settings --server-url 服务器地址（或在设置中填写）。",
            what=what,
        )
    return url


# ----------------------------------------------------------------- text
@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    indent: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    small_cell: ParagraphStyle
    right: ParagraphStyle
    center: ParagraphStyle
    small_center: ParagraphStyle


def styles() -> Styles:
    font = main_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK", alignment=TA_LEFT)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=11, leading=16, alignment=TA_CENTER, textColor=GREY),
        heading=ParagraphStyle("heading", parent=body, fontSize=13.5, leading=22, spaceBefore=8, spaceAfter=2),
        body=body,
        # Chinese paragraphs open with a two-character indent; reportlab drops
        # leading ideographic spaces, so the indent is in the style
        indent=ParagraphStyle("indent", parent=body, firstLineIndent=2 * 11.5),
        note=ParagraphStyle("note", parent=body, fontSize=9, leading=13, textColor=GREY, leftIndent=2 * 11.5),
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=13, textColor=GREY),
        cell=ParagraphStyle("cell", parent=body, fontSize=10, leading=14),
        small_cell=ParagraphStyle("small_cell", parent=body, fontSize=8.5, leading=11),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        center=ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        small_center=ParagraphStyle("small_center", parent=body, fontSize=9, leading=13, textColor=GREY, alignment=TA_CENTER),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user data: escaped, rare characters in a fallback font,
    line breaks kept."""
    return Paragraph(markup(text).replace("\n", "<br/>"), style)


def field_rows(pairs: Sequence[tuple[str, str]], st: Styles, *, label_width: float = 22 * mm) -> Table | None:
    """A two-column header block; fields with no value are left out, not printed blank."""
    rows = [[para(label, st.body), para(value, st.body)] for label, value in pairs if value and value.strip()]
    if not rows:
        return None
    table = Table(rows, colWidths=[label_width, PAGE_W - 2 * MARGIN_X - label_width], hAlign="LEFT")
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def table_style(commands: list) -> TableStyle:
    """A TableStyle in our font (reportlab's default, Helvetica, would be set
    for every cell and land in the PDF unembedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), main_font())] + commands)


# ----------------------------------------------------------------- dates
_CN_WEEKDAYS = "一二三四五六日"


def cn_date(value: date | datetime, lang: str = "zh") -> str:
    if isinstance(value, datetime):
        value = clock.to_local(value).date()
    if lang != "zh":
        return value.isoformat()
    return f"{value.year}年{value.month}月{value.day}日"


def _cn_clock(dt: datetime, *, with_period: bool = True) -> str:
    period = "上午" if dt.hour < 12 else "下午"
    hour = dt.hour if dt.hour <= 12 else dt.hour - 12
    return f"{period if with_period else ''}{hour}时{dt.minute:02d}分"


def cn_datetime(value: datetime, lang: str = "zh") -> str:
    """2026年11月27日 下午3时05分 (ISO-like in English)."""
    local = clock.to_local(value)
    if lang != "zh":
        return local.strftime("%Y-%m-%d %H:%M")
    return f"{cn_date(local)} {_cn_clock(local)}"


def cn_span(start: datetime, end: datetime | None, lang: str = "zh") -> str:
    """2026年11月27日（星期五）上午9时30分至11时30分."""
    s = clock.to_local(start)
    if lang != "zh":
        text = s.strftime("%Y-%m-%d (%a) %H:%M")
        if end is not None:
            e = clock.to_local(end)
            text += " – " + (e.strftime("%H:%M") if e.date() == s.date() else e.strftime("%Y-%m-%d %H:%M"))
        return text
    text = f"{cn_date(s)}（星期{_CN_WEEKDAYS[s.weekday()]}）{_cn_clock(s)}"
    if end is not None:
        e = clock.to_local(end)
        if e.date() != s.date():
            text += f"至{cn_date(e)}{_cn_clock(e)}"
        else:
            same_period = (s.hour < 12) == (e.hour < 12)
            text += "至" + _cn_clock(e, with_period=not same_period)
    return text


# ----------------------------------------------------------------- QR
class QrCode(Flowable):
    """A QR code drawn as vector squares (sharp at any printer resolution)."""

    def __init__(self, data: str, size: float, *, caption: str = "", caption_size: float = 9) -> None:
        super().__init__()
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
        qr.add_data(data)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()
        self.data = data
        self.size = size
        self.caption = caption
        self.caption_size = caption_size
        self.width = size
        self.height = size + (caption_size * 1.6 if caption else 0)
        self.hAlign = "CENTER"

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        n = len(self.matrix)
        cell = self.size / n
        top = self.height
        c.saveState()
        c.setFillColor(colors.white)
        c.rect(0, top - self.size, self.size, self.size, stroke=0, fill=1)
        c.setFillColor(colors.black)
        path = c.beginPath()
        for r, row in enumerate(self.matrix):
            x = 0
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    # runs merged so the rasteriser leaves no seams between modules
                    path.rect(start * cell, top - (r + 1) * cell, (x - start) * cell, cell)
                else:
                    x += 1
        c.drawPath(path, stroke=0, fill=1)
        if self.caption:
            c.setFont(main_font(), self.caption_size)
            c.drawCentredString(self.size / 2, 0, self.caption)
        c.restoreState()


# ----------------------------------------------------------------- document
def _numbered_canvas(footer_left: str, footer_right: str, page_label: str, fingerprint_note: str):
    class NumberedCanvas(Canvas):
        """Holds each page until the end so the footer can say 共y页."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(main_font(), 8.5)
            self.setFillColor(GREY)
            y = MARGIN_BOTTOM - 9 * mm
            self.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
            self.setLineWidth(0.4)
            self.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
            if footer_left:
                self.drawString(MARGIN_X, y, footer_left)
            self.setFont(main_font(), 9.5)
            self.setFillColor(colors.black)
            self.drawCentredString(PAGE_W / 2, y, page_label.format(page=self._pageNumber, total=total))
            self.setFont(main_font(), 8.5)
            self.setFillColor(GREY)
            if footer_right:
                self.drawRightString(PAGE_W - MARGIN_X, y, footer_right)
            if fingerprint_note:
                self.setFont(main_font(), 7)
                self.drawRightString(PAGE_W - MARGIN_X, y - 3.6 * mm, fingerprint_note)
            self.restoreState()

    return NumberedCanvas


def _watermark(text: str, note: str):
    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.13))
        canvas.setFont(main_font(), 120)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -40, text)
        canvas.restoreState()
        # the same word level at the top too: text extraction skips diagonal text
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1))
        canvas.setFont(main_font(), 9)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 12 * mm, note)
        canvas.restoreState()

    return on_page


def build_pdf(
    story: list,
    *,
    title: str,
    author: str,
    lang: str,
    printed_at: datetime | None,
    watermark: str = "",
    footer_left: str = "",
    fingerprint_note: str = "",
    page_numbers: bool = True,
    margins: tuple[float, float, float, float] | None = None,
) -> bytes:
    """Lay ``story`` out on A4 pages and return the PDF bytes."""
    main_font()
    left, right, top, bottom = margins or (MARGIN_X, MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=title, author=author, creator="Yishi 议事", subject=title, initialFontName=main_font(), lang="zh-CN" if lang == "zh" else "en",
    )
    frame = Frame(left, bottom, PAGE_W - left - right, PAGE_H - top - bottom, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_watermark(watermark, tr_for(lang, "{mark}：未定稿，仅供核对", mark=watermark)) if watermark else (lambda c, d: None))])
    printed = tr_for(lang, "打印时间：{time}", time=cn_datetime(printed_at or clock.now(), lang))
    if page_numbers:
        maker = _numbered_canvas(footer_left, printed, tr_for(lang, "第{page}页 共{total}页"), fingerprint_note)
        doc.build(story, canvasmaker=maker)
    else:
        doc.build(story)
    return buf.getvalue()


def spacer(h_mm: float) -> Spacer:
    return Spacer(1, h_mm * mm)
