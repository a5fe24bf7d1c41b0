"""Issue quirks: the documented create form, `assignee` and `labels` as comma strings, string numbers."""

from __future__ import annotations

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Issue
from tests.conftest import Connect, call, demo, refused, sent, sim

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
    issue = await call(connect, "create_issue", args, mode=mode)
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
    assert issue["number"] == 3  # after the two seeded ones; GitCode answers "3", agents get an integer
    assert issue["labels"] == ["bug", "enhancement"] and issue["assignees"] == ["bob", "alice"]
    assert issue["url"] == "https://gitcode.com/alice/demo/issues/3" and issue["milestone"] == "v1.0"
    stored = demo(sandbox).issues[3]
    assert [u.login for u in stored.assignees] == ["bob", "alice"]


async def test_create_issue_sends_only_what_was_given(connect: Connect, sandbox: Sandbox) -> None:
    await call(
        connect,
        "create_issue",
        {"owner": "alice", "repo": "demo", "title": "T", "body": "", "labels": None, "milestone": None},
    )
    assert sandbox.requests[0].body == {"repo": "demo", "title": "T", "body": ""}


async def test_simulator_does_not_read_assignees(sandbox: Sandbox) -> None:
    # The seed's field name is not what GitCode reads: an issue created with it is silently unassigned.
    answer = await sim(sandbox, "POST", "repos/alice/demo/issues", json={"title": "t", "assignees": "bob"})
    closed = await sim(sandbox, "PATCH", "repos/alice/issues/1", json={"repo": "demo", "title": "t", "state": "closed"})
    assert answer.status_code == 201 and answer.json()["assignees"] == []
    assert closed.status_code == 400 and "reopen" in closed.json()["error_message"]


async def test_simulator_refuses_an_owner_scoped_edit_without_a_title(sandbox: Sandbox) -> None:
    """The owner-scoped PATCH fails on an empty title (cli `issue edit` sends the current one for that reason); the
    repo-scoped form, which the state-only probe used, takes a state alone."""
    owner_scoped = await sim(sandbox, "PATCH", "repos/alice/issues/1", json={"repo": "demo", "state": "close"})
    assert owner_scoped.status_code == 400 and owner_scoped.json()["error_message"] == "title is required"
    repo_scoped = await sim(sandbox, "PATCH", "repos/alice/demo/issues/1", json={"state": "close"})
    assert repo_scoped.status_code == 200 and repo_scoped.json()["state"] == "closed"


async def test_created_issues_exist_in_the_simulator(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        await call(client, "create_issue", {"owner": "alice", "repo": "demo", "title": "One", "body": "b"})
        await call(client, "create_issue", {"owner": "alice", "repo": "demo", "title": "Two", "body": "b"})
    issues = demo(sandbox).issues
    assert {n: i.title for n, i in issues.items() if n > 2} == {3: "One", 4: "Two"}


async def test_repo_in_the_body_is_checked_like_a_path_name(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "create_issue", {"owner": "alice", "repo": "../x", "title": "t", "body": ""})
    assert "Invalid argument `repo`" in error and sandbox.requests == []


# --- read, list, update, comment -----------------------------------------------------------------------------

DEMO = {"owner": "alice", "repo": "demo"}
ISSUE_1 = {**DEMO, "number": 1}


async def test_get_issue_reads_a_string_number_as_an_integer(connect: Connect, sandbox: Sandbox) -> None:
    issue = await call(connect, "get_issue", ISSUE_1)
    [request] = sandbox.requests
    assert (request.method, request.path) == ("GET", "repos/alice/demo/issues/1")
    assert issue == {
        "number": 1,
        "title": "Crash when the name is empty",
        "state": "open",
        "author": "bob",
        "labels": ["bug"],
        "assignees": ["alice"],
        "milestone": "v1.0",
        "comments": 1,
        "created_at": "2026-11-19T15:00:00+08:00",
        "updated_at": "2026-11-19T16:00:00+08:00",
        "url": "https://gitcode.com/alice/demo/issues/1",
        "body": "greet('') prints 'hello ' and then the program exits with an error.",
    }


async def test_list_issues_is_open_by_default_and_leaves_bodies_out(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_issues", DEMO)
    [request] = sandbox.requests
    assert request.query == {"state": "open", "page": "1", "per_page": "20"}
    [item] = listed["items"]
    assert item["number"] == 1 and "body" not in item and "issue_state" not in item
    assert listed["has_more"] is False
    everything = await call(connect, "list_issues", {**DEMO, "state": "all", "per_page": 1})
    assert everything["has_more"] is True and len(everything["items"]) == 1


async def test_list_issues_joins_labels_with_commas(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_issues", {**DEMO, "state": "all", "labels": ["enhancement", " bug "]})
    assert sandbox.requests[0].query["labels"] == "enhancement,bug"
    assert listed["items"] == []  # no issue carries both
    error = await refused(connect, "list_issues", {**DEMO, "labels": ["bug,enhancement"]})
    assert "Invalid argument `labels`" in error and len(sandbox.requests) == 1


# Issue 2 was created first (11-18) but updated last (11-20): the order tells which field and direction sorted.
@pytest.mark.parametrize(("direction", "numbers"), [("asc", [1, 2]), ("desc", [2, 1]), (None, [2, 1])])
async def test_list_issues_sorts_by_a_field_in_sort_and_an_order_in_direction(
    connect: Connect, sandbox: Sandbox, direction: str | None, numbers: list[int]
) -> None:
    listed = await call(connect, "list_issues", {**DEMO, "state": "all", "sort": "updated", "direction": direction})
    query = sandbox.requests[0].query
    # ref and cli: `sort` is the field (created | updated), `direction` the order; no `order_by`.
    assert {k: query[k] for k in ("sort", "direction")} == {"sort": "updated", "direction": direction or "desc"}
    assert "order_by" not in query
    assert [i["number"] for i in listed["items"]] == numbers


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"order_by": "updated_at", "sort": "desc"}, ["2", "1"]),  # probe
        ({"sort": "updated", "direction": "desc"}, ["2", "1"]),  # ref
        ({"order_by": "updated_at", "sort": "asc"}, ["1", "2"]),
        ({}, ["1", "2"]),  # newest created first
    ],
)
# (`sort=desc` without `order_by` puts a direction where the reference has a field: the simulator refuses it.)
async def test_simulator_sorts_issues_under_either_reading(sandbox: Sandbox, query: dict, numbers: list[str]) -> None:
    answer = await sim(sandbox, "GET", "repos/alice/demo/issues", token=None, params={"state": "all", **query})
    assert [i["number"] for i in answer.json()] == numbers  # numbers as strings, as live answers have them


