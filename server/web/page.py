"""The page frame shared by every HTML page: one inline stylesheet made for a
cheap phone and an elderly reader (large type, big touch targets, high
contrast), escaping helpers and China-time dates."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from fastapi.responses import HTMLResponse

from desktop.domain.clock import to_local
from desktop.i18n import tr

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;
font-size:20px;line-height:1.6;color:#1a1a1a;background:#f4f1ea}
header{background:#b71c1c;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:24px;line-height:1.35}
header p{margin:4px 0 0;font-size:17px;opacity:.95}
main{max-width:760px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:10px;padding:16px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
label{display:block;font-weight:bold;margin:18px 0 6px}
label .opt{font-weight:normal;color:#555;font-size:17px}
.hint{color:#555;font-size:17px;margin:4px 0 0}
input[type=text],input[type=tel],input[type=password],input[type=date],select,textarea{width:100%;font-size:20px;
padding:12px;border:2px solid #888;border-radius:8px;background:#fff;color:#1a1a1a}
input:focus,select:focus,textarea:focus{border-color:#b71c1c;outline:3px solid #f8c9c9}
input[type=file]{font-size:18px;width:100%;padding:10px 0}
textarea{min-height:140px}
button,.button{display:block;width:100%;margin:24px 0 8px;padding:16px;font-size:22px;font-weight:bold;color:#fff;
background:#b71c1c;border:0;border-radius:10px;text-align:center;text-decoration:none}
.button.secondary{background:#fff;color:#b71c1c;border:2px solid #b71c1c}
.error{background:#fff3f3;border:2px solid #b71c1c;color:#8a1010;border-radius:8px;padding:12px 14px;margin:0 0 16px}
.ok{background:#eef8ee;border:2px solid #2e7d32;border-radius:8px;padding:12px 14px}
.code{font-family:"DejaVu Sans Mono",monospace;font-size:38px;font-weight:bold;letter-spacing:4px;text-align:center;
background:#fff8e1;border:2px dashed #b28704;border-radius:8px;padding:10px;margin:10px 0;word-break:break-all}
.hp{position:absolute;left:-5000px;width:1px;height:1px;overflow:hidden}
ol.steps{list-style:none;padding:0;margin:0}
ol.steps li{border-left:4px solid #b71c1c;padding:4px 0 12px 14px;margin-left:6px}
ol.steps li .when{color:#555;font-size:17px;display:block}
ol.steps li b{font-size:21px}
.status{font-size:24px;font-weight:bold;color:#b71c1c}
table{border-collapse:collapse;width:100%;font-size:17px;background:#fff}
th,td{border:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0e6e6}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.fp{font-family:monospace;font-size:16px;word-break:break-all}
nav a{color:#fff;margin-right:14px}
.wide main{max-width:1200px}
.notice{background:#f7f4ee;border:1px solid #d8cfc0;border-radius:8px;padding:10px 14px;margin:20px 0 0;font-size:17px;line-height:1.55}
.notice h2{font-size:18px;margin:0 0 4px}
.notice ul{margin:0;padding:0;list-style:none}
.notice li{margin:4px 0}
"""


def h(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def fmt_dt(dt: datetime | None) -> str:
    if dt is None:
        return ""
    local = to_local(dt)
    return tr("{y}年{m}月{d}日 {hh:02d}:{mm:02d}", y=local.year, m=local.month, d=local.day, hh=local.hour, mm=local.minute)


def fmt_date(d: date | None) -> str:
    if d is None:
        return ""
    return tr("{y}年{m}月{d}日", y=d.year, m=d.month, d=d.day)


def page(title: str, body: str, *, subtitle: str = "", status: int = 200, wide: bool = False, nav: str = "") -> HTMLResponse:
    """A whole HTML document. ``body`` and ``nav`` must already be escaped."""
    doc = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        # nothing here is for search engines: the QR poster is the way in (and /t/ pages are personal)
        '<meta name="robots" content="noindex">'
        f"<title>{h(title)}</title><style>{CSS}</style></head>"
        f'<body{" class=wide" if wide else ""}><header>{nav}<h1>{h(title)}</h1>'
        + (f"<p>{h(subtitle)}</p>" if subtitle else "")
        + f"</header><main>{body}</main></body></html>"
    )
    return HTMLResponse(
        doc,
        status_code=status,
        headers={
            # no scripts, no outside resources: a stored XSS would have nowhere to run
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def error_page(message: str, *, status: int, back: str = "") -> HTMLResponse:
    body = f'<div class="error">{h(message)}</div>'
    if back:
        body += f'<a class="button secondary" href="{h(back)}">{h(tr("返回"))}</a>'
    return page(tr("出错了"), body, status=status)
