"""Every operation in scope is reached by a tool.

`tests/data/operations-in-scope.txt` lists them, each with its outside witnesses (docs/gitcode-behaviour.md defines the
words). The tools' examples name the requests they send, and tests/test_every_tool.py proves each example sends exactly
those (and that GitCode accepted them), so an operation named by an example is reached with a well-formed request. An
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


WITNESS = re.compile(r"^(ref|atomgit)(=[a-z0-9-]+)?$|^(cli|cli-live|probe|live|pygitcode|gitee)$")


def entries() -> list[list[str]]:
    """Each operation's line as words: METHOD, path, its witnesses (a `--` note after them is not split)."""
    lines = IN_SCOPE.read_text().splitlines()
    return [line.split(" -- ")[0].split() for line in lines if line.strip() and not line.startswith("#")]


def in_scope() -> list[str]:
    return [shape(" ".join(words)) for words in entries()]


def reached_by_examples() -> set[str]:
    return {shape(sent) for tool in all_tools() for example in tool.examples for sent in example.sends}


def test_the_list_names_each_operation_once() -> None:
    operations = in_scope()
    assert operations and len(set(operations)) == len(operations)


def test_every_operation_names_an_outside_witness() -> None:
    for method, path, *witnesses in entries():
        assert witnesses and all(WITNESS.match(w) for w in witnesses), f"{method} {path}: {witnesses}"
        # A reference page, or failing one a live-tested client or probe; `gitee` alone is a design, not a witness.
        assert set(witnesses) - {"gitee", "pygitcode", "atomgit"}, f"{method} {path} has no outside witness"


def test_the_behaviour_page_has_every_section_the_code_points_to() -> None:
    root = Path(__file__).parent.parent
    headings = {
        line[3:] for line in (root / "docs" / "gitcode-behaviour.md").read_text().splitlines() if line[:3] == "## "
    }
    cited = {
        match
        for source in (root / "gitcode_mcp").rglob("*.py")
        for match in re.findall(r"gitcode-behaviour\.md,\s+(?:#\s+)?([A-Z][a-z]+(?:,? [a-z]+)*)", source.read_text())
    }
    assert cited and cited <= headings


def test_every_operation_in_scope_is_reached_by_a_tool() -> None:
    reached = reached_by_examples() | ON_FAILURE
    missing = [op for op in in_scope() if SAME_REQUEST.get(op, op) not in reached]
    assert missing == []


def test_the_failure_only_operations_are_not_reached_otherwise() -> None:
    assert ON_FAILURE & reached_by_examples() == set()  # else they belong to the examples' list


async def test_the_merged_check_is_reached_when_a_merge_answer_is_lost(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("PUT", r"pulls/1/merge$", status=502)
    async with connect() as client:
        result = await client.call_tool("merge_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
    assert result.is_error and "safe to try again" in text(result)
    check = sandbox.requests[-1]
    assert (check.method, check.path, check.status) == ("GET", "repos/alice/demo/pulls/1/merge", 200)
    assert {shape(f"{check.method} {check.template}")} == ON_FAILURE
