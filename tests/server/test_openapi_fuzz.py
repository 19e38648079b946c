"""schemathesis against /openapi.json of the running server: whatever it sends,
with and without a valid token, the server never answers 500."""

from __future__ import annotations

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 25


def _token(srv) -> str:
    code = srv.cli("enrollment-code", srv.room_a).stdout.strip().splitlines()[-1]
    return requests.post(f"{srv.base}/api/v1/enroll", json={"code": code, "device_name": "fuzz"}).json()["token"]


def test_no_500_anywhere_in_the_api(srv):
    schema = schemathesis.openapi.from_url(f"{srv.base}/openapi.json")
    token = _token(srv)
    seen: list[tuple[str, int]] = []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert {o.path for o in operations} >= {"/api/v1/enroll", "/api/v1/device", "/api/v1/rooms/{room_code}", "/api/v1/stats", "/healthz"}
    for op in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case):  # type: ignore[no-untyped-def]
            for headers in ({}, {"Authorization": f"Bearer {token}"}):
                resp = case.call(base_url=srv.base, headers=headers)
                seen.append((op.path, resp.status_code))
                assert resp.status_code < 500, (op.path, case.path_parameters, case.query, case.body, resp.text[:300])

        check()
    assert len(seen) >= len(operations) * 2
