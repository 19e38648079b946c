"""Each printed paper, checked as a person would check it: its text read back by
pdftotext, every font embedded (pdffonts), a sound file (qpdf --check), and
every QR code decoded by zbarimg from the page rendered at 150 dpi."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from desktop.domain.minutes import fingerprint
from desktop.printing import (
    PrintingError,
    render_agenda,
    render_meeting_notice,
    render_minutes_record,
    render_minutes_summary,
    render_notice,
    render_poster,
    render_receipt,
    render_signin,
)
from tests.printing import pdftools, samples as s


def _sound(path) -> None:
    """Every font embedded (as a subset), and qpdf finds nothing wrong."""
    fonts = pdftools.fonts(path)
    assert fonts, "no font at all"
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), fonts
    check = pdftools.qpdf_check(path)
    assert check.returncode == 0, check.stdout + check.stderr


def _all_qr(path, tmp_path) -> list[list[str]]:
    return [pdftools.qr_codes(img) for img in pdftools.render(path, tmp_path)]


# ----------------------------------------------------------------- agenda
def test_agenda_gives_back_its_chinese_fields_and_masks_submitters(tmp_path):
    tl = s.topics(3)
    pdf = render_agenda(room=s.room(), meeting=s.meeting(), agenda=s.agenda(tl), topics={t.id: t for t in tl}, participants=s.participants(14), printed_at=s.PRINTED_AT)
    path = pdftools.save(pdf, tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    for expected in ("清江浦区水渡口社区协商议事室", "协商议事会议程", "议〔2026〕第7号", "2026年11月27日（星期五）上午9时30分至11时40分",
                     "水渡口社区党群服务中心二楼议事厅", "专题协商", "召集人孙喆", "主持人周旸", "记录人吴佳",
                     "王堃", "李喆", "张旸", "小区停车位不足，晚上消防通道被占", "查询码：K7M2Q9X0", "扫码提交", "提出人：张*华",
                     "时长：约30分钟", "宣布开会并通报到会情况", "明确落实责任", "散会", "打印时间：2026年11月27日下午3时05分"):
        assert expected in txt, expected
    # 出席 and 列席 apart: the observers (every 7th invitee) are listed after 列席
    assert txt.index("列席") > txt.index("出席")
    assert "赵玉兰" in txt[txt.index("列席"):]
    assert "张秀华" not in txt and "欧阳建国" not in txt
    pages = pdftools.pages_text(path)
    assert all(f"第{i}页共{len(pages)}页" in p.replace(" ", "") for i, p in enumerate(pages, 1))


def test_empty_fields_are_left_out_not_printed_blank(tmp_path):
    m = s.meeting(place="", recorder="", convenor="", serial_no=None)
    pdf = render_agenda(room=s.room(), meeting=m, agenda=[], topics={}, participants=[], printed_at=s.PRINTED_AT)
    txt = pdftools.text(pdftools.save(pdf, tmp_path))
    assert "主持人周旸" in txt
    for label in ("地点", "记录人", "召集人", "议〔", "出席", "列席"):
        assert label not in txt, label


# ----------------------------------------------------------------- sign-in
def test_signin_sheet_prefills_invitees_with_blank_rows_and_totals(tmp_path):
    people = s.participants(14, attended=False)
    pdf = render_signin(room=s.room(), meeting=s.meeting(), participants=people, blank_rows=6, printed_at=s.PRINTED_AT)
    path = pdftools.save(pdf, tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    for expected in ("协商议事会签到表", "序号", "姓名", "单位/身份", "职务", "联系电话", "签名", "备注", "出席人员", "列席及其他到会人员",
                     "王堃", "13900015678", "清江浦区住房和城乡建设局", "科长"):
        assert expected in txt, expected
    attendees = sum(1 for p in people if p.kind == "attendee")
    observers = len(people) - attendees
    assert f"应到{attendees}人，实到______人；列席{observers}人。" in txt
    # invited observers numbered 1..n, then the blank rows carry on the numbering
    assert str(observers + 6) in pdftools.pages_text(path)[-1]


# ----------------------------------------------------------------- minutes
def test_forty_page_minutes_are_numbered_right_on_every_page(tmp_path):
    b = s.bundle(n_topics=10, statements_per_topic=68, n_participants=30)
    path = pdftools.save(render_minutes_record(b, room=s.room(), server_url="", printed_at=s.PRINTED_AT), tmp_path)
    _sound(path)
    pages = pdftools.pages_text(path)
    assert len(pages) >= 40, len(pages)
    for i, page in enumerate(pages, 1):
        flat = page.replace(" ", "")
        assert f"第{i}页共{len(pages)}页" in flat, i
        assert "草稿：未定稿，仅供核对" in flat, i  # the draft's mark on every page
        assert "打印时间：2026年11月27日下午3时05分" in flat


def test_draft_minutes_carry_the_watermark_and_no_qr_code(tmp_path):
    b = s.bundle()
    path = pdftools.save(render_minutes_record(b, room=s.room(), server_url=s.SERVER, printed_at=s.PRINTED_AT), tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    assert "草稿：未定稿，仅供核对" in txt and "SHA-256" not in txt and "/m/" not in txt
    images = pdftools.render(path, tmp_path)
    assert [pdftools.qr_codes(img) for img in images] == [[] for _ in images]
    # the big diagonal 草稿 shows as a pink area across the middle of every page
    assert all(_pink_share(img) > 0.02 for img in images)


def _pink_share(image) -> float:
    from PIL import Image

    im = Image.open(image).convert("RGB").resize((120, 170))
    px = [im.getpixel((x, y)) for x in range(20, 100) for y in range(50, 120)]
    return sum(1 for r, g, b in px if r > 200 and r - g >= 12 and abs(g - b) < 20) / len(px)


def test_minutes_record_has_header_discussion_votes_outcomes_and_signatures(tmp_path):
    tl = s.topics(2)
    b = s.bundle()
    path = pdftools.save(render_minutes_record(b, room=s.room(), server_url="", topics_by_id={t.id: t for t in tl}, printed_at=s.PRINTED_AT), tmp_path)
    txt = pdftools.text(path)
    for expected in ("协商议事会会议记录", "2026年11月27日（星期五）上午9时30分至11时40分", "主持人周旸", "记录人吴佳",
                     "应到11人，实到10人", "缺席徐明亮（因病请假）", "议题一：小区停车位不足，晚上消防通道被占", "情况介绍", "讨论情况",
                     "王堃（居民代表）：我家住在3号楼顶层", "表决情况", "第1项：同意11票，反对0票，弃权1票。", "协商结果/议定事项",
                     "责任单位：水渡口社区居委会", "责任人：孙喆", "完成时限：2026年12月31日", "散会：上午11时40分，主持人宣布散会。",
                     "附件：", "现场照片12张", "主持人（签字）：", "记录人（签字）："):
        assert expected in txt, expected
    # an internal paper: participants' names in full
    assert "王堃" in txt


def test_finalized_minutes_carry_fingerprint_and_a_qr_to_their_public_page(tmp_path):
    b = s.bundle(finalized=True)
    for render in (render_minutes_record, render_minutes_summary):
        path = pdftools.save(render(b, room=s.room(), server_url=s.SERVER + "/", printed_at=s.PRINTED_AT), tmp_path, render.__name__ + ".pdf")
        _sound(path)
        txt = pdftools.text(path)
        digest = fingerprint(b)
        assert digest[:32] in txt and digest[32:] in txt
        assert "草稿" not in txt
        assert all(_pink_share(img) < 0.005 for img in pdftools.render(path, tmp_path, dpi=40))
        codes = [c for page in _all_qr(path, tmp_path) for c in page]
        assert codes == [f"{s.SERVER}/m/{b.meeting.id}"]
        pages = pdftools.pages_text(path)
        assert all(f"定稿指纹{digest[:16]}" in p.replace(" ", "") for p in pages)


def test_finalized_minutes_without_a_server_are_the_archive_copy_without_a_qr(tmp_path):
    """A room not yet connected to the county server still prints its finalized
    minutes for the archive: fingerprint and a plain note, no QR, no watermark."""
    b = s.bundle(finalized=True)
    path = pdftools.save(render_minutes_record(b, room=s.room(), server_url="", printed_at=s.PRINTED_AT), tmp_path)
    assert [c for page in _all_qr(path, tmp_path) for c in page] == []
    flat = pdftools.text(path).replace(" ", "").replace("\n", "")
    assert "尚未连接县级服务器" in flat and "核验地址" not in flat and "草稿" not in flat
    assert (b.minutes.sha256 or fingerprint(b))[:32] in flat


def test_finalized_minutes_with_changed_content_are_refused():
    b = s.bundle(finalized=True)
    tampered = replace(b, outcomes=b.outcomes[:-1])
    with pytest.raises(PrintingError, match="指纹"):
        render_minutes_summary(tampered, room=s.room(), server_url=s.SERVER)


def test_summary_says_what_the_meeting_held_and_agreed(tmp_path):
    b = s.bundle()
    txt = pdftools.text(pdftools.save(render_minutes_summary(b, room=s.room(), server_url="", printed_at=s.PRINTED_AT), tmp_path))
    for expected in ("协商纪要", "一、会议认为", "停车难和屋面渗漏是居民反映最集中的两件事", "二、会议议定",
                     "1.由社区牵头", "4.3号楼屋面防水维修", "完成时限：2026年12月31日", "会议由周旸主持。", "草稿：未定稿"):
        assert expected in txt, expected


# ----------------------------------------------------------------- public papers
PRIVATE = ("张秀华", "13812341234", "138 1234 1234")


def test_receipt_has_code_masked_submitter_and_qr_to_the_tracking_page(tmp_path):
    topic = replace(s.topics(1)[0], description="张秀华反映：晚上7点以后消防通道被占，联系电话138 1234 1234。")
    path = pdftools.save(render_receipt(room=s.room(), topic=topic, server_url=s.SERVER, printed_at=s.PRINTED_AT), tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    for expected in ("议题受理回执", "查询码：K7M2Q9X0", "张*华", "***********", "登记日期2026年11月15日", "接下来", "张*华反映"):
        assert expected in txt, expected
    for private in PRIVATE:
        assert private.replace(" ", "") not in txt, private
    assert _all_qr(path, tmp_path) == [[f"{s.SERVER}/t/QJP-001/K7M2Q9X0"]]


def test_notice_masks_residents_but_prints_the_supervision_phone(tmp_path):
    b = s.bundle(finalized=True)
    topic = s.topics(1)[0]
    outs = [o for o in b.outcomes if o.agenda_item_id == "a-1"]
    outs[0] = replace(outs[0], text=outs[0].text + "有问题请联系张秀华13812341234。")
    acts = [a for a in b.action_items if a.outcome_id in {o.id for o in outs}]
    pdf = render_notice(room=s.room(), topic=topic, outcomes=outs, action_items=acts, server_url=s.SERVER,
                        supervision_phone="0517-83661234", meeting=b.meeting, printed_at=s.PRINTED_AT)
    path = pdftools.save(pdf, tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    for expected in ("协商结果公示", "小区停车位不足", "张*华", "协商结果", "落实事项", "施划禁停线并安装监控", "水渡口社区居委会",
                     "2026年12月31日", "监督电话：0517-83661234", "张*华***********"):
        assert expected in txt, expected
    for private in PRIVATE:
        assert private.replace(" ", "") not in txt, private
    assert _all_qr(path, tmp_path) == [[f"{s.SERVER}/t/QJP-001/K7M2Q9X0"]]


def test_meeting_notice_has_one_notice_per_topic_each_with_its_own_qr(tmp_path):
    b = s.bundle(n_topics=2)
    tl = s.topics(2)
    pdf = render_meeting_notice(room=s.room(), meeting=b.meeting, agenda=b.agenda, topics={t.id: t for t in tl}, outcomes=b.outcomes,
                                action_items=b.action_items, server_url=s.SERVER, supervision_phone="", printed_at=s.PRINTED_AT)
    path = pdftools.save(pdf, tmp_path)
    codes = [c for page in _all_qr(path, tmp_path) for c in page]
    assert codes == [f"{s.SERVER}/t/QJP-001/{t.tracking_code}" for t in tl]
    txt = pdftools.text(path)
    assert "欧**国" in txt and "欧阳建国" not in txt and "监督电话" not in txt


def test_poster_has_a_big_qr_the_room_code_and_three_steps(tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode

    path = pdftools.save(render_poster(room=s.room(), server_url=s.SERVER, printed_at=s.PRINTED_AT), tmp_path)
    _sound(path)
    txt = pdftools.text(path)
    for expected in ("清江浦区水渡口社区协商议事室", "扫码说事·有事好商量", "议事室编码：QJP-001", "①", "②", "③", "扫一扫", "查询码"):
        assert expected in txt, expected
    images = pdftools.render(path, tmp_path)
    assert len(images) == 1 and pdftools.qr_codes(images[0]) == [f"{s.SERVER}/r/QJP-001"]
    # big: the code itself (without its white margin) at least 8 cm wide (150 dpi: 1 cm = 59 px)
    (found,) = decode(Image.open(images[0]))
    assert found.rect.width >= 472


@pytest.mark.parametrize("kind", ["receipt", "poster", "notice"])
def test_public_papers_are_refused_without_a_server_address(kind):
    topic = s.topics(1)[0]
    with pytest.raises(PrintingError, match="yishi settings --server-url"):
        if kind == "receipt":
            render_receipt(room=s.room(), topic=topic, server_url="")
        elif kind == "poster":
            render_poster(room=s.room(), server_url="  ")
        else:
            render_notice(room=s.room(), topic=topic, outcomes=[], action_items=[], server_url="", supervision_phone="")


def test_afternoon_and_english_dates():
    from desktop.printing.layout import cn_datetime, cn_span

    start = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 14:00 in China
    assert cn_span(start, datetime(2026, 11, 27, 8, 30, tzinfo=UTC)) == "2026年11月27日（星期五）下午2时00分至4时30分"
    assert cn_span(datetime(2026, 11, 27, 2, 0, tzinfo=UTC), start) == "2026年11月27日（星期五）上午10时00分至下午2时00分"
    assert cn_datetime(start, "en") == "2026-11-27 14:00"


def test_english_paper_speaks_english(tmp_path):
    pdf = render_poster(room=s.room(), server_url=s.SERVER, lang="en", printed_at=s.PRINTED_AT)
    txt = pdftools.text(pdftools.save(pdf, tmp_path))
    assert "Roomcode:QJP-001" in txt and "扫码说事" not in txt
