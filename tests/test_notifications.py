"""Notification quirks: the list is an object (`total`, `list`), each caller sees only their own, ids are strings
that go back to the mark tool as given, and `ids` travels in the query and the body."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.notifications import Notifications
from tests.conftest import Connect, call, demo, refused

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}


async def test_each_caller_sees_their_own_newest_first(connect: Connect) -> None:
    mine = await call(connect, "list_repo_notifications", DEMO)
    assert mine["has_more"] is False
    assert [(n["id"], n["unread"], n["type"]) for n in mine["items"]] == [
        ("5400002", False, "event"),
        ("5400001", True, "referer"),
    ]
    assert mine["items"][1]["title"] == "Crash when the name is empty" and mine["items"][1]["actor"] == "bob"
    assert mine["items"][1]["url"] == "https://gitcode.com/alice/demo/issues/1"
    theirs = await call(connect, "list_repo_notifications", DEMO, token=SecretStr("bob-token"))
    assert [n["id"] for n in theirs["items"]] == ["5400003"]


async def test_paging_follows_the_total(connect: Connect) -> None:
    first = await call(connect, "list_repo_notifications", {**DEMO, "per_page": 1})
    assert first["has_more"] is True and [n["id"] for n in first["items"]] == ["5400002"]
    second = await call(connect, "list_repo_notifications", {**DEMO, "per_page": 1, "page": 2})
    assert second["has_more"] is False and [n["id"] for n in second["items"]] == ["5400001"]


async def test_mark_one_read_then_none_is_unread(connect: Connect, sandbox: Sandbox) -> None:
    unread = await call(connect, "list_repo_notifications", {**DEMO, "unread": True})
    assert sandbox.requests[-1].query["unread"] == "true"
    ids = [n["id"] for n in unread["items"]]
    assert ids == ["5400001"]
    assert await call(connect, "mark_repo_notifications_read", {**DEMO, "ids": ids}) == {"marked_read": ids}
    request = sandbox.requests[-1]
    assert (request.method, request.query, request.body) == ("PUT", {"ids": "5400001"}, {"ids": "5400001"})
    assert (await call(connect, "list_repo_notifications", {**DEMO, "unread": True}))["items"] == []
    assert Notifications.of(demo(sandbox)).notifications[2].unread is True  # bob's is untouched


async def test_mark_all_read(connect: Connect, sandbox: Sandbox) -> None:
    result = await call(connect, "mark_repo_notifications_read", {**DEMO, "all": True}, token=SecretStr("bob-token"))
    assert result == {"marked_read": "all"}
    assert sandbox.requests[-1].query == {} and sandbox.requests[-1].body is None
    assert [n.unread for n in Notifications.of(demo(sandbox)).notifications] == [True, False, False]


async def test_an_unknown_id_is_refused(connect: Connect) -> None:
    error = await refused(connect, "mark_repo_notifications_read", {**DEMO, "ids": ["5400003"]})
    assert "404" in error  # bob's notification is not alice's to mark


async def test_notifications_need_a_token(connect: Connect) -> None:
    assert "401" in await refused(connect, "list_repo_notifications", DEMO, token=None)


@pytest.mark.parametrize(
    "args",
    [
        {},  # nothing given is not "all"
        {"ids": []},
        {"ids": [""]},
        {"ids": ["  "]},
        {"ids": ["\u200b"]},  # a zero-width space: blank to a person
        {"ids": ["5400001", "\u3164"]},  # a Hangul filler beside a real id
        {"ids": ["5400001"], "all": True},
        {"all": False},
    ],
)
async def test_an_empty_or_blank_choice_never_marks_everything(
    connect: Connect, sandbox: Sandbox, args: dict[str, Any]
) -> None:
    error = await refused(connect, "mark_repo_notifications_read", {**DEMO, **args})
    assert "`ids`" in error and len(error) < 2000, error
    assert sandbox.requests == []
    assert [n.unread for n in Notifications.of(demo(sandbox)).notifications] == [True, False, True]  # as seeded
