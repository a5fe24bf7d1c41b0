"""User quirks: the token's own account (get_user without username), activity by cursor (grouped by day, newest
first, only what the caller may see), repository lists that never show a private repository to another user, and
namespaces by path."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.users.activity import Push, Pushes
from gitcode_mcp.sandbox.state import Repo
from tests.conftest import Connect, call, refused, without_pulls_seed

pytestmark = pytest.mark.anyio

BOB = SecretStr("bob-token")


def names(page: dict) -> list[str]:
    return [r["full_name"] for r in page["items"]]


async def test_without_a_username_the_profile_is_the_tokens_owner(connect: Connect, sandbox: Sandbox) -> None:
    assert (await call(connect, "get_user", {}))["login"] == "alice"
    me = await call(connect, "get_user", {"username": None}, token=BOB)
    assert me["login"] == "bob" and "url" not in me  # the profile is https://gitcode.com/<login>
    assert "api.gitcode.com" not in json.dumps(me) and "avatar" not in json.dumps(me)
    assert [r.path for r in sandbox.requests] == ["user", "user"]


async def test_without_a_token_the_own_account_says_to_set_one(connect: Connect) -> None:
    message = await refused(connect, "get_user", {"emails": True}, token=None)
    assert "401" in message and "GITCODE_TOKEN" in message


async def test_your_emails_and_their_state(connect: Connect, sandbox: Sandbox) -> None:
    me = await call(connect, "get_user", {"emails": True})
    assert me["login"] == "alice" and me["emails"] == [
        {"email": "alice@example.com", "state": "confirmed"},
        {"email": "alice@work.example.com", "state": "unconfirmed"},
    ]
    assert [r.path for r in sandbox.requests] == ["user", "emails"]
    # Only your own: asked with someone's username, nothing is sent.
    message = await refused(connect, "get_user", {"username": "bob", "emails": True})
    assert "`emails`" in message and "leave out username" in message
    assert len(sandbox.requests) == 2


async def test_events_are_one_list_newest_first_and_hide_private_repositories(
    connect: Connect, sandbox: Sandbox
) -> None:
    without_pulls_seed(sandbox)
    mine = await call(connect, "list_user_events", {"username": "alice"})
    assert mine["has_more"] is False and "next" not in mine
    stamps = [e["at"] for e in mine["events"]]
    assert stamps == sorted(stamps, reverse=True) and len({s[:10] for s in stamps}) == 3  # three days, one list
    push = next(e for e in mine["events"] if e.get("ref") == "feature")
    assert push["action"] == "pushed to" and push["repo"] == "alice/demo" and push["commits"] == 2
    assert len(push["head"]) == 40 and push["title"] == "Type hints and a main()"
    opened = next(e for e in mine["events"] if e["action"] == "opened" and e.get("number") == 1)
    assert opened["target"] == "MergeRequest" and opened["title"] == "Type hints and a main()"
    assert "alice/secret" in {e["repo"] for e in mine["events"]}
    # bob asks about alice: her push to the private alice/secret is not his to see.
    theirs = await call(connect, "list_user_events", {"username": "alice"}, token=BOB)
    assert "alice/secret" not in {e["repo"] for e in theirs["events"]}
    assert len(theirs["events"]) == len(mine["events"]) - 1


async def test_what_another_tool_writes_shows_in_the_authors_events(connect: Connect) -> None:
    pr = {"owner": "alice", "repo": "demo", "number": 1}
    await call(connect, "create_pull_request_comment", {**pr, "body": "Ship it."}, token=BOB)
    latest = (await call(connect, "list_user_events", {"username": "bob"}))["events"][0]
    assert latest == {
        "at": latest["at"],
        "action": "commented on",
        "repo": "alice/demo",
        "target": "MergeRequest",
        "number": 1,
        "title": "Type hints and a main()",
        "body": "Ship it.",
    }


async def test_events_page_by_the_next_cursor(connect: Connect, sandbox: Sandbox) -> None:
    without_pulls_seed(sandbox)
    alice = sandbox.world.users["alice"]
    Pushes.of(alice).pushes += [
        Push("alice/demo", "main", "a" * 40, "b" * 40, f"push {i}", f"2025-03-{i + 1:02d}T12:00:00+08:00")
        for i in range(25)
    ]
    seen: list[str] = []
    args: dict = {"username": "alice"}
    for _ in range(5):
        answer = await call(connect, "list_user_events", args)
        seen += [e["at"] for e in answer["events"]]
        if not answer["has_more"]:
            break
        args = {"username": "alice", "next": answer["next"]}
    assert len(seen) == len(set(seen)) == 25 + 5 and seen == sorted(seen, reverse=True)
    queries = [r.query for r in sandbox.requests]
    assert queries[0] == {} and queries[1] == {"next": seen[19]}  # the cursor is the oldest event shown so far


async def test_events_of_a_year(connect: Connect, sandbox: Sandbox) -> None:
    Pushes.of(sandbox.world.users["alice"]).pushes.append(
        Push("alice/demo", "main", "a" * 40, "b" * 40, "old", "2024-08-27T10:34:05+08:00")
    )
    answer = await call(connect, "list_user_events", {"username": "alice", "year": 2024})
    assert [e["title"] for e in answer["events"]] == ["old"]
    assert sandbox.requests[0].query == {"year": "2024"}
    assert "`year`" in await refused(connect, "list_user_events", {"username": "alice", "year": 24})
    assert len(sandbox.requests) == 1


async def test_events_in_the_documented_shape(connect: Connect, sandbox: Sandbox) -> None:
    # The ref's example: integer author ids, UTC times, days as keys, and a `next` end date.
    event = {
        "action": 5,
        "action_name": "pushed to",
        "author": {"id": 704, "username": "dengmengmian", "avatar_url": "https://x/a.png"},
        "author_id": 704,
        "created_at": "2024-08-27T10:34:05.093Z",
        "project": {"star_count": 0, "forks_count": 0},
        "project_id": 507167,
        "project_name": "mactribe/midsommarcartoon",
        "push_data": {"commit_count": 1, "ref": "main", "commit_to": "14b742fe", "commit_title": "文件title"},
        "_links": {"project": "https://test.gitcode.net/mactribe/midsommarcartoon", "action_type": ""},
    }
    older = {**event, "created_at": "2024-08-26T10:31:17.494Z"}
    body = {"events": {"2024-08-26": [older], "2024-08-27": [event]}, "next": "2024-08-01T10:10:40.370Z"}
    sandbox.answer("GET", r"events$", status=200, body=body)
    answer = await call(connect, "list_user_events", {"username": "dengmengmian"})
    assert answer["has_more"] is True and answer["next"] == "2024-08-01T10:10:40.370Z"
    assert answer["events"][0] == {
        "at": "2024-08-27T10:34:05.093Z",
        "action": "pushed to",
        "repo": "mactribe/midsommarcartoon",
        "ref": "main",
        "commits": 1,
        "head": "14b742fe",
        "title": "文件title",
    }
    assert answer["events"][1]["at"] == "2024-08-26T10:31:17.494Z"


async def test_a_users_public_repositories_never_include_a_private_one(connect: Connect, sandbox: Sandbox) -> None:
    without_pulls_seed(sandbox)
    for token in (BOB, SecretStr("sandbox-token")):  # another user, and alice herself
        assert names(await call(connect, "list_user_repos", {"username": "alice"}, token=token)) == ["alice/demo"]


async def test_repository_list_filters_and_paging_reach_gitcode(connect: Connect, sandbox: Sandbox) -> None:
    alice = sandbox.world.users["alice"]
    for name in ("tools", "zeta"):
        sandbox.world.repos[f"alice/{name}"] = Repo(sandbox.world.new_id(), alice, name, branches={"main": {}})
    args = {"username": "alice", "sort": "full_name", "page": 1, "per_page": 2}
    first = await call(connect, "list_user_repos", args)
    assert names(first) == ["alice/demo", "alice/tools"] and first["has_more"] is True
    second = await call(connect, "list_user_repos", {**args, "page": 2})
    assert names(second) == ["alice/zeta"] and second["has_more"] is False
    assert sandbox.requests[0].query == {"sort": "full_name", "page": "1", "per_page": "2"}


async def test_my_repositories_include_private_ones_and_filter(connect: Connect, sandbox: Sandbox) -> None:
    without_pulls_seed(sandbox)
    assert names(await call(connect, "list_my_repos", {})) == ["alice/demo", "alice/secret"]
    private = await call(connect, "list_my_repos", {"visibility": "private", "search": " sec "})
    assert names(private) == ["alice/secret"] and private["items"][0]["private"] is True
    assert sandbox.requests[-1].query == {"visibility": "private", "q": "sec", "page": "1", "per_page": "20"}
    # bob owns nothing and collaborates on alice/demo; `type` is never sent (with affiliation it is a 422).
    assert names(await call(connect, "list_my_repos", {}, token=BOB)) == ["alice/demo"]
    assert all("type" not in r.query for r in sandbox.requests)


async def test_repository_items_read_the_schemas_integer_flags(connect: Connect, sandbox: Sandbox) -> None:
    # The ref's schemas type `private` and `fork` as integers, its examples as booleans: both read the same.
    item = {"full_name": "a/b", "private": 1, "fork": 1, "stargazers_count": "3", "web_url": "https://gitcode.com/a/b"}
    sandbox.answer("GET", r"user/repos$", status=200, body=[item, {**item, "private": 0, "fork": False}])
    page = await call(connect, "list_my_repos", {})
    assert page["items"] == [
        {"full_name": "a/b", "private": True, "fork": True, "stars": 3, "url": "https://gitcode.com/a/b"},
        {"full_name": "a/b", "private": False, "stars": 3, "url": "https://gitcode.com/a/b"},
    ]


async def test_starred_repositories_the_caller_cannot_see_are_not_listed(connect: Connect, sandbox: Sandbox) -> None:
    # bob starred alice/demo and the private alice/secret, which he cannot see.
    assert names(await call(connect, "list_starred_repos", {}, token=BOB)) == ["alice/demo"]
    await call(connect, "list_starred_repos", {"per_page": 5})
    assert sandbox.requests[-1].query == {"page": "1", "per_page": "5"}


async def test_a_namespace_by_path_is_one_of_yours(connect: Connect, sandbox: Sandbox) -> None:
    found = await call(connect, "list_my_namespaces", {"path": "alice"})
    assert found == {"id": 199940, "path": "alice", "type": "user"}  # no URL, no name that repeats the path
    assert (sandbox.requests[0].path, sandbox.requests[0].query) == ("user/namespace", {"path": "alice"})
    message = await refused(connect, "list_my_namespaces", {"path": "alice"}, token=BOB)
    assert "404" in message and "not one of your namespaces" in message
