"""Enterprise quirks: a member's role round trip (and only admins change roles); the enterprise's issues and pull
requests come with the repository each belongs to; an issue's labels are read by its id, which the tool finds from
the number it is given."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.endpoints import ENTERPRISE_ISSUE, ENTERPRISE_ISSUE_LABELS
from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, refused

pytestmark = pytest.mark.anyio

ENT = {"enterprise": "gitcode-ent"}
BOB = SecretStr("bob-token")


def test_the_toolset_is_off_by_default() -> None:
    assert not toolsets()["enterprise"].default


async def test_a_member_role_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_enterprise_members", ENT)
    assert listed["items"] == [
        {"login": "alice", "name": "Alice", "role": "admin"},
        {"login": "bob", "name": "Bob", "role": "developer"},
    ]
    changed = await call(connect, "set_enterprise_member_role", {**ENT, "username": "bob", "role": "viewer"})
    assert changed == {"login": "bob", "name": "Bob", "role": "viewer"}
    assert sandbox.requests[-1].body == {"role": "viewer"}
    assert await call(connect, "list_enterprise_members", {**ENT, "username": "bob"}) == changed
    assert sandbox.world.enterprises["gitcode-ent"].members["bob"] == "viewer"


async def test_only_admins_change_roles(connect: Connect, sandbox: Sandbox) -> None:
    answer = await refused(
        connect, "set_enterprise_member_role", {**ENT, "username": "alice", "role": "viewer"}, token=BOB
    )
    assert "403" in answer and "only the enterprise's admins" in answer
    answer = await refused(connect, "list_enterprise_members", {**ENT, "username": "carol"})
    assert "carol is not a member of gitcode-ent" in answer


async def test_issues_come_with_their_repository(connect: Connect) -> None:
    opened = await call(connect, "list_enterprise_issues", ENT)
    assert [(i["repo"], i["number"], i["state"]) for i in opened["items"]] == [("alice/demo", 1, "open")]
    assert "body" not in opened["items"][0]
    every = await call(connect, "list_enterprise_issues", {**ENT, "state": "all"})
    assert [i["number"] for i in every["items"]] == [1, 2]
    assert (await call(connect, "list_enterprise_issues", {**ENT, "state": "all", "labels": ["enhancement"]}))["items"][
        0
    ]["number"] == 2

    issue = await call(connect, "get_enterprise_issue", {**ENT, "number": 1})
    assert issue["repo"] == "alice/demo" and issue["title"] == "Crash when the name is empty" and issue["body"]
    comments = await call(connect, "get_enterprise_issue", {**ENT, "number": 1, "part": "comments"})
    assert [c["author"] for c in comments["items"]] == ["alice"]
    linked = await call(connect, "get_enterprise_issue", {**ENT, "number": 1, "part": "pull_requests"})
    assert [(p["repo"], p["number"]) for p in linked] == [("alice/demo", 1)]


async def test_labels_are_read_by_the_issue_id(connect: Connect, sandbox: Sandbox) -> None:
    labels = await call(connect, "get_enterprise_issue", {**ENT, "number": 1, "part": "labels"})
    assert labels == [{"name": "bug", "color": "#21BA45"}]
    get, read = sandbox.requests
    assert get.template == ENTERPRISE_ISSUE and read.template == ENTERPRISE_ISSUE_LABELS
    assert read.path == "enterprises/gitcode-ent/issues/8300011/labels"  # the issue's id, not its number


async def test_pull_requests_come_with_their_repository(connect: Connect, sandbox: Sandbox) -> None:
    opened = await call(connect, "list_enterprise_pull_requests", ENT)
    assert [(p["repo"], p["number"]) for p in opened["items"]] == [("alice/demo", 2), ("alice/demo", 1)]
    # No `repo` filter: the reference documents none (a filter GitCode ignored would look like it worked).
    assert "repo" not in sandbox.requests[-1].query
    refusal = await refused(connect, "list_enterprise_pull_requests", {**ENT, "repo": "infra"})
    assert "repo" in refusal and len(sandbox.requests) == 1


async def test_a_missing_issue(connect: Connect) -> None:
    answer = await refused(connect, "get_enterprise_issue", {**ENT, "number": 99})
    assert "404" in answer
