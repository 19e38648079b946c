"""A warm parent that forks PC processes pulling from the server, for the
client-kill test (an interpreter start per kill would cost seconds; a fork,
milliseconds). Each ``pull DATA_DIR PAGE`` line from stdin forks a child that
opens that data dir and runs ``engine.pull`` with pages of PAGE rows, the same
engine code ``yishi sync`` runs; the parent prints the child's pid, and the
test SIGKILLs it wherever it happens to be. The parent holds no database
connection (the child opens its own). Children are reaped by the kernel
(SIGCHLD ignored).

Run as ``python -m tests.sync.pull_zygote``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from desktop.storage.db import Store
from desktop.sync import engine


def _pull(data_dir: Path, page: int) -> None:
    store = Store(data_dir, migrate=False)
    client = engine.client_for(store, retries=0)
    engine.pull(store, client, page=page)
    client.close()
    store.close()


def _warm_up() -> None:
    """What every child would otherwise do first, once, in the parent (no connection kept)."""
    from sqlalchemy.orm import configure_mappers

    from desktop.sync.protocol import PullOut

    configure_mappers()
    PullOut.model_validate({"changes": [], "cursor": 0, "more": False})


def main() -> None:
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3 or parts[0] != "pull":
            continue
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _pull(Path(parts[1]), int(parts[2]))
                code = 0
            finally:
                os._exit(code)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
