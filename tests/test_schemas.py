"""Every tool's schema, as the agent frameworks users plug us into read it: converted by their own code, not by an
imitation of it, and every optional argument still optional after the conversion.

- openai-agents: its MCP client over stdio, with `convert_schemas_to_strict` (`ensure_strict_json_schema`).
- google-genai: its MCP adapter (`McpToGenAiToolAdapter`, what `generate_content(tools=[session])` uses), and
  `types.Schema` built from each schema as fast-agent's Gemini provider builds it.
- pydantic-ai: its OpenAI strict transformer and its Gemini transformer.
- langchain: a `StructuredTool` with the MCP schema as langchain-mcp-adapters makes one, converted by
  langchain-core's `convert_to_openai_tool(strict=True)` (langchain-mcp-adapters itself requires mcp<2).

A strict converter marks every property required: an optional argument survives only if it admits null, which the
tool reads as "not given" (the last test calls every tool so).
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

import anyio
import jsonschema
import pytest
from agents import Agent, FunctionTool, RunContextWrapper
from agents.mcp import MCPServerStdio, MCPServerStdioParams
from agents.tool_context import ToolContext
from google.genai import types as genai
from google.genai._adapters import McpToGenAiToolAdapter
from langchain_core.tools import StructuredTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from mcp import Client
from mcp.types import ListToolsResult, Tool
from pydantic_ai.profiles.google import GoogleJsonSchemaTransformer
from pydantic_ai.profiles.openai import OpenAIJsonSchemaTransformer

from gitcode_mcp.registry import ToolDef, all_tools
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import Settings
from tests.conftest import Connect, call

pytestmark = pytest.mark.anyio
TOOLS = [pytest.param(tool, id=tool.name) for tool in all_tools()]
Path = tuple[str, ...]


@pytest.fixture(scope="module")
def listed() -> list[Tool]:
    """tools/list with every toolset, as a client receives it."""

    async def tools() -> list[Tool]:
        async with Client(build_server(Settings(toolsets=("all",)))) as client:
            return (await client.list_tools()).tools

    return anyio.run(tools)


def optional_paths(schema: dict[str, Any], at: Path = ()) -> Iterator[tuple[Path, bool]]:
    """Every property, at any depth of objects, with whether it is optional."""
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        yield (*at, name), name not in required
        for branch in [prop, *prop.get("anyOf", [])]:
            if branch.get("type") == "object":
                yield from optional_paths(branch, (*at, name))


def node(schema: dict[str, Any], path: Path) -> dict[str, Any]:
    """The property at path of a converted JSON schema (through an object branch of an anyOf)."""
    for name in path:
        if "properties" not in schema:
            schema = next(b for b in schema["anyOf"] if b.get("type") == "object")
        schema = schema["properties"][name]
    return schema


def admits_null(schema: dict[str, Any]) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(None)


def assert_optionals_admit_null(name: str, original: dict[str, Any], converted: dict[str, Any]) -> None:
    """After a strict conversion every property is required: the optional ones must admit null, the others not."""
    for path, is_optional in optional_paths(original):
        assert admits_null(node(converted, path)) == is_optional, (name, path)


def test_one_dialect_every_client_reads(listed: list[Tool]) -> None:
    """No `type` lists (google-genai's types.Schema takes one type), no boolean schemas or `additionalProperties`
    (google-genai's MCP adapter fails on them), no object without declared properties (openai-agents serves it
    non-strict), and null admitted exactly by the optional arguments."""

    def walk(schema: Any, where: str) -> None:
        assert isinstance(schema, dict), where
        assert not isinstance(schema.get("type"), list), where
        assert "additionalProperties" not in schema and "writeOnly" not in schema, where
        if schema.get("type") == "object":
            assert schema.get("properties"), where
        for key, value in schema.items():
            if key == "properties":
                for name, prop in value.items():
                    walk(prop, f"{where}.{name}")
            elif key in ("items", "not"):
                walk(value, f"{where}.{key}")
            elif key in ("anyOf", "oneOf", "allOf"):
                for i, branch in enumerate(value):
                    walk(branch, f"{where}.{key}[{i}]")

    assert len(listed) == len(all_tools())
    for tool in listed:
        walk(tool.input_schema, tool.name)
        for path, is_optional in optional_paths(tool.input_schema):
            assert admits_null(node(tool.input_schema, path)) == is_optional, (tool.name, path)


async def test_openai_agents_converts_every_tool_strictly() -> None:
    """openai-agents' own MCP client, as an agent with `convert_schemas_to_strict` uses it; a tool it cannot convert
    it serves non-strict (and logs at info), so strictness is asserted for each tool."""
    command = MCPServerStdioParams(command=sys.executable, args=["-m", "gitcode_mcp", "--sandbox", "--toolsets", "all"])
    async with MCPServerStdio(params=command, cache_tools_list=True) as server:
        agent = Agent(name="reviewer", mcp_servers=[server], mcp_config={"convert_schemas_to_strict": True})
        converted = {
            t.name: t for t in await agent.get_all_tools(RunContextWrapper(None)) if isinstance(t, FunctionTool)
        }
        originals = {t.name: t.input_schema for t in await server.list_tools()}
        assert set(converted) == set(originals) == {t.name for t in all_tools()}
        for name, tool in converted.items():
            assert tool.strict_json_schema, name
            assert tool.params_json_schema["required"] == list(originals[name]["properties"]), name
            assert_optionals_admit_null(name, originals[name], tool.params_json_schema)

        # What a strict-mode model sends to leave an optional argument out: null. The diff of the whole PR comes back.
        diff = converted["get_pull_request_diff"]
        arguments = json.dumps({"owner": "alice", "repo": "demo", "number": 1, "path": None})
        context = ToolContext(None, tool_name=diff.name, tool_call_id="call-1", tool_arguments=arguments)
        answer = await diff.on_invoke_tool(context, arguments)
        assert "src/app.py" in str(answer) and "Error" not in str(answer)


def test_google_genais_mcp_adapter_reads_every_tool(listed: list[Tool]) -> None:
    """The adapter `generate_content(..., tools=[session])` builds from the session's tools/list: one tool it cannot
    read fails the whole call before any model is asked. Optional arguments stay out of `required`, nullable."""
    declared = McpToGenAiToolAdapter(None, ListToolsResult(tools=listed)).tools
    assert len(declared) == len(listed)
    for tool, gemini in zip(listed, declared, strict=True):
        (function,) = gemini.function_declarations or []
        assert function.name == tool.name and function.parameters is not None
        for path, is_optional in optional_paths(tool.input_schema):
            parent = function.parameters
            for name in path[:-1]:
                parent = (parent.properties or {})[name]
            assert (path[-1] in (parent.required or [])) != is_optional, (tool.name, path)
            assert bool((parent.properties or {})[path[-1]].nullable) == is_optional, (tool.name, path)


def test_google_genais_schema_type_takes_every_tool(listed: list[Tool]) -> None:
    """fast-agent's Gemini provider builds `types.Schema(**input_schema)` from each tool (minus a few keywords we do
    not use): a `type` list or an unknown keyword fails every request."""
    for tool in listed:
        schema = genai.Schema(**copy.deepcopy(tool.input_schema))
        assert set(schema.required or []) == set(tool.input_schema.get("required", [])), tool.name


def test_pydantic_ai_converts_every_tool(listed: list[Tool]) -> None:
    """pydantic-ai's transformers of an MCP tool's schema: OpenAI's strict mode, and Gemini's."""
    for tool in listed:
        strict = OpenAIJsonSchemaTransformer(copy.deepcopy(tool.input_schema), strict=True).walk()
        assert strict["required"] == list(tool.input_schema["properties"]), tool.name
        assert_optionals_admit_null(tool.name, tool.input_schema, strict)
        gemini = GoogleJsonSchemaTransformer(copy.deepcopy(tool.input_schema)).walk()
        assert set(gemini.get("required", [])) == set(tool.input_schema.get("required", [])), tool.name


async def not_called(**_: Any) -> None:
    raise AssertionError("only converted, never called")


def test_langchain_converts_every_tool_strictly(listed: list[Tool]) -> None:
    for tool in listed:
        structured = StructuredTool(
            name=tool.name,
            description=tool.description or "",
            args_schema=copy.deepcopy(tool.input_schema),
            coroutine=not_called,
            response_format="content_and_artifact",
        )
        parameters = convert_to_openai_tool(structured, strict=True)["function"]["parameters"]
        assert parameters["required"] == list(tool.input_schema["properties"]), tool.name
        assert_optionals_admit_null(tool.name, tool.input_schema, parameters)


@pytest.mark.parametrize("tool", TOOLS)
async def test_a_strict_mode_call_with_null_optionals_works(connect: Connect, tool: ToolDef) -> None:
    """What a strict-mode model sends for the arguments it means to leave out: null, each of them (an example that
    needs an optional one, such as all=true where nothing given must not mean "all", keeps it)."""
    async with connect(toolsets=("all",)) as client:
        schema = {t.name: t.input_schema for t in (await client.list_tools()).tools}[tool.name]
        required = set(schema.get("required", []))
        example = min(tool.examples, key=lambda e: len(set(e.args) - required))
        args = {k: None for k in schema["properties"] if k not in required} | example.args
        await call(client, tool.name, args)
