"""``yishi settings`` (the room's settings, the county server's address) and
``yishi export`` (printed papers as PDF files): agenda, sign-in sheet, minutes
record and summary, results notice, intake receipt and the room's QR poster.

Data comes from the services, papers from ``desktop.printing``. Before a
paper is written, characters that no font on this PC can print are named in
a warning; the file is written to a temporary name and renamed, so a failed
export never leaves half a PDF behind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from desktop.cli import EXIT_BAD_INPUT, CliError, open_store
from desktop.domain.entities import Topic
from desktop.domain.errors import NotFound
from desktop.i18n import tr

SUPERVISION_PHONE = "supervision_phone"  # key in the settings table
MEETING_KIND_LABELS = {
    "agenda": "议程",
    "signin": "签到表",
    "minutes": "会议记录",
    "summary": "协商纪要",
    "notice": "结果公示",
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("settings", parents=[common], help=tr("查看或修改本议事室的设置（县级服务器地址等）"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.add_argument("--server-url", metavar="URL", help=tr("设置县级服务器地址，如 https://xieshang.example.gov.cn"))
    p.add_argument("--supervision-phone", metavar="PHONE", help=tr("设置结果公示上的监督电话"))
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("export", parents=[common], help=tr("导出打印用的 PDF：议程、签到表、会议记录、纪要、公示、回执、海报"))
    kinds = p.add_subparsers(dest="kind", metavar=tr("文件"), required=True)
    for kind, label in MEETING_KIND_LABELS.items():
        k = kinds.add_parser(kind, parents=[common], help=tr("导出会议的{what}", what=tr(label)))
        k.add_argument("meeting_id", metavar="MEETING_ID", help=tr("会议编号（yishi meetings 可查）"))
        _output(k)
    k = kinds.add_parser("receipt", parents=[common], help=tr("导出议题的受理回执"))
    k.add_argument("topic_id", metavar="TOPIC_ID", help=tr("议题编号或查询码"))
    _output(k)
    k = kinds.add_parser("poster", parents=[common], help=tr("导出本议事室的二维码海报"))
    _output(k)
    p.set_defaults(func=cmd_export)


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help=tr("保存到这个 PDF 文件"))
    p.add_argument("--supervision-phone", metavar="PHONE", help=tr("结果公示上的监督电话（默认用设置中的）"))


# ----------------------------------------------------------------- settings
def cmd_settings(args: argparse.Namespace) -> int:
    from desktop.storage.services import rooms

    store = open_store(args)
    try:
        room = rooms.require_room(store)
        if args.server_url is not None:
            room = rooms.set_server_url(store, args.server_url)
        if args.supervision_phone is not None:
            from desktop.domain.validation import clean_phone

            rooms.set_setting(store, SUPERVISION_PHONE, clean_phone(args.supervision_phone))
        phone = rooms.get_setting(store, SUPERVISION_PHONE, "") or ""
    finally:
        store.close()
    values = {
        "room_id": room.id,
        "room_code": room.code,
        "room_name": room.name,
        "township": room.township,
        "county": room.county,
        "server_url": room.server_url,
        "supervision_phone": phone,
    }
    if args.json:
        json.dump(values, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    labels = {
        "room_id": tr("议事室编号"),
        "room_code": tr("议事室编码"),
        "room_name": tr("议事室名称"),
        "township": tr("所属镇/街道"),
        "county": tr("所属县/区"),
        "server_url": tr("县级服务器地址"),
        "supervision_phone": tr("监督电话"),
    }
    for key, value in values.items():
        print(f"{labels[key]}：{value or tr('（未设置）')}")
    return 0


# ----------------------------------------------------------------- export
def _topics_by_id(store, ids: Iterable[str | None]) -> dict[str, Topic]:  # type: ignore[no-untyped-def]
    from desktop.storage.services.topics import get_topic

    found: dict[str, Topic] = {}
    for topic_id in dict.fromkeys(i for i in ids if i):
        try:
            found[topic_id] = get_topic(store, topic_id)
        except NotFound:
            continue  # a topic deleted since: its agenda item still prints, without source and code
    return found


def _find_topic(store, key: str) -> Topic:  # type: ignore[no-untyped-def]
    from desktop.storage.services.topics import find_by_tracking_code, get_topic

    try:
        return get_topic(store, key)
    except NotFound:
        topic = find_by_tracking_code(store, key.strip().upper())
        if topic is None:
            raise
        return topic


def _prepare(args: argparse.Namespace, store) -> tuple[object, Callable[[], bytes]]:  # type: ignore[no-untyped-def]
    """(the data the paper shows, a function that renders it)."""
    from desktop import printing
    from desktop.i18n import language
    from desktop.storage.services import rooms

    room = rooms.require_room(store)
    lang = language()
    if args.kind == "poster":
        return room, lambda: printing.render_poster(room=room, server_url=room.server_url, lang=lang)
    if args.kind == "receipt":
        topic = _find_topic(store, args.topic_id)
        from desktop.storage.services.retention import retention_years

        years = retention_years(store)  # the receipt's notice states the room's retention period
        return (room, topic), lambda: printing.render_receipt(room=room, topic=topic, server_url=room.server_url, lang=lang, retention_years=years)

    from desktop.storage.services import reads

    meeting = reads.get_meeting(store, args.meeting_id)
    if args.kind in ("minutes", "summary"):
        from desktop.storage.services.minutes import minutes_bundle

        bundle = minutes_bundle(store, meeting.id)
        topics = _topics_by_id(store, (a.topic_id for a in bundle.agenda))
        render = printing.render_minutes_record if args.kind == "minutes" else printing.render_minutes_summary
        return (room, bundle, topics), lambda: render(bundle, room=room, server_url=room.server_url, topics_by_id=topics, lang=lang)
    agenda = reads.agenda_of(store, meeting.id)
    participants = reads.participants_of(store, meeting.id)
    topics = _topics_by_id(store, (a.topic_id for a in agenda))
    if args.kind == "agenda":
        return (room, meeting, agenda, topics, participants), lambda: printing.render_agenda(
            room=room, meeting=meeting, agenda=agenda, topics=topics, participants=participants, lang=lang)
    if args.kind == "signin":
        return (room, meeting, participants), lambda: printing.render_signin(room=room, meeting=meeting, participants=participants, lang=lang)
    # notice
    outcomes = reads.outcomes_of(store, meeting_id=meeting.id)
    actions = reads.action_items(store, meeting_id=meeting.id)
    phone = args.supervision_phone if args.supervision_phone is not None else rooms.get_setting(store, SUPERVISION_PHONE, "") or ""
    if not phone.strip():
        print(tr("提示：还没有设置监督电话，公示上将不印监督电话。可运行 yishi settings --supervision-phone 电话 设置。"), file=sys.stderr)
    return (room, meeting, agenda, topics, outcomes, actions), lambda: printing.render_meeting_notice(
        room=room, meeting=meeting, agenda=agenda, topics=topics, outcomes=outcomes, action_items=actions,
        server_url=room.server_url, supervision_phone=phone, lang=lang)


def _write_atomically(path: Path, data: bytes) -> None:
    target = path.expanduser()
    if target.is_dir():
        raise CliError(tr("“{path}”是一个文件夹，请给出 PDF 文件名。", path=str(target)), EXIT_BAD_INPUT)
    if not target.parent.is_dir():
        raise CliError(tr("文件夹“{path}”不存在，没有生成文件。", path=str(target.parent)), EXIT_BAD_INPUT)
    fd, tmp = tempfile.mkstemp(prefix=".yishi-", suffix=".pdf", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a PDF is as readable as any new file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.printing import missing_characters

    store = open_store(args)
    try:
        data, render = _prepare(args, store)
    finally:
        store.close()
    missing = missing_characters(data)
    if missing:
        # warned before printing: these would come out as empty boxes on paper
        print(tr("注意：本机没有能打印这些字的字体，纸上会是空框，请打印后手写补上：{chars}", chars=" ".join(sorted(missing))), file=sys.stderr)
    pdf = render()
    _write_atomically(args.output, pdf)
    print(tr("已生成：{path}", path=str(args.output)))
    return 0
