"""schemathesis against /openapi.json of the running server (the sync bodies
are described there too, from the wire models): whatever it sends, as a PC
with a token, a county admin or nobody, positive and negative cases, the
server never answers 5xx and never logs a traceback. CI sends at least 2,000
calls per database; bench/soak_fuzz.py sends 50,000."""

from __future__ import annotations

import os
import secrets

from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.support import fuzz

# per operation and mode; x 4 callers x 2 modes x 13 operations: about 2,300
# calls per database in CI, a minute or two; the soak sets 500 (bench/soak_fuzz.py)
EXAMPLES = int(os.environ.get("YISHI_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ["YISHI_FUZZ_SEED"]) if os.environ.get("YISHI_FUZZ_SEED") else None  # CI: the same cases every run


def _fresh_room_code(srv) -> str:  # type: ignore[no-untyped-def]
    """A room of its own, so the made-up pushes land nowhere another test looks."""
    from server.services.devices import new_enrollment_code
    from server.services.rooms import add_room

    code = f"F{secrets.token_hex(4).upper()}"
    db = srv.db()
    try:
        add_room(db, code=code, name=f"模糊测试议事室{code}", township="水渡口街道", county="清江浦区")
        return new_enrollment_code(db, code)
    finally:
        db.close()


def test_no_5xx_anywhere_in_the_api(srv):
    token = fuzz.device_token(srv.base, _fresh_room_code(srv))
    cookie = fuzz.admin_cookie(srv.base, ADMIN_USER, ADMIN_PASSWORD)
    tally = fuzz.run(srv.base, token=token, cookie=cookie, examples=EXAMPLES, seed=SEED)
    paths = {p for _, p, _, _ in tally.calls}
    assert paths >= {
        "/api/v1/enroll", "/api/v1/device", "/api/v1/rooms/{room_code}", "/api/v1/stats", "/healthz",
        "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/sync/verify", "/api/v1/sync/rows", "/api/v1/sync/blobs/{sha256}",
    }
    assert tally.failures == [], "\n".join(tally.failures[:20])
    assert len(tally.calls) >= min(2000, 80 * EXAMPLES), (len(tally.calls), tally.by_status())
    statuses = tally.by_status()
    print(f"fuzz: {len(tally.calls)} calls, by status {statuses}")
    # the cases reached the routes, not only the doors: some pushes were applied
    assert statuses.get(200, 0) > 100, statuses
    log = (srv.data_dir.parent / "server.log").read_text()
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log[-3000:]
