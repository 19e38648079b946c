"""Run ``yishi`` as a real subprocess, as a user or a scheduled task would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Yishi:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def __call__(self, *args: str, lang: str = "zh", stdin: str | None = None, data_dir: bool = True) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, YISHI_LANG=lang, PYTHONPATH=str(ROOT))
        env.pop("YISHI_DATA_DIR", None)
        cmd = [sys.executable, "-m", "desktop", *args]
        if data_dir:
            cmd += ["--data-dir", str(self.data_dir)]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, input=stdin, timeout=300, cwd=ROOT)

    def json(self, *args: str) -> object:
        out = self(*args, "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)


@pytest.fixture
def yishi(tmp_path: Path) -> Yishi:
    return Yishi(tmp_path / "data")


@pytest.fixture
def yishi_room(yishi: Yishi) -> Yishi:
    out = yishi("init", "--room-code", "QJP-001", "--room-name", "水渡口社区协商议事室", "--township", "水渡口街道", "--county", "清江浦区")
    assert out.returncode == 0, out.stderr
    return yishi
