"""The ``yishi-server`` command: set up rooms, enrolment codes, devices and
admins, and run the server. Every command takes the same ``--data-dir`` and
``--database-url`` and first brings the database schema up to date.
Exit codes: 0 done, 2 bad usage or bad input (nothing changed)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from datetime import datetime
from typing import Sequence

from desktop.domain import clock
from desktop.domain.errors import DomainError
from desktop.i18n import set_language, tr
from server import __version__
from server.db import ServerDB, Settings

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(tr("用法有误：{message}", message=message), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=tr("数据目录（默认：系统的应用数据目录）"))
    common.add_argument("--database-url", default=argparse.SUPPRESS, help=tr("数据库地址，例如 postgresql+psycopg://用户@主机/库名（默认：数据目录中的 SQLite 文件）"))
    p = _Parser(prog="yishi-server", description=tr("议事县（区）服务器"), parents=[common])
    p.add_argument("--version", action="version", version=f"yishi-server {__version__}")
    sub = p.add_subparsers(dest="command", metavar=tr("命令"), parser_class=_Parser, required=True)

    s = sub.add_parser("serve", parents=[common], help=tr("运行服务器"))
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1, help=tr("工作进程数"))
    s.add_argument("--forwarded-allow-ips", default="127.0.0.1", help=tr("信任其 X-Forwarded-For 的反向代理地址"))
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("migrate", parents=[common], help=tr("只更新数据库结构"))
    s.set_defaults(func=lambda args: 0)

    s = sub.add_parser("add-room", parents=[common], help=tr("登记一个议事室"))
    s.add_argument("--code", required=True)
    s.add_argument("--name", required=True)
    s.add_argument("--township", default="")
    s.add_argument("--county", default="")
    s.add_argument("--id", default=None, help=tr("指定议事室编号（UUID），一般不需要"))
    s.set_defaults(func=cmd_add_room)

    s = sub.add_parser("enrollment-code", parents=[common], help=tr("为议事室的电脑生成一次性注册码（24 小时内有效）"))
    s.add_argument("room_code")
    s.add_argument("--qr", type=Path, default=None, help=tr("把注册码的二维码另存为 PNG 文件"))
    s.set_defaults(func=cmd_enrollment_code)

    s = sub.add_parser("devices", parents=[common], help=tr("列出已注册的电脑（编号、议事室、名称、注册时间、最近联系、是否已撤销）"))
    s.add_argument("--room", default=None, metavar="CODE", help=tr("只列出这个议事室的电脑"))
    s.set_defaults(func=cmd_devices)

    s = sub.add_parser("revoke-device", parents=[common], help=tr("撤销一台电脑的授权"))
    s.add_argument("device_id")
    s.set_defaults(func=cmd_revoke)

    s = sub.add_parser("add-admin", parents=[common], help=tr("添加县（区）管理员，或重设其密码"))
    s.add_argument("username")
    s.add_argument("--password-stdin", action="store_true", help=tr("从标准输入读取密码"))
    s.set_defaults(func=cmd_add_admin)

    s = sub.add_parser("end-sessions", parents=[common], help=tr("让一位管理员在所有浏览器上退出登录"))
    s.add_argument("username")
    s.set_defaults(func=cmd_end_sessions)
    s = sub.add_parser("clean-blobs", parents=[common], help=tr("删除长时间没有进展的照片半截上传（默认 7 天，见 YISHI_BLOB_PARTIAL_DAYS）"))
    s.add_argument("--older-than-days", type=_days, default=None, help=tr("没有进展多少天后删除（可带小数，默认取 YISHI_BLOB_PARTIAL_DAYS，未设置则为 7）"))
    s.set_defaults(func=cmd_clean_blobs)
    from server.cli_retention import register as register_retention  # the retention job's own module

    register_retention(sub, common, _open)
    return p


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        days = float("nan")
    if not 0 < days < 100_000:
        raise argparse.ArgumentTypeError(tr("天数应是大于 0 的数字，例如 7 或 0.5。"))
    return days


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.make(data_dir=getattr(args, "data_dir", None), database_url=getattr(args, "database_url", None))


def _open(args: argparse.Namespace) -> ServerDB:
    from server.migrate import upgrade

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    return ServerDB(settings)


def cmd_add_room(args: argparse.Namespace) -> int:
    from server.services.rooms import add_room

    room = add_room(_open(args), code=args.code, name=args.name, township=args.township, county=args.county, room_id=args.id)
    print(tr("已登记议事室“{name}”（编码 {code}，编号 {id}）。", name=room.name, code=room.code, id=room.id))
    return EXIT_OK


def cmd_enrollment_code(args: argparse.Namespace) -> int:
    from server.services.devices import new_enrollment_code

    code = new_enrollment_code(_open(args), args.room_code)
    print(tr("议事室 {room} 的一次性注册码（24 小时内有效，只能用一次）：", room=args.room_code))
    if args.qr:
        import qrcode

        qrcode.make(code).save(str(args.qr))
        print(tr("二维码已保存到 {path}", path=str(args.qr)))
    print(code)
    return EXIT_OK


def _when(at: datetime | None) -> str:
    return clock.to_local(at).strftime("%Y-%m-%d %H:%M") if at is not None else "—"


def cmd_devices(args: argparse.Namespace) -> int:
    from server.services.device_list import devices

    lines = devices(_open(args), room_code=args.room)
    if not lines:
        print(tr("还没有注册的电脑。"))
        return EXIT_OK
    heads = (tr("编号"), tr("议事室"), tr("名称"), tr("注册时间"), tr("最近联系"), tr("已撤销"))
    print("\t".join(heads))
    for d in lines:
        # tabs between columns: names may hold spaces, and a script can cut -f1 the ids
        name = " ".join(d.name.split())
        print("\t".join((d.id, d.room_code, name, _when(d.enrolled_at), _when(d.last_seen_at), _when(d.revoked_at) if d.revoked_at else tr("否"))))
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from server.services.devices import revoke_device

    d = revoke_device(_open(args), args.device_id)
    print(tr("已撤销电脑“{name}”（{id}）的授权。", name=d.name, id=d.id))
    return EXIT_OK


def cmd_add_admin(args: argparse.Namespace) -> int:
    from server.services.admins import add_admin

    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(tr("密码："))
        if getpass.getpass(tr("再输入一次：")) != password:
            print(tr("两次输入的密码不一样，没有保存。"), file=sys.stderr)
            return EXIT_BAD_INPUT
    ended = add_admin(_open(args), args.username, password)
    print(tr("已保存管理员 {name}。", name=args.username))
    if ended:
        print(tr("原来登录着的 {n} 个会话已全部退出，需要用新密码重新登录。", n=ended))
    return EXIT_OK


def cmd_end_sessions(args: argparse.Namespace) -> int:
    from server.services.admins import end_sessions

    ended = end_sessions(_open(args), args.username)
    print(tr("管理员 {name} 已在所有浏览器上退出（{n} 个会话）。", name=args.username, n=ended))
    return EXIT_OK


def cmd_clean_blobs(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from server.sync.blobs import clean_partials

    age = timedelta(days=args.older_than_days) if args.older_than_days is not None else None
    n = clean_partials(_open(args), max_age=age)
    print(tr("已删除 {n} 个长时间没有进展的照片半截上传。", n=n))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)
    _open(args).close()
    # workers are separate processes: they read their settings from the environment
    os.environ["YISHI_SERVER_DATA_DIR"] = str(settings.data_dir)
    os.environ["YISHI_SERVER_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "server.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level="warning",
        access_log=False,  # URLs hold tracking codes: no per-request log
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    lang = os.environ.get("YISHI_LANG", "zh")[:2]
    set_language(lang if lang in ("zh", "en") else "zh")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DomainError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
