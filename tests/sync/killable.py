"""A server process the kill tests may SIGKILL and restart many times: a fresh
data dir on SQLite (migrated once by ``yishi-server add-room``), served by
children of ``tests.sync.zygote`` so a restart takes a fork, not seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.server.conftest import ROOT, Srv, _free_port, run_cli


class KillableServer:
    def __init__(self, tmp: Path) -> None:
        data = tmp / "data"
        self.db_path = data / "yishi-server.sqlite3"
        db_url = f"sqlite:///{self.db_path}"
        r = run_cli(data, db_url, "add-room", "--code", "KILL-001", "--name", "杀进程测试议事室", "--township", "水渡口街道", "--county", "清江浦区")
        assert r.returncode == 0, r.stderr
        self.port = _free_port()
        self.log_path = tmp / "server.log"
        self._log = self.log_path.open("w")
        env = {**os.environ, "YISHI_LANG": "zh", "YISHI_SERVER_DATA_DIR": str(data), "YISHI_SERVER_DATABASE_URL": db_url}
        self.zygote = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.zygote", str(self.port)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, env=env,
        )
        assert self.zygote.stdout is not None and self.zygote.stdout.readline().strip() == "ready"
        self.srv = Srv(base=f"http://127.0.0.1:{self.port}", data_dir=data, db_url=db_url, backend="sqlite", room_a="KILL-001", room_b="")
        self.pid = 0
        self.kills = 0

    def start(self) -> None:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write("spawn\n")
        self.zygote.stdin.flush()
        self.pid = int(self.zygote.stdout.readline())
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.srv.base + "/healthz", timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or still opening its database on a busy machine
            assert time.monotonic() < deadline, "the server did not come back: " + self.log_path.read_text()
            time.sleep(0.01)

    def kill(self) -> None:
        """SIGKILL the serving process and wait until it is gone (the port is free)."""
        os.kill(self.pid, signal.SIGKILL)
        self.kills += 1
        deadline = time.monotonic() + 30
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            assert time.monotonic() < deadline, "a killed server did not go away"
            time.sleep(0.005)

    def close(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.zygote.kill()
        self.zygote.wait(timeout=10)
        self._log.close()
