"""The ``yishi`` command line: everything the window does to data can be done
here too (and by a scheduled task at the end of the day).

Each command group lives in its own module with a ``register(subparsers)``
function; ``main`` wires them together. Exit codes: 0 done, 1 done but some
input rows were refused, 2 bad usage or bad input (nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from pathlib import Path
from typing import Sequence

from desktop import __version__
from desktop.domain.errors import DomainError
from desktop.i18n import tr

# modules that add commands; each has register(subparsers, common)
COMMAND_MODULES = (
    "desktop.cli.core",
    "desktop.cli.importing",
    "desktop.cli.export",
    "desktop.cli.sync",
    "desktop.cli.photos",
    "desktop.cli.retention",
)

EXIT_OK, EXIT_REJECTED, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    """A message for the user and an exit code; raised by commands."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(tr("用法有误：{message}", message=message), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=tr("数据目录（默认：系统的应用数据目录，或环境变量 YISHI_DATA_DIR）"))
    parser = _Parser(prog="yishi", description=tr("议事：协商议事室的桌面程序"), parents=[common])
    parser.add_argument("--version", action="version", version=f"yishi {__version__}")
    parser.add_argument("--demo", action="store_true", help=tr("用演示议事室启动窗口"))
    sub = parser.add_subparsers(dest="command", metavar=tr("命令"), parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that group is not built yet
            raise
        module.register(sub, common)
    return parser


def open_store(args: argparse.Namespace):
    from desktop.storage.db import Store

    return Store(getattr(args, "data_dir", None))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = _start_window
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except DomainError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(tr("已中断。"), file=sys.stderr)
        return 130


def _start_window(args: argparse.Namespace) -> int:
    try:
        from desktop.ui.app import run  # type: ignore[import-not-found]
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("desktop.ui"):
            print(tr("桌面窗口尚未完成。现在可以使用命令行：运行 yishi --help 查看全部命令。"), file=sys.stderr)
            if args.demo:
                from desktop.cli.core import cmd_demo

                cmd_demo(args)
            return EXIT_OK
        raise
    return run(data_dir=getattr(args, "data_dir", None), demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
