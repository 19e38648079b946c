"""``yishi enroll``, ``yishi sync`` (what the end-of-day scheduled task runs),
``yishi sync --status``, ``yishi conflicts`` and ``yishi conflicts resolve``,
``yishi refused`` (被退回的修改) with ``resend`` and ``discard``.

Exit codes of ``yishi sync``: 0 synced; 2 server unreachable (the data is safe
on this PC); 3 token refused or revoked; 4 this version is too old; 1 this PC's
own database could not take the data (locked by another program, disk full)."""

from __future__ import annotations

import argparse
import json
import sys

from desktop.cli import CliError, open_store
from desktop.i18n import tr

EXIT_UNREACHABLE, EXIT_TOKEN, EXIT_TOO_OLD = 2, 3, 4


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enroll", parents=[common], help=tr("用一次性注册码把本电脑注册到县（区）服务器"))
    p.add_argument("server_url", help=tr("服务器地址，例如 https://xieshang.example.gov.cn"))
    p.add_argument("code", help=tr("一次性注册码"))
    p.add_argument("--device-name", default=None, help=tr("本电脑的名称（默认：计算机名）"))
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", parents=[common], help=tr("与县（区）服务器同步"))
    p.add_argument("--status", action="store_true", help=tr("只显示同步状态"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("conflicts", parents=[common], help=tr("列出或处理同步冲突"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    csub = p.add_subparsers(dest="conflicts_command", metavar=tr("命令"))
    r = csub.add_parser("resolve", parents=[common], help=tr("处理一个冲突"))
    r.add_argument("conflict_id")
    r.add_argument("--keep", choices=("local", "server"), required=True, help=tr("保留本机的值（local）或服务器的值（server）"))
    r.set_defaults(func=cmd_resolve)
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("refused", parents=[common], help=tr("列出或处理被服务器退回的修改"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    rsub = p.add_subparsers(dest="refused_command", metavar=tr("命令"))
    r = rsub.add_parser("resend", parents=[common], help=tr("改好后重新发送一条被退回的修改（下次同步时发送）"))
    r.add_argument("row_id", help=tr("数据编号（yishi refused 列出的编号，可只写前 6 位以上）"))
    r.set_defaults(func=cmd_refused_resend)
    r = rsub.add_parser("discard", parents=[common], help=tr("放弃一条被退回的修改"))
    r.add_argument("row_id", help=tr("数据编号（yishi refused 列出的编号，可只写前 6 位以上）"))
    r.set_defaults(func=cmd_refused_discard)
    p.set_defaults(func=cmd_refused)


def _sync_errors(exc: Exception) -> CliError | None:
    from desktop.sync.client import LocalStoreError, ServerRefused, TokenRefused, TooOld, Unreachable

    if isinstance(exc, Unreachable):
        return CliError(str(exc), EXIT_UNREACHABLE)
    if isinstance(exc, TokenRefused):
        return CliError(str(exc), EXIT_TOKEN)
    if isinstance(exc, TooOld):
        return CliError(str(exc), EXIT_TOO_OLD)
    if isinstance(exc, LocalStoreError):
        return CliError(str(exc), 1)
    if isinstance(exc, ServerRefused):
        return CliError(str(exc) + " " + tr("数据已安全保存在本电脑上。"), EXIT_UNREACHABLE)
    return None


def _progress(phase: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{phase} {done}/{total}   ", end="", file=sys.stderr, flush=True)


def cmd_enroll(args: argparse.Namespace) -> int:
    from desktop.sync import engine
    from desktop.sync.enroll import enroll

    store = open_store(args)
    try:
        try:
            room = enroll(store, server_url=args.server_url, code=args.code, device_name=args.device_name)
            print(tr("已注册到议事室“{name}”（{code}）。正在下载本议事室的数据……", name=room["name"], code=room["code"]))
            report = engine.sync(store, progress=_progress)
        except Exception as exc:
            err = _sync_errors(exc)
            if err is None:
                raise
            raise err from None
    finally:
        store.close()
    print(tr("同步完成：收到 {pulled} 条数据。", pulled=report.pulled))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop.sync import engine

    store = open_store(args)
    try:
        if args.status:
            return _print_status(engine.status(store), as_json=args.json)
        # the end-of-day task backs up first (at most once a day), so a bad
        # sync can always be undone from that morning's state
        from desktop.storage.backup import auto_backup

        auto_backup(store)
        try:
            report = engine.sync(store, progress=_progress)
        except Exception as exc:
            err = _sync_errors(exc)
            if err is None:
                raise
            raise err from None
    finally:
        store.close()
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False))
    else:
        print(
            tr(
                "同步完成：发送 {pushed} 条，收到 {pulled} 条，冲突 {conflicts} 个，被拒绝 {rejected} 条。",
                pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts, rejected=report.rejected,
            )
        )
        if report.photos_sent or report.photos_received:
            print(tr("照片：上传 {sent} 张，下载 {got} 张。", sent=report.photos_sent, got=report.photos_received))
        if report.photos_waiting:
            print(tr("还有 {n} 张照片没有传完，下次同步时接着传。", n=report.photos_waiting))
        for reason in report.rejected_reasons:
            print(tr("被拒绝：{reason}", reason=reason))
        if report.rejected:
            print(tr("被退回的修改仍保存在本电脑上：运行 yishi refused 查看，改好后重新发送或放弃。"))
        if report.conflicts:
            print(tr("有冲突待处理：运行 yishi conflicts 查看。"))
    return 0


def _print_status(st, *, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    from desktop.domain.clock import iso, to_local

    if as_json:
        print(json.dumps({
            "last_success_at": iso(st.last_success_at), "last_error": st.last_error, "unsent": st.unsent,
            "conflicts": st.conflicts, "rejected": [list(r) for r in st.rejected], "cursor": st.cursor,
            "server_url": st.server_url, "enrolled": st.enrolled,
        }, ensure_ascii=False))
        return 0
    if not st.enrolled:
        print(tr("本电脑还没有注册到县（区）服务器。请先运行 yishi enroll 服务器地址 注册码。"))
    last = to_local(st.last_success_at).strftime("%Y-%m-%d %H:%M") if st.last_success_at else tr("从未")
    print(tr("上次成功同步：{when}", when=last))
    print(tr("未发送的修改：{n} 条", n=st.unsent))
    print(tr("待处理的冲突：{n} 个", n=st.conflicts))
    print(tr("被服务器拒绝的修改：{n} 条", n=len(st.rejected)))
    for entity, row_id, reason in st.rejected:
        print(f"  {_what(entity)} {row_id}: {reason}")
    if st.rejected:
        print(tr("这些修改仍保存在本电脑上：运行 yishi refused 查看，改好后重新发送或放弃。"))
    if st.last_error:
        print(tr("上次同步的问题：{error}", error=st.last_error))
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from desktop.storage.services.common import ENTITY_LABELS
    from desktop.sync.conflicts import list_conflicts

    store = open_store(args)
    try:
        items = list_conflicts(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps([{"id": c.id, "entity": c.entity, "row_id": c.row_id, "field": c.field, "local_value": c.local_value, "server_value": c.server_value} for c in items], ensure_ascii=False))
        return 0
    if not items:
        print(tr("没有待处理的冲突。"))
        return 0
    for c in items:
        what = tr(ENTITY_LABELS.get(c.entity, c.entity))
        print(tr("{id}  {what} {row}  字段“{field}”：本机为“{local}”，服务器为“{server}”", id=c.id, what=what, row=c.row_id[:8], field=c.field, local=c.local_value, server=c.server_value))
    print(tr("处理：yishi conflicts resolve 编号 --keep local（保留本机）或 --keep server（保留服务器）"))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from desktop.sync.conflicts import resolve

    store = open_store(args)
    try:
        c = resolve(store, args.conflict_id, keep=args.keep)
    finally:
        store.close()
    print(tr("已处理冲突 {id}：保留{which}的值。", id=c.id, which=tr("本机") if c.resolved == "local" else tr("服务器")))
    if c.resolved == "local":
        print(tr("下次同步时会把本机的值发送到服务器。"))
    return 0


def _what(entity: str) -> str:
    from desktop.storage.services.common import ENTITY_LABELS

    return tr(ENTITY_LABELS.get(entity, entity))


def cmd_refused(args: argparse.Namespace) -> int:
    from desktop.domain.clock import iso, to_local
    from desktop.sync.refused import list_refused

    store = open_store(args)
    try:
        items = list_refused(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps([
            {"entity": r.entity, "row_id": r.row_id, "name": r.name, "reasons": list(r.reasons), "fields": list(r.fields),
             "new_record": r.new_record, "refused_since": iso(r.refused_since)}
            for r in items
        ], ensure_ascii=False))
        return 0
    if not items:
        print(tr("没有被退回的修改。"))
        return 0
    for r in items:
        when = to_local(r.refused_since).strftime("%Y-%m-%d %H:%M")
        print(f"{r.row_id}  {_what(r.entity)}  {r.name}  ({when})")
        if r.new_record:
            print("    " + tr("这条数据还没有存到服务器上。"))
        for reason in r.reasons:
            print("    " + tr("退回原因：{reason}", reason=reason))
    print(tr("处理：改好后运行 yishi refused resend 编号 重新发送；确实不要了，运行 yishi refused discard 编号 放弃。"))
    return 0


def cmd_refused_resend(args: argparse.Namespace) -> int:
    from desktop.sync.refused import resend

    store = open_store(args)
    try:
        r = resend(store, args.row_id)
    finally:
        store.close()
    print(tr("已重新排队：{what}“{name}”（{id}）下次同步时发送。", what=_what(r.entity), name=r.name, id=r.row_id))
    return 0


def cmd_refused_discard(args: argparse.Namespace) -> int:
    from desktop.sync.refused import discard

    store = open_store(args)
    try:
        r = discard(store, args.row_id)
    finally:
        store.close()
    if r.new_record:
        print(tr("已放弃：{what}“{name}”（{id}）已从本电脑删除。", what=_what(r.entity), name=r.name, id=r.row_id))
    else:
        print(tr("已放弃：{what}“{name}”（{id}）下次同步时恢复为服务器上的内容。", what=_what(r.entity), name=r.name, id=r.row_id))
    return 0
