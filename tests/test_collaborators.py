"""Collaborator quirks: bob added with a permission reads back and is removed (and the pulls area sees who may merge);
`self-permission` is a literal segment beside {username}: it reaches its own handler, and no username ever becomes
that request; your own permission points; the license in either of the shapes it may come in."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.endpoints import REPO_COLLABORATOR, REPO_COLLABORATOR_PERMISSION, REPO_SELF_PERMISSION
from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.access import access
from tests.conftest import Connect, call, demo, refused

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
BOB = SecretStr("bob-token")


def may_merge(sandbox: Sandbox, login: str) -> bool:
    return access(sandbox.world, demo(sandbox), sandbox.world.users[login]).merge


def test_the_toolset_is_off_by_default_and_its_remove_is_destructive() -> None:
    found = toolsets()["collaborators"]
    assert not found.default
    assert {t.name for t in found.tools if t.destructive} == {"remove_collaborator"}


async def test_add_bob_read_his_permission_then_remove_him(connect: Connect, sandbox: Sandbox) -> None:
    added = await call(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "admin"})
    assert added == {"login": "bob", "name": "Bob", "permission": "admin"}
    assert sandbox.requests[-1].body == {"permission": "admin"}
    assert may_merge(sandbox, "bob")  # the pulls area's merge rule reads what was written

    assert await call(connect, "get_collaborator_permission", {**DEMO, "username": "bob"}) == {
        "login": "bob",
        "permission": "admin",
    }
    assert sandbox.requests[-1].template == REPO_COLLABORATOR_PERMISSION
    listed = await call(connect, "list_collaborators", DEMO)
    assert {"login": "bob", "name": "Bob", "permission": "admin"} in listed["items"]

    assert await call(connect, "remove_collaborator", {**DEMO, "username": "bob"}) == {"removed": "bob"}
    assert sandbox.requests[-1].method == "DELETE" and sandbox.requests[-1].status == 204
    assert "bob" not in demo(sandbox).members and not may_merge(sandbox, "bob")
    answer = await refused(connect, "get_collaborator_permission", {**DEMO, "username": "bob"})
    assert "404" in answer and "bob is not a collaborator of alice/demo" in answer
    assert [i["login"] for i in (await call(connect, "list_collaborators", DEMO))["items"]] == ["alice"]


async def test_checking_one_collaborator(connect: Connect, sandbox: Sandbox) -> None:
    assert await call(connect, "list_collaborators", {**DEMO, "username": "bob"}) == {
        "login": "bob",
        "collaborator": True,
    }
    assert sandbox.requests[-1].template == REPO_COLLABORATOR
    answer = await refused(connect, "list_collaborators", {**DEMO, "username": "nobody"})
    assert "nobody is not a collaborator of alice/demo" in answer


async def test_self_permission_reaches_its_own_handler(connect: Connect, sandbox: Sandbox) -> None:
    mine = await call(connect, "get_collaborator_permission", DEMO)
    assert [(r.path, r.template) for r in sandbox.requests] == [
        ("repos/alice/demo/collaborators/self-permission", REPO_SELF_PERMISSION)
    ]
    assert mine == {"role": "Owner", "access_level": 50, "granted": "all"}
    # bob, a member without MERGE permission (the seeded world), pushes and reviews but does not merge.
    his = await call(connect, "get_collaborator_permission", DEMO, token=BOB)
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
    answer = await refused(connect, tool, {**DEMO, "username": name})
    # with spaces around it, it is no GitCode name at all, and the check every call makes says so first
    hint = "is not a GitCode username" if name != name.strip() else "leave username out"
    assert "Invalid argument `username`" in answer and hint in answer
    assert sandbox.requests == []


async def test_only_an_administrator_adds_collaborators(connect: Connect, sandbox: Sandbox) -> None:
    answer = await refused(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "pull"}, token=BOB)
    assert "403" in answer and "permission" in answer
    assert demo(sandbox).members == {"bob": False}


async def test_a_custom_role_by_its_name(connect: Connect, sandbox: Sandbox) -> None:
    # alice/demo has the custom role Triager (the repos area's seed); GitCode takes a custom role's name (ref).
    added = await call(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "Triager"})
    assert added["login"] == "bob" and sandbox.requests[-1].body == {"permission": "Triager"}
    answer = await refused(connect, "add_collaborator", {**DEMO, "username": "bob", "permission": "boss"})
    assert "custom role" in answer


async def test_the_license(connect: Connect, sandbox: Sandbox) -> None:
    assert await call(connect, "get_repository_license", DEMO) == {"license": "MIT"}
    assert await call(connect, "get_repository_license", {"owner": "alice", "repo": "secret"}) == {"license": None}
    # GitHub's shape, should GitCode answer that way: the name is nested.
    sandbox.answer("GET", r"license$", status=200, body={"name": "LICENSE", "license": {"name": "MIT License"}})
    assert await call(connect, "get_repository_license", DEMO) == {"license": "MIT License"}
