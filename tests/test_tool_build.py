"""The schemas tools/list shows without building validators (tool_build.py) are the ones the validators enforce."""

from __future__ import annotations

import json

import pytest
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter

from gitcode_mcp.registry import all_tools
from gitcode_mcp.tool_build import _BUILT, SCHEMAS, build_tool, context_parameter, full_tool, schemas_now
from tests.conftest import Connect, refused

pytestmark = pytest.mark.anyio


def test_the_cached_schemas_are_the_validators_schemas() -> None:
    cached = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    now = schemas_now()
    stale = sorted(name for name in now.keys() | cached.keys() if now.get(name) != cached.get(name))
    assert not stale, f"{SCHEMAS.name} is stale for {stale[:5]}: run `python -m gitcode_mcp.tool_build`"


async def test_the_listed_schema_of_every_tool_is_its_validators(connect: Connect) -> None:
    async with connect(toolsets=("all",)) as client:
        listed = {t.name: t.input_schema for t in (await client.list_tools()).tools}
    assert listed == {spec.name: full_tool(spec).parameters for spec in all_tools()}


def test_the_cheap_context_parameter_is_the_sdks() -> None:
    assert all(context_parameter(spec.fn) == find_context_parameter(spec.fn) for spec in all_tools())


async def test_a_tool_listed_from_the_cache_validates_on_its_first_call(connect: Connect) -> None:
    spec = next(s for s in all_tools() if s.name == "get_pull_request")
    _BUILT.pop(spec.fn, None)  # as at a process's start
    tool = build_tool(spec)
    assert tool.fn_metadata is None  # listed from the cache: no validator yet
    error = await refused(connect, "get_pull_request", {"owner": "alice", "repo": "demo", "number": "one"})
    assert "Invalid argument `number`" in error and tool.fn_metadata is not None
