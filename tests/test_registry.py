"""Toolsets, read-only mode and annotations, as a client sees them in tools/list."""

from __future__ import annotations

import pytest

from gitcode_mcp.toolsets import ALL_TOOLS, DEFAULT_TOOLSETS, TOOLSETS, UnknownToolset, resolve_toolsets
from tests.conftest import Connect

pytestmark = pytest.mark.anyio

FIVE = {"get_pull_request", "list_pull_request_files", "create_pull_request_comment", "create_issue",
        "get_file_contents"}
READS = {"get_pull_request", "list_pull_request_files", "get_file_contents"}


async def names(connect: Connect, **settings) -> set[str]:
    async with connect(**settings) as client:
        return {tool.name for tool in (await client.list_tools()).tools}


async def test_default_set_lists_the_five(connect: Connect) -> None:
    assert await names(connect) == FIVE


async def test_read_only_lists_no_write_tool(connect: Connect) -> None:
    assert await names(connect, read_only=True) == READS


async def test_read_only_write_tool_cannot_be_called(connect: Connect) -> None:
    async with connect(read_only=True) as client:
        result = await client.call_tool("create_issue", {"owner": "alice", "repo": "demo", "title": "t", "body": "b"})
    assert result.is_error and "Unknown tool" in result.content[0].text


async def test_toolsets_pick_tools(connect: Connect) -> None:
    assert await names(connect, toolsets=("issues",)) == {"create_issue"}
    assert await names(connect, toolsets=("pulls", "contents"), read_only=True) == READS
    assert await names(connect, toolsets=("all",)) == FIVE


async def test_every_tool_is_annotated(connect: Connect) -> None:
    async with connect() as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        hints = tool.annotations
        assert hints is not None, tool.name
        assert hints.read_only_hint is (tool.name in READS), tool.name
        assert hints.destructive_hint is False and hints.open_world_hint is True, tool.name
        assert hints.idempotent_hint is (tool.name in READS), tool.name
        assert tool.description and "\n" not in tool.description, tool.name
        assert tool.output_schema is None, tool.name  # results are compact text, not doubled as structured copies


def test_resolve_toolsets() -> None:
    assert resolve_toolsets(None) == DEFAULT_TOOLSETS
    assert resolve_toolsets(["", " "]) == DEFAULT_TOOLSETS
    assert resolve_toolsets(["all"]) == tuple(TOOLSETS)
    assert resolve_toolsets(["issues", "issues", "pulls"]) == ("issues", "pulls")
    with pytest.raises(UnknownToolset, match="unknown toolset repoz; choose from"):
        resolve_toolsets(["repoz"])


def test_registry_names_are_unique_and_each_tool_has_a_toolset() -> None:
    names_ = [t.name for t in ALL_TOOLS]
    assert len(names_) == len(set(names_))
    assert all(t.toolset in TOOLSETS for t in ALL_TOOLS)
