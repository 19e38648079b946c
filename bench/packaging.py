"""Bundle size and build time: build.spec against a same-run baseline, the
plain one-folder build PyInstaller makes of the same entry point with the same
data and no trimming. Both are clean builds (fresh work folders) into a
temporary folder. Prints MiB, seconds and ratios.

    .venv/bin/python bench/packaging.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="yishi-bench-pack-"))
    py = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    sep = os.pathsep
    baseline_cmd = py + [
        "--workpath", str(out / "w0"), "--distpath", str(out / "d0"), "--specpath", str(out),
        "--onedir", "--windowed", "--name", "yishi", "--paths", str(ROOT),
        "--collect-submodules", "desktop",
        "--add-data", f"{ROOT / 'resources'}{sep}resources",
        "--add-data", f"{ROOT / 'desktop/storage/migrations'}{sep}desktop/storage/migrations",
        str(ROOT / "desktop" / "__main__.py"),
    ]
    spec_cmd = py + ["--workpath", str(out / "w1"), "--distpath", str(out / "d1"), str(ROOT / "build.spec")]
    t0 = build(baseline_cmd)
    s0 = folder_size(out / "d0" / "yishi")
    t1 = build(spec_cmd)
    s1 = folder_size(out / "d1" / "yishi")
    files = sum(1 for p in (out / "d1" / "yishi").rglob("*") if p.is_file())
    print(f"{'build':<28}{'size MiB':>10}{'build s':>10}")
    print(f"{'plain pyinstaller (baseline)':<28}{s0 / MIB:>10.1f}{t0:>10.1f}")
    print(f"{'build.spec':<28}{s1 / MIB:>10.1f}{t1:>10.1f}")
    print(f"ratio spec/baseline: size {s1 / s0:.2f}, build time {t1 / t0:.2f}; spec folder holds {files} files")
    print(f"(folders left in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
