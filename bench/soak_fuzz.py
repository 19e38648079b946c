"""Soak for the county server's input handling (issue 12): the fuzz test of
tests/server/test_openapi_fuzz.py with 50,000 calls or more instead of CI's
~2,300 per database. schemathesis over every operation of /openapi.json (the
sync bodies included), as a PC, an admin and nobody, positive and negative
cases, against a real ``yishi-server serve``; it passes when no call answered
5xx and the server's log holds no traceback.

    .venv/bin/python bench/soak_fuzz.py [--examples 500] [--seed N] [--backend sqlite|postgresql|both]

``--examples`` is per operation and mode (each example is sent as 4 callers,
13 operations x 2 modes): 500 gives about 50,000 calls per database. A random
seed is drawn unless ``--seed`` is given, so each soak tries new cases; the
seed is printed so a failure can be replayed. PostgreSQL needs
YISHI_TEST_PG_URL, as for the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--examples", type=int, default=500)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    env = {**os.environ, "YISHI_FUZZ_EXAMPLES": str(args.examples), "YISHI_FUZZ_SEED": str(seed), "QT_QPA_PLATFORM": "offscreen"}
    select = [] if args.backend == "both" else ["-k", args.backend]
    cmd = [sys.executable, "-m", "pytest", "tests/server/test_openapi_fuzz.py", "-q", "-s", "-p", "no:cacheprovider", *select]
    print(f"seed {seed}, {args.examples} examples per operation and mode: {' '.join(cmd)}", flush=True)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    minutes = (time.monotonic() - start) / 60
    for line in proc.stdout.splitlines():
        if line.startswith("fuzz:") or re.search(r"\d+ (passed|failed)", line):
            print(line)
    if proc.returncode != 0:
        print(proc.stdout[-6000:], proc.stderr[-2000:])
    print(f"{'PASS' if proc.returncode == 0 else 'FAIL'} in {minutes:.1f} min (seed {seed})")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
