"""Milestone quirks: identified by number, read back as `active`, title and due_on sent on every update, deleting
one takes it off its issues."""

from __future__ import annotations

import pytest

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, demo, refused

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}


async def test_milestone_round_trip_with_an_issue_on_it(connect: Connect, sandbox: Sandbox) -> None:
    args = {**DEMO, "title": "v2.0", "due_on": "2027-06-30", "description": "The big one"}
    created = await call(connect, "create_milestone", args)
    assert sandbox.requests[-1].body == {"title": "v2.0", "due_on": "2027-06-30", "description": "The big one"}
    assert created == {
        "number": 2,
        "title": "v2.0",
        "state": "open",  # GitCode reads back `active`
        "due_on": "2027-06-30",
        "open_issues": 0,
        "closed_issues": 0,
        "description": "The big one",
        "url": "https://gitcode.com/alice/demo/milestones/2",
    }

    listed = await call(connect, "list_milestones", DEMO)
    assert [m["number"] for m in listed["items"]] == [1, 2]  # by due date: v1.0 is due 2026-12-31
    assert sandbox.requests[-1].query == {
        "state": "open",
        "sort": "due_on",
        "direction": "asc",
        "page": "1",
        "per_page": "100",
    }

    issue = await call(connect, "update_issue", {**DEMO, "number": 1, "milestone": 2})
    assert issue["milestone"] == "v2.0"
    one = await call(connect, "list_milestones", {**DEMO, "number": 2})
    assert (one["open_issues"], one["closed_issues"]) == (1, 0)

    closed = await call(connect, "update_milestone", {**DEMO, "number": 2, "state": "closed"})
    # The reference marks title and due_on required on update: the current ones go with the change.
    assert [r.method for r in sandbox.requests[-2:]] == ["GET", "PATCH"]
    assert sandbox.requests[-1].body == {"title": "v2.0", "due_on": "2027-06-30", "state": "closed"}
    assert closed["state"] == "closed"
    assert [m["number"] for m in (await call(connect, "list_milestones", DEMO))["items"]] == [1]
    every = await call(connect, "list_milestones", {**DEMO, "state": "all"})
    assert {m["number"]: m["state"] for m in every["items"]} == {1: "open", 2: "closed"}

    assert await call(connect, "delete_milestone", {**DEMO, "number": 2}) == {"deleted": 2}
    assert demo(sandbox).issues[1].milestone is None
    assert "milestone" not in await call(connect, "get_issue", {**DEMO, "number": 1})
    message = await refused(connect, "list_milestones", {**DEMO, "number": 2})
    assert "404" in message and "list_milestones shows" in message


async def test_an_update_with_title_and_due_on_is_one_patch(connect: Connect, sandbox: Sandbox) -> None:
    args = {**DEMO, "number": 1, "title": "v1.0.1", "due_on": "2027-01-15", "description": ""}
    updated = await call(connect, "update_milestone", args)
    [request] = sandbox.requests
    assert request.method == "PATCH" and request.body == {"title": "v1.0.1", "due_on": "2027-01-15", "description": ""}
    assert (updated["title"], updated["due_on"]) == ("v1.0.1", "2027-01-15")
    assert demo(sandbox).milestones[1] == "v1.0.1"  # the title the issues area renders
    assert (await call(connect, "get_issue", {**DEMO, "number": 1}))["milestone"] == "v1.0.1"


async def test_the_simulator_requires_title_and_due_on_on_update(sandbox: Sandbox, connect: Connect) -> None:
    # What the tool's read-then-patch guards against: the reference's required fields.
    sandbox.answer("GET", r"milestones/1$", status=200, body={"number": 1, "title": "v1.0"})  # no due_on in the read
    message = await refused(connect, "update_milestone", {**DEMO, "number": 1, "state": "closed"})
    assert "400" in message and "due_on" in message


async def test_nothing_to_change_reads_the_milestone(connect: Connect, sandbox: Sandbox) -> None:
    result = await call(connect, "update_milestone", {**DEMO, "number": 1})
    assert [r.method for r in sandbox.requests] == ["GET"]
    assert result["title"] == "v1.0" and "nothing to change" in result["note"]


async def test_a_due_date_must_be_a_date(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "create_milestone", {**DEMO, "title": "v3", "due_on": "next week"})
    assert "`due_on`" in message and sandbox.requests == []
