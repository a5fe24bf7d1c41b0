"""Bytes GitCode returns vs bytes the agent gets, for the objects the tools return (on the simulator, whose
objects carry the fields, URLs and nested copies of GitCode's live answers). A call that makes several requests
(a line comment checks the line, posts, and reads the comments back) counts every answer.

    python bench/result_size.py

Then every read tool's examples the same way (the objects of every kind the catalogue returns): how many answers
are at most half GitCode's size, and the ones that are not (budget, issue 27: at least 50% smaller for every object
kind). Answers GitCode keeps under 300 bytes (an empty list, a sparse object of a few fields) are left out: there is
little to drop, and a list's page and has_more cost more than `[]`.
"""

from __future__ import annotations

import anyio
import httpx2
from mcp import Client
from pydantic import SecretStr

from gitcode_mcp.registry import all_tools
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
    await every_read_tool()


SPARSE = 300


async def every_read_tool() -> None:
    """Each read tool's examples, on a fresh simulator each (an example may rely on the seeded world alone)."""
    shrunk, close = 0, []
    raw_all = shaped_all = 0
    for tool in (t for t in all_tools() if t.read_only):
        for example in tool.examples:
            sandbox = Sandbox()
            settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(SANDBOX_TOKEN), toolsets=("all",))
            async with Client(build_server(settings, httpx2.ASGITransport(app=sandbox.app))) as client:
                result = await client.call_tool(tool.name, example.args)
            raw = sum(r.response_size for r in sandbox.requests)
            shaped = sum(len(block.text.encode()) for block in result.content if block.type == "text")
            if result.is_error or raw < SPARSE:
                continue
            raw_all, shaped_all = raw_all + raw, shaped_all + shaped
            if shaped <= raw / 2:
                shrunk += 1
            else:
                close.append((tool.name, raw, shaped))
    print(f"\nevery read tool's examples: {shrunk} of {shrunk + len(close)} answers at most half GitCode's; in all")
    print(f"  GitCode {raw_all} bytes, agent {shaped_all} ({1 - shaped_all / raw_all:.0%} saved); above half:")
    for name, raw, shaped in sorted(close, key=lambda c: c[2] / c[1], reverse=True):
        print(f"  {name:40} GitCode {raw:6d}  agent {shaped:6d}  ({1 - shaped / raw:.0%} saved)")


if __name__ == "__main__":
    anyio.run(main)
