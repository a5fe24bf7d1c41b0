"""Start-up: process start to the first tools/list answer over stdio, against a bare SDK server with one tool.

    python bench/startup.py [--runs 7]

Each run starts a fresh process, sends initialize, initialized and tools/list as raw JSON-RPC lines, and stops the
clock at the tools/list answer. Figures are medians of the runs, in milliseconds, and ours / floor as a ratio
(budget, issue 27: every toolset within 1.15x of the bare SDK). The server is started without --sandbox, as a user
runs it against GitCode (nothing is sent: listing tools needs no request).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from mcp.server.mcpserver import MCPServer

server = MCPServer(name="bare")


@server.tool()
def ping(text: str) -> str:
    \"\"\"Answer the text.\"\"\"
    return text


server.run("stdio")
"""

HANDSHAKE = (
    json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "b", "version": "1"},
            },
        }
    )
    + "\n"
    + json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"})
    + "\n"
    + json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    + "\n"
).encode()


def first_list(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from start to the tools/list answer, and how many tools it listed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(HANDSHAKE)
    process.stdin.flush()
    try:
        for line in process.stdout:
            message = json.loads(line)
            if message.get("id") == 2:
                return time.perf_counter() - start, len(message["result"]["tools"])
        raise RuntimeError(f"{command} ended without answering tools/list")
    finally:
        process.kill()
        process.wait()


def median_ms(command: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    first_list(command, env)  # warm the file cache (and .pyc files) once
    times, count = [], 0
    for _ in range(runs):
        seconds, count = first_list(command, env)
        times.append(seconds * 1000)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = {**os.environ, "GITCODE_API_URL": "http://127.0.0.1:9/api/v5", "GITCODE_TOKEN": "bench-token-000000"}
    env.pop("GITCODE_TOOLSETS", None)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        floor, _ = median_ms([sys.executable, str(bare)], env, runs)
        print(f"start to first tools/list over stdio, median of {runs} (ms):")
        print(f"  bare MCPServer, 1 tool: {floor:7.0f}")
        for label, extra in (("default set", []), ("every toolset", ["--toolsets", "all"])):
            ours, count = median_ms([sys.executable, "-m", "gitcode_mcp", *extra], env, runs)
            print(f"  gitcode-mcp, {label} ({count} tools): {ours:7.0f}  ours / floor {ours / floor:.2f}x")
    print("budget: every toolset within 1.15x of the bare SDK server")


if __name__ == "__main__":
    main()
