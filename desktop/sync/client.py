"""HTTP to the county server: one ``requests.Session`` with connect and stall
timeouts, gzip both ways, the protocol header and bearer token on every
request, and retries with exponential backoff and jitter on connection errors
(a request whose answer was lost is simply sent again: push is idempotent by
op id). Failures become ``SyncError`` subclasses the CLI maps to exit codes."""

from __future__ import annotations

import gzip
import json
import random
import time
from typing import Any

import requests

from desktop import __version__
from desktop.domain.errors import DomainError
from desktop.sync.protocol import HEADER, PREFIX, PROTOCOL_VERSION, BlobState


class SyncError(DomainError):
    """Sync could not finish; the data is safe on this PC."""


class Unreachable(SyncError):
    pass


class TokenRefused(SyncError):
    pass


class TooOld(SyncError):
    pass


class ServerRefused(SyncError):
    pass


class LocalStoreError(SyncError):
    """This PC's own database could not take the server's data (locked by another
    program, or the disk is full). Nothing was half-written: the cursor has not moved."""


def _detail(resp: requests.Response) -> str:
    try:
        return str(resp.json().get("detail", ""))
    except ValueError:
        return ""


class Client:
    """Talks to one server with one token. Not thread-safe: one per sync run."""

    def __init__(
        self,
        base_url: str,
        token: str = "",
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff = backoff
        self.requests = 0  # counted for the benchmarks and the status line
        self.bytes_sent = 0
        self.bytes_received = 0
        self.session = requests.Session()
        self.session.headers.update({HEADER: str(PROTOCOL_VERSION), "Accept-Encoding": "gzip", "User-Agent": f"yishi/{__version__}"})
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.session.close()

    def request(
        self, method: str, path: str, *, body: Any = None, raw: bytes | None = None, params: dict[str, Any] | None = None, expect_json: bool = False
    ) -> requests.Response:
        url = self.base + (path if path.startswith("/api/") else PREFIX + path)
        headers: dict[str, str] = {}
        data: bytes | None = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) > 512:
                data = gzip.compress(data, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        attempt = 0
        while True:
            try:
                self.requests += 1
                self.bytes_sent += len(data or b"")
                resp = self.session.request(method, url, data=data, headers=headers, params=params, timeout=self.timeout)
                self.bytes_received += int(resp.headers.get("Content-Length") or len(resp.content))
                if resp.status_code in (502, 503, 504):
                    raise requests.ConnectionError(f"HTTP {resp.status_code}")
                _ = resp.content  # a body cut short raises here, inside the retry
                if (expect_json and resp.status_code < 300) or (resp.status_code == 200 and resp.headers.get("Content-Type", "").startswith("application/json")):
                    resp.json()  # a truncated JSON body, or headers cut short, is a cut link too
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError, ValueError) as exc:
                attempt += 1
                if attempt > self.retries:
                    raise Unreachable("无法连接县（区）服务器（{url}）。数据已安全保存在本电脑上，联网后会自动再同步。", url=self.base) from exc
                # exponential backoff with full jitter: hundreds of rooms retrying
                # after an outage must not come back in lock step
                time.sleep(random.uniform(0, self.backoff * (2 ** (attempt - 1))))
                continue
            return self._check(resp)

    def _check(self, resp: requests.Response) -> requests.Response:
        if resp.status_code == 426:
            raise TooOld(_detail(resp) or "本电脑上的议事程序版本太旧，请更新后再同步。")
        if resp.status_code == 401:
            raise TokenRefused("县（区）服务器不接受本电脑的授权：{detail}", detail=_detail(resp))
        if resp.status_code >= 400 and resp.status_code != 409 and resp.status_code != 404:
            raise ServerRefused("县（区）服务器拒绝了请求（{code}）：{detail}", code=resp.status_code, detail=_detail(resp))
        return resp

    def json(self, method: str, path: str, **kw: Any) -> Any:
        return self.request(method, path, expect_json=True, **kw).json()

    # ---- photo blobs (desktop.sync.photos drives these) ----

    def blob_state(self, sha256: str) -> BlobState | None:
        """How much of a photo the server holds; None when it has none of it."""
        resp = self.request("GET", f"/blobs/{sha256}/state")
        return None if resp.status_code == 404 else BlobState.model_validate(resp.json())

    def blob_put(self, sha256: str, *, offset: int, size: int, mime: str, data: bytes) -> tuple[int, bool]:
        """Send one chunk at ``offset``: (bytes the server now holds, complete).
        A chunk out of place (409) is no error: the answer says where to go on."""
        resp = self.request("PUT", f"/blobs/{sha256}", raw=data, params={"offset": offset, "size": size, "mime": mime})
        body = resp.json()
        if resp.status_code == 409:
            return int(body.get("received", 0)), False
        return int(body["received"]), bool(body["complete"])

    def blob_open(self, sha256: str, *, start: int = 0) -> requests.Response | None:
        """A streamed download of a complete photo from byte ``start`` (206 when the
        server honoured the range, 200 for the whole file); None while the server
        does not have it complete. The caller reads it and closes it; a cut in
        the middle surfaces as ``requests`` errors while reading."""
        url = f"{self.base}{PREFIX}/blobs/{sha256}"
        headers = {"Range": f"bytes={start}-", "Accept-Encoding": "identity"} if start else {"Accept-Encoding": "identity"}
        self.requests += 1
        resp = self.session.get(url, headers=headers, stream=True, timeout=self.timeout)
        if resp.status_code in (404, 403, 416):
            resp.close()
            return None
        if resp.status_code in (502, 503, 504):
            resp.close()
            raise requests.ConnectionError(f"HTTP {resp.status_code}")
        return self._check(resp)
