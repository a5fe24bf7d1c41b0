"""Load over HTTP: N concurrent MCP sessions, each with its own caller token, calling a read tool for a fixed time.

    python bench/http_load.py                 # every configuration, N = 1, 50, 200, 8 s each
    python bench/http_load.py --seconds 3 --sessions 1,50

Everything runs on loopback: a GitCode double (a small ASGI app answering the pull request the simulator
answers), the server under test as a subprocess (`gitcode-mcp`, against the double), and the load in this process
with the SDK's own client. The floor is a bare `MCPServer` whose one tool makes the same single HTTP GET to the
same double, forwarding the caller's token, served the same way: what the SDK and the transport cost by
themselves. Printed per configuration and N: calls/s, p50/p95/p99 latency, errors, the server's RSS, and ours as
a share of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import Context, MCPServer

ROOT = Path(__file__).resolve().parent.parent
TOOL_ARGS = {"owner": "alice", "repo": "demo", "number": 1}
CONFIGS = [  # label, transport, extra flags
    ("streamable-http", "streamable-http", []),
    ("streamable-http --stateless", "streamable-http", ["--stateless"]),
    ("streamable-http --workers 2", "streamable-http", ["--workers", "2"]),
    ("sse", "sse", []),
]


# ------------------------------------------------------------------------------------------- the GitCode double


def double_app() -> Any:
    """GitCode answering GET repos/alice/demo/pulls/1 as the simulator does (2.8 KB), to any token."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from gitcode_mcp.sandbox import Sandbox
    from gitcode_mcp.sandbox.areas.pulls.render import render_pull

    sandbox = Sandbox()
    repo = sandbox.world.repos["alice/demo"]
    body = json.dumps(render_pull(sandbox, repo, repo.pulls[1], sandbox.world.users["alice"])).encode()

    async def pull(request: Request) -> Response:
        if not request.headers.get("private-token") and not request.headers.get("authorization"):
            return JSONResponse({"message": "401 Unauthorized"}, status_code=401)
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/api/v5/repos/alice/demo/pulls/1", pull)])


# ------------------------------------------------------------------------------------------------ the floor


def floor_app() -> Any:
    """A bare MCPServer: one tool, one GET to the double with the caller's token (uvicorn factory)."""
    api = os.environ["BENCH_API_URL"]
    transport = os.environ["BENCH_TRANSPORT"]
    http = httpx2.AsyncClient(base_url=api + "/")

    async def get_pull_request(owner: str, repo: str, number: int, ctx: Context) -> str:
        request = ctx.request_context.request
        token = getattr(request, "headers", {}).get("authorization", "").removeprefix("Bearer ")
        answer = await http.get(f"repos/{owner}/{repo}/pulls/{number}", headers={"PRIVATE-TOKEN": token})
        return answer.text

    server = MCPServer("floor")
    server.add_tool(get_pull_request)
    if transport == "sse":
        return server.sse_app()
    return server.streamable_http_app(stateless_http=os.environ.get("BENCH_STATELESS") == "1")


# ------------------------------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a process exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listened on {port} within {seconds} s")


@contextmanager
def running(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    try:
        wait_for(port, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the workers), in MB."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except (OSError, AttributeError):
            continue
    return total / 1024


# ----------------------------------------------------------------------------------------------------- load


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def line(self) -> dict[str, float]:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ms[min(len(ms) - 1, int(p * len(ms)))]

        return {
            "calls_s": len(self.latencies) / self.seconds if self.seconds else 0.0,
            "p50": statistics.median(ms),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "errors": self.errors,
        }


async def load(url: str, transport: str, sessions: int, seconds: float) -> Run:
    run = Run()
    ready = anyio.Event()
    started = 0
    stop_at = 0.0

    async def session(i: int) -> None:
        nonlocal started
        headers = {"Authorization": f"Bearer caller-token-{i}"}
        try:
            if transport == "sse":
                streams = sse_client(url, headers=headers, timeout=30, sse_read_timeout=120)
            else:
                limits = httpx2.Limits(max_connections=4)
                http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(60.0), limits=limits)
                streams = streamable_http_client(url, http_client=http)
            async with Client(streams, read_timeout_seconds=60) as client:
                started += 1
                if started == sessions:
                    ready.set()
                await ready.wait()
                while time.monotonic() < stop_at:
                    t0 = time.monotonic()
                    try:
                        result = await client.call_tool("get_pull_request", TOOL_ARGS)
                        if result.is_error:
                            run.errors += 1
                        else:
                            run.latencies.append(time.monotonic() - t0)
                    except Exception:
                        run.errors += 1
        except Exception:
            run.errors += 1
            started += 1
            if started == sessions:
                ready.set()

    async with anyio.create_task_group() as group:
        for i in range(sessions):
            group.start_soon(session, i)
        with anyio.fail_after(120):
            await ready.wait()
        begin = time.monotonic()
        stop_at = begin + seconds
        await anyio.sleep(seconds)
        run.seconds = seconds
    return run


