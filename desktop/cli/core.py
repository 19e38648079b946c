"""Core commands: set up a room, fill a demo room, list topics and meetings,
statistics, backups and restore."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import date
from pathlib import Path

from desktop.cli import EXIT_BAD_INPUT, CliError, open_store
from desktop.domain.clock import iso, to_local
from desktop.domain.enums import TopicStatus
from desktop.i18n import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help=tr("设置本电脑服务的议事室"))
    p.add_argument("--room-code", required=True, help=tr("议事室编码（印在二维码海报上）"))
    p.add_argument("--room-name", required=True, help=tr("议事室名称"))
    p.add_argument("--township", default="", help=tr("所属镇/街道"))
    p.add_argument("--county", default="", help=tr("所属县/区"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[common], help=tr("在数据目录中生成一个演示议事室"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("topics", parents=[common], help=tr("列出议题"))
    p.add_argument("--status", choices=[s.value for s in TopicStatus], help=tr("只列出这一状态的议题"))
    p.add_argument("--search", metavar="Q", help=tr("按标题、内容、提出人、地址或工单编号查找"))
    p.add_argument("--limit", type=int, default=None, help=tr("最多列出多少条"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("meetings", parents=[common], help=tr("列出议事会"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_meetings)

    p = sub.add_parser("stats", parents=[common], help=tr("统计：收集议题、召开会议、办结事项等"))
    p.add_argument("--from", dest="date_from", type=_date_arg, help=tr("起始日期，如 2026-01-01"))
    p.add_argument("--to", dest="date_to", type=_date_arg, help=tr("截止日期，如 2026-12-31"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("backup", parents=[common], help=tr("备份数据库"))
    p.add_argument("file", nargs="?", type=Path, help=tr("备份文件（默认放在数据目录的 backups 文件夹）"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help=tr("从备份文件恢复数据库"))
    p.add_argument("file", type=Path, help=tr("备份文件"))
    p.set_defaults(func=cmd_restore)


def pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期“{text}”看不懂，请写成 2026-11-27 这样的格式。", text=text)) from None


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.storage.services import rooms

    store = open_store(args)
    try:
        room = rooms.init_room(store, code=args.room_code, name=args.room_name, township=args.township, county=args.county).value
    finally:
        store.close()
    print(tr("已设置议事室：{name}（编码 {code}）。数据保存在 {path}", name=room.name, code=room.code, path=str(store.path)))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.storage.demo import fill_demo

    store = open_store(args)
    try:
        summary = fill_demo(store)
    finally:
        store.close()
    print(tr("演示议事室已生成：{topics}个议题，{meetings}次议事会。数据保存在 {path}", topics=summary["topics"], meetings=summary["meetings"], path=str(store.path)))
    return 0


def _topic_json(t) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": t.id,
        "title": t.title,
        "status": t.status.value,
        "source": t.source.value,
        "category": t.category,
        "ticket_no": t.ticket_no,
        "tracking_code": t.tracking_code,
        "created_at": iso(t.created_at),
    }


def cmd_topics(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit <= 0:
        raise CliError(tr("--limit 应为正整数。"), EXIT_BAD_INPUT)
    store = open_store(args)
    try:
        status = TopicStatus(args.status) if args.status else None
        if args.search is not None and args.search.strip():
            from desktop.storage.search import search_topics

            found = search_topics(store, args.search, status=status, limit=args.limit or 1_000_000)
        else:
            from desktop.storage.services.topics import list_topics

            found = list_topics(store, status=status, limit=args.limit)
    finally:
        store.close()
    if args.json:
        json.dump([_topic_json(t) for t in found], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for t in found:
        received = to_local(t.received_at).strftime("%Y-%m-%d")
        print(f"{t.tracking_code}  {received}  {pad(t.status.label, 8)}  {pad(t.source.label, 12)}  {t.title}")
    print(tr("共 {n} 个议题。", n=len(found)))
    return 0


def cmd_meetings(args: argparse.Namespace) -> int:
    from desktop.storage.services import reads

    store = open_store(args)
    try:
        meetings = reads.list_meetings(store)
        # the original minutes decide (corrections never change their status)
        minutes_status = {m.id: next((x.status for x in reads.minutes_of(store, m.id) if x.corrects_id is None), None) for m in meetings}
    finally:
        store.close()
    if args.json:
        out = [
            {
                "id": m.id,
                "title": m.title,
                "status": m.status.value,
                "starts_at": iso(m.starts_at),
                "minutes_status": minutes_status[m.id].value if minutes_status[m.id] else None,
            }
            for m in meetings
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for m in meetings:
        ms = minutes_status[m.id]
        when = to_local(m.starts_at).strftime("%Y-%m-%d %H:%M")
        print(f"{m.id}  {when}  {pad(m.status.label, 10)}  {pad(ms.label if ms else tr('无记录'), 10)}  {m.title}")
    print(tr("共 {n} 次议事会。", n=len(meetings)))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from desktop.storage.stats import room_stats

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CliError(tr("起始日期晚于截止日期。"), EXIT_BAD_INPUT)
    store = open_store(args)
    try:
        stats = room_stats(store, date_from=args.date_from, date_to=args.date_to).as_dict()
    finally:
        store.close()
    if args.json:
        json.dump(stats, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v * 100:.1f}%"

    print(tr("收集议题：{n}", n=stats["topics_collected"]))
    print(tr("召开议事会：{n}", n=stats["meetings_held"]))
    print(tr("办结事项：{n}", n=stats["matters_resolved"]))
    print(tr("办结率：{v}", v=pct(stats["resolution_rate"])))
    print(tr("满意率：{v}", v=pct(stats["satisfaction_rate"])))
    print(tr("逾期落实事项：{n}", n=stats["overdue_action_items"]))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.storage import backup

    store = open_store(args)
    try:
        if args.file is not None:
            if args.file.exists() and args.file.is_dir():
                raise CliError(tr("“{path}”是一个文件夹，请给出备份文件名。", path=str(args.file)))
            path = backup.backup_to(store, args.file)
        else:
            path = backup.backup_to(store, backup.default_backup_path(store))
    finally:
        store.close()
    print(tr("已备份到 {path}", path=str(path)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.storage import backup
    from desktop.storage.db import default_data_dir

    data_dir = getattr(args, "data_dir", None) or default_data_dir()
    if not args.file.is_file():
        raise CliError(tr("找不到备份文件“{path}”。", path=str(args.file)))
    safety = backup.restore_from(Path(data_dir), args.file)
    print(tr("已从 {file} 恢复。原来的数据库另存为 {safety}", file=str(args.file), safety=str(safety)))
    return 0
