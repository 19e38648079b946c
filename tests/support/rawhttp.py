"""HTTP over a bare socket, for what ``requests`` cannot do: announce a
Content-Length and send none of it, or stream a huge body and stop the moment
the server answers, counting the bytes it took in before refusing."""

from __future__ import annotations

import functools
import json
import select
import socket
import time
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit


@dataclass
class RawAnswer:
    status_code: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes sent before the answer came
    seconds: float

    def detail(self) -> str:
        """The message: ``detail`` of a JSON answer, else the page's text."""
        text = self.body.decode("utf-8", "replace")
        if self.headers.get("content-type", "").startswith("application/json"):
            return str(json.loads(text).get("detail", ""))
        return text


def send(
    base: str, method: str, path: str, *, headers: dict[str, str] | None = None,
    body: Iterable[bytes] = (), chunked: bool = False, timeout: float = 30.0,
) -> RawAnswer:
    """Send the request piece by piece; stop sending as soon as the server
    answers (or closes), then read its answer whole."""
    url = urlsplit(base)
    sock = socket.create_connection((url.hostname, url.port or 80), timeout=timeout)
    start = time.monotonic()
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {url.hostname}:{url.port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if chunked:
            head.append("Transfer-Encoding: chunked")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        sent = 0
        sock.setblocking(False)
        pieces = (p for p in body if p)  # an empty chunk would end a chunked body
        pending = b""
        done = False
        while True:
            readable, writable, _ = select.select([sock], [] if done else [sock], [], timeout)
            if readable:
                break
            if not writable:
                raise TimeoutError("the server neither answered nor read")
            if not pending:
                piece = next(pieces, None)
                if piece is None:
                    pending, done = (b"0\r\n\r\n" if chunked else b""), True
                    if not pending:
                        continue
                else:
                    sent += len(piece)
                    pending = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n") if chunked else piece
            try:
                n = sock.send(pending)
            except (BrokenPipeError, ConnectionResetError):
                break
            pending = pending[n:]
        sock.setblocking(True)
        raw = b""
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            raw += data
            if b"\r\n\r\n" in raw:
                top, _, rest = raw.partition(b"\r\n\r\n")
                length = _headers(top).get("content-length")
                if length is not None and len(rest) >= int(length):
                    break
        seconds = time.monotonic() - start
    finally:
        sock.close()
    top, _, rest = raw.partition(b"\r\n\r\n")
    status = int(top.split(b" ", 2)[1]) if top else 0
    hdrs = _headers(top)
    if "content-length" in hdrs:
        rest = rest[: int(hdrs["content-length"])]
    return RawAnswer(status_code=status, headers=hdrs, body=rest, sent=sent, seconds=seconds)


def _headers(top: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in top.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        out[name.strip().lower()] = value.strip()
    return out


def zeros(total: int, piece: int = 64 * 1024) -> Iterable[bytes]:
    """``total`` bytes of "0", made as they are sent (never held whole)."""
    block = b"0" * piece
    left = total
    while left > 0:
        yield block[: min(piece, left)]
        left -= piece


@functools.lru_cache(maxsize=2)
def gzip_bomb(unpacked: int = 600 * 1024 * 1024) -> bytes:
    """A gzip member of ``unpacked`` zero bytes: about 597 KiB for 600 MiB
    (issue 12), made in pieces so the test never holds the 600 MiB either."""
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    out = [z.compress(block) for _ in range(unpacked // len(block))]
    out.append(z.flush())
    return b"".join(out)
