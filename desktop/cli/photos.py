"""``yishi photos add TOPIC FILE`` and ``yishi photos list TOPIC``: a topic's
photos from the command line. TOPIC is the topic's id, its work-order number
(工单编号) or its tracking code. Exit codes: 0 done, 2 bad input (nothing
changed)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli import CliError, open_store
from desktop.i18n import tr


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("photos", parents=[common], help=tr("议题的照片：添加或列出"))
    psub = p.add_subparsers(dest="photos_command", metavar=tr("命令"))
    a = psub.add_parser("add", parents=[common], help=tr("给议题添加一张照片"))
    a.add_argument("topic", metavar="TOPIC", help=tr("议题编号、工单编号或查询码"))
    a.add_argument("file", type=Path, metavar="FILE", help=tr("照片文件（JPG、PNG、GIF、WEBP、HEIC，最多 50 MB）"))
    a.set_defaults(func=cmd_add)
    ls = psub.add_parser("list", parents=[common], help=tr("列出议题的照片"))
    ls.add_argument("topic", metavar="TOPIC", help=tr("议题编号、工单编号或查询码"))
    ls.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    ls.set_defaults(func=cmd_list)
    p.set_defaults(func=_usage(p))


def _usage(p: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        p.print_help()
        raise CliError(tr("请写明要做什么：yishi photos add 议题 文件，或 yishi photos list 议题。"))

    return run


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.storage.services import photos

    store = open_store(args)
    try:
        topic = photos.find_topic(store, args.topic)
        att = photos.attach_photo(store, topic_id=topic.id, path=args.file).value
    finally:
        store.close()
    print(tr("已给议题“{title}”添加照片 {name}（{kb} KB），下次同步时上传。", title=topic.title, name=att.filename, kb=max(1, round(att.size / 1024))))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.storage.services import photos

    store = open_store(args)
    try:
        topic = photos.find_topic(store, args.topic)
        items = [(a, photos.photo_path(store, a.sha256)) for a in photos.list_photos(store, topic.id)]
    finally:
        store.close()
    if args.json:
        print(json.dumps([
            {"id": a.id, "filename": a.filename, "size": a.size, "mime": a.mime, "sha256": a.sha256, "path": str(p) if p else None}
            for a, p in items
        ], ensure_ascii=False))
        return 0
    if not items:
        print(tr("议题“{title}”还没有照片。", title=topic.title))
        return 0
    print(tr("议题“{title}”的照片（{n} 张）：", title=topic.title, n=len(items)))
    for a, p in items:
        where = str(p) if p else tr("还在服务器上，下次同步时下载")
        print(f"  {a.filename or a.sha256[:12]}  {max(1, round(a.size / 1024))} KB  {where}")
    return 0
