"""The bundle under test: built once per session from build.spec with the
real PyInstaller into a temporary folder, then run as a user would run it,
from an empty working folder with no Python path, no venv and no source tree
in sight. Also a private X server (Xvfb) for the window test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = str(Path(sys.executable).parent)
HIDDEN = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "QT_QPA_PLATFORM", "YISHI_DATA_DIR")


BUNDLE_DIR = "pyinstaller-bundle"


def shared_tmp(factory: pytest.TempPathFactory, config: pytest.Config) -> Path:
    """This run's temporary root, the same for every xdist worker (each worker's
    own base folder is ``<root>/popen-gwN``)."""
    base = factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Path]:
    """``dist/yishi/`` built from build.spec, once per run: the first worker that
    needs it builds it under a lock, the others wait and use it. Removed when the
    run ends (tests/conftest.py, ``pytest_sessionfinish``): 150 MiB each."""
    import fcntl

    out = shared_tmp(tmp_path_factory, pytestconfig) / BUNDLE_DIR
    out.mkdir(exist_ok=True)
    folder = out / "dist" / "yishi"
    with (out / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (out / "failed").exists():  # another worker tried already: once is enough
            pytest.fail((out / "failed").read_text(encoding="utf-8"))
        if not (out / "built").exists():
            cmd = [
                sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                "--workpath", str(out / "build"), "--distpath", str(out / "dist"), str(ROOT / "build.spec"),
            ]
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                why = f"pyinstaller build.spec failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
                (out / "failed").write_text(why, encoding="utf-8")
                pytest.fail(why)
            shutil.rmtree(out / "build", ignore_errors=True)
            (out / "built").touch()
    assert (folder / "yishi").exists() or (folder / "yishi.exe").exists()
    yield folder


def executable(folder: Path) -> Path:
    return folder / ("yishi.exe" if sys.platform.startswith("win") else "yishi")


def bundle_env(**extra: str) -> dict[str, str]:
    """The environment of a PC without Python: no path to our sources or venv."""
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != VENV_BIN)
    env.setdefault("YISHI_LANG", "zh")
    env.update(extra)
    return env


@pytest.fixture
def run_bundle(bundle: Path, tmp_path: Path):
    """Run a ``yishi`` command from the bundle, in an empty working folder."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    def run(*args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(executable(bundle)), *args], cwd=cwd, env=bundle_env(**env),
            capture_output=True, text=True, timeout=300,
        )
        if ok:
            assert done.returncode == 0, f"yishi {' '.join(args)} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    return run


def _free_display() -> int:
    for n in range(90, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server at 1366x768 (the office PC's usual screen)."""
    if not shutil.which("Xvfb"):
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/system-packages.txt lists it)")
    n = _free_display()
    proc = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            assert proc.poll() is None, "Xvfb exited at start"
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.1)
        yield f":{n}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
