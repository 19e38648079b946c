"""``yishi import-hotline FILE``: bring a 12345 hotline or grid-worker
work-order file (CSV or .xlsx) into the room as new topics, or with
``--dry-run`` only show what would happen. Exit 0 when every row is in (or
was already), 1 when some rows were refused (the others are imported), 2 for
a file that is not a work-order table (nothing written).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli import EXIT_OK, EXIT_REJECTED, open_store
from desktop.domain.enums import TopicSource
from desktop.i18n import tr

SOURCES = (TopicSource.HOTLINE.value, TopicSource.GRID_WORKER.value)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import-hotline", parents=[common], help=tr("导入 12345 热线或网格员上报的工单表（CSV 或 Excel .xlsx）"))
    p.add_argument("file", type=Path, help=tr("工单表文件"))
    p.add_argument("--source", choices=SOURCES, default=TopicSource.HOTLINE.value, help=tr("议题来源：hotline（12345热线，默认）或 grid_worker（网格员上报）"))
    p.add_argument("--actor", default="", help=tr("经办人姓名（记入议题记录）"))
    p.add_argument("--dry-run", action="store_true", help=tr("只预览，不写入"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_import_hotline)


def cmd_import_hotline(args: argparse.Namespace) -> int:
    from desktop.storage.services.imports import import_hotline

    store = open_store(args)
    try:
        report = import_hotline(store, args.file, source=args.source, actor=args.actor, dry_run=args.dry_run)
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                {
                    "file": report.file,
                    "source": report.source.value,
                    "dry_run": report.dry_run,
                    "imported": report.imported,
                    "duplicates": report.duplicates,
                    "duplicate_lines": list(report.duplicate_lines),
                    "rejected": [{"line": line, "reason": reason} for line, reason in report.rejected],
                    "topic_ids": list(report.topic_ids),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        params = dict(source=report.source.label, imported=report.imported, duplicates=report.duplicates, rejected=len(report.rejected))
        if report.dry_run:
            print(tr("预览（没有写入）：将导入 {imported} 条{source}工单，跳过已有或重复的 {duplicates} 条，退回 {rejected} 条。", **params))
        else:
            print(tr("已导入 {imported} 条{source}工单，跳过已有或重复的 {duplicates} 条，退回 {rejected} 条。", **params))
        for line, reason in report.rejected:
            print(tr("第 {line} 行：{reason}", line=line, reason=reason))
    return EXIT_REJECTED if report.rejected else EXIT_OK