@pytest.mark.parametrize(("state", "sent"), [("closed", "close"), ("open", "reopen")])
async def test_update_issue_writes_state_as_close_or_reopen(
    connect: Connect, sandbox: Sandbox, state: str, sent: str
) -> None:
    number = 2 if state == "open" else 1  # issue 2 is closed, issue 1 open
    title = demo(sandbox).issues[number].title
    issue = await call(connect, "update_issue", {**DEMO, "number": number, "state": state})
    read, request = sandbox.requests
    assert (read.method, read.path) == ("GET", f"repos/alice/demo/issues/{number}")
    assert (request.method, request.path) == ("PATCH", f"repos/alice/issues/{number}")
    assert request.body == {"repo": "demo", "title": title, "state": sent}  # cli: the current title goes along
    assert issue["state"] == state and demo(sandbox).issues[number].state == state
    assert ("closed_at" in issue) == (state == "closed")


async def test_update_issue_sends_lists_as_comma_strings(connect: Connect, sandbox: Sandbox) -> None:
    args = {**ISSUE_1, "title": "Crash on ''", "labels": ["bug", "enhancement"], "assignees": ["bob", "alice"]}
    issue = await call(connect, "update_issue", {**args, "milestone": 1})
    assert sandbox.requests[0].body == {
        "repo": "demo",
        "title": "Crash on ''",
        "labels": "bug,enhancement",
        "assignee": "bob,alice",
        "milestone": 1,
    }
    assert issue["labels"] == ["bug", "enhancement"] and issue["assignees"] == ["bob", "alice"]


async def test_update_issue_clears_labels_with_an_empty_list(connect: Connect, sandbox: Sandbox) -> None:
    issue = await call(connect, "update_issue", {**ISSUE_1, "labels": []})
    assert sent(sandbox)[:1] == ["DELETE repos/alice/demo/issues/1/labels"]  # ref; cli ClearIssueLabels
    assert issue["number"] == 1 and "labels" not in issue and demo(sandbox).issues[1].labels == []


async def test_update_issue_with_nothing_to_change_only_reads(connect: Connect, sandbox: Sandbox) -> None:
    issue = await call(connect, "update_issue", ISSUE_1)
    assert [r.method for r in sandbox.requests] == ["GET"]
    assert issue["number"] == 1 and "nothing to change" in issue["note"]


async def test_a_created_issue_can_be_read_listed_commented_closed_and_reopened(
    connect: Connect, sandbox: Sandbox
) -> None:
    async with connect() as client:
        created = await call(client, "create_issue", {**DEMO, "title": "Flaky test", "body": "Fails one run in ten."})
        number = created["number"]
        issue = {**DEMO, "number": number}
        assert (await call(client, "get_issue", issue))["body"] == "Fails one run in ten."
        comment = await call(client, "create_issue_comment", {**issue, "body": "Seen on CI too."})
        assert sandbox.requests[-1].body == {"body": "Seen on CI too."}
        assert comment["issue"] == number and isinstance(comment["id"], int)
        assert (await call(client, "get_issue", issue))["comments"] == 1
        await call(client, "update_issue", {**issue, "state": "closed"})
        closed = await call(client, "list_issues", {**DEMO, "state": "closed"})
        assert number in [i["number"] for i in closed["items"]]
        opened = await call(client, "list_issues", DEMO)
        assert number not in [i["number"] for i in opened["items"]]
        await call(client, "update_issue", {**issue, "state": "open"})
        opened = await call(client, "list_issues", DEMO)
        assert number in [i["number"] for i in opened["items"]]
    [stored] = demo(sandbox).issues[number].comments
    assert stored.body == "Seen on CI too." and stored.id == comment["id"]


