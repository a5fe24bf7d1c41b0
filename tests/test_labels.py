"""Label quirks: issue-label writes take a raw JSON array, remove is one DELETE per name, a rename or delete reaches
every issue and PR, colors are hex, project labels are a separate set."""

from __future__ import annotations

from typing import Any

import pytest

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, demo, refused, sim

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}


async def test_create_add_replace_remove_delete(connect: Connect, sandbox: Sandbox) -> None:
    created = await call(connect, "create_label", {**DEMO, "name": "docs", "color": "0075CA"})
    assert created == {"name": "docs", "color": "#0075CA"}
    # In the query, no body (cli CreateLabel; AtomGit-MCP-Server's fix of its issue #7; ref formData).
    assert sandbox.requests[-1].query == {"name": "docs", "color": "#0075CA"} and sandbox.requests[-1].body is None

    added = await call(connect, "update_issue_labels", {**DEMO, "number": 1, "action": "add", "labels": ["docs"]})
    assert (sandbox.requests[-1].method, sandbox.requests[-1].body) == ("POST", ["docs"])  # a raw array (ref)
    assert added == {"number": 1, "labels": ["bug", "docs"]}
    issue = await call(connect, "get_issue", {**DEMO, "number": 1})
    assert issue["labels"] == ["bug", "docs"]

    args = {**DEMO, "number": 1, "action": "replace", "labels": ["docs", "enhancement"]}
    replaced = await call(connect, "update_issue_labels", args)
    assert (sandbox.requests[-1].method, sandbox.requests[-1].body) == ("PUT", ["docs", "enhancement"])
    assert replaced["labels"] == ["docs", "enhancement"]

    removed = await call(connect, "update_issue_labels", {**DEMO, "number": 1, "action": "remove", "labels": ["docs"]})
    assert [(r.method, r.path) for r in sandbox.requests[-2:]] == [
        ("DELETE", "repos/alice/demo/issues/1/labels/docs"),
        ("GET", "repos/alice/demo/issues/1"),
    ]
    assert removed == {"number": 1, "labels": ["enhancement"]}

    assert await call(connect, "delete_label", {**DEMO, "name": "docs"}) == {"deleted": "docs"}
    names = [label["name"] for label in await call(connect, "list_labels", DEMO)]
    assert "docs" not in names and {"bug", "enhancement", "requirement"} <= set(names)


