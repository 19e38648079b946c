"""The sync wire format, shared by the desktop client and the county server.

Every request and answer carries ``X-Yishi-Protocol``. A client below
``MIN_PROTOCOL`` gets HTTP 426 and nothing is applied. Models ignore fields
they do not know (a newer peer may send more), and an operation carries only
the fields it changed, so an older client never erases a field it never knew.
Digests for verify are computed here so both sides agree byte for byte.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# 2: verify digests are "count:sum of BLAKE2b-64(id:version)" (desktop/sync/digest.py),
# not SHA-256 over sorted lines; a version-1 peer would see every bucket differ
PROTOCOL_VERSION = 2
MIN_PROTOCOL = 2
HEADER = "X-Yishi-Protocol"
PREFIX = "/api/v1/sync"
MAX_BATCH = 500
# a push's ops as JSON stay under this, so a batch of long texts (minutes,
# descriptions) never meets the server's 16 MiB cap on an unpacked push
MAX_BATCH_BYTES = 4 * 1024 * 1024
MAX_PAGE = 2000
BUCKETS = 64
CHUNK = 256 * 1024
# Bounds on what a peer may send (issue 12: 2**63 in a query or a body reached
# SQL and overflowed). A version is a room's sequence number, stored in INTEGER
# columns (32 bits on PostgreSQL): 2**31 - 1 is the most either database holds,
# and a room would need a change a second for 68 years to get there. ``unsent``
# is summed over a room's PCs on the county's rooms page, so 10**9 each keeps
# the sum small.
MAX_VERSION = 2**31 - 1
MAX_UNSENT = 10**9
MAX_IDS = 10_000  # ids per entity asked for again (the server reads MAX_PAGE of them)

Kind = Literal["insert", "update", "delete"]
Status = Literal["applied", "duplicate", "conflict", "rejected"]
# names and ids carry no control characters (a NUL reached PostgreSQL, which
# refuses it in text, as a 500: found by tests/server/test_openapi_fuzz.py)
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
Version = Annotated[int, Field(ge=0, le=MAX_VERSION)]
EntityName = Annotated[str, Field(max_length=32, pattern=NO_CONTROL)]
FieldName = Annotated[str, Field(max_length=64, pattern=NO_CONTROL)]
RowId = Annotated[str, Field(max_length=36, pattern=NO_CONTROL)]
# a version, or "op:<op_id>" (the version an earlier op of ours produced)
Base = Version | Annotated[str, Field(max_length=3 + 36, pattern=NO_CONTROL)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OpIn(_Wire):
    op_id: str = Field(min_length=1, max_length=36, pattern=NO_CONTROL)
    entity: EntityName
    row_id: str = Field(min_length=1, max_length=36, pattern=NO_CONTROL)
    kind: Kind
    base_version: Version = 0
    bases: dict[FieldName, Base] = Field(default_factory=dict, max_length=200)
    # values are checked per field by the server (server/sync/values.py)
    fields: dict[FieldName, Any] = Field(default_factory=dict, max_length=200)


class PushIn(_Wire):
    ops: list[OpIn] = Field(max_length=MAX_BATCH)
    unsent: int = Field(default=0, ge=0, le=MAX_UNSENT)


class FieldConflict(_Wire):
    field: str
    server_value: Any = None
    local_value: Any = None


class OpResult(_Wire):
    op_id: str
    status: Status
    version: int = 0
    reason: str = ""
    conflicts: list[FieldConflict] = Field(default_factory=list)
    # fields this op set on the server (conflicting ones excluded)
    applied_fields: list[str] = Field(default_factory=list)
    # a refused insert that repeats a row the server already holds under another
    # id (the same 12345 ticket imported on two PCs): the id to take instead
    duplicate_of: str = ""


class PushOut(_Wire):
    results: list[OpResult]


class Change(_Wire):
    entity: str
    id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any] = Field(default_factory=dict)
    field_versions: dict[str, int] = Field(default_factory=dict)


class PullOut(_Wire):
    changes: list[Change]
    cursor: int
    more: bool


class VerifyIn(_Wire):
    """Per entity, the client's count and digest of its (id, version) pairs with
    0 < version <= ``upto`` (the cursor it has pulled to)."""

    entities: dict[EntityName, tuple[Annotated[int, Field(ge=0, le=MAX_VERSION)], Annotated[str, Field(max_length=64, pattern=NO_CONTROL)]]] = Field(max_length=100)
    upto: Version = 0


class VerifyOut(_Wire):
    ok: bool
    # entities whose count or digest differ -> the server's per-bucket digests
    differing: dict[str, dict[int, str]] = Field(default_factory=dict)


class RowsIn(_Wire):
    """Ask for whole rows again: by id, or every row of some buckets."""

    ids: dict[EntityName, Annotated[list[RowId], Field(max_length=MAX_IDS)]] = Field(default_factory=dict, max_length=100)
    buckets: dict[EntityName, Annotated[list[Annotated[int, Field(ge=0, lt=BUCKETS)]], Field(max_length=BUCKETS)]] = Field(default_factory=dict, max_length=100)


class BlobState(_Wire):
    sha256: str
    size: int
    received: int
    complete: bool


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its ``$defs`` written in place, for an
    OpenAPI ``requestBody`` (whose ``$ref``s would point into the document)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


def bucket_of(row_id: str) -> int:
    return int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16) % BUCKETS


def op_base_ref(op_id: str) -> str:
    return f"op:{op_id}"