# ----------------------------------------------------------------------------------------------------- main


def measure(
    label: str,
    command: list[str],
    env: dict[str, str],
    url_path: str,
    transport: str,
    sessions: list[int],
    seconds: float,
) -> dict[int, dict[str, float]]:
    port = int(command[command.index("--port") + 1]) if "--port" in command else int(env["BENCH_PORT"])
    out: dict[int, dict[str, float]] = {}
    with running(command, port, env) as proc:
        for n in sessions:
            result = anyio.run(load, f"http://127.0.0.1:{port}{url_path}", transport, n, seconds).line()
            result["rss_mb"] = rss_mb(proc.pid)
            out[n] = result
            print(
                f"  {label:44} N={n:<4} {result['calls_s']:7.0f} calls/s  p50 {result['p50']:6.1f}  "
                f"p95 {result['p95']:6.1f}  p99 {result['p99']:7.1f} ms  errors {result['errors']:.0f}  "
                f"RSS {result['rss_mb']:5.0f} MB",
                flush=True,
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--sessions", default="1,50,200")
    parser.add_argument(
        "--configs",
        default=",".join(str(i) for i in range(len(CONFIGS))),
        help="indexes into the configurations, e.g. 0,3",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    sessions = [int(n) for n in args.sessions.split(",")]
    exe = str(Path(sys.executable).parent / "gitcode-mcp")
    double_port = free_port()
    double = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.http_load:double_app",
        "--factory",
        "--port",
        str(double_port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    api = f"http://127.0.0.1:{double_port}/api/v5"
    figures: dict[str, Any] = {}
    print(f"machine: {os.cpu_count()} cores; client, server and GitCode double share them; {args.seconds:g} s per run")
    with running(double, double_port):
        for index in (int(i) for i in args.configs.split(",")):
            label, transport, flags = CONFIGS[index]
            path = "/sse" if transport == "sse" else "/mcp"
            port = free_port()
            ours = [exe, "--transport", transport, "--port", str(port), *flags]
            env = {"GITCODE_API_URL": api, "GITCODE_TOKEN": ""}
            print(label)
            mine = measure("gitcode-mcp", ours, env, path, transport, sessions, args.seconds)
            workers = flags[flags.index("--workers") + 1] if "--workers" in flags else "1"
            floor_port = free_port()
            floor = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.http_load:floor_app",
                "--factory",
                "--port",
                str(floor_port),
                "--workers",
                workers,
                "--log-level",
                "warning",
                "--no-access-log",
            ]
            floor_env = {
                "BENCH_API_URL": api,
                "BENCH_TRANSPORT": transport,
                "BENCH_PORT": str(floor_port),
                "BENCH_STATELESS": "1" if "--stateless" in flags or workers != "1" else "0",
            }
            base = measure("floor (bare MCPServer, one GET)", floor, floor_env, path, transport, sessions, args.seconds)
            for n in sessions:
                share = mine[n]["calls_s"] / base[n]["calls_s"] if base[n]["calls_s"] else 0.0
                print(f"  {'ours / floor':44} N={n:<4} {share:7.0%}")
            figures[label] = {"ours": mine, "floor": base}
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
