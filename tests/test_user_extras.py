"""The users toolset's extras: a profile edit reads back through get_user (yours, and as others see it), under GitCode's
field names on the wire; namespaces are you and your organizations; the repositories a user starred or watches, private
ones hidden from those who cannot see them."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, demo, refused

pytestmark = pytest.mark.anyio

BOB = SecretStr("bob-token")
EXTRAS = {"update_my_profile", "list_my_namespaces", "list_followed_repos"}


def test_the_extras_are_in_the_users_toolset() -> None:
    users = toolsets()["users"]
    assert {t.name for t in users.tools} >= EXTRAS
    kinds = {t.name: (t.kind, t.idempotent) for t in users.tools if t.name in EXTRAS}
    assert kinds["update_my_profile"] == ("write", True)
    assert kinds["list_my_namespaces"][0] == kinds["list_followed_repos"][0] == "read"


async def test_a_profile_edit_reads_back(connect: Connect, sandbox: Sandbox) -> None:
    edits = {"name": "Alice L.", "bio": "Builds MCP servers.", "company": "GitCode MCP", "blog": "https://a.example"}
    updated = await call(connect, "update_my_profile", edits)
    assert updated == {"login": "alice", **edits}
    assert sandbox.requests[-1].body == {
        "nickname": "Alice L.",
        "description": "Builds MCP servers.",
        "company": "GitCode MCP",
        "website": "https://a.example",
    }
    me = await call(connect, "get_user", {})
    assert {k: me[k] for k in ("name", "bio", "company", "blog")} == {
        k: edits[k] for k in ("name", "bio", "company", "blog")
    }
    seen_by_bob = await call(connect, "get_user", {"username": "alice"}, token=BOB)
    assert seen_by_bob["bio"] == "Builds MCP servers." and seen_by_bob["name"] == "Alice L."

    # fields left out stay as they are
    again = await call(connect, "update_my_profile", {"company": "Elsewhere"})
    assert again["bio"] == "Builds MCP servers." and again["company"] == "Elsewhere"
    assert sandbox.requests[-1].body == {"company": "Elsewhere"}


async def test_a_profile_edit_with_nothing_sends_nothing(connect: Connect, sandbox: Sandbox) -> None:
    assert (await call(connect, "update_my_profile", {"bio": None}))["changed"] is False
    assert sandbox.requests == []
    assert "`name`" in await refused(connect, "update_my_profile", {"name": "  "}) and sandbox.requests == []


async def test_namespaces_are_you_and_your_organizations(connect: Connect, sandbox: Sandbox) -> None:
    found = await call(connect, "list_my_namespaces", {})
    # No URL (it is https://gitcode.com/<path>) and no name that only repeats the path.
    assert found[0] == {"id": found[0]["id"], "path": "alice", "type": "user"}
    guild = next(n for n in found if n["path"] == "gitcode-guild")
    assert guild == {"id": guild["id"], "path": "gitcode-guild", "name": "GitCode Guild", "type": "group"}
    assert sorted(n["path"] for n in found if n["type"] == "group") == ["gitcode-guild", "gitcode-lab", "gitcode-mcp"]
    assert sandbox.requests[-1].query["perPage"] == "100"  # the ref's name for the page size
    bobs = await call(connect, "list_my_namespaces", {}, token=BOB)
    assert [n["path"] for n in bobs] == ["bob", "gitcode-guild"]


async def test_starred_and_watched(connect: Connect, sandbox: Sandbox) -> None:
    watched = await call(connect, "list_followed_repos", {"kind": "watched"})
    assert [r["full_name"] for r in watched["items"]] == ["alice/demo"]
    # bob starred alice/demo and (in the users area's seed) the private alice/secret, which only alice can see
    seen_by_alice = await call(connect, "list_followed_repos", {"kind": "starred", "username": "bob"})
    assert sorted(r["full_name"] for r in seen_by_alice["items"]) == ["alice/demo", "alice/secret"]
    seen_by_bob = await call(connect, "list_followed_repos", {"kind": "starred", "username": "bob"}, token=BOB)
    assert [r["full_name"] for r in seen_by_bob["items"]] == ["alice/demo"]
    assert [f"{r.method} {r.template}" for r in sandbox.requests] == [
        "GET user/subscriptions",
        "GET users/{username}/starred",
        "GET users/{username}/starred",
    ]
    # a watch recorded on a repository shows in its watcher's list (and only there)
    del demo(sandbox).watchers["bob"]
    bob_watches = await call(connect, "list_followed_repos", {"kind": "watched", "username": "bob"})
    assert bob_watches["items"] == [] and bob_watches["has_more"] is False
    mine = await call(connect, "list_followed_repos", {"kind": "starred"})
    assert sandbox.requests[-1].template == "user/starred" and [r["full_name"] for r in mine["items"]] == ["alice/demo"]


async def test_an_unknown_user_is_a_clear_404(connect: Connect) -> None:
    assert "404" in await refused(connect, "list_followed_repos", {"kind": "starred", "username": "nobody"})
