"""A destructive tool asks the person first where the client can be asked (an elicitation during the call on the
earlier protocol; a question in the call's answer, then the client calls again, on 2026-07-28) and does nothing
unless they say yes. A client that cannot be asked confirms destructive tools itself, as their annotation says."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.types import ElicitRequestParams, ElicitResult
from pydantic import SecretStr

from gitcode_mcp.endpoints import BRANCH
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.conftest import TOKEN, demo, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
DELETE_DOCS = {**DEMO, "branch": "docs"}
MODES = ["auto", "legacy"]  # 2026-07-28 (multi-round) and the initialize handshake (elicitation request)


class Person:
    """What the person answers, and what they were asked."""

    def __init__(self, action: str, content: dict[str, Any] | None = None) -> None:
        self.action, self.content, self.asked = action, content, []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.asked.append(params.message)
        return ElicitResult(action=self.action, content=self.content)  # type: ignore[arg-type]


def client(sandbox: Sandbox, person: Person | None, mode: str) -> Client:
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(TOKEN), toolsets=("all",))
    server = build_server(settings, httpx2.ASGITransport(app=sandbox.app))
    return Client(server, mode=mode, elicitation_callback=person)


@pytest.mark.parametrize("mode", MODES)
async def test_a_yes_lets_the_deletion_happen(mode: str) -> None:
    sandbox, person = Sandbox(), Person("accept", {"confirm": True})
    async with client(sandbox, person, mode) as c:
        result = await c.call_tool("delete_branch", DELETE_DOCS)
    assert not result.is_error, text(result)
    assert len(person.asked) == 1
    assert person.asked[0].startswith("Allow delete_branch? Delete a branch: ")
    assert "owner='alice', repo='demo', branch='docs'" in person.asked[0] and "cannot be undone" in person.asked[0]
    assert [f"{r.method} {r.template}" for r in sandbox.requests] == [f"DELETE {BRANCH}"]
    assert "docs" not in demo(sandbox).branches


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("action", "content", "said"),
    [("accept", {"confirm": False}, "declined"), ("decline", None, "decline"), ("cancel", None, "cancel")],
)
async def test_anything_but_yes_sends_nothing(mode: str, action: str, content: dict | None, said: str) -> None:
    sandbox, person = Sandbox(), Person(action, content)
    async with client(sandbox, person, mode) as c:
        result = await c.call_tool("delete_branch", DELETE_DOCS)
    assert result.is_error
    assert f"Not done: the person {said} when asked to allow delete_branch; nothing was sent" in text(result)
    assert sandbox.requests == [] and "docs" in demo(sandbox).branches


@pytest.mark.parametrize("mode", MODES)
async def test_reads_and_writes_that_destroy_nothing_are_not_asked_about(mode: str) -> None:
    sandbox, person = Sandbox(), Person("accept", {"confirm": False})
    async with client(sandbox, person, mode) as c:
        assert not (await c.call_tool("list_branches", DEMO)).is_error
        assert not (await c.call_tool("create_branch", {**DEMO, "branch": "x", "ref": "main"})).is_error
    assert person.asked == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_that_cannot_ask_runs_the_tool_as_annotated(mode: str) -> None:
    sandbox = Sandbox()
    async with client(sandbox, None, mode) as c:
        tool = next(t for t in (await c.list_tools()).tools if t.name == "delete_branch")
        assert tool.annotations is None or tool.annotations.destructive_hint is not False  # the client's to confirm
        result = await c.call_tool("delete_branch", DELETE_DOCS)
    assert not result.is_error, text(result)
    assert "docs" not in demo(sandbox).branches


async def test_the_question_names_exactly_what_a_bad_argument_would_have_destroyed() -> None:
    # arguments are checked before the person is asked: a question about a call that cannot run is never put
    sandbox, person = Sandbox(), Person("accept", {"confirm": True})
    async with client(sandbox, person, "auto") as c:
        result = await c.call_tool("delete_branch", {**DEMO, "branch": "..%2Fmain"})
    assert result.is_error and person.asked == [] and sandbox.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_tool_that_removes_asks_too_and_does_not_claim_it_cannot_be_undone(mode: str) -> None:
    # Taking a reviewer off a PR sends a DELETE: the tool is destructive, so the person is asked; it can be undone
    # (add them again), so the question does not say otherwise.
    sandbox, person = Sandbox(), Person("accept", {"confirm": True})
    args = {**DEMO, "number": 1, "action": "remove", "users": ["bob"]}
    async with client(sandbox, person, mode) as c:
        result = await c.call_tool("set_pull_request_reviewers", args)
    assert not result.is_error, text(result)
    assert len(person.asked) == 1 and person.asked[0].startswith("Allow set_pull_request_reviewers? Add, remove or")
    assert "users=['bob']" in person.asked[0] and person.asked[0].endswith("It may take away what is there.")
    delete = sandbox.requests[0]
    assert (delete.method, delete.path, delete.query, delete.body) == (
        "DELETE",
        "repos/alice/demo/pulls/1/assignees",
        {"assignees": "bob"},
        None,
    )
    assert demo(sandbox).pulls[1].reviewers == {} and text(result) == '{"number":1,"mergeable":true}'


@pytest.mark.parametrize("mode", MODES)
async def test_a_destructive_tool_asks_only_for_the_calls_that_remove(mode: str) -> None:
    """update_issue is destructive (labels and assignees given replace the old ones), but closing an issue takes
    nothing away: only the call that replaces labels is put to the person, and the "no" sends nothing."""
    sandbox, person = Sandbox(), Person("accept", {"confirm": False})
    issue = {**DEMO, "number": 1}
    async with client(sandbox, person, mode) as c:
        closed = await c.call_tool("update_issue", {**issue, "state": "closed"})
        added = await c.call_tool("update_issue_labels", {**issue, "action": "add", "labels": ["bug"]})
        sent_before = len(sandbox.requests)
        replaced = await c.call_tool("update_issue", {**issue, "labels": []})
    assert not closed.is_error and not added.is_error, (text(closed), text(added))
    assert demo(sandbox).issues[1].state == "closed"
    assert len(person.asked) == 1 and person.asked[0].startswith("Allow update_issue?"), person.asked
    assert "labels=[]" in person.asked[0]
    assert replaced.is_error and len(sandbox.requests) == sent_before
    assert "bug" in demo(sandbox).issues[1].labels
