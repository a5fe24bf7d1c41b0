"""What a whole change costs an agent: the scenario of tests/test_scenario.py (issue, branch, commits, PR, line
review, reply, approval, merge, labels, tag, release, search), step by step: GitCode requests, bytes GitCode answered,
bytes the agent read; and the tools/list it reads once per turn on top.

    python bench/workflow_cost.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import httpx2
from mcp import Client
from mcp.server.mcpserver import MCPServer
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the scenario lives with the tests

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.test_scenario import Agent, Step, play


async def main() -> None:
    sandbox = Sandbox()
    steps: list[Step] = []

    def server(token: str) -> MCPServer:
        settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(token), toolsets=("all",))
        return build_server(settings, httpx2.ASGITransport(app=sandbox.app))

    async with Client(server("sandbox-token")) as alice, Client(server("bob-token")) as bob:
        await play(Agent("alice", alice, sandbox, steps), Agent("bob", bob, sandbox, steps), sandbox)
    print(f"{'caller':6} {'tool':42} {'requests':>8} {'GitCode':>8} {'agent':>6}")
    for s in steps:
        print(f"{s.caller:6} {s.tool:42} {s.requests:8d} {s.gitcode_bytes:8d} {s.agent_bytes:6d}")
    requests = sum(s.requests for s in steps)
    answered = sum(s.gitcode_bytes for s in steps)
    read = sum(s.agent_bytes for s in steps)
    print(
        f"\n{len(steps)} tool calls, {requests} GitCode requests; GitCode answered {answered:,} bytes, the agent read "
        f"{read:,} (~{read // 4:,} tokens, {1 - read / answered:.0%} less)"
    )


if __name__ == "__main__":
    anyio.run(main)
