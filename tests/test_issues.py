"""Issue quirks: the documented create form, `assignee` and `labels` as comma strings, string numbers."""

from __future__ import annotations

import json

import httpx2
import pytest

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, demo, text

pytestmark = pytest.mark.anyio

MODES = pytest.mark.parametrize("mode", ["legacy", "auto"])


@MODES
async def test_create_issue_in_the_documented_form(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    args = {
        "owner": "alice",
        "repo": "demo",
        "title": "Crash on start",
        "body": "Steps: run it.",
        "labels": ["bug", " enhancement "],
        "assignees": ["bob", "alice"],
        "milestone": 1,
    }
    async with connect(mode=mode) as client:
        result = await client.call_tool("create_issue", args)
    [request] = sandbox.requests
    assert (request.method, request.path) == ("POST", "repos/alice/issues")
    assert request.body == {
        "repo": "demo",
        "title": "Crash on start",
        "body": "Steps: run it.",
        "labels": "bug,enhancement",
        "assignee": "bob,alice",
        "milestone": 1,
    }
    issue = json.loads(text(result))
    assert issue["number"] == 1  # GitCode answers "1"; agents get an integer
    assert issue["labels"] == ["bug", "enhancement"] and issue["assignees"] == ["bob", "alice"]
    assert issue["url"] == "https://gitcode.com/alice/demo/issues/1" and issue["milestone"] == "v1.0"
    stored = demo(sandbox).issues[1]
    assert [u.login for u in stored.assignees] == ["bob", "alice"]


async def test_create_issue_sends_only_what_was_given(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        await client.call_tool(
            "create_issue",
            {"owner": "alice", "repo": "demo", "title": "T", "body": "", "labels": None, "milestone": None},
        )
    assert sandbox.requests[0].body == {"repo": "demo", "title": "T", "body": ""}


async def test_simulator_does_not_read_assignees(sandbox: Sandbox) -> None:
    # The seed's field name is not what GitCode reads: an issue created with it is silently unassigned.
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=sandbox.app), base_url="http://sandbox/api/v5/"
    ) as http:
        answer = await http.post(
            "repos/alice/demo/issues",
            json={"title": "t", "assignees": "bob"},
            headers={"PRIVATE-TOKEN": "sandbox-token"},
        )
        closed = await http.patch(
            "repos/alice/issues/1", json={"repo": "demo", "state": "closed"}, headers={"PRIVATE-TOKEN": "sandbox-token"}
        )
    assert answer.status_code == 201 and answer.json()["assignees"] == []
    assert closed.status_code == 400 and "reopen" in closed.json()["error_message"]


async def test_created_issues_exist_in_the_simulator(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "One", "body": "b"})
        await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "Two", "body": "b"})
    issues = demo(sandbox).issues
    assert {n: i.title for n, i in issues.items()} == {1: "One", 2: "Two"}


async def test_repo_in_the_body_is_checked_like_a_path_name(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {"owner": "alice", "repo": "../x", "title": "t", "body": ""})
    assert result.is_error and "Invalid argument `repo`" in text(result) and sandbox.requests == []