async def test_a_created_label_can_be_given_to_a_new_issue(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_label", {**DEMO, "name": "good first issue", "color": "#7057ff"})
    issue = await call(
        connect, "create_issue", {**DEMO, "title": "Typo", "body": "in the README", "labels": ["good first issue"]}
    )
    assert issue["labels"] == ["good first issue"]
    one = await call(connect, "list_labels", {**DEMO, "name": "good first issue"})
    assert one == {"name": "good first issue", "color": "#7057ff"}
    assert sandbox.requests[-1].raw_path == "repos/alice/demo/labels/good%20first%20issue"


async def test_a_rename_reaches_issues_and_pulls(connect: Connect, sandbox: Sandbox) -> None:
    renamed = await call(connect, "update_label", {**DEMO, "name": "enhancement", "new_name": "feature"})
    assert renamed["name"] == "feature"
    assert sandbox.requests[-1].path == "repos/alice/demo/labels/enhancement"
    assert sandbox.requests[-1].query == {"name": "feature"} and sandbox.requests[-1].body is None  # cli UpdateLabel
    assert demo(sandbox).issues[2].labels == ["feature"] and demo(sandbox).pulls[2].labels == ["feature"]
    found = await call(connect, "list_issues", {**DEMO, "state": "all", "labels": ["feature"]})
    assert [i["number"] for i in found["items"]] == [2]


async def test_simulator_reads_a_label_from_the_query_or_a_form_never_json(sandbox: Sandbox) -> None:
    labels = "repos/alice/demo/labels"
    json_body = await sim(sandbox, "POST", labels, json={"name": "docs", "color": "#0075ca"})
    assert json_body.status_code == 400 and json_body.json()["error_message"] == "name parameter is not present"
    form = await sim(sandbox, "POST", labels, data={"name": "docs", "color": "#0075ca"})
    query = await sim(sandbox, "POST", labels, params={"name": "wiki", "color": "#fff"})
    assert (form.status_code, query.status_code) == (201, 201)
    # An edit's JSON body changes nothing (the reference and the cli send name and color as parameters).
    ignored = await sim(sandbox, "PATCH", f"{labels}/docs", json={"name": "documentation"})
    assert ignored.status_code == 200 and ignored.json()["name"] == "docs"


async def test_deleting_a_label_takes_it_off_issues_and_pulls(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "delete_label", {**DEMO, "name": "enhancement"})
    assert demo(sandbox).issues[2].labels == [] and demo(sandbox).pulls[2].labels == []
    message = await refused(connect, "delete_label", {**DEMO, "name": "enhancement"})
    assert "404" in message and "list_labels" in message


async def test_renaming_onto_an_existing_label_is_refused(connect: Connect) -> None:
    message = await refused(connect, "update_label", {**DEMO, "name": "bug", "new_name": "enhancement"})
    assert "409" in message and "exists" in message


async def test_update_label_with_nothing_to_change_reads_it(connect: Connect, sandbox: Sandbox) -> None:
    label = await call(connect, "update_label", {**DEMO, "name": "bug"})
    assert label["name"] == "bug" and "nothing to change" in label["note"]
    assert [r.method for r in sandbox.requests] == ["GET"]


@pytest.mark.parametrize(
    ("tool", "args", "argument"),
    [
        ("create_label", {"name": "x", "color": "red"}, "color"),
        ("create_label", {"name": " ", "color": "#fff"}, "name"),
        ("update_issue_labels", {"number": 1, "action": "add"}, "labels"),
        ("update_issue_labels", {"number": 1, "action": "remove", "labels": [" "]}, "labels"),
        ("update_issue_labels", {"number": 1, "action": "clear", "labels": ["bug"]}, "labels"),
        ("update_issue_labels", {"number": 1, "action": "add", "labels": ["a,b"]}, "labels"),
    ],
)
async def test_bad_label_arguments_are_refused_before_sending(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], argument: str
) -> None:
    message = await refused(connect, tool, {**DEMO, **args})
    assert f"`{argument}`" in message
    assert sandbox.requests == []


async def test_removing_a_label_the_issue_lacks_says_so(connect: Connect) -> None:
    args = {**DEMO, "number": 1, "action": "remove", "labels": ["enhancement"]}
    message = await refused(connect, "update_issue_labels", args)
    assert "404" in message and "no label enhancement" in message


async def test_adding_a_label_the_repository_lacks_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "update_issue_labels", {**DEMO, "number": 1, "action": "add", "labels": ["nope"]})
    assert "422" in message and "list_labels" in message
    assert demo(sandbox).issues[1].labels == ["bug"]


async def test_clear_takes_every_label_off(connect: Connect, sandbox: Sandbox) -> None:
    cleared = await call(connect, "update_issue_labels", {**DEMO, "number": 1, "action": "clear"})
    assert cleared == {"number": 1, "labels": []}
    assert (sandbox.requests[-1].method, sandbox.requests[-1].path) == ("DELETE", "repos/alice/demo/issues/1/labels")
    assert demo(sandbox).issues[1].labels == []


async def test_a_replace_answered_without_labels_is_read_back(connect: Connect, sandbox: Sandbox) -> None:
    # The reference shows no answer body for replace: the tool then reads the issue rather than guess.
    sandbox.answer("PUT", r"issues/1/labels$", status=204, body=b"")
    result = await call(connect, "update_issue_labels", {**DEMO, "number": 1, "action": "replace", "labels": ["x"]})
    assert [r.method for r in sandbox.requests] == ["PUT", "GET"]
    assert result == {"number": 1, "labels": ["bug"]}  # what GitCode says the issue has, not what was asked


async def test_project_labels_are_a_raw_array_and_separate_from_issue_labels(
    connect: Connect, sandbox: Sandbox
) -> None:
    result = await call(connect, "set_project_labels", {**DEMO, "labels": ["python", " demo ", "python"]})
    assert sandbox.requests[-1].body == ["python", "demo"]
    assert result == {"project_labels": ["python", "demo"]}
    assert demo(sandbox).project_labels == ["python", "demo"]
    assert "python" not in demo(sandbox).labels
    assert await call(connect, "set_project_labels", {**DEMO, "labels": []}) == {"project_labels": []}
