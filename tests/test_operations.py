"""Every operation in scope is reached by a tool.

`tests/data/operations-in-scope.txt` lists them, read off 10-beyond-the-seeds.md and 12-the-rest-of-the-reference.md.
The tools' examples name the requests they send, and tests/test_every_tool.py proves each example sends exactly those
(and that GitCode accepted them), so an operation named by an example is reached with a well-formed request. An
operation only a failure reaches (the merged check after a merge's answer was lost) is driven here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gitcode_mcp.registry import all_tools
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, text

pytestmark = pytest.mark.anyio

IN_SCOPE = Path(__file__).parent / "data" / "operations-in-scope.txt"
# Issue 25's: Actions (API v8), discussions, kanban boards, the enterprise v8 operations.
IN_SCOPE_25 = Path(__file__).parent / "data" / "operations-in-scope-25.txt"
# Reached only when a merge's answer is lost: GitCode's "is it merged" read settles whether to try again.
PLACEHOLDER = re.compile(r"\{[^}]+\}")
ON_FAILURE = {"GET repos/{}/{}/pulls/{}/merge"}
# One request under two templates: AtomGit's `artifacts/{id}/{archive_format}` with `zip`, the one format either
# client names, is the GitCode CLI's `artifacts/{id}/zip`, which the tool sends.
SAME_REQUEST = {"GET v8/repos/{}/{}/actions/artifacts/{}/{}": "GET v8/repos/{}/{}/actions/artifacts/{}/zip"}


def shape(operation: str) -> str:
    """`METHOD path` with its placeholders unnamed, so `{number}` and `{id}` in the same place compare equal."""
    method, path = operation.split()[:2]
    return method + " " + PLACEHOLDER.sub("{}", path.lstrip("/"))


def in_scope(path: Path = IN_SCOPE) -> list[str]:
    lines = path.read_text().splitlines()
    return [shape(line) for line in lines if line.strip() and not line.startswith("#")]


def reached_by_examples() -> set[str]:
    return {shape(sent) for tool in all_tools() for example in tool.examples for sent in example.sends}


def test_the_list_is_the_issues_156() -> None:
    operations = in_scope()
    assert len(operations) == 156 and len(set(operations)) == 156


def test_issue_25_adds_77_more() -> None:
    operations = in_scope(IN_SCOPE_25)
    assert len(operations) == 77 and len(set(operations)) == 77
    assert set(operations).isdisjoint(in_scope())


def test_every_operation_in_scope_is_reached_by_a_tool() -> None:
    reached = reached_by_examples() | ON_FAILURE
    missing = [op for op in in_scope() + in_scope(IN_SCOPE_25) if SAME_REQUEST.get(op, op) not in reached]
    assert missing == []


def test_the_failure_only_operations_are_not_reached_otherwise() -> None:
    assert ON_FAILURE & reached_by_examples() == set()  # else they belong to the examples' list


async def test_the_merged_check_is_reached_when_a_merge_answer_is_lost(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("PUT", r"pulls/1/merge$", status=502)
    async with connect() as client:
        result = await client.call_tool("merge_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
    assert result.is_error and "safe to try again" in text(result)
    check = sandbox.requests[-1]
    assert (check.method, check.path, check.status) == ("GET", "repos/alice/demo/pulls/1/merge", 404)
    assert {shape(f"{check.method} {check.template}")} == ON_FAILURE
