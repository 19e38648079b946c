"""No resident's phone number or full name on anything public (issue 12).

The demo room (``yishi demo``) is enrolled and synced to the real county
server, and a resident submits one more matter from the phone form with her
name and number. Then every page anyone can open without a login is read as
a stranger would: the form and its answer, ``/t/{code}`` and
``/t/{room}/{code}`` of every topic, ``/m/`` of every finalized meeting, the
lookup form, the login page, and the statistics API as the county reads it;
and every public paper the room prints (``yishi export receipt`` of every
topic, ``notice`` of every finalized meeting, ``poster``) through pdftotext.
Each is searched for any run of digits of the demo's phone numbers (submitters
and contacts), for masks that keep digits (138****), and for the full names
of the residents who raised the topics."""

from __future__ import annotations

import html
import json
import re
import secrets
import subprocess
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop.storage.db import Store
from desktop.storage.models import MinutesRow
from desktop.storage.services import contacts, topics
from tests.cli.conftest import Yishi
from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.sync.helpers import enrollment_code, server_db

RESIDENT_NAME, RESIDENT_PHONE = "欧阳秀英", "13712345670"
RUN = 5  # five digits in a row of someone's number is already too many
# public service numbers printed on purpose, not anyone's phone: the 12345 hotline is a topic source
PUBLIC_NUMBERS = ("12345热线",)


class Demo:
    """The demo room on a PC, enrolled to the server: what the test searches for."""

    def __init__(self, pc: Yishi, room_code: str) -> None:
        self.pc, self.room_code = pc, room_code
        store = Store(pc.data_dir)
        try:
            self.topics = topics.list_topics(store)
            self.phones = {p for p in [t.submitter_phone for t in self.topics] + [p.phone for p in contacts.list_people(store)] if p}
            self.names = {t.submitter_name.strip() for t in self.topics if len(t.submitter_name.strip()) > 1}
            with store.read() as session:
                self.finalized = list(session.scalars(select(MinutesRow.meeting_id).where(MinutesRow.status == "finalized", MinutesRow.corrects_id.is_(None))))
        finally:
            store.close()


def _demo(srv, tmp_path: Path) -> Demo:  # type: ignore[no-untyped-def]
    from server.services.rooms import add_room

    pc = Yishi(tmp_path / "pc")
    assert pc("demo").returncode == 0
    room_id = pc.json("settings")["room_id"]  # type: ignore[index]
    code = f"P{secrets.token_hex(4).upper()}"
    add_room(server_db(srv), code=code, name="运河社区协商议事室", township="水渡口街道", county="清江浦区", room_id=room_id)
    out = pc("enroll", srv.base, enrollment_code(srv, code))
    assert out.returncode == 0, out.stderr
    status = json.loads(pc("sync", "--status", "--json").stdout)
    assert status["unsent"] == 0 and status["rejected"] == []
    demo = Demo(pc, code)
    assert len(demo.topics) >= 8 and demo.finalized and len(demo.phones) >= 15 and len(demo.names) >= 8
    return demo


def _leaks(text: str, *, phones: set[str], names: set[str]) -> list[str]:
    """What of the phones and names a reader finds in ``text``."""
    found = []
    for public in PUBLIC_NUMBERS:
        text = text.replace(public, "")
    # a record's id (a UUID in the county's JSON) is no phone number: with its dashes
    # taken out below, its hex digits would match a run of one by chance (…a757-0009-3703…)
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", " ", text)
    flat = re.sub(r"[\s\-–—]", "", text)  # a number split by spaces or dashes is still the number
    digits_of = ["".join(ch for ch in p if ch.isdigit()) for p in phones]
    for run in set(re.findall(r"\d{%d,}" % RUN, flat)):
        for d in digits_of:
            for i in range(len(d) - RUN + 1):
                if d[i : i + RUN] in run:
                    found.append(f"digits {run!r} of {d}")
    found += [f"masked digits {m!r}" for m in re.findall(r"\d+\*{2,}\d*|\*{2,}\d+", text)]  # 138****1234
    found += [f"name {n}" for n in names if n in text]
    return found


