"""Tool schemas survive the strict-mode conversion of agent frameworks with optional arguments still optional.

openai-agents' `convert_schemas_to_strict=True` (like the strict modes of langchain and pydantic-ai) marks every
property required and forbids extra ones. An optional argument survives only if its schema admits null, and the
tool must then read null as "not given". `strict()` below does what openai-agents' `ensure_strict_json_schema`
does to an object schema (checked against openai-agents 0.24.0 by hand; see the README).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gitcode_mcp.registry import ToolDef, all_tools
from tests.conftest import Connect, call

pytestmark = pytest.mark.anyio
TOOLS = [pytest.param(tool, id=tool.name) for tool in all_tools()]


def strict(schema: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        for key in ("properties", "$defs", "definitions"):
            for child in node.get(key, {}).values():
                walk(child)
        for key in ("items", "additionalProperties"):
            walk(node.get(key))
        for child in node.get("anyOf", []) + node.get("allOf", []):
            walk(child)

    walk(out)
    return out


def admits_null(prop: dict[str, Any]) -> bool:
    kind = prop.get("type")
    return kind == "null" or (isinstance(kind, list) and "null" in kind) or {"type": "null"} in prop.get("anyOf", [])


async def schemas(connect: Connect) -> dict[str, dict[str, Any]]:
    async with connect(toolsets=("all",)) as client:
        return {t.name: t.input_schema for t in (await client.list_tools()).tools}


async def test_optional_arguments_admit_null_after_strict_conversion(connect: Connect) -> None:
    for name, schema in (await schemas(connect)).items():
        converted = strict(schema)
        optional = set(schema["properties"]) - set(schema.get("required", []))
        assert set(converted["required"]) == set(schema["properties"]), name
        for arg in optional:
            assert admits_null(converted["properties"][arg]), (name, arg)
        for arg in schema.get("required", []):
            assert not admits_null(schema["properties"][arg]), (name, arg)


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