async def test_a_blank_comment_is_refused_before_any_request(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "create_issue_comment", {**ISSUE_1, "body": "  "})
    assert "Invalid argument `body`" in error and sandbox.requests == []


async def test_an_issue_update_answered_with_another_state_says_so(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("PATCH", r"issues/1$", status=200, body={"number": "1", "state": "opened", "title": "t"})
    issue = await call(connect, "update_issue", {**ISSUE_1, "state": "closed"})
    assert issue["number"] == 1 and issue["state"] == "open"
    assert issue["warning"] == "asked for closed, GitCode answered open: read the issue before retrying"


async def test_a_text_filter_finds_issues_by_their_body_over_pages(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    for n in range(3, 8):
        body = "It TIMES OUT after a minute." if n % 2 else "Works."
        repo.issues[n] = Issue(
            9_000 + n, n, f"Report {n}", body, sandbox.world.users["bob"], f"2026-11-2{n}T10:00:00+08:00"
        )
    found = await call(connect, "list_issues", {**DEMO, "state": "all", "text": "times out", "per_page": 2})
    # Five issues and the two seeded ones, two a page: the filter walked every page, GitCode's order kept.
    assert [i["number"] for i in found["items"]] == [7, 5, 3]
    assert found["items"][0]["excerpt"] == "It TIMES OUT after a minute." and "body" not in found["items"][0]
    assert found["searched"] == "pages 1-4: 7 items, all there are" and "next_page" not in found
    assert [r.query["page"] for r in sandbox.requests] == ["1", "2", "3", "4"]
    with_bodies = await call(connect, "list_issues", {**DEMO, "state": "all", "text": "report 3", "bodies": True})
    assert [(i["number"], i["body"]) for i in with_bodies["items"]] == [(3, "It TIMES OUT after a minute.")]


async def test_a_text_filter_stops_after_ten_pages_and_says_where(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    for n in range(3, 15):
        repo.issues[n] = Issue(9_000 + n, n, f"Report {n}", "", sandbox.world.users["bob"], "2026-11-25T10:00:00+08:00")
    found = await call(connect, "list_issues", {**DEMO, "state": "all", "text": "nothing like it", "per_page": 1})
    assert found == {"searched": "pages 1-10 (10 items); more remain", "next_page": 11, "items": []}
    assert len(sandbox.requests) == 10
    rest = await call(connect, "list_issues", {**DEMO, "state": "all", "text": "empty", "per_page": 1, "page": 11})
    assert [i["number"] for i in rest["items"]] == [1] and rest["searched"].startswith("pages 11-14")


async def test_bodies_come_with_a_plain_list_when_asked(connect: Connect, sandbox: Sandbox) -> None:
    plain = await call(connect, "list_issues", DEMO)
    assert "body" not in plain["items"][0]
    demo(sandbox).issues[1].body = "x" * 3000
    full = await call(connect, "list_issues", {**DEMO, "bodies": True})
    assert full["items"][0]["body"] == "x" * 2000 + "… (3000 characters in all)"


async def test_labels_that_do_not_exist_are_made_when_asked(connect: Connect, sandbox: Sandbox) -> None:
    refused_label = await refused(connect, "update_issue", {**DEMO, "number": 1, "labels": ["bug", "p1"]})
    assert "GitCode 422" in refused_label and "p1" not in demo(sandbox).labels
    sandbox.requests.clear()
    made = await call(connect, "update_issue", {**DEMO, "number": 1, "labels": ["bug", "p1"], "create_labels": True})
    assert made["labels"] == ["bug", "p1"] and made["created_labels"] == ["p1"]
    assert sent(sandbox)[:2] == ["GET repos/alice/demo/labels", "POST repos/alice/demo/labels"]
    assert sandbox.requests[1].query == {"name": "p1", "color": "#ededed"} and sandbox.requests[1].body is None
    again = await call(connect, "update_issue", {**DEMO, "number": 1, "labels": ["p1"], "create_labels": True})
    assert again["labels"] == ["p1"] and "created_labels" not in again  # nothing was missing: nothing made
    assert sent(sandbox)[-3:] == [
        "GET repos/alice/demo/labels",
        "GET repos/alice/demo/issues/1",
        "PATCH repos/alice/issues/1",
    ]