def _visible(page: str) -> str:
    """The text a phone shows, and every attribute value (a link, an input's value) too."""
    attrs = " ".join(re.findall(r'="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attrs)


def _check(what: str, text: str, demo: Demo) -> None:
    leaks = _leaks(text, phones=demo.phones | {RESIDENT_PHONE}, names=demo.names | {RESIDENT_NAME})
    assert not leaks, f"{what}: {leaks}"


def _get(s: requests.Session, url: str) -> str:
    r = s.get(url, timeout=60)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.text


def test_no_public_page_shows_a_phone_digit_or_a_residents_name(srv, tmp_path):
    demo = _demo(srv, tmp_path)
    s = srv.session()
    base, room = srv.base, demo.room_code
    _check("/r/", _visible(_get(s, f"{base}/r/{room}")), demo)

    # a resident leaves her name and number, and quotes the number in the description too
    answer = s.post(
        f"{base}/r/{room}",
        data={"title": "楼道灯不亮", "description": f"请打电话 {RESIDENT_PHONE[:3]} {RESIDENT_PHONE[3:7]} {RESIDENT_PHONE[7:]} 找{RESIDENT_NAME}", "location": "运河小区2号楼",
              "name": RESIDENT_NAME, "phone": RESIDENT_PHONE},
        timeout=60,
    )
    assert answer.status_code == 200 and "tracking-code" in answer.text, answer.text[:300]
    _check("the form's answer", _visible(answer.text), demo)
    code = re.search(r'id="tracking-code">([^<]+)<', answer.text).group(1)  # type: ignore[union-attr]
    for url in (f"{base}/t/{code}", f"{base}/t/{room}/{code}"):
        page = _get(s, url)
        assert "楼道灯不亮" in page and "提出人：居民" in page
        _check(url, _visible(page), demo)

    checked = 0
    for t in demo.topics:
        for url in (f"{base}/t/{room}/{t.tracking_code}", f"{base}/t/{t.tracking_code}"):
            page = _get(s, url)
            assert t.tracking_code in page and "提出人：居民" in page, url
            _check(f"{url} ({t.title})", _visible(page), demo)
            checked += 1
    for meeting_id in demo.finalized:
        page = _get(s, f"{base}/m/{meeting_id}")
        assert "会议记录指纹" in page
        _check(f"/m/{meeting_id}", _visible(page), demo)
    for path in ("/t", "/admin/login"):
        _check(path, _visible(_get(s, base + path)), demo)
    stats = requests.get(f"{base}/api/v1/stats", params={"start": "2016-01-01", "end": "2035-12-31"}, auth=(ADMIN_USER, ADMIN_PASSWORD), timeout=60)
    assert stats.status_code == 200
    _check("/api/v1/stats", stats.text, demo)
    assert checked == 2 * len(demo.topics)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def sqlite_only(sqlite_srv):  # type: ignore[no-untyped-def]
    """Printing happens on the PC: one server backend is enough to print its addresses."""
    return sqlite_srv


def test_no_public_paper_shows_a_phone_digit_or_a_residents_name(sqlite_only, tmp_path):
    demo = _demo(sqlite_only, tmp_path)
    papers: list[tuple[str, list[str]]] = [(f"receipt {t.tracking_code}", ["receipt", t.id]) for t in demo.topics]
    papers += [(f"notice {m}", ["notice", m]) for m in demo.finalized]
    papers.append(("poster", ["poster"]))
    for what, args in papers:
        pdf = tmp_path / f"{secrets.token_hex(4)}.pdf"
        out = demo.pc("export", *args, "-o", str(pdf))
        assert out.returncode == 0, (what, out.stderr)
        text = _pdf_text(pdf)
        assert len(text.strip()) > 20, what
        _check(what, text, demo)
    # the receipts name their submitters masked: the check above could have found them
    receipt = tmp_path / "one.pdf"
    t = next(t for t in demo.topics if len(t.submitter_name) == 3)
    assert demo.pc("export", "receipt", t.id, "-o", str(receipt)).returncode == 0
    assert t.submitter_name[0] + "*" + t.submitter_name[-1] in _pdf_text(receipt).replace(" ", "")


def test_the_search_finds_what_it_looks_for():
    """The leak search is not blind: the masks this issue removed, a number
    split by spaces, and a full name are all reported."""
    phones, names = {"13852301234"}, {"刘玉梅"}
    assert _leaks("联系电话：138****1234", phones=phones, names=names)
    assert _leaks("请打 138 5230 1234", phones=phones, names=names)
    assert _leaks("提出人：刘玉梅", phones=phones, names=names)
    assert _leaks("尾号 01234", phones=phones, names=names)
    assert not _leaks("提出人：居民　联系电话：***********　2026年12月3日 18:30　来源：12345热线", phones=phones, names=names)
    assert _leaks("来源：12345热线　电话 5230 1234", phones=phones, names=names)
