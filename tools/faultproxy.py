"""A fault-injecting TCP proxy for sync tests and benchmarks (asyncio, no
dependencies): latency, a bandwidth cap, connection resets, dropping the
server's answer after the request was forwarded, and truncated answers.

Faults are decided per client connection (one HTTP exchange with
``Connection: close``, or the first exchange on a kept-alive one), by a seeded
random generator so a failing run can be repeated. Run it standalone::

    python tools/faultproxy.py --listen 8001 --target 127.0.0.1:8000 --drop-response 0.3

or in-process with ``FaultProxy(...).start()`` (a background thread).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import threading
from dataclasses import dataclass


@dataclass
class Faults:
    latency: float = 0.0  # seconds added each way, up to this (uniform)
    bandwidth: int = 0  # bytes per second each way, 0 = unlimited
    reset: float = 0.0  # probability a connection is reset mid-request
    drop_response: float = 0.0  # the request reaches the server, the answer never comes back
    truncate: float = 0.0  # the answer is cut short
    reset_every: int = 0  # reset after this many bytes upstream (0 = never)
    seed: int = 1


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, faults: Faults | None = None, *, listen_port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.faults = faults or Faults()
        self.listen_port = listen_port
        self.rng = random.Random(self.faults.seed)
        self.stats = {"connections": 0, "dropped": 0, "reset": 0, "truncated": 0, "up_bytes": 0, "down_bytes": 0}
        self.enabled = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, up: bool, plan: dict) -> None:
        f = self.faults
        sent = 0
        try:
            while True:
                data = await reader.read(16384)
                if not data:
                    break
                if f.latency and sent == 0:
                    await asyncio.sleep(self.rng.uniform(0, f.latency))
                if up and plan.get("reset_at") is not None and sent + len(data) >= plan["reset_at"]:
                    self.stats["reset"] += 1
                    writer.transport.abort()
                    plan["closed"] = True
                    return
                if not up and plan.get("drop"):
                    self.stats["dropped"] += 1
                    writer.transport.abort()
                    plan["closed"] = True
                    return
                if not up and plan.get("truncate"):
                    cut = max(1, len(data) // 2)
                    writer.write(data[:cut])
                    await writer.drain()
                    self.stats["truncated"] += 1
                    writer.transport.abort()
                    plan["closed"] = True
                    return
                if f.bandwidth:
                    await asyncio.sleep(len(data) / f.bandwidth)
                writer.write(data)
                await writer.drain()
                sent += len(data)
                self.stats["up_bytes" if up else "down_bytes"] += len(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.stats["connections"] += 1
        f = self.faults
        plan: dict = {}
        if self.enabled:
            roll = self.rng.random()
            if roll < f.reset:
                plan["reset_at"] = self.rng.randint(1, 4096)
            elif roll < f.reset + f.drop_response:
                plan["drop"] = True
            elif roll < f.reset + f.drop_response + f.truncate:
                plan["truncate"] = True
            if f.reset_every and "reset_at" not in plan:
                plan["reset_at"] = int(f.reset_every * self.rng.uniform(0.5, 1.5))
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        await asyncio.gather(
            self._pipe(client_r, server_w, up=True, plan=plan),
            self._pipe(server_r, client_w, up=False, plan=plan),
        )

    async def _main(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)
        self.listen_port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        async with self._server:
            await self._server.serve_forever()

    def start(self) -> "FaultProxy":
        def run() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self._main())
            except asyncio.CancelledError:
                pass

        threading.Thread(target=run, daemon=True, name="faultproxy").start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._server:
            self._loop.call_soon_threadsafe(self._server.close)


def main() -> None:
    p = argparse.ArgumentParser(description="fault-injecting TCP proxy")
    p.add_argument("--listen", type=int, default=8001)
    p.add_argument("--target", default="127.0.0.1:8000")
    p.add_argument("--latency", type=float, default=0.0)
    p.add_argument("--bandwidth", type=int, default=0, help="bytes/s")
    p.add_argument("--reset", type=float, default=0.0)
    p.add_argument("--drop-response", type=float, default=0.0)
    p.add_argument("--truncate", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    host, port = a.target.rsplit(":", 1)
    proxy = FaultProxy(host, int(port), Faults(latency=a.latency, bandwidth=a.bandwidth, reset=a.reset, drop_response=a.drop_response, truncate=a.truncate, seed=a.seed), listen_port=a.listen)
    asyncio.run(proxy._main())


if __name__ == "__main__":
    main()
