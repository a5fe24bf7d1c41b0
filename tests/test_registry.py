"""Toolsets, read-only mode and annotations, as a client sees them in tools/list. Name sets come from the registry."""

from __future__ import annotations

import pytest

from gitcode_mcp.endpoints import BRANCH, ISSUE_LABELS, PR_REVIEWERS, PULL, REMOVING
from gitcode_mcp.registry import (
    Example,
    ToolDef,
    Toolset,
    UnknownToolset,
    all_tools,
    default_toolsets,
    resolve_toolsets,
    select_tools,
    toolsets,
)
from tests.conftest import Connect, refused

pytestmark = pytest.mark.anyio


def names_in(*sets: str, read_only: bool = False) -> set[str]:
    return {t.name for t in all_tools() if t.toolset in sets and (t.read_only or not read_only)}


async def listed(connect: Connect, **settings) -> set[str]:
    async with connect(**settings) as client:
        return {tool.name for tool in (await client.list_tools()).tools}


# The design card's five operations (get a PR, list its files, comment, create an issue, read contents) and the issue
# basics, beside pulls, contents, branches and search.
CARD = {
    "get_pull_request",
    "list_pull_request_files",
    "create_pull_request_comment",
    "create_issue",
    "get_file_contents",
}
ISSUE_BASICS = {"create_issue", "get_issue", "list_issues", "update_issue", "create_issue_comment"}
DEFAULT_BUDGET = 16 * 1024  # bytes of tools/list (bench/tools_list_size.py)


async def test_default_set_lists_the_default_toolsets(connect: Connect) -> None:
    assert default_toolsets() == ("branches", "contents", "issues", "pulls", "search")
    assert await listed(connect, toolsets=None) == names_in(*default_toolsets())
    assert await listed(connect, toolsets=None) >= CARD | ISSUE_BASICS


async def test_default_set_stays_within_its_budget(connect: Connect) -> None:
    async with connect(toolsets=None) as client:
        result = await client.list_tools()
    size = len(result.model_dump_json(by_alias=True, exclude_none=True).encode())
    assert size <= DEFAULT_BUDGET, f"the default set's tools/list is {size} bytes, over {DEFAULT_BUDGET}"


async def test_read_only_lists_only_read_tools(connect: Connect) -> None:
    shown = await listed(connect, toolsets=("all",), read_only=True)
    assert shown == {t.name for t in all_tools() if t.read_only}
    assert "create_issue" not in shown and "get_pull_request" in shown


async def test_read_only_write_tool_cannot_be_called(connect: Connect) -> None:
    args = {"owner": "alice", "repo": "demo", "title": "t", "body": "b"}
    assert "Unknown tool" in await refused(connect, "create_issue", args, toolsets=None, read_only=True)


async def test_toolsets_pick_tools(connect: Connect) -> None:
    assert await listed(connect, toolsets=("issues",)) == names_in("issues")
    assert await listed(connect, toolsets=("pulls", "contents"), read_only=True) == names_in(
        "pulls", "contents", read_only=True
    )
    assert await listed(connect, toolsets=("all",)) == {t.name for t in all_tools()}


async def test_annotations_send_only_what_differs_from_the_defaults(connect: Connect) -> None:
    async with connect(toolsets=("all",)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    for spec in all_tools():
        tool = tools[spec.name]
        hints = tool.annotations.model_dump(exclude_none=True) if tool.annotations else {}
        if spec.kind == "read":
            assert hints == {"read_only_hint": True}, spec.name
        elif spec.kind == "write":
            assert hints == {"destructive_hint": False, **({"idempotent_hint": True} if spec.idempotent else {})}
        else:
            assert hints == ({"idempotent_hint": True} if spec.idempotent else {}), spec.name
        assert tool.description and "\n" not in tool.description, spec.name
        assert tool.output_schema is None, spec.name  # results are compact text, not doubled as structured copies


def test_resolve_toolsets() -> None:
    assert resolve_toolsets(None) == default_toolsets()
    assert resolve_toolsets(["", " "]) == default_toolsets()
    assert resolve_toolsets(["all"]) == tuple(toolsets())
    assert resolve_toolsets(["issues", "issues", "pulls"]) == ("issues", "pulls")
    with pytest.raises(UnknownToolset, match="unknown toolset repoz; choose from"):
        resolve_toolsets(["repoz"])


def test_every_tool_is_declared_once_in_a_known_toolset() -> None:
    names = [t.name for t in all_tools()]
    assert len(names) == len(set(names))
    assert all(t.toolset in toolsets() for t in all_tools())
    assert select_tools(["all"], read_only=False) == all_tools()
    # Toolsets list the default ones first.
    flags = [t.default for t in toolsets().values()]
    assert flags == sorted(flags, reverse=True)


def test_each_toolset_is_a_module_or_a_package_of_its_own() -> None:
    """A tool lives in its toolset's module (tools/<toolset>.py) or package (tools/<toolset>/): no module lends a tool
    to another toolset, so a toolset's tools are found in one place."""
    for tool in all_tools():
        home = f"gitcode_mcp.tools.{tool.toolset}"
        assert tool.fn.__module__ == home or tool.fn.__module__.startswith(f"{home}."), (tool.name, tool.fn.__module__)


def mislabelled(tools: list[ToolDef]) -> dict[str, str]:
    """The tools whose kind says otherwise than what their examples send: one that sends a DELETE or a write that
    removes (endpoints.REMOVING) must be destructive, and only such a tool is."""
    return {t.name: t.kind for t in tools if t.destructive != t.removes}


def test_destructiveness_follows_what_the_examples_send() -> None:
    assert mislabelled(all_tools()) == {}
    deletes = [t for t in all_tools() if t.name.startswith(("delete_", "remove_"))]
    assert deletes and all(t.kind == "destructive" for t in deletes), [t.name for t in deletes]
    silent = [t.name for t in deletes if "cannot be undone" not in (t.fn.__doc__ or "").split("\n")[0].lower()]
    assert silent == []


def test_a_tool_that_removes_but_says_otherwise_is_caught() -> None:
    probe = Toolset("probe", "tools that misstate what they do")

    async def tidy_pull_request() -> str:
        return ""

    async def relabel_issue() -> str:
        return ""

    async def erase_branch() -> str:
        return ""

    args = {"owner": "alice", "repo": "demo", "number": 1}
    probe.write(Example(args, f"GET {PULL}", f"DELETE {PR_REVIEWERS}"))(tidy_pull_request)
    probe.write(Example(args, f"PUT {ISSUE_LABELS}"), idempotent=True)(relabel_issue)
    probe.destructive(Example({**args, "branch": "docs"}, f"GET {BRANCH}"))(erase_branch)  # reads only
    assert mislabelled(probe.tools) == {
        "tidy_pull_request": "write",
        "relabel_issue": "write",
        "erase_branch": "destructive",
    }
    assert f"PUT {ISSUE_LABELS}" in REMOVING and f"POST {ISSUE_LABELS}" not in REMOVING  # adding removes nothing
