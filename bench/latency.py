"""What a call costs over stdio beyond its floor, and how many connections to GitCode the calls open.

    python bench/latency.py [--calls 200]

A GitCode double (the simulator served by uvicorn) listens on loopback behind a TCP relay that counts the
connections it accepts. Three figures per call, median and p95 in milliseconds:
- the floor's two parts: one direct HTTP request to the double (the same request the tool sends), and one call of a
  bare SDK server's no-op tool over stdio;
- ours: `get_pull_request` through `gitcode-mcp` over stdio, which sends that one request.
It prints ours - floor (what gitcode-mcp adds to a call) and ours / floor, then the connections GitCode saw for
100 sequential calls and for 20 concurrent ones (one keep-alive pool: a handful at most).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import httpx2
import uvicorn
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from gitcode_mcp.sandbox import Sandbox

TOKEN = "sandbox-token"
PULL = "repos/alice/demo/pulls/1"
BARE = """
from mcp.server.mcpserver import MCPServer

server = MCPServer(name="bare")


@server.tool()
def noop(owner: str, repo: str, number: int) -> str:
    \"\"\"Answer at once.\"\"\"
    return "{}"


server.run("stdio")
"""


class CountingRelay:
    """A TCP relay on loopback to `target_port` that counts the connections it accepts."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.accepted = 0
        self.port = 0

    async def serve(self, ready: threading.Event) -> None:
        listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
        self.port = listener.extra(anyio.abc.SocketAttribute.local_port)
        ready.set()
        await listener.serve(self._relay)

    async def _relay(self, client: anyio.abc.SocketStream) -> None:
        self.accepted += 1
        async with client, await anyio.connect_tcp("127.0.0.1", self.target_port) as upstream:

            async def pump(source: anyio.abc.SocketStream, sink: anyio.abc.SocketStream) -> None:
                try:
                    async for chunk in source:
                        await sink.send(chunk)
                except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass
                finally:
                    await sink.send_eof() if hasattr(sink, "send_eof") else None

            async with anyio.create_task_group() as group:
                group.start_soon(pump, client, upstream)
                group.start_soon(pump, upstream, client)


def start_double() -> CountingRelay:
    sandbox = Sandbox()
    config = uvicorn.Config(sandbox.app, host="127.0.0.1", port=0, log_level="warning", interface="asgi3")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    relay, ready = CountingRelay(port), threading.Event()
    threading.Thread(target=lambda: anyio.run(relay.serve, ready), daemon=True).start()
    ready.wait()
    return relay


def summary(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[int(len(ms) * 0.95) - 1]


async def timed(calls: int, one: Callable[[], Awaitable[object]]) -> list[float]:
    await one()  # warm
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        await one()
        out.append(time.perf_counter() - start)
    return out


async def main(calls: int) -> None:
    relay = start_double()
    api = f"http://127.0.0.1:{relay.port}/api/v5"
    async with httpx2.AsyncClient(base_url=api + "/", headers={"PRIVATE-TOKEN": TOKEN}) as http:
        direct = await timed(calls, lambda: http.get(PULL))
    with tempfile.TemporaryDirectory() as tmp:
        bare_file = Path(tmp) / "bare.py"
        bare_file.write_text(BARE, encoding="utf-8")
        async with Client(stdio_client(StdioServerParameters(command=sys.executable, args=[str(bare_file)]))) as bare:
            noop = await timed(calls, lambda: bare.call_tool("noop", {"owner": "alice", "repo": "demo", "number": 1}))
    env = {**os.environ, "GITCODE_API_URL": api, "GITCODE_TOKEN": TOKEN}
    params = StdioServerParameters(command=sys.executable, args=["-m", "gitcode_mcp"], env=env)
    async with Client(stdio_client(params)) as ours_client:
        ours = await timed(
            calls, lambda: ours_client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
        )
        before = relay.accepted
        for _ in range(100):
            await ours_client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
        sequential = relay.accepted - before
        before = relay.accepted
        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(
                    ours_client.call_tool, "get_pull_request", {"owner": "alice", "repo": "demo", "number": 1}
                )
        concurrent = relay.accepted - before
    (d_med, d_p95), (n_med, n_p95), (o_med, o_p95) = summary(direct), summary(noop), summary(ours)
    floor_med, floor_p95 = d_med + n_med, d_p95 + n_p95
    print(f"per call over stdio, {calls} calls each (ms, median / p95):")
    print(f"  direct HTTP request to the double: {d_med:6.2f} / {d_p95:6.2f}")
    print(f"  bare SDK no-op tool over stdio:    {n_med:6.2f} / {n_p95:6.2f}")
    print(f"  floor (the two together):          {floor_med:6.2f} / {floor_p95:6.2f}")
    print(f"  gitcode-mcp get_pull_request:      {o_med:6.2f} / {o_p95:6.2f}")
    added = f"{o_med - floor_med:+.2f} / {o_p95 - floor_p95:+.2f}"
    print(f"  added by gitcode-mcp: {added}; ours / floor {o_med / floor_med:.2f}x")
    print("connections GitCode accepted (one keep-alive pool):")
    print(f"  100 sequential calls: {sequential}; 20 concurrent calls: {concurrent} (after the warm-up's)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    anyio.run(main, parser.parse_args().calls)
