"""The sync wire format, shared by the desktop client and the county server.

Every request and answer carries ``X-Yishi-Protocol``. A client below
``MIN_PROTOCOL`` gets HTTP 426 and nothing is applied. Models ignore fields
they do not know (a newer peer may send more), and an operation carries only
the fields it changed, so an older client never erases a field it never knew.
Digests for verify are computed here so both sides agree byte for byte.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# 2: verify digests are "count:sum of BLAKE2b-64(id:version)" (desktop/sync/digest.py),
# not SHA-256 over sorted lines; a version-1 peer would see every bucket differ
PROTOCOL_VERSION = 2
MIN_PROTOCOL = 2
HEADER = "X-Yishi-Protocol"
PREFIX = "/api/v1/sync"
MAX_BATCH = 500
MAX_PAGE = 2000
BUCKETS = 64
CHUNK = 256 * 1024

Kind = Literal["insert", "update", "delete"]
Status = Literal["applied", "duplicate", "conflict", "rejected"]
Base = int | str  # a version, or "op:<op_id>" (the version an earlier op of ours produced)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OpIn(_Wire):
    op_id: str = Field(min_length=1, max_length=36)
    entity: str = Field(max_length=32)
    row_id: str = Field(min_length=1, max_length=36)
    kind: Kind
    base_version: int = 0
    bases: dict[str, Base] = Field(default_factory=dict)
    fields: dict[str, Any] = Field(default_factory=dict)


class PushIn(_Wire):
    ops: list[OpIn] = Field(max_length=MAX_BATCH)
    unsent: int = 0


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

    entities: dict[str, tuple[int, str]]
    upto: int = 0


class VerifyOut(_Wire):
    ok: bool
    # entities whose count or digest differ -> the server's per-bucket digests
    differing: dict[str, dict[int, str]] = Field(default_factory=dict)


class RowsIn(_Wire):
    """Ask for whole rows again: by id, or every row of some buckets."""

    ids: dict[str, list[str]] = Field(default_factory=dict)
    buckets: dict[str, list[int]] = Field(default_factory=dict)


class BlobState(_Wire):
    sha256: str
    size: int
    received: int
    complete: bool


def bucket_of(row_id: str) -> int:
    return int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16) % BUCKETS


def op_base_ref(op_id: str) -> str:
    return f"op:{op_id}"
