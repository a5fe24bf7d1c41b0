"""Bytes GitCode returns vs bytes the agent gets, for the objects the tools return (on the simulator, whose
objects carry the fields, URLs and nested copies of GitCode's live answers). A call that makes several requests
(a line comment checks the line, posts, and reads the comments back) counts every answer.

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
    ("blocked pull request", "get_pull_request", {"owner": "alice", "repo": "demo", "number": 2}),
    ("pull request files", "list_pull_request_files", {"owner": "alice", "repo": "demo", "number": 1}),
    (
        "general comment",
        "create_pull_request_comment",
        {"owner": "alice", "repo": "demo", "number": 1, "body": "Looks good."},
    ),
    (
        "line comment",
        "create_pull_request_comment",
        {"owner": "alice", "repo": "demo", "number": 1, "body": "Rename this.", "path": "src/app.py", "line": 2},
    ),
    (
        "issue",
        "create_issue",
        {"owner": "alice", "repo": "demo", "title": "Crash", "body": "Steps.", "labels": ["bug"], "assignees": ["bob"]},
    ),
    ("file", "get_file_contents", {"owner": "alice", "repo": "demo", "path": "src/app.py"}),
    ("directory", "get_file_contents", {"owner": "alice", "repo": "demo", "path": "src"}),
    ("user", "get_user", {"username": "alice"}),
]


async def main() -> None:
    sandbox = Sandbox()
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(SANDBOX_TOKEN), toolsets=("all",))
    async with Client(build_server(settings, httpx2.ASGITransport(app=sandbox.app))) as client:
        print(f"{'object':22} {'requests':>8} {'GitCode':>8} {'agent':>8} {'saved':>6}")
        for label, tool, args in CASES:
            before = len(sandbox.requests)
            result = await client.call_tool(tool, args)
            assert not result.is_error, result.content
            made = sandbox.requests[before:]
            raw = sum(r.response_size for r in made)
            shaped = sum(len(block.text.encode()) for block in result.content if block.type == "text")
            print(f"{label:22} {len(made):8d} {raw:8d} {shaped:8d} {1 - shaped / raw:6.0%}")


if __name__ == "__main__":
    anyio.run(main)
