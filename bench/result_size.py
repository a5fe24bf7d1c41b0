"""Bytes GitCode returns vs bytes the agent gets, for the objects the tools return (on the simulator, whose
objects carry the fields, URLs and nested copies of GitCode's live answers). A call that makes several requests
(a line comment checks the line, posts, and reads the comments back) counts every answer. Then every read tool's
examples: the ones whose answer is more than half of GitCode's, each with why it stays so where it does.

    python bench/result_size.py
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


# A sparse answer (an empty list, a few flags) is smaller than any page envelope: these are not counted.
SMALL_ANSWER = 300
# Where half of GitCode's answer would drop what an agent needs to act.
WHY = {
    "get_commit": "the answer is the diff text itself (index lines and the patch signature already cut)",
    "get_blob": "the answer is the file's text",
    "get_raw_file": "the answer is the file's text",
    "get_release_file": "the answer is the file's text (or its download URL and size)",
    "list_tags": "GitCode's tag is name, sha, message and date (and its tagger, left out): the four are kept",
    "list_webhooks": "url (secrets masked), events, whether a secret is set and the last delivery: all a hook is",
    "list_workflow_runs": "run ids, shas and statuses that wait_for_run and get_job_log take; GitCode adds few fields",
    "list_kanban_boards": "ids, names and descriptions are all a board is; state and visibility come as words",
    "get_mirrors": "url, status, failures and dates of each mirror: GitCode adds only its project id and flags",
    "get_pull_request_settings": "each key is a setting update_pull_request_settings takes, with its value",
    "get_repository_settings": "each key is a setting update_repository_settings takes, with its value",
    "list_workflows": "GitCode's workflow is id, name, file and state; the state only when not active",
    "list_artifacts": "id, name, size, run and date of each (expiry, digest and workflow id left out)",
    "list_issue_comments": "the comments' bodies are most of it; ids, issue numbers, authors and dates stay",
    "list_orgs": "id, path, name, description and followers: nulls and API URLs are what is left out",
    "list_org_followers": "login, name and when each followed: all a follower is",
    "list_my_namespaces": "id, path, kind and a name that differs from the path: all a namespace is",
    "list_milestones": "numbers, titles, states, counts and due dates; the URL is the one a person opens",
}


async def every_read() -> None:
    sandbox = Sandbox()
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(SANDBOX_TOKEN), toolsets=("all",))
    over, count = [], 0
    async with Client(build_server(settings, httpx2.ASGITransport(app=sandbox.app))) as client:
        for tool in (t for t in all_tools() if t.read_only):
            for index, example in enumerate(tool.examples):
                before = len(sandbox.requests)
                result = await client.call_tool(tool.name, example.args)
                raw = sum(r.response_size for r in sandbox.requests[before:])
                shaped = sum(len(block.text.encode()) for block in result.content if block.type == "text")
                count += 1
                if raw >= SMALL_ANSWER and shaped > raw / 2:
                    over.append((f"{tool.name}[{index}]", raw, shaped, WHY.get(tool.name, "")))
    print(
        f"\nread examples answering over half of GitCode's ({len(over)} of {count}; answers under {SMALL_ANSWER} bytes"
    )
    print("not counted):")
    for name, raw, shaped, why in over:
        print(f"  {name:34} {raw:6d} {shaped:6d} {shaped / raw:5.0%}  {why}")


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
    await every_read()


if __name__ == "__main__":
    anyio.run(main)
