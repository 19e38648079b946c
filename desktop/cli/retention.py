"""``yishi retention``: blank the names and phone numbers of residents whose
matter was closed longer ago than the room's retention period (default 2
years), each recorded in the topic's history and sent to the county server at
the next sync. ``--dry-run`` only counts; ``--set-years N`` changes the
room's period (also printed on the intake receipt). Meant for the same
scheduled task as ``yishi sync``. Exit codes: 0 done, 2 bad input (nothing
changed)."""

from __future__ import annotations

import argparse
import json

from desktop.cli import open_store
from desktop.domain.clock import iso
from desktop.i18n import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("retention", parents=[common], help=tr("删除办结已满保存期限的提出人姓名和电话"))
    p.add_argument("--years", default=None, help=tr("这次按几年的保存期限执行（默认：本议事室的设置，未设置时为 2 年）"))
    p.add_argument("--set-years", default=None, help=tr("把本议事室的保存期限改为几年（1 到 30），不执行删除"))
    p.add_argument("--dry-run", action="store_true", help=tr("只统计，不删除"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_retention)


def cmd_retention(args: argparse.Namespace) -> int:
    from desktop.domain.retention import check_years
    from desktop.storage.services import retention

    years = check_years(args.years) if args.years is not None else None  # bad input fails before the database opens
    store = open_store(args)
    try:
        if args.set_years is not None:
            saved = retention.set_retention_years(store, args.set_years)
            print(tr("本议事室的保存期限已改为办结后 {years} 年。", years=saved))
            return 0
        report = retention.run_retention(store, years=years, dry_run=args.dry_run).value
    finally:
        store.close()
    if args.json:
        print(json.dumps({"years": report.years, "cutoff": iso(report.cutoff), "dry_run": report.dry_run, "topics": list(report.topic_ids)}, ensure_ascii=False))
    elif report.dry_run:
        print(tr("办结已满 {years} 年、还留着提出人姓名或电话的议题：{n} 件（没有删除）。", years=report.years, n=len(report.topic_ids)))
    else:
        print(tr("已删除 {n} 件议题的提出人姓名和电话（办结已满 {years} 年），下次同步时发送到县（区）服务器。", n=len(report.topic_ids), years=report.years))
    return 0
