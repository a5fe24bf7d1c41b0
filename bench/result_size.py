"""Bytes GitCode returns vs bytes the agent gets, for the objects the tools return (on the simulator, whose
objects carry GitCode's documented fields, URLs and nested copies).

    python bench/result_size.py
"""

from __future__ import annotations

import anyio
import httpx2
from mcp import Client
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import SANDBOX_API_URL, SANDBOX_TOKEN, Settings

CASES = [
    ("pull request", "get_pull_request", {"owner": "alice", "repo": "demo", "number": 1}),
    ("pull request files", "list_pull_request_files", {"owner": "alice", "repo": "demo", "number": 1}),
    ("line comment", "create_pull_request_comment",
     {"owner": "alice", "repo": "demo", "number": 1, "body": "Rename this.", "path": "src/app.py", "position": 2}),
    ("issue", "create_issue",
     {"owner": "alice", "repo": "demo", "title": "Crash", "body": "Steps.", "labels": ["bug"], "assignees": ["bob"]}),
    ("file", "get_file_contents", {"owner": "alice", "repo": "demo", "path": "src/app.py"}),
    ("directory", "get_file_contents", {"owner": "alice", "repo": "demo", "path": "src"}),
]


async def main() -> None:
    sandbox = Sandbox()
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(SANDBOX_TOKEN))
    async with Client(build_server(settings, httpx2.ASGITransport(app=sandbox.app))) as client:
        print(f"{'object':20} {'GitCode':>8} {'agent':>8} {'saved':>6}")
        for label, tool, args in CASES:
            before = len(sandbox.requests)
            result = await client.call_tool(tool, args)
            assert not result.is_error, result.content
            assert len(sandbox.requests) == before + 1
            raw = sandbox.last_response_size
            shaped = sum(len(block.text.encode()) for block in result.content)
            print(f"{label:20} {raw:8d} {shaped:8d} {1 - shaped / raw:6.0%}")


if __name__ == "__main__":
    anyio.run(main)
