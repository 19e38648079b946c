"""schemathesis over every operation of a running server's /openapi.json, as a
PC with a device token, a county admin with a session and an outsider with
nothing would call it; shared by tests/server/test_openapi_fuzz.py (CI size)
and bench/soak_fuzz.py (the 50,000-case soak)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

HEADER = "X-Yishi-Protocol"


@dataclass
class Tally:
    calls: list[tuple[str, str, str, int]] = field(default_factory=list)  # (method, path, who, status)
    failures: list[str] = field(default_factory=list)

    def by_status(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for *_, status in self.calls:
            out[status] = out.get(status, 0) + 1
        return dict(sorted(out.items()))


def device_token(base: str, enrollment_code: str) -> str:
    r = requests.post(f"{base}/api/v1/enroll", json={"code": enrollment_code, "device_name": "fuzz"})
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def admin_cookie(base: str, username: str, password: str) -> str:
    """A county admin's session cookie, logged in through the form as a person would."""
    s = requests.Session()
    s.headers["X-Forwarded-For"] = _ip()
    form = s.get(f"{base}/admin/login")
    csrf = re.search(r'name="csrf" value="([^"]*)"', form.text)
    r = s.post(f"{base}/admin/login", data={"username": username, "password": password, **({"csrf": csrf.group(1)} if csrf else {})})
    assert r.status_code == 200, r.text[:300]
    from server.api.deps import SESSION_COOKIE

    return str(s.cookies.get(SESSION_COOKIE))


def _ip() -> str:
    # a fresh address per call, so the fuzz is not throttled into 429s only
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def run(base: str, *, token: str, cookie: str, examples: int, seed: int | None = None) -> Tally:
    """Every operation, positive and negative cases, each case sent as four
    callers: nobody, the PC with the header the case made up, the PC with a
    good protocol header, the county admin. Returns what every call answered."""
    from server.api.deps import SESSION_COOKIE

    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    callers: list[tuple[str, dict[str, Any], dict[str, str]]] = [
        ("nobody", {}, {}),
        ("pc", {"Authorization": f"Bearer {token}"}, {}),
        ("pc+protocol", {"Authorization": f"Bearer {token}", HEADER: "2"}, {}),
        ("admin", {}, {SESSION_COOKIE: cookie}),
    ]
    tally = Tally()
    for result in schema.get_all_operations():
        op = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=seed is None)
            @given(case=op.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                for who, headers, cookies in callers:
                    try:
                        resp = case.call(base_url=base, headers={**headers, "X-Forwarded-For": _ip()}, cookies=cookies, timeout=30)
                    except (requests.exceptions.InvalidHeader, UnicodeEncodeError, ValueError):
                        continue  # a header requests itself refuses to send: no request was made
                    tally.calls.append((op.method.upper(), op.path, who, resp.status_code))
                    if resp.status_code >= 500:
                        tally.failures.append(f"{op.method.upper()} {op.path} as {who}: {resp.status_code} {case.path_parameters} {case.query} {str(case.body)[:200]} -> {resp.text[:300]}")

            if seed is not None:  # the soak: a new seed per run; CI: derandomized, the same cases each time
                check = hypothesis_seed(seed)(check)
            try:
                check()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, op.path  # nothing to get wrong (/healthz has no input)
    return tally
