"""A warm parent that forks real ``yishi-server`` processes for the kill tests.

Starting ``python -m server serve`` costs seconds (imports, the migration
check); a test that SIGKILLs the server a hundred times cannot pay that each
time. This script imports the server once, then on every ``spawn`` line from
stdin forks a child that builds the app from the environment (what
``yishi-server serve`` runs after migrating; the database here is migrated
already) and serves it with uvicorn on the given port. It prints the child's
pid; the test SIGKILLs that pid, which is a real server process dying with
whatever it had in flight. Children are reaped by the parent (SIGCHLD ignored).

Run as ``python -m tests.sync.zygote PORT`` with YISHI_SERVER_DATA_DIR and
YISHI_SERVER_DATABASE_URL set.
"""

from __future__ import annotations

import os
import signal
import sys

import uvicorn

import server.app  # noqa: F401  (the expensive imports happen here, once)
from server.app import app_from_env


def _serve(port: int) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    uvicorn.run(app_from_env(), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    os._exit(0)


def main() -> None:
    port = int(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children die by SIGKILL: let the kernel reap them
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "spawn":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                _serve(port)
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
