"""Soak for sync (issue 5): the long versions of the tests CI runs short.

- test 1, the server SIGKILLed mid-push: ``YISHI_SYNC_KILLS`` kills (CI 100,
  soak 1,000), tests/sync/test_server_kills.py;
- test 5, the property test: ``YISHI_PROPERTY_EXAMPLES`` examples (CI 200,
  soak 5,000), tests/sync/test_property.py;
- test 4, the flaky link: ``YISHI_FLAKY_CHANGES`` random changes (CI 1,000),
  tests/sync/test_flaky_link.py (optional, ``--changes``);
- issue 11, the day property test (a person's actions in any legal order):
  ``YISHI_DAY_EXAMPLES`` examples (CI 200, soak 5,000),
  tests/sync/test_day_property.py (``--days``).

Each part is one pytest run of the real test file (a real server process, real
data dirs) with its knob set, so the soak checks exactly what CI checks, only
longer. A part's pass/fail and wall time are printed, and with ``--record`` a
section is written to that Markdown file (the doc keeps the last run)::

    .venv/bin/python bench/soak_sync.py [--kills 1000] [--examples 5000] [--changes 0] [--days 5000] [--record docs/bench/soak.md] [--logs DIR]

There is no same-run baseline to compare against here: a soak measures
nothing but "still correct after N", so its figures are counts and wall times.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_part(name: str, test: str, env_key: str, n: int, log_dir: Path) -> dict:
    env = {**os.environ, env_key: str(n)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", test]
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{Path(test).stem}-{n}.log"
    log.write_text(out.stdout + out.stderr, encoding="utf-8")
    tail = (out.stdout + out.stderr).strip().splitlines()[-15:]
    res = {
        "name": name,
        "command": f"{env_key}={n} .venv/bin/python -m pytest -q -x {test}",
        "n": n,
        "passed": out.returncode == 0,
        "wall": wall,
        "load": (load0, os.getloadavg()[0]),
        "tail": tail,
    }
    print(f"{name}: {n} -> {'passed' if res['passed'] else 'FAILED'} in {wall:.0f} s (load {load0:.1f} -> {res['load'][1]:.1f}); output in {log}", flush=True)
    if not res["passed"]:
        print("\n".join(tail), flush=True)
    return res


def record(path: Path, results: list[dict], argv: list[str]) -> None:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Last run",
        "",
        f"{now}, {platform.system()} {platform.release()}, Python {platform.python_version()}, {os.cpu_count()} cores (shared with other engineers' work).",
        "",
        "    .venv/bin/python bench/soak_sync.py " + " ".join(argv),
        "",
        "| part | size | result | wall | load avg (start → end) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r['name']} | {r['n']:,} | {'passed' if r['passed'] else '**FAILED**'} | {r['wall']:.0f} s | {r['load'][0]:.1f} → {r['load'][1]:.1f} |")
    lines.append("")
    for r in results:
        lines += [f"`{r['command']}`, last lines:", "", *("    " + t for t in r["tail"][-4:]), ""]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Sync soak\n\n"
    head = text.split("## Last run")[0].rstrip() + "\n\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + "\n".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=1000, help="server kills for test 1 (0 skips it)")
    ap.add_argument("--examples", type=int, default=5000, help="property examples for test 5 (0 skips it)")
    ap.add_argument("--changes", type=int, default=0, help="random changes for test 4, the flaky link (0 skips it)")
    ap.add_argument("--days", type=int, default=5000, help="examples of the day property test, issue 11 (0 skips it)")
    ap.add_argument("--record", type=Path, help="write the results into this Markdown file (after each part)")
    ap.add_argument("--logs", type=Path, default=Path(tempfile.gettempdir()) / "yishi-soak", help="full pytest output of each part")
    a = ap.parse_args()
    parts = [
        ("test 1: server SIGKILLed mid-push", "tests/sync/test_server_kills.py", "YISHI_SYNC_KILLS", a.kills),
        ("test 5: property test", "tests/sync/test_property.py", "YISHI_PROPERTY_EXAMPLES", a.examples),
        ("test 4: flaky link", "tests/sync/test_flaky_link.py", "YISHI_FLAKY_CHANGES", a.changes),
        ("issue 11: a day in any legal order", "tests/sync/test_day_property.py", "YISHI_DAY_EXAMPLES", a.days),
    ]
    results = []
    for name, test, key, n in parts:
        if not n:
            continue
        results.append(run_part(name, test, key, n, a.logs))
        if a.record:
            record(a.record, results, sys.argv[1:])
    sys.exit(0 if all(r["passed"] for r in results) else 1)


if __name__ == "__main__":
    main()
