"""``yishi-server retention``: blank the names and phone numbers of residents
whose matter was closed longer ago than the county's retention period
(``--years``, else ``YISHI_SERVER_RETENTION_YEARS``, else 2), each recorded in
the topic's history and pulled by the room's PCs at their next sync. Run it
nightly from cron or a systemd timer (docs/deploy-county-server.md).
``server.cli`` adds it with ``register``; exit codes as there (2: bad input,
nothing changed)."""

from __future__ import annotations

import argparse
import json
from typing import Callable

from desktop.domain.clock import iso
from desktop.i18n import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, open_db: Callable[[argparse.Namespace], object]) -> None:
    s = sub.add_parser("retention", parents=[common], help=tr("删除办结已满保存期限的提出人姓名和电话"))
    s.add_argument("--years", default=None, help=tr("保存期限（年，1 到 30；默认取 YISHI_SERVER_RETENTION_YEARS，未设置则为 2）"))
    s.add_argument("--room", default=None, metavar="CODE", help=tr("只处理这个议事室"))
    s.add_argument("--dry-run", action="store_true", help=tr("只统计，不删除"))
    s.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    s.set_defaults(func=lambda args: cmd_retention(args, open_db))


def cmd_retention(args: argparse.Namespace, open_db: Callable[[argparse.Namespace], object]) -> int:
    from desktop.domain.retention import check_years
    from server.services.retention import run_retention

    years = check_years(args.years) if args.years is not None else None  # before the database is touched
    report = run_retention(open_db(args), years=years, room_code=args.room, dry_run=args.dry_run)  # type: ignore[arg-type]
    if args.json:
        print(json.dumps({"years": report.years, "cutoff": iso(report.cutoff), "dry_run": report.dry_run, "by_room": report.by_room}, ensure_ascii=False))
        return 0
    for code, n in report.by_room.items():
        print(f"  {code}\t{n}")
    if report.dry_run:
        print(tr("办结已满 {years} 年、还留着提出人姓名或电话的议题：{n} 件（没有删除）。", years=report.years, n=report.total))
    else:
        print(tr("已删除 {n} 件议题的提出人姓名和电话（办结已满 {years} 年）。议事室的电脑下次同步时会收到。", n=report.total, years=report.years))
    return 0
