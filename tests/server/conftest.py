"""A real ``yishi-server`` process on 127.0.0.1, once on SQLite and once on
PostgreSQL (a fresh database per test session on the server named by
YISHI_TEST_PG_URL, which scripts/test sets; without it the PostgreSQL variant
fails). Tests are parametrised over both through the ``srv`` fixture."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from tests.support.pg import scratch_database
import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
ADMIN_USER, ADMIN_PASSWORD = "county", "correct-horse-9"


@dataclass
class Srv:
    base: str
    data_dir: Path
    db_url: str
    backend: str
    room_a: str
    room_b: str

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli(self.data_dir, self.db_url, *args, stdin=stdin)

    def count(self, sql: str, **params: object) -> int:
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(sql), params).scalar_one())
        finally:
            engine.dispose()

    def session(self, ip: str | None = None) -> requests.Session:
        """A browser-like client with its own (forwarded) IP address."""
        s = requests.Session()
        s.headers["X-Forwarded-For"] = ip or new_ip()
        return s

    def db(self):  # type: ignore[no-untyped-def]
        from server.db import ServerDB, Settings

        return ServerDB(Settings(data_dir=self.data_dir, database_url=self.db_url))


def new_ip() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def run_cli(data_dir: Path, db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "server", "--data-dir", str(data_dir), "--database-url", db_url, *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, "YISHI_LANG": "zh"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with scratch_database("yishi_test") as url:
        yield url


def _start(tmp: Path, db_url: str, backend: str) -> Iterator[Srv]:
    data = tmp / "data"
    for code, name, township in (("QJP-001", "水渡口社区协商议事室", "水渡口街道"), ("HY-002", "钵池村协商议事室", "钵池街道")):
        r = run_cli(data, db_url, "add-room", "--code", code, "--name", name, "--township", township, "--county", "清江浦区")
        assert r.returncode == 0, r.stderr
    r = run_cli(data, db_url, "add-admin", ADMIN_USER, "--password-stdin", stdin=ADMIN_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    port = _free_port()
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "--data-dir", str(data), "--database-url", db_url, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "YISHI_LANG": "zh"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("server did not start: " + (tmp / "server.log").read_text())
        time.sleep(0.2)
    try:
        yield Srv(base=base, data_dir=data, db_url=db_url, backend=backend, room_a="QJP-001", room_b="HY-002")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        # the server must never have answered with a traceback
        assert "Traceback" not in (tmp / "server.log").read_text(), (tmp / "server.log").read_text()


@pytest.fixture(scope="session")
def sqlite_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    tmp = tmp_path_factory.mktemp("srv-sqlite")
    yield from _start(tmp, f"sqlite:///{tmp / 'data' / 'yishi-server.sqlite3'}", "sqlite")


@pytest.fixture(scope="session")
def pg_srv(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[Srv]:
    yield from _start(tmp_path_factory.mktemp("srv-pg"), pg_url, "postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def srv(request: pytest.FixtureRequest) -> Srv:
    return request.getfixturevalue("sqlite_srv" if request.param == "sqlite" else "pg_srv")
