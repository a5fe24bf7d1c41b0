"""Collaborator quirks: bob added with a permission reads back and is removed (and the pulls area sees who may merge);
`self-permission` is a literal segment beside {username}: it reaches its own handler, and no username ever becomes
that request; your own permission points; the license in either of the shapes it may come in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tools.collaborators import COLLABORATOR, PERMISSION, SELF
from tests.conftest import Connect, demo, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
BOB = SecretStr("bob-token")


async def run(connect: Connect, tool: str, args: dict[str, Any], **settings: Any) -> tuple[bool, str]:
    async with connect(toolsets=("collaborators",), **settings) as client:
        result = await client.call_tool(tool, args)
    return bool(result.is_error), text(result)


async def ok(connect: Connect, tool: str, args: dict[str, Any], **settings: Any) -> Any:
    failed, answer = await run(connect, tool, args, **settings)
    assert not failed, answer
    return json.loads(answer)


def test_the_toolset_is_off_by_default_and_its_remove_is_destructive() -> None:
    found = toolsets()["collaborators"]
    assert not found.default
    assert {t.name for t in found.tools if t.destructive} == {"remove_collaborator"}


async def test_add_bob_read_his_permission_then_remove_him(connect: Connect, sandbox: Sandbox) -> None:
    added = await ok(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "admin"})
    assert added == {"login": "bob", "name": "Bob", "permission": "admin"}
    assert sandbox.requests[-1].body == {"permission": "admin"}
    assert demo(sandbox).may_merge("bob")  # the pulls area's merge rule reads what was written

    assert await ok(connect, "get_collaborator_permission", {**DEMO, "username": "bob"}) == {
        "login": "bob",
        "permission": "admin",
    }
    assert sandbox.requests[-1].template == PERMISSION
    listed = await ok(connect, "list_collaborators", DEMO)
    assert {"login": "bob", "name": "Bob", "permission": "admin"} in listed["items"]

    assert await ok(connect, "remove_collaborator", {**DEMO, "username": "bob"}) == {"removed": "bob"}
    assert sandbox.requests[-1].method == "DELETE" and sandbox.requests[-1].status == 204
    assert "bob" not in demo(sandbox).members and not demo(sandbox).may_merge("bob")
    failed, answer = await run(connect, "get_collaborator_permission", {**DEMO, "username": "bob"})
    assert failed and "404" in answer and "bob is not a collaborator of alice/demo" in answer
    assert [i["login"] for i in (await ok(connect, "list_collaborators", DEMO))["items"]] == ["alice"]


async def test_checking_one_collaborator(connect: Connect, sandbox: Sandbox) -> None:
    assert await ok(connect, "list_collaborators", {**DEMO, "username": "bob"}) == {
        "login": "bob",
        "collaborator": True,
    }
    assert sandbox.requests[-1].template == COLLABORATOR
    failed, answer = await run(connect, "list_collaborators", {**DEMO, "username": "nobody"})
    assert failed and "nobody is not a collaborator of alice/demo" in answer


async def test_self_permission_reaches_its_own_handler(connect: Connect, sandbox: Sandbox) -> None:
    mine = await ok(connect, "get_collaborator_permission", DEMO)
    assert [(r.path, r.template) for r in sandbox.requests] == [
        ("repos/alice/demo/collaborators/self-permission", SELF)
    ]
    assert mine == {"role": "Owner", "access_level": 50, "granted": "all"}
    # bob, a member without MERGE permission (the seeded world), pushes and reviews but does not merge.
    his = await ok(connect, "get_collaborator_permission", DEMO, token=BOB)
    assert his["role"] == "Developer" and {"code:push", "pr:review"} <= set(his["granted"])
    assert "pr:merge" not in his["granted"] and "member:manage" not in his["granted"]


@pytest.mark.parametrize("name", ["self-permission", "Self-Permission", " self-permission "])
@pytest.mark.parametrize(
    "tool",
    ["list_collaborators", "get_collaborator_permission", "add_collaborator", "remove_collaborator"],
)
async def test_no_username_becomes_a_self_permission_request(
    connect: Connect, sandbox: Sandbox, tool: str, name: str
) -> None:
    failed, answer = await run(connect, tool, {**DEMO, "username": name})
    assert failed and "Invalid argument `username`" in answer and "leave username out" in answer
    assert sandbox.requests == []


async def test_only_an_administrator_adds_collaborators(connect: Connect, sandbox: Sandbox) -> None:
    failed, answer = await run(
        connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "pull"}, token=BOB
    )
    assert failed and "403" in answer and "permission" in answer
    assert demo(sandbox).members == {"bob": False}


async def test_a_custom_role_by_its_name(connect: Connect, sandbox: Sandbox) -> None:
    # alice/demo has the custom role Triager (the repos area's seed); GitCode takes a custom role's name (ref).
    added = await ok(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "Triager"})
    assert added["login"] == "bob" and sandbox.requests[-1].body == {"permission": "Triager"}
    failed, answer = await run(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "boss"})
    assert failed and "custom role" in answer


async def test_the_license(connect: Connect, sandbox: Sandbox) -> None:
    assert await ok(connect, "get_repository_license", DEMO) == {"license": "MIT"}
    assert await ok(connect, "get_repository_license", {"owner": "alice", "repo": "secret"}) == {"license": None}
    # GitHub's shape, should GitCode answer that way: the name is nested.
    sandbox.fail("GET", r"license$", status=200, body={"name": "LICENSE", "license": {"name": "MIT License"}})
    assert await ok(connect, "get_repository_license", DEMO) == {"license": "MIT License"}
