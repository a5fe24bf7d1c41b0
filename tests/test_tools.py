"""Every tool against the simulator: what GitCode received, and what the agent got back."""

from __future__ import annotations

import json

import pytest

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, text

pytestmark = pytest.mark.anyio

MODES = pytest.mark.parametrize("mode", ["legacy", "auto"])


def only_request(sandbox: Sandbox):
    assert len(sandbox.requests) == 1, [(r.method, r.path) for r in sandbox.requests]
    request = sandbox.requests[0]
    assert request.headers["private-token"] == TOKEN
    assert request.headers["user-agent"].startswith("gitcode-mcp/")
    assert TOKEN not in request.raw_path and TOKEN not in json.dumps(request.query)
    assert "authorization" not in request.headers
    return request


@MODES
async def test_get_pull_request(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    async with connect(mode=mode) as client:
        result = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
    request = only_request(sandbox)
    assert (request.method, request.path, request.query, request.body) == ("GET", "/repos/alice/demo/pulls/1", {}, None)
    assert not result.is_error
    pr = json.loads(text(result))
    assert pr["number"] == 1 and pr["state"] == "open" and pr["author"] == "alice"
    assert pr["head"]["ref"] == "feature" and pr["base"]["ref"] == "main" and len(pr["head"]["sha"]) == 40
    assert pr["url"] == "https://gitcode.com/alice/demo/pull/1"
    assert pr["changed_files"] == 2 and pr["body"].startswith("Adds type hints")
    # API URLs, avatars and nested repository copies are GitCode's noise, not the agent's business.
    assert "api.gitcode.com" not in text(result) and "avatar" not in text(result)


@MODES
async def test_list_pull_request_files(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    async with connect(mode=mode) as client:
        result = await client.call_tool(
            "list_pull_request_files", {"owner": "alice", "repo": "demo", "number": 1, "per_page": 1}
        )
    request = only_request(sandbox)
    assert (request.method, request.path) == ("GET", "/repos/alice/demo/pulls/1/files")
    assert request.query == {"page": "1", "per_page": "1"}
    page = json.loads(text(result))
    assert page["page"] == 1 and page["has_more"] is True  # from GitCode's total_page header
    [changed] = page["items"]
    assert changed["path"] == "src/app.py" and changed["status"] == "modified"
    assert changed["additions"] == 9 and changed["deletions"] == 3  # GitCode sends "9"; agents get numbers
    assert changed["patch"].startswith("@@ -1,5 +1,11 @@")


async def test_list_pull_request_files_last_page(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "list_pull_request_files", {"owner": "alice", "repo": "demo", "number": 1, "page": 2, "per_page": 1}
        )
    page = json.loads(text(result))
    assert page["has_more"] is False and [f["path"] for f in page["items"]] == ["src/util.py"]
    assert page["items"][0]["status"] == "added"


@MODES
async def test_general_pull_request_comment(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    async with connect(mode=mode) as client:
        result = await client.call_tool(
            "create_pull_request_comment", {"owner": "alice", "repo": "demo", "number": 1, "body": "LGTM 👍"}
        )
    request = only_request(sandbox)
    assert (request.method, request.path, request.body) == (
        "POST", "/repos/alice/demo/pulls/1/comments", {"body": "LGTM 👍"}
    )
    comment = json.loads(text(result))
    assert comment["body"] == "LGTM 👍" and comment["author"] == "alice" and isinstance(comment["id"], int)
    assert "path" not in comment


async def test_line_comment_posts_head_line_number(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "create_pull_request_comment",
            {"owner": "alice", "repo": "demo", "number": 1, "body": "Name this.", "path": "src/app.py", "position": 6},
        )
    request = only_request(sandbox)
    assert request.body == {"body": "Name this.", "path": "src/app.py", "position": 6}
    comment = json.loads(text(result))
    assert (comment["path"], comment["position"]) == ("src/app.py", 6)
    pr = sandbox.world.repo("alice", "demo").pulls[1]
    assert [(c.path, c.position, c.body) for c in pr.comments] == [("src/app.py", 6, "Name this.")]


@MODES
async def test_create_issue_joins_lists_as_comma_strings(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    args = {
        "owner": "alice", "repo": "demo", "title": "Crash on start", "body": "Steps: run it.",
        "labels": ["bug", " enhancement "], "assignees": ["bob"], "milestone": 1,
    }
    async with connect(mode=mode) as client:
        result = await client.call_tool("create_issue", args)
    request = only_request(sandbox)
    assert (request.method, request.path) == ("POST", "/repos/alice/demo/issues")
    assert request.body == {
        "title": "Crash on start", "body": "Steps: run it.", "labels": "bug,enhancement", "assignees": "bob",
        "milestone": 1,
    }
    issue = json.loads(text(result))
    assert issue["number"] == 1 and issue["labels"] == ["bug", "enhancement"] and issue["assignees"] == ["bob"]
    assert issue["url"] == "https://gitcode.com/alice/demo/issues/1" and issue["milestone"] == "v1.0"


async def test_create_issue_sends_only_what_was_given(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "T", "body": ""})
    assert only_request(sandbox).body == {"title": "T", "body": ""}


async def test_created_issue_exists_in_the_simulator(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "One", "body": "b"})
        await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "Two", "body": "b"})
    issues = sandbox.world.repo("alice", "demo").issues
    assert {n: i.title for n, i in issues.items()} == {1: "One", 2: "Two"}


@MODES
async def test_get_file_contents_decodes_text(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    async with connect(mode=mode) as client:
        result = await client.call_tool(
            "get_file_contents", {"owner": "alice", "repo": "demo", "path": "docs/guide zh.md", "ref": "feature"}
        )
    request = only_request(sandbox)
    assert request.method == "GET" and request.raw_path == "/repos/alice/demo/contents/docs/guide%20zh.md"
    assert request.query == {"ref": "feature"}
    meta, body = (block.text for block in result.content)
    assert body == "# 指南\n\n第一步：安装。\n"
    info = json.loads(meta)
    assert info["path"] == "docs/guide zh.md" and info["ref"] == "feature" and info["lines"] == 3
    assert info["size"] == len(body.encode()) and info["sha"]


async def test_get_file_contents_percent_encodes_each_segment(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "get_file_contents", {"owner": "alice", "repo": "demo", "path": "src/a?b#c%d.py"}
        )
    assert only_request(sandbox).raw_path == "/repos/alice/demo/contents/src/a%3Fb%23c%25d.py"
    assert result.is_error and "404" in text(result)


async def test_get_file_contents_reports_binary_without_dumping_it(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "get_file_contents", {"owner": "alice", "repo": "demo", "path": "assets/logo.png"}
        )
    assert len(result.content) == 1
    info = json.loads(text(result))
    assert info["binary"] is True and info["size"] == 80 and "content" not in info
    assert "PNG" not in text(result)


async def test_get_file_contents_lists_a_directory(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {"owner": "alice", "repo": "demo", "path": "src"})
    listing = json.loads(text(result))
    assert listing == {"path": "src", "entries": [{"path": "src/app.py", "type": "file", "size": 68}]}


async def test_works_without_a_token_on_public_data(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
    assert not result.is_error
    assert "private-token" not in sandbox.requests[0].headers
