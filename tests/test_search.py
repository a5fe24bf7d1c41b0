"""Search quirks: one tool over three endpoints, each filter only where GitCode takes it, our sort words sent as
GitCode's field names, the reference's page limits, and the world searched as it is."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, refused

pytestmark = pytest.mark.anyio


async def test_search_finds_a_just_created_issue(connect: Connect, sandbox: Sandbox) -> None:
    body = "Uploads over 2 MB time out on Windows."
    await call(connect, "create_issue", {"owner": "alice", "repo": "demo", "title": "Flaky upload", "body": body})
    found = await call(connect, "search_gitcode", {"q": "flaky upload", "kind": "issues", "state": "open"})
    assert sandbox.requests[-1].path == "search/issues"
    assert sandbox.requests[-1].query == {"q": "flaky upload", "state": "open", "page": "1", "per_page": "20"}
    assert found["has_more"] is False
    [hit] = found["items"]
    assert (hit["repo"], hit["number"], hit["title"], hit["state"]) == ("alice/demo", 3, "Flaky upload", "open")
    assert hit["url"] == "https://gitcode.com/alice/demo/issues/3"
    closed = await call(connect, "search_gitcode", {"q": "flaky", "kind": "issues", "state": "closed"})
    assert closed["items"] == []


async def test_search_finds_a_just_created_repository(connect: Connect, sandbox: Sandbox) -> None:
    args = {"name": "weather-station", "description": "Sensors on the roof", "private": False}
    await call(connect, "create_repository", args, toolsets=("all",))
    found = await call(connect, "search_gitcode", {"q": "weather", "kind": "repositories", "owner": "alice"})
    assert [r["full_name"] for r in found["items"]] == ["alice/weather-station"]
    assert found["items"][0]["description"] == "Sensors on the roof"
    by_words = await call(connect, "search_gitcode", {"q": "roof sensors", "kind": "repositories"})
    assert [r["full_name"] for r in by_words["items"]] == ["alice/weather-station"]


async def test_private_repositories_are_found_only_by_who_may_see_them(connect: Connect) -> None:
    mine = await call(connect, "search_gitcode", {"q": "secret", "kind": "repositories"})
    assert [r["full_name"] for r in mine["items"]] == ["alice/secret"] and mine["items"][0]["private"] is True
    theirs = await call(
        connect, "search_gitcode", {"q": "secret", "kind": "repositories"}, token=SecretStr("bob-token")
    )
    assert theirs["items"] == []


async def test_forks_are_left_out_as_gitcode_leaves_them_out(connect: Connect) -> None:
    # ref: forked repositories are not in search results unless asked for; the tool does not ask.
    found = await call(connect, "search_gitcode", {"q": "demo", "kind": "repositories"})
    assert "bob/demo" not in [r["full_name"] for r in found["items"]] and "alice/demo" in [
        r["full_name"] for r in found["items"]
    ]


@pytest.mark.parametrize(
    ("kind", "sort", "sent"),
    [
        ("repositories", "stars", "stars_count"),
        ("repositories", "updated", "last_push_at"),
        ("issues", "updated", "last_push_at"),
        ("issues", "created", "created_at"),
        ("users", "joined", "joined_at"),
    ],
)
async def test_sort_words_become_gitcode_fields(
    connect: Connect, sandbox: Sandbox, kind: str, sort: str, sent: str
) -> None:
    await call(connect, "search_gitcode", {"q": "a", "kind": kind, "sort": sort})
    assert sandbox.requests[-1].query["sort"] == sent


async def test_users_are_found_by_login_or_name(connect: Connect) -> None:
    found = await call(connect, "search_gitcode", {"q": "bob", "kind": "users"})
    assert found["items"] == [{"login": "bob", "name": "Bob", "url": "https://gitcode.com/bob"}]


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ({"kind": "repositories", "repo": "alice/demo"}, "repo"),
        ({"kind": "issues", "owner": "alice"}, "owner"),
        ({"kind": "users", "state": "open"}, "state"),
        ({"kind": "issues", "sort": "stars"}, "sort"),
        ({"kind": "issues", "repo": "demo"}, "repo"),
        ({"kind": "issues", "per_page": 60}, "per_page"),
        ({"kind": "issues", "page": 101}, "page"),
        ({"kind": "issues", "q": "  "}, "q"),
        ({"kind": "commits"}, "kind"),
    ],
)
async def test_what_gitcode_would_not_take_is_refused_before_sending(
    connect: Connect, sandbox: Sandbox, args: dict[str, Any], argument: str
) -> None:
    error = await refused(connect, "search_gitcode", {"q": "x", **args})
    assert f"`{argument}`" in error, error
    assert sandbox.requests == []


async def test_search_is_in_the_default_set(connect: Connect) -> None:
    async with connect() as client:
        assert "search_gitcode" in {t.name for t in (await client.list_tools()).tools}
