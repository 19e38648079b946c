"""The one-folder bundle built from build.spec, checked from the bundle alone:
it tells its version, fills a demo room, prints finalized minutes whose PDF
embeds the bundled font and gives its Chinese back, starts its window under a
real X server in Chinese and in English (the Qt catalogue compiled at build
time), and stays under 150 MiB."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageGrab

from desktop import __version__
from tests.packaging.conftest import bundle_env, executable
from tests.packaging.x11 import Window, top_level_windows

pytestmark = pytest.mark.slow

MIB = 1024 * 1024
ACCENT = (183, 49, 44)  # the selected navigation entry, #b7312c


def test_version(run_bundle):
    done = run_bundle("--version")
    assert done.stdout.strip() == f"yishi {__version__}"


def test_folder_stays_under_150_mib(bundle: Path):
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 150 * MIB, f"bundle is {size / MIB:.1f} MiB"
    # what the spec promises to carry, and what it promises to leave out
    internal = bundle / "_internal"
    for part in ("resources/fonts/wqy-microhei-gbk.ttf", "resources/fonts/LICENSE-wqy-microhei.txt",
                 "resources/translations/yishi_en.qm", "resources/icons/yishi.png",
                 "desktop/storage/migrations/env.py", "desktop/storage/migrations/script.py.mako"):
        assert (internal / part).is_file(), part
    assert {p.name for p in (internal / "desktop/storage/migrations/versions").glob("*.py")} >= {
        "0001_initial_schema.py", "0002_search_and_stats.py"}
    names = {p.name for p in internal.rglob("*")}
    assert not {n for n in names if "WebEngine" in n or "Qt6Quick" in n or "Qt6Qml" in n or "VirtualKeyboard" in n}


def _demo(run_bundle, data: Path) -> None:
    done = run_bundle("demo", "--data-dir", str(data))
    assert "演示议事室" in done.stdout
    assert (data / "yishi.sqlite3").is_file()


def test_demo_and_minutes_pdf_with_the_bundled_font(run_bundle, tmp_path: Path):
    data = tmp_path / "data"
    _demo(run_bundle, data)
    run_bundle("settings", "--server-url", "https://xieshang.example.gov.cn", "--data-dir", str(data))
    meetings = json.loads(run_bundle("meetings", "--json", "--data-dir", str(data)).stdout)
    finalized = [m for m in meetings if m["minutes_status"] == "finalized"]
    assert finalized, meetings
    pdf = tmp_path / "纪要.pdf"
    run_bundle("export", "minutes", finalized[0]["id"], "-o", str(pdf), "--data-dir", str(data))

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    wqy = [line.split() for line in fonts.splitlines() if "WenQuanYiMicroHei" in line]
    assert wqy, fonts
    assert all(cols[-5:-3] == ["yes", "yes"] for cols in wqy), fonts  # embedded, as a subset
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "".join(finalized[0]["title"].split()) in flat
    assert "运河社区协商议事室" in flat
    assert "协商议事会会议记录" in flat


def _wait_for_main_window(display: str, proc: subprocess.Popen, title: str, timeout: float = 120) -> Window:
    """The big window whose title holds ``title`` (the room's name arrives in
    the title once the database worker has read it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the window process exited with {proc.returncode}: {proc.stderr.read()[-3000:]}"
        big = [w for w in top_level_windows(display) if w.viewable and w.width >= 800 and w.height >= 500]
        if big and title in big[0].title:
            return big[0]
        time.sleep(0.5)
    raise AssertionError(f"no main window titled {title!r} after {timeout} s: {top_level_windows(display)}")


def _screenshot(display: str, path: Path, timeout: float = 60) -> Image.Image:
    """The screen once the window has painted (Xvfb's own screen is black)."""
    deadline = time.monotonic() + timeout
    while True:
        shot = ImageGrab.grab(xdisplay=display).convert("RGB")
        colours = dict((c, n) for n, c in shot.getcolors(1 << 24))
        total = shot.width * shot.height
        if colours.get((0, 0, 0), 0) < total * 0.05 and colours.get(ACCENT, 0) > 500 or time.monotonic() > deadline:
            shot.save(path)
            return shot
        time.sleep(0.5)


def _start_window(bundle: Path, data: Path, display: str, cwd: Path, lang: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(executable(bundle)), "--data-dir", str(data)], cwd=cwd,
        env=bundle_env(DISPLAY=display, YISHI_LANG=lang),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_window_starts_under_xvfb_in_chinese_and_english(bundle: Path, run_bundle, xvfb: str, tmp_path: Path):
    data = tmp_path / "data"
    _demo(run_bundle, data)
    cwd = tmp_path / "cwd"

    proc = _start_window(bundle, data, xvfb, cwd, "zh")
    try:
        window = _wait_for_main_window(xvfb, proc, "运河社区协商议事室")
        assert window.title.startswith("议事 · 协商议事室"), window
        shot = _screenshot(xvfb, tmp_path / "window-zh.png")
        colours = dict((c, n) for n, c in shot.getcolors(1 << 24))
        assert colours.get((0, 0, 0), 0) < shot.width * shot.height * 0.05, "the window does not fill the screen"
        assert colours.get(ACCENT, 0) > 500, "no selected navigation entry on screen"
        assert len(colours) > 100, "a flat screen: nothing was drawn"  # text is antialiased
        assert proc.poll() is None, "the window closed by itself"
    finally:
        _stop(proc)
    print(f"screenshot: {tmp_path / 'window-zh.png'}")

    # English comes from the .qm that build.spec compiled; the bundle has no lrelease
    proc = _start_window(bundle, data, xvfb, cwd, "en")
    try:
        window = _wait_for_main_window(xvfb, proc, "运河社区协商议事室")
        assert window.title.startswith("Yishi · Consultation Room"), window
        _screenshot(xvfb, tmp_path / "window-en.png")
    finally:
        _stop(proc)
