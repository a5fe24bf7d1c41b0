"""Organization quirks: a created organization can be read, listed and joined; members added and removed show in the
member list; profile edits read back; an organization keeps an owner; users/orgs is not the user `orgs`; an
organization's private repositories are shown to its members only."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, refused, sent

pytestmark = pytest.mark.anyio

BOB = SecretStr("bob-token")


def test_the_toolset_is_not_default_and_names_its_purpose() -> None:
    orgs = toolsets()["orgs"]
    assert not orgs.default and "members" in orgs.purpose
    kinds = {t.name: t.kind for t in orgs.tools}
    assert {n for n, k in kinds.items() if k == "destructive"} == {"remove_org_member", "leave_org"}
    assert {n for n, k in kinds.items() if k == "write"} == {"create_org", "update_org", "add_org_member"}
    assert all("Cannot be undone" in t.description for t in orgs.tools if t.destructive)


async def test_create_read_join_list_and_remove(connect: Connect, sandbox: Sandbox) -> None:
    made = await call(connect, "create_org", {"name": "Tool Makers", "path": "tool-makers", "description": "Tools."})
    assert made["path"] == "tool-makers" and isinstance(made["id"], int)
    assert sandbox.requests[-1].body == {"name": "Tool Makers", "org": "tool-makers", "description": "Tools."}

    got = await call(connect, "get_org", {"org": "tool-makers"})
    assert got == {
        "id": made["id"],
        "path": "tool-makers",
        "name": "Tool Makers",
        "description": "Tools.",
        "enterprise": "tool-makers",
        "followers": 0,
    }
    mine = await call(connect, "list_orgs", {"admin": True})
    assert "tool-makers" in [o["path"] for o in mine["items"]]

    added = await call(connect, "add_org_member", {"org": "tool-makers", "username": "bob"})
    assert added == {"org": "tool-makers", "login": "bob", "permission": "push"}
    assert sandbox.requests[-1].body is None or sandbox.requests[-1].body == {}  # push is GitCode's default
    members = await call(connect, "list_org_members", {"org": "tool-makers"})
    assert members["items"] == [
        {"login": "alice", "name": "Alice", "role": "owner"},
        {"login": "bob", "name": "Bob", "role": "developer"},
    ]
    admins = await call(connect, "list_org_members", {"org": "tool-makers", "role": "admin"})
    assert [m["login"] for m in admins["items"]] == ["alice"]
    seen = await call(connect, "get_org_membership", {"org": "tool-makers", "username": "bob"})
    assert seen == {"org": "tool-makers", "login": "bob"}
    bobs = await call(connect, "list_orgs", {"username": "bob"})
    assert "tool-makers" in [o["path"] for o in bobs["items"]]

    assert await call(connect, "remove_org_member", {"org": "tool-makers", "username": "bob"}) == {
        "removed": "bob",
        "org": "tool-makers",
    }
    members = await call(connect, "list_org_members", {"org": "tool-makers"})
    assert [m["login"] for m in members["items"]] == ["alice"]
    error = await refused(connect, "get_org_membership", {"org": "tool-makers", "username": "bob"})
    assert "404" in error and "bob is not a member of tool-makers" in error


async def test_a_taken_path_is_refused_with_a_hint(connect: Connect) -> None:
    error = await refused(connect, "create_org", {"name": "Again", "path": "gitcode-mcp"})
    assert "400" in error and "already taken" in error and "path may be taken" in error
    error = await refused(connect, "create_org", {"name": "Bad", "path": "no/slash"})
    assert "`path`" in error


async def test_profile_edits_read_back(connect: Connect, sandbox: Sandbox) -> None:
    changes = {"name": "GitCode MCP", "description": "Agents on GitCode.", "website": "https://example.com"}
    updated = await call(connect, "update_org", {"org": "gitcode-mcp", **changes, "email": "team@example.com"})
    assert updated["website"] == "https://example.com" and updated["email"] == "team@example.com"
    assert sandbox.requests[-1].body == {
        "name": "GitCode MCP",
        "description": "Agents on GitCode.",
        "email": "team@example.com",
        "html_url": "https://example.com",  # GitCode's name for the website (ref)
    }
    got = await call(connect, "get_org", {"org": "gitcode-mcp"})
    assert got["name"] == "GitCode MCP" and got["description"] == "Agents on GitCode."


async def test_an_update_with_nothing_to_change_sends_nothing(connect: Connect, sandbox: Sandbox) -> None:
    assert (await call(connect, "update_org", {"org": "gitcode-mcp", "name": None}))["changed"] is False
    assert sandbox.requests == []


async def test_only_owners_and_admins_edit_or_add(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "update_org", {"org": "gitcode-mcp", "description": "x"}, token=BOB)
    assert "403" in error and "owners and admins" in error
    error = await refused(connect, "add_org_member", {"org": "gitcode-mcp", "username": "bob"}, token=BOB)
    assert "403" in error
    assert "bob" not in sandbox.world.orgs["gitcode-mcp"].members


async def test_a_custom_role_needs_its_id(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(
        connect, "add_org_member", {"org": "gitcode-mcp", "username": "bob", "permission": "customized"}
    )
    assert "`role_id`" in error and sandbox.requests == []
    error = await refused(connect, "add_org_member", {"org": "gitcode-mcp", "username": "bob", "role_id": "abc"})
    assert "`role_id`" in error and sandbox.requests == []

    roles = await call(connect, "list_org_custom_roles", {"org": "gitcode-mcp"})
    triager = next(r for r in roles if r["name"] == "Triager")
    args = {"org": "gitcode-mcp", "username": "bob", "permission": "customized", "role_id": triager["id"]}
    assert (await call(connect, "add_org_member", args))["permission"] == "customized"
    members = await call(connect, "list_org_members", {"org": "gitcode-mcp"})
    assert {"login": "bob", "name": "Bob", "role": "Triager"} in members["items"]
    roles = await call(connect, "list_org_custom_roles", {"org": "gitcode-mcp"})
    assert next(r for r in roles if r["name"] == "Triager")["members"] == 1


async def test_an_organization_keeps_an_owner(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "remove_org_member", {"org": "gitcode-mcp", "username": "alice"})
    assert "400" in error and "at least one owner" in error
    error = await refused(connect, "leave_org", {"org": "gitcode-mcp"})
    assert "400" in error and "last owner" in error
    assert sandbox.world.orgs["gitcode-mcp"].members["alice"] == "owner"


async def test_leaving_an_organization(connect: Connect, sandbox: Sandbox) -> None:
    mine = await call(connect, "get_org_membership", {"org": "gitcode-guild"})
    assert mine == {"org": "gitcode-guild", "login": "alice", "role": "owner", "active": True}
    assert await call(connect, "leave_org", {"org": "gitcode-guild"}) == {"left": "gitcode-guild"}
    assert sent(sandbox, "template")[-1] == "DELETE user/memberships/orgs/{org}"
    listed = await call(connect, "list_orgs", {})
    assert "gitcode-guild" not in [o["path"] for o in listed["items"]]
    error = await refused(connect, "get_org_membership", {"org": "gitcode-guild"})
    assert "404" in error and "you are not a member" in error


async def test_your_orgs_are_not_the_user_named_orgs(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_orgs", {})
    assert sorted(o["path"] for o in listed["items"]) == ["gitcode-guild", "gitcode-lab", "gitcode-mcp"]
    assert sent(sandbox, "template") == ["GET users/orgs"]
    error = await refused(connect, "list_orgs", {"username": "bob", "admin": True})
    assert "`admin`" in error


async def test_private_repositories_are_shown_to_members_only(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_org_repository", {"org": "gitcode-mcp", "name": "plans", "private": True})
    mine = await call(connect, "list_org_repos", {"org": "gitcode-mcp"})
    names = [r["full_name"] for r in mine["items"]]
    assert "gitcode-mcp/plans" in names and "gitcode-mcp/handbook" in names
    assert all(not r["url"].endswith(".git") for r in mine["items"])
    private = await call(connect, "list_org_repos", {"org": "gitcode-mcp", "type": "private"})
    assert [r["full_name"] for r in private["items"]] == ["gitcode-mcp/plans"]
    bobs = await call(connect, "list_org_repos", {"org": "gitcode-mcp"}, token=BOB)
    assert "gitcode-mcp/plans" not in [r["full_name"] for r in bobs["items"]]


async def test_followers_and_issue_types(connect: Connect) -> None:
    followers = await call(connect, "list_org_followers", {"org": "gitcode-guild"})
    assert [f["login"] for f in followers["items"]] == ["bob", "alice"]  # newest first
    assert followers["items"][0]["followed_at"].startswith("2026-11-19")
    types = await call(connect, "list_org_issue_types", {"org": "gitcode-mcp"})
    assert types and all(t["statuses"] for t in types)
    closing = [s["name"] for t in types for s in t["statuses"] if s.get("closed")]
    assert "已完成" in closing
    error = await refused(connect, "list_org_issue_types", {"org": "no-such-org"})
    assert "404" in error
